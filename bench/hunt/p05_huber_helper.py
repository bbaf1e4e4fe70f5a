import numpy as np
def huber(r, delta=1.0):
    a = abs(r)
    if a <= delta:
        return 0.5 * r * r
    return delta * (a - 0.5 * delta)
def loss(res):
    s = 0.0
    for r in res:
        s += huber(r, delta=0.8)
    return s / len(res)
res = np.linspace(-3, 3, 2000)
tot = 0.0
for k in range(120):
    tot += loss(res * (1 + k * 0.01))
print(tot)

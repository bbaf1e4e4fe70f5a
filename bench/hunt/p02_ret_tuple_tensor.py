import numpy as np
target = np.array([1, -2, 0.5])
def step(w, lr):
    g = 2 * (w - target)
    return w - lr * g, np.linalg.norm(g)
w = np.zeros(3)
acc = 0.0
for i in range(20000):
    w, gn = step(w, 0.001)
    acc += gn
print(w[0], w[1], w[2], acc)

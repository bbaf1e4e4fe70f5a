import numpy as np
def clipped_sum(x, c):
    s = 0.0
    for i in range(len(x)):
        xi = x[i]
        if xi > c:
            s += c
        elif xi < -c:
            s -= c
        else:
            s += xi
    return s

x = np.sin(np.arange(200_000) * 0.01) * 2
total = 0.0
for k in range(5):
    total += clipped_sum(x, 1 + k * 0.1)
print(total)

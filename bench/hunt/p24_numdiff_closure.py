import numpy as np
def numdiff(f, x, h):
    g = np.zeros(3)
    for i in range(3):
        xp = x.copy(); xm = x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g
A = np.array([1.0, 10.0, 100.0])
f = lambda w: np.sum(A * w * w)
w = np.array([1.0, 1.0, 1.0])
for k in range(4000):
    w = w - 0.004 * numdiff(f, w, 1e-5)
print(w[0], w[1], w[2])

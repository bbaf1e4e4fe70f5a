import numpy as np
def clip_by_norm(g, m):
    n = np.sqrt(np.sum(g * g))
    if n > m:
        return g * (m / n)
    return g
def run(n):
    w = np.array([3.0, -4.0, 1.0])
    for i in range(n):
        g = 4 * w * w * w - w
        g = clip_by_norm(g, 1)
        w = w - 0.01 * g
    return w
w = run(10000)
print(w[0], w[1], w[2])

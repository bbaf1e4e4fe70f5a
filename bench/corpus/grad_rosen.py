import math
# The hand-differentiated loop a CPython user writes (the peer of W3b), 100k Adam steps.
w = [-1.5, 2.0]; m = [0.0, 0.0]; v = [0.0, 0.0]
b1, b2, lr, eps = 0.9, 0.999, 0.001, 1e-8
for t in range(1, 100_001):
    x, y = w
    g = (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))
    c1 = 1 - b1 ** t; c2 = 1 - b2 ** t
    for i in (0, 1):
        m[i] = b1 * m[i] + (1 - b1) * g[i]
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
        w[i] -= lr * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)
print(w)

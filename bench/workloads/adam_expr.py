# Issue 3's peer: NumPy's naive version of the same lines (a temporary per operator).
import time
import numpy as np
w = np.zeros(10_000_000); g = np.ones(10_000_000) * 0.5
m = np.zeros(10_000_000); v = np.zeros(10_000_000)
b1, b2, lr, eps = 0.9, 0.999, 0.001, 1e-8
start = time.perf_counter()
for t in range(1, 6):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g ** 2
    w -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
print(time.perf_counter() - start)

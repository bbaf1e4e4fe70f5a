import numpy as np
n = 1_000_000
x = np.sin(np.arange(n) * 0.001)
out = np.zeros(n)
v = 0.0
for i in range(n):
    v = 0.9 * v + 0.1 * x[i]
    out[i] = v
print(out[n - 1], out.sum())

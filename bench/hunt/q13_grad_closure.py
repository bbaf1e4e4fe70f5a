import numpy as np
np.random.seed(5)
xs = np.random.rand(500) * 4 - 2
ys = 3 * xs - 1 + 0.1 * np.random.randn(500)
xs = xs.tolist(); ys = ys.tolist()
w0 = 0.0; w1 = 0.0
lr = 0.01
for ep in range(160):
    for i in range(500):
        xi = xs[i]; yi = ys[i]
        r = w0 * xi + w1 - yi
        g0 = 2 * r * xi; g1 = 2 * r
        w0 = w0 - lr * g0; w1 = w1 - lr * g1
print(format(w0, ".6f"), format(w1, ".6f"))

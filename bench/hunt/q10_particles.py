import numpy as np
x = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
v = np.array([0.03, -0.02, 0.05, -0.04, 0.01, 0.02, -0.05, 0.04])
dt = 0.1
bounces = 0
for step in range(10000):
    v = v - 0.0981 * dt
    x = x + v * dt
    out = (x < 0) | (x > 1)
    bounces += int(out.sum())
    v = np.where(out, -0.9 * v, v)
    x = np.clip(x, 0, 1)
print(bounces, format(x.sum(), ".6f"), format(np.abs(v).sum(), ".6f"))

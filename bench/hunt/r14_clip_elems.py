import math
import numpy as np
def clip_grad(g, max_norm, max_val):
    s = 0
    for i in range(len(g)):
        s += g[i] * g[i]
    n = math.sqrt(s)
    scale = 1
    if n > max_norm:
        scale = max_norm / n
    out = np.zeros(len(g))
    for i in range(len(g)):
        v = g[i] * scale
        if v > max_val:
            v = max_val
        elif v < -max_val:
            v = -max_val
        out[i] = v
    return out, n
w = np.zeros(16)
target = np.linspace(-3, 3, 16)
clipped = 0
for step in range(9000):
    g = 4 * (w - target) * (1 + 0.5 * math.sin(step * 0.1))
    out, n = clip_grad(g, 2.0, 0.4)
    if n > 2.0:
        clipped += 1
    w = w - 0.05 * out
print(clipped, format(w[0], ".6f"), format(w[15], ".6f"))

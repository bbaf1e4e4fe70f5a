import math
import numpy as np
class EWA:
    def __init__(self, beta):
        self.beta = beta; self.v = 0.0; self.t = 0; self.corrected = None
    def update(self, x):
        self.t += 1
        self.v = self.beta * self.v + (1 - self.beta) * x
        self.corrected = self.v / (1 - self.beta ** self.t)
        return self.t, self.v, self.corrected
a = EWA(0.9)
b = EWA(0.99)
peak = 0
for t in range(15000):
    g = np.array([math.sin(t * 0.01), math.cos(t * 0.013), 0.5])
    ra = a.update(g)
    rb = b.update(g * g)
    d = np.linalg.norm(ra[2] / (np.sqrt(rb[2]) + 1e-8))
    if d > peak:
        peak = d
print(format(peak, ".6f"), format(a.v[0], ".6f"), format(b.corrected[2], ".6f"))

import numpy as np
class EWA:
    def __init__(self, beta):
        self.beta = beta; self.v = 0.0; self.t = 0
    def update(self, x):
        self.t += 1
        self.v = self.beta * self.v + (1 - self.beta) * x
        return self.t, self.v, self.v / (1 - self.beta ** self.t)
def smooth(xs, beta):
    a = EWA(beta)
    peak = 0.0
    corr = None
    for x in xs:
        t, v, corr = a.update(x)
        if corr > peak:
            peak = corr
    return corr, peak
np.random.seed(1)
xs = 1 / (1 + np.arange(20000) * 0.01) + 0.1 * np.random.randn(20000)
r1 = smooth(xs, 0.9)
r2 = smooth(xs, 0.99)
print(float(r1[0]), float(r1[1]), float(r2[0]), float(r2[1]))

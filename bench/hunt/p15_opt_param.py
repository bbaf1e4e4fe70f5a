import numpy as np
class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.t = 0; self.m = None; self.v = None
    def step(self, w, g):
        if self.m is None:
            self.m = np.zeros_like(w); self.v = np.zeros_like(w)
        self.t += 1
        self.m = self.b1 * self.m + (1 - self.b1) * g
        self.v = self.b2 * self.v + (1 - self.b2) * g * g
        mh = self.m / (1 - self.b1 ** self.t)
        vh = self.v / (1 - self.b2 ** self.t)
        return w - self.lr * mh / (np.sqrt(vh) + self.eps)
def df(w):
    return np.array([2 * (w[0] - 1) - 400 * w[0] * (w[1] - w[0] * w[0]), 200 * (w[1] - w[0] * w[0])])
def train(opt, g, w, n):
    for i in range(n):
        w = opt.step(w, g(w))
    return w
w = train(Adam(lr=0.01), df, np.array([-1.0, 1.0]), 8000)
print(w[0], w[1])

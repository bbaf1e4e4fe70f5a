import numpy as np
class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.t = 0; self.m = None; self.v = None
    def step(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(p) for k, p in params.items()}
            self.v = {k: np.zeros_like(p) for k, p in params.items()}
        self.t += 1
        out = {}
        for k in params:
            g = grads[k]
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * g
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * g * g
            mh = self.m[k] / (1 - self.b1 ** self.t)
            vh = self.v[k] / (1 - self.b2 ** self.t)
            out[k] = params[k] - self.lr * mh / (np.sqrt(vh) + self.eps)
        return out
np.random.seed(3)
X = np.random.randn(16, 3)
Wt = np.array([[1, -2, 0.5]])
y = X @ Wt.T + 0.3
params = {"W": np.zeros((1, 3)), "b": np.zeros(1)}
opt = Adam(lr=0.01)
for step in range(3000):
    err = X @ params["W"].T + params["b"] - y
    grads = {"W": 2 * err.T @ X / 16, "b": np.array([2 * err.mean()])}
    params = opt.step(params, grads)
loss = ((X @ params["W"].T + params["b"] - y) ** 2).mean()
print(format(params["W"][0, 0], ".5f"), format(params["W"][0, 1], ".5f"), format(params["W"][0, 2], ".5f"), format(params["b"][0], ".5f"), format(loss, ".8f"))

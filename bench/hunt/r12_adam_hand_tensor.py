import numpy as np
np.random.seed(0)
X = np.random.randn(32, 4)
Wtrue = np.array([[1, -1], [0.5, 2], [0, 1], [-1.5, 0]])
Y = X @ Wtrue + np.array([0.3, -0.2])
W = np.zeros((4, 2)); b = np.zeros(2)
mW = np.zeros((4, 2)); vW = np.zeros((4, 2)); mb = np.zeros(2); vb = np.zeros(2)
lr = 0.01; b1 = 0.9; b2 = 0.999; eps = 1e-8
for t in range(1, 2001):
    E = X @ W + b - Y
    gW = X.T @ E * (2 / 32)
    gb = np.sum(E, axis=0) * (2 / 32)
    mW = b1 * mW + (1 - b1) * gW
    vW = b2 * vW + (1 - b2) * gW * gW
    mb = b1 * mb + (1 - b1) * gb
    vb = b2 * vb + (1 - b2) * gb * gb
    c1 = 1 - b1**t; c2 = 1 - b2**t
    W = W - lr * (mW / c1) / (np.sqrt(vW / c2) + eps)
    b = b - lr * (mb / c1) / (np.sqrt(vb / c2) + eps)
loss = np.mean((X @ W + b - Y)**2)
print(format(W[0, 0], ".6f"), format(W[3, 0], ".6f"), format(b[1], ".6f"), format(loss, ".8f"))

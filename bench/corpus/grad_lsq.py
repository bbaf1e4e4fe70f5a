import numpy as np
A = np.cos(np.arange(100).reshape(20, 5))
y = A @ np.array([1, -2, 3, 0.5, -1]) + np.sin(np.arange(20))
def loss(w):
    return np.mean((A @ w - y) ** 2)
# The gradient and Adam written out by hand, as a NumPy user does.
w = np.zeros(5); m = np.zeros(5); v = np.zeros(5)
lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
for t in range(1, 50_001):
    g = 2 / 20 * A.T @ (A @ w - y)
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    w = w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
print(w, loss(w))

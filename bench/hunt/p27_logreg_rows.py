import numpy as np
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
def sgd_epoch(X, y, w, lr):
    for i in range(len(X)):
        p = sigmoid(np.dot(X[i], w))
        w = w - lr * (p - y[i]) * X[i]
    return w
np.random.seed(2)
X = np.random.randn(1000, 3)
y = np.where(X[:, 0] + 0.5 * X[:, 1] > 0, 1.0, 0.0)
w = np.zeros(3)
for ep in range(12):
    w = sgd_epoch(X, y, w, 0.1)
print(w[0], w[1], w[2])

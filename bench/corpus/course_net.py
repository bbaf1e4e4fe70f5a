# The course's own NumPy code (forward and backward by hand, Adam by hand), same data
# (written by optrepl's moons() into bench/out by the corpus runner), 1000 epochs.
import os
import numpy as np
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out")
X = np.load(os.path.join(OUT, "moons_X.npy")).T
Y = np.load(os.path.join(OUT, "moons_y.npy")).reshape(1, -1)
layers = [2, 5, 2, 1]

def init():
    np.random.seed(3)
    p = {}
    for l in range(1, len(layers)):
        p["W%d" % l] = np.random.randn(layers[l], layers[l - 1]) * np.sqrt(2 / layers[l - 1])
        p["b%d" % l] = np.zeros((layers[l], 1))
    return p

def forward(p, X):
    z1 = p["W1"] @ X + p["b1"]; a1 = np.maximum(0, z1)
    z2 = p["W2"] @ a1 + p["b2"]; a2 = np.maximum(0, z2)
    z3 = p["W3"] @ a2 + p["b3"]; a3 = 1 / (1 + np.exp(-z3))
    return (z1, a1, z2, a2, z3, a3)

def backward(X, Y, cache, p):
    m = X.shape[1]
    z1, a1, z2, a2, z3, a3 = cache
    dz3 = 1. / m * (a3 - Y)
    g = {"W3": dz3 @ a2.T, "b3": np.sum(dz3, axis=1, keepdims=True)}
    da2 = p["W3"].T @ dz3
    dz2 = da2 * (a2 > 0)
    g["W2"] = dz2 @ a1.T; g["b2"] = np.sum(dz2, axis=1, keepdims=True)
    da1 = p["W2"].T @ dz2
    dz1 = da1 * (a1 > 0)
    g["W1"] = dz1 @ X.T; g["b1"] = np.sum(dz1, axis=1, keepdims=True)
    return g

p = init()
mom = {k: np.zeros_like(v) for k, v in p.items()}
sq = {k: np.zeros_like(v) for k, v in p.items()}
t, lr, b1, b2, eps = 0, 0.0007, 0.9, 0.999, 1e-8
n = X.shape[1]
for epoch in range(1000):
    np.random.seed(11 + epoch)
    perm = list(np.random.permutation(n))
    Xs, Ys = X[:, perm], Y[:, perm]
    total = 0.0
    for k in range(0, n, 64):
        xb, yb = Xs[:, k:k + 64], Ys[:, k:k + 64]
        cache = forward(p, xb)
        a3 = cache[-1]
        total += np.sum(np.multiply(-np.log(a3), yb) + np.multiply(-np.log(1 - a3), 1 - yb))
        g = backward(xb, yb, cache, p)
        t += 1
        for key in p:
            mom[key] = b1 * mom[key] + (1 - b1) * g[key]
            sq[key] = b2 * sq[key] + (1 - b2) * g[key] ** 2
            mhat = mom[key] / (1 - b1 ** t)
            vhat = sq[key] / (1 - b2 ** t)
            p[key] = p[key] - lr * mhat / (np.sqrt(vhat) + eps)
print("cost", total / n)

import numpy as np
def grads(p):
    return {"W": 2 * (p["W"] - np.array([1.0, 2.0])), "b": 2 * (p["b"] + 1)}
def fit(p, n, lr=0.01, beta=0.9):
    v = {"W": np.zeros(2), "b": 0.0}
    for i in range(n):
        g = grads(p)
        v = {k: beta * v[k] + (1 - beta) * g[k] for k in v}
        p = {k: p[k] - lr * v[k] for k in p}
    return p
p = fit({"W": np.zeros(2), "b": 0.0}, 12000)
print(p["W"][0], p["W"][1], p["b"])

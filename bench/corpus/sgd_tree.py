import numpy as np
X = np.arange(40).reshape(20, 2) / 40
y = X @ np.array([[2.0], [-1.0]]) + 0.5
p = {"W": np.zeros((2, 1)), "b": np.zeros((1, 1))}
v = {"W": np.zeros((2, 1)), "b": np.zeros((1, 1))}
lr = 0.1
beta = 0.9
for k in range(100_000):
    r = X @ p["W"] + p["b"] - y
    g = {"W": X.T @ r / 20, "b": r.sum() / 20}
    v = {"W": beta * v["W"] + g["W"], "b": beta * v["b"] + g["b"]}
    p = {"W": p["W"] - lr * v["W"], "b": p["b"] - lr * v["b"]}
print(p)

import numpy as np
p = {"W1": np.ones((5, 2)), "b1": np.zeros((5, 1)), "W2": np.ones((2, 5)), "b2": np.zeros((2, 1)),
     "W3": np.ones((1, 2)), "b3": np.zeros((1, 1))}
decay = 0.0001
for k in range(100_000):
    p = {name: w - decay * w for name, w in p.items()}
print(p["W1"].sum(), p["W3"].sum())

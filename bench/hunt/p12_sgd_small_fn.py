import numpy as np
def train(w, target, lr, n):
    for i in range(n):
        g = 2 * (w - target) + 0.1 * w
        w = w - lr * g
    return w
w = train(np.zeros(3), np.array([1.0, 2.0, 3.0]), 0.0005, 30000)
print(w[0], w[1], w[2])

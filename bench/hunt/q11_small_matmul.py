import math
import numpy as np
def power_iter(A, n):
    v = np.ones(4) / 2
    lam = 0
    for i in range(n):
        w = A @ v
        lam = np.dot(v, w)
        v = w / np.linalg.norm(w)
    return lam
def rot(th):
    return np.array([[math.cos(th), -math.sin(th)], [math.sin(th), math.cos(th)]])
total = 0
for k in range(300):
    A = np.array([[4, 1, 0, 0], [1, 3, 1, 0], [0, 1, 2, 1], [0, 0, 1, 1 + k * 0.01]])
    total += power_iter(A, 30)
R = np.eye(2)
for k in range(5000):
    R = R @ rot(0.001)
print(format(total, ".6f"), format(R[0, 0], ".6f"), format(R[1, 0], ".6f"))

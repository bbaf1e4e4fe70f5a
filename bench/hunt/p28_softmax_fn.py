import numpy as np
def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)
z = np.array([0.5, -1, 2, 0.1])
tot = 0.0
for i in range(15000):
    p = softmax(z * (1 + i * 0.0001))
    tot += -np.log(p[2])
print(float(tot))

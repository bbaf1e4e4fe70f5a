import numpy as np
def cos_sim(a, b):
    return np.sum(a * b) / (np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b)))
np.random.seed(0)
X = np.random.randn(6000, 4)
q = np.array([1, 0.5, -0.5, 2])
best = -2; besti = -1
for i in range(len(X)):
    c = cos_sim(X[i], q)
    if c > best:
        best = c; besti = i
print(besti, float(best))

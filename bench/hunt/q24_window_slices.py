import numpy as np
np.random.seed(11)
x = np.cumsum(np.random.randn(8000))
w = 8
best = -np.inf; besti = 0; acc = 0
for i in range(len(x) - w):
    win = x[i:i + w]
    m = win.mean()
    acc += win.max() - win.min()
    if m > best:
        best = m; besti = i
print(besti, format(best, ".6f"), format(acc, ".6f"))

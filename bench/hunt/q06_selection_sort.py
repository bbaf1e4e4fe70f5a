import numpy as np
np.random.seed(7)
a = np.random.rand(1200).tolist()
n = len(a)
swaps = 0
for i in range(n - 1):
    m = i
    for j in range(i + 1, n):
        if a[j] < a[m]:
            m = j
    if m != i:
        tmp = a[i]; a[i] = a[m]; a[m] = tmp; swaps += 1
print(swaps, format(a[0], ".8f"), format(a[600], ".8f"), format(a[-1], ".8f"))

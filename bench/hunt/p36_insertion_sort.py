import numpy as np
def isort(a):
    a = list(a)
    for i in range(1, len(a)):
        key = a[i]
        j = i - 1
        while j >= 0 and a[j] > key:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = key
    return a
np.random.seed(4)
x = np.random.rand(1400)
s = isort(x)
print(s[0], s[700], s[-1])

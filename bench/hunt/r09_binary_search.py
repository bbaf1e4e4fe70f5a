import numpy as np
def bsearch(t, x):
    lo = 0; hi = len(t) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        v = t[mid]
        if v == x:
            return mid
        if v < x:
            lo = mid + 1
        else:
            hi = mid - 1
    return lo
t = list(np.linspace(0, 100, 1001))
s = 0
for k in range(60000):
    s += bsearch(t, (k * 37) % 1013 * 0.0987)
print(s)

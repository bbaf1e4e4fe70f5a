import numpy as np
def find_first(t, x):
    for i in range(len(t)):
        if t[i] >= x:
            return i
    return -1
t = list(np.linspace(0, 1, 400))
s = 0
for k in range(8000):
    s += find_first(t, (k % 97) / 97)
print(s)

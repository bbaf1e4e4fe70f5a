import numpy as np
params = {"W1": np.ones((4, 3)), "b1": np.zeros(4), "W2": np.ones((2, 4)) * 0.5, "b2": np.array([0.1, -0.1])}
def summary(p):
    line = ""
    total = 0
    for k in p.keys():
        t = p[k]
        total += t.size
        line = line + k + "=" + str(t.size) + " "
    return line, total
chars = 0; cnt = 0
for i in range(40000):
    text, c = summary(params)
    chars += len(text); cnt += c
print(chars, cnt, summary(params)[0])

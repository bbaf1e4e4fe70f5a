import numpy as np
np.random.seed(42)
u = np.random.rand(200000)
i = 0
walks = 0; ups = 0; steps = 0
while i < len(u):
    pos = 0
    while pos > -10 and pos < 10 and i < len(u):
        if u[i] < 0.52:
            pos += 1
        else:
            pos -= 1
        i += 1
        steps += 1
    if pos >= 10:
        ups += 1
    walks += 1
print(walks, ups, format(steps / walks, ".4f"))

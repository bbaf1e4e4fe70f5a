import math
import numpy as np
def report(losses, lrs):
    out = format("epoch", ">6") + " " + format("loss", ">10") + " " + format("lr", ">9") + " " + format("note", "<8") + "\n"
    for i in range(len(losses)):
        note = ""
        if i > 0 and losses[i] > losses[i - 1]:
            note = "up"
        if i == np.argmin(losses):
            note = "best"
        out = out + format(i, ">6") + " " + format(losses[i], ">10.5f") + " " + format(lrs[i], ">9.2e") + " " + format(note, "<8") + "\n"
    return out
n = 40
losses = np.zeros(n); lrs = np.zeros(n)
for i in range(n):
    losses[i] = 1 / (1 + i) + 0.05 * math.sin(i * 1.3); lrs[i] = 0.1 * 0.9**i
total = 0
for rep in range(400):
    r = report(losses, lrs); total += len(r)
print(total)
print(r)

import math
def bucketize(n, nb):
    b = []
    for k in range(nb):
        b.append([])
    x = 11
    for i in range(n):
        x = (x * 1103 + 12345) % 32768
        k = math.floor(x * nb / 32768)
        b[k].append(x)
    return b
b = bucketize(40000, 8)
m = 0
for t in b:
    if len(t) > m:
        m = len(t)
logs = {"loss": [], "lr": []}
w = 4.0
for step in range(20000):
    lr = 0.05 / (1 + step / 5000)
    w -= lr * 2 * (w - 1)
    logs["loss"].append((w - 1) * (w - 1))
    logs["lr"].append(lr)
print(len(b), m, len(logs["loss"]), format(logs["lr"][-1], ".6f"))

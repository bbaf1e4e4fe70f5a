from math import sin
def train(steps):
    hist = {"loss": [], "lr": [], "best": 1e9}
    w = 5.0
    for t in range(steps):
        lr = 0.1 / (1 + t / 1000)
        g = 2 * (w - 3) + 0.5 * sin(t)
        w -= lr * g
        l = (w - 3) * (w - 3)
        hist["loss"].append(l)
        hist["lr"].append(lr)
        if l < hist["best"]:
            hist["best"] = l
    return hist
h = train(30000)
s = 0
for l in h["loss"]:
    s += l
print(len(h["loss"]), len(h["lr"]), format(s, ".6e"), format(h["best"], ".3e"))

import math
def adam_step(w, g, st, lr=0.001, b1=0.9, b2=0.999, eps=1e-8):
    t = st["t"] + 1
    m = b1 * st["m"] + (1 - b1) * g
    v = b2 * st["v"] + (1 - b2) * g * g
    mh = m / (1 - b1**t)
    vh = v / (1 - b2**t)
    return w - lr * mh / (math.sqrt(vh) + eps), {"t": t, "m": m, "v": v}
w = 5.0
st = {"t": 0, "m": 0.0, "v": 0.0}
for i in range(90000):
    w, st = adam_step(w, 2 * (w - 1), st, lr=0.01)
print(w, st["t"])

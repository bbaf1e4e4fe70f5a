# Running statistics kept in a labelled tuple, updated by a function (Welford's algorithm).
import math
def update(st, x):
    n = st["n"] + 1
    d = x - st["mean"]
    mean = st["mean"] + d / n
    m2 = st["m2"] + d * (x - mean)
    return {"n": n, "mean": mean, "m2": m2}
st = {"n": 0, "mean": 0.0, "m2": 0.0}
for i in range(400_000):
    st = update(st, math.sin(i * 0.37))
print(st["mean"], st["m2"] / st["n"])

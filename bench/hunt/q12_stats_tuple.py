import math
def stats(xs):
    s = 0
    for x in xs:
        s += x
    m = s / len(xs)
    ss = 0
    for x in xs:
        ss += (x - m) ** 2
    return {"mean": m, "var": ss / (len(xs) - 1)}
def outliers(xs, z):
    st = stats(xs)
    sd = math.sqrt(st["var"])
    c = 0
    for x in xs:
        if abs(x - st["mean"]) > z * sd:
            c += 1
    return c
data = []
x = 0.3
for i in range(200):
    x = 3.9 * x * (1 - x); data.append(x * 10 + i * 0.01)
data = tuple(data)
tot = 0; vs = 0
for k in range(1500):
    tot += outliers(data, 1 + k * 0.005); vs += stats(data)["var"]
print(tot, format(vs, ".6f"))

import math
def best_slope(xs, ys, lo, hi, n):
    def loss(a):
        s = 0
        for i in range(len(xs)):
            e = a * xs[i] - ys[i]; s += e * e
        return s
    best = math.inf; besta = lo
    for k in range(n + 1):
        a = lo + (hi - lo) * k / n
        l = loss(a)
        if l < best:
            best = l; besta = a
    return besta, best
xs = []; ys = []
for i in range(60):
    x = i * 0.1; xs.append(x); ys.append(2.5 * x + math.sin(i))
tot = 0
for rep in range(60):
    a, l = best_slope(xs, ys, 0, 5, 400 + rep % 7)
    tot += a
print(format(tot, ".6f"), format(l, ".6f"))

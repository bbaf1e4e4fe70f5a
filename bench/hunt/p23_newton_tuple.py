def newton_sqrt(a, tol=1e-12):
    x = a
    it = 0
    while abs(x * x - a) > tol * a:
        x = 0.5 * (x + a / x)
        it += 1
    return x, it
s = 0.0; its = 0
for i in range(1, 60001):
    root, n = newton_sqrt(i * 0.37)
    s += root; its += n
print(s, its)

def make_poly(c):
    def p(x):
        acc = 0
        for k in range(len(c)):
            acc = acc * x + c[k]
        return acc
    return p
polys = (make_poly([1, -2, 0.5]), make_poly([0.1, 0, -1, 2]), make_poly([3, 1]), make_poly([-0.5, 0.25, 1, 0, 2]))
total = 0
for i in range(45000):
    x = i * 0.0001
    for p in polys:
        total += p(x)
print(format(total, ".6f"))

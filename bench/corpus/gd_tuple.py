p = (3.0, -2.0)
lr = 0.01
for k in range(1_000_000):
    gx = 2 * p[0] + p[1]
    gy = p[0] + 4 * p[1] - 1
    p = (p[0] - lr * gx, p[1] - lr * gy)
print(p)

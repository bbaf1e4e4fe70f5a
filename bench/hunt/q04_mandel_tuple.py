def cmul(a, b):
    return (a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0])
def cadd(a, b):
    return (a[0] + b[0], a[1] + b[1])
def abs2(a):
    return a[0] * a[0] + a[1] * a[1]
def escape(c, limit):
    z = (0.0, 0.0)
    n = 0
    while n < limit:
        z = cadd(cmul(z, z), c)
        if abs2(z) > 4:
            break
        n += 1
    return n
total = 0
for i in range(100):
    for j in range(75):
        total += escape((-2 + i * 0.026, -1 + j * 0.028), 50)
print(total)

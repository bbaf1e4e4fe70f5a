import math
def newton_sqrt(a):
    x = a
    if x < 1:
        x = 1
    while True:
        y = 0.5 * (x + a / x)
        if abs(y - x) <= 1e-12 * y:
            return y
        x = y

worst = 0.0
for i in range(1, 200_001):
    a = i * 0.37
    e = abs(newton_sqrt(a) - math.sqrt(a))
    if e > worst:
        worst = e
print(worst)

import math
def ewa(n, b):
    v = 0.0
    bt = 1.0
    s = 0.0
    for t in range(n):
        x = math.sin(t * 0.001)
        v = b * v + (1 - b) * x
        bt = bt * b
        s = s + v / (1 - bt)
    return v, s

total = 0.0
for k in range(20):
    v, s = ewa(100_000, 0.9)
    total += s + v
print(total)

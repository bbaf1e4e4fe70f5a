import math
def run(n):
    b = 0.9; v = 0.0; bt = 1.0; s = 0.0; t = 0
    while t < n:
        x = math.sin(t * 0.001)
        v = b * v + (1 - b) * x
        bt = bt * b
        s = s + v / (1 - bt)
        t += 1
    return s
print(run(10_000_000))

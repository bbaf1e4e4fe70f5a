# A clamp built from min/max/abs on numbers, used in a loop inside a function.
import math
def clamp(x, lo, hi):
    return min(max(x, lo), hi)
def run(n):
    s = 0.0
    for i in range(n):
        s += clamp(3 * math.sin(i * 0.01), -1, 1) + abs(math.cos(i * 0.02))
    return s
print(run(250_000))

import math
def cosine(lr, t_max, e):
    return 0.0 + (lr - 0.0) * (1 + math.cos(math.pi * e / t_max)) / 2
def total_lr(lr, t_max, n):
    tot = 0.0
    for e in range(n):
        tot += cosine(lr, t_max, e)
    return tot
t = 0.0
for r in range(260):
    t += total_lr(0.1, 1000, 1000)
print(t)

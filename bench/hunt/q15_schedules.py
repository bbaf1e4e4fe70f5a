import math, bisect
def step_lr(lr, step_size, gamma=0.1):
    return lambda e: lr * gamma ** (e // step_size)
def exponential_lr(lr, gamma):
    return lambda e: lr * gamma ** e
def warmup_cosine(lr, warmup, total, eta_min=0.0):
    def f(e):
        if e < warmup:
            return lr * e / warmup
        if e <= total:
            return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (e - warmup) / (total - warmup))) / 2
        return eta_min
    return f
def multistep_lr(lr, milestones, gamma=0.1):
    return lambda e: lr * gamma ** bisect.bisect_right(milestones, e)
s1 = step_lr(0.1, 30, gamma=0.5)
s2 = exponential_lr(0.1, 0.99)
s3 = warmup_cosine(0.1, 50, 500)
s4 = multistep_lr(0.1, (100, 250, 400), gamma=0.2)
t1 = 0; t2 = 0; t3 = 0; t4 = 0
for rep in range(200):
    for e in range(500):
        t1 += s1(e); t2 += s2(e); t3 += s3(e); t4 += s4(e)
print(format(t1, ".6f"), format(t2, ".6f"), format(t3, ".6f"), format(t4, ".6f"))

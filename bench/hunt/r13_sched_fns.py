import math
def step_decay(e, lr0=0.1):
    return lr0 * 0.5**math.floor(e / 30)
def exp_decay(e, lr0=0.1):
    return lr0 * math.exp(-0.01 * e)
def cosine(e, lr0=0.1, total=300):
    if e >= total:
        return 0
    return 0.5 * lr0 * (1 + math.cos(math.pi * e / total))
def with_warmup(f, warm):
    def g(e):
        if e < warm:
            return f(warm) * (e + 1) / warm
        return f(e)
    return g
scheds = {"step": with_warmup(step_decay, 10), "exp": with_warmup(exp_decay, 5), "cos": with_warmup(cosine, 20)}
for nm in scheds:
    s = scheds[nm]
    total = 0; peak = 0; peak_e = 0
    for rep in range(400):
        for e in range(300):
            lr = s(e)
            total += lr
            if lr > peak:
                peak = lr; peak_e = e
    print(nm, format(total, ".6f"), peak_e)

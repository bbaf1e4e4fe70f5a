def make_decay(lr0, k):
    return lambda t: lr0 / (1 + k * t)

def make_warmup(sched, steps):
    return lambda t: if_warm(t, steps) * sched(t)

def if_warm(t, steps):
    if t < steps:
        return (t + 1) / steps
    return 1

sched = make_warmup(make_decay(0.1, 0.01), 100)
w = 5.0
for t in range(300_000):
    w = w - sched(t) * 2 * w
print(w)

def warmup_lr(step, base=0.1, warm=200, lo=0.001):
    if step < warm:
        return base * (step + 1) / warm
    return max(lo, base * 0.5 ** ((step - warm) / 1000))
def penalty(w, l2=0.0, l1=0.0):
    return l2 * w * w + l1 * abs(w)
def dpenalty(w, l2=0.0, l1=0.0):
    return 2 * l2 * w + l1 * ((w > 0) - (w < 0))
def step(w, g, lr, momentum=0.0, v=0.0):
    v = momentum * v + g
    return {"w": w - lr * v, "v": v}
def train(n, l2=0.01):
    w = 4.0; v = 0.0; loss = 0
    for i in range(n):
        lr = warmup_lr(i, base=0.05)
        g = 2 * (w - 1) + dpenalty(w, l2=l2, l1=0.001)
        r = step(w, g, lr, momentum=0.9, v=v)
        w = r["w"]; v = r["v"]
        loss = (w - 1) ** 2 + penalty(w, l2=l2, l1=0.001)
    return {"w": w, "loss": loss}
r = train(80000)
print(format(r["w"], ".8f"), format(r["loss"], ".8f"))

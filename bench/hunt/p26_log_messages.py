def train(n):
    w = 4.0
    log = []
    for i in range(n):
        loss = (w - 1) ** 2
        w = w - 0.001 * 2 * (w - 1)
        if i % 50 == 0:
            log.append(f"step {i}: loss={format(loss, '.6f')} w={format(w, '.4f')}")
    return w, log
w, log = train(400000)
chars = 0
for m in log:
    chars += len(m)
print(w, len(log), chars)
print(log[-1])

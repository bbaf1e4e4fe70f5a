def label(step, loss):
    return f"step {step}: loss {loss:.4f}"

n = 0
loss = 1.0
for k in range(100_000):
    loss = loss * 0.99999
    n += len(label(k, loss))
print(n)

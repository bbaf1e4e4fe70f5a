# A training function that logs the loss every 1000 steps with interpolation.
def train(n, lr):
    w = 5.0
    loss = 0.0
    for t in range(n):
        loss = (w - 1) ** 2
        w = w - lr * 2 * (w - 1)
        if t % 1000 == 0:
            print(f"step {t}: loss {loss}")
    return loss
print(train(800_000, 0.00001))

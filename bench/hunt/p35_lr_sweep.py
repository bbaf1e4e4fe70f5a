import math
def final_loss(lr, steps):
    w = 5.0
    for i in range(steps):
        w = w - lr * (2 * w - 2 + 0.3 * math.sin(w))
    return (w - 1) ** 2
best = math.inf; best_lr = 0
for lr in (0.001, 0.003, 0.01, 0.03, 0.1, 0.3):
    l = final_loss(lr, 100000)
    if l < best:
        best = l; best_lr = lr
print(best_lr, best)

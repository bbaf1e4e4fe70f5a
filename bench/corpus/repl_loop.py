results = []
for lr in [0.001, 0.01, 0.05, 0.1, 0.2, 0.4]:
    w = 5.0
    losses = 0.0
    for k in range(500_000):
        g = 2 * (w - 1)
        w = w - lr * g
        losses += (w - 1) ** 2
    results.append({"lr": lr, "w": w, "area": losses})
for r in results:
    print(f"lr {r['lr']}: w {r['w']:.4f}, area {r['area']:.3f}")

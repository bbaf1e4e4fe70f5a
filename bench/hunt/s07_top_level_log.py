def log_loss(hist, l):
    hist.append(l)
    return hist
def step(w, lr):
    g = 2 * (w - 3)
    w = w - lr * g
    return (w, (w - 3) ** 2)
w = 0.0
losses = []
run = {"name": "sgd", "ws": []}
for t in range(40000):
    r = step(w, 0.0001)
    w = r[0]
    losses = log_loss(losses, r[1])
    ws = run["ws"]
    ws.append(w)
    run["ws"] = ws
print(len(losses), len(run["ws"]), format(losses[-1], ".6e"), format(w, ".6f"))

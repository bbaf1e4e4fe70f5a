def history(w, lr, n):
    out = []
    for i in range(n):
        loss = (w - 3) ** 2
        out.append(loss)
        w = w - lr * 2 * (w - 3)
    return out
h = history(10.0, 0.001, 200000)
print(len(h), h[0], h[-1], sum(h))

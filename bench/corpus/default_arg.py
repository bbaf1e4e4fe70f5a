# A step function with default and labelled arguments, called both ways in a loop.
def step(w, g, lr=0.1, decay=0.0):
    return w - lr * (g + decay * w)
w = 5.0
u = 5.0
for k in range(300_000):
    w = step(w, 2 * (w - 1))
    u = step(u, 2 * (u - 1), lr=0.01, decay=0.001)
print(w, u)

import math
def f(w):
    return w**4 - 3 * w**2 + w
def df(w):
    return 4 * w**3 - 6 * w + 1
def descend(w, lr, tol=1e-10, max_iter=5000):
    it = 0
    prev = f(w)
    delta = math.inf
    while it < max_iter and abs(delta) > tol and abs(w) < 1e6:
        w = w - lr * df(w)
        cur = f(w)
        delta = prev - cur
        prev = cur
        it += 1
    return w, it
total_it = 0; acc = 0
for k in range(800):
    w, iters = descend(-2 + k * 0.005, 0.001 + (k % 5) * 0.002)
    total_it += iters
    acc += w
print(total_it, format(acc, ".6f"))

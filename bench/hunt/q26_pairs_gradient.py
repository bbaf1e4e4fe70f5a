# fit y = w*x + b by gradient descent over a tuple of 200 (x, y) pairs, the gradient in a function
import math
data = []
for i in range(200):
    x = i * 0.01; data.append((x, 3 * x + 1 + math.sin(i) * 0.1))
def loss_grad(w, b, pts):
    gw = 0; gb = 0; l = 0
    for p in pts:
        e = w * p[0] + b - p[1]
        l += e * e; gw += 2 * e * p[0]; gb += 2 * e
    n = len(pts)
    return dict(l=l / n, gw=gw / n, gb=gb / n)
w = 0; b = 0
for epoch in range(500):
    r = loss_grad(w, b, data)
    w -= 0.1 * r["gw"]; b -= 0.1 * r["gb"]
print(format(w, ".6f"), format(b, ".6f"))

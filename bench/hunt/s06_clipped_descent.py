from math import sin
w = 5.0
lr = 0.01
clipped = 0
for t in range(300000):
    g = 2 * (w - 3) + sin(t)
    if abs(g) > 1:
        clipped += 1
    g = min(max(g, -1), 1)
    w -= lr * g
print(format(w, ".6f"), clipped)

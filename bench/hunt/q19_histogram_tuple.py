hist = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
x = 12345
for i in range(400000):
    x = (x * 75 + 74) % 65537
    b = x * 10 // 65537
    hist[b] += 1
best = 0
for k in range(10):
    if hist[k] > hist[best]:
        best = k
print(tuple(hist), best)

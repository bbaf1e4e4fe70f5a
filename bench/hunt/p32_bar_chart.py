def bar(v, width):
    n = round(v * width)
    s = ""
    for i in range(n):
        s = s + "#"
    return s
chars = 0
for rep in range(400):
    for e in range(100):
        b = bar(1 / (1 + 0.05 * e), 40)
        chars += len(b)
print(chars, bar(0.25, 40))

def pad_left(s, n):
    while len(s) < n:
        s = " " + s
    return s
total = 0
for i in range(100000):
    t = pad_left(str(i % 997), 8)
    total += len(t)
print(total, "[" + pad_left("42", 6) + "]")

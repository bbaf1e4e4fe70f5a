count = 0; total = 0
for i in range(1, 120000):
    s = str(i)
    r = ""
    for ch in s:
        r = ch + r
    if r == s:
        count += 1; total += i
print(count, total)

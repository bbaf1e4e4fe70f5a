def spf(n):
    found = False
    d = 2
    while d * d <= n:
        if n % d == 0:
            found = True
            break
        d += 1
    if found:
        return d
    return n
s = 0
for n in range(2, 60000):
    s += spf(n)
print(s)

def steps(n):
    k = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        k += 1
    return k

best = 0
arg = 0
for n in range(1, 150_000):
    s = steps(n)
    if s > best:
        best = s
        arg = n
print(arg, best)

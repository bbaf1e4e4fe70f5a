# A recursive function returning a tuple: Fibonacci pairs, computed many times.
def fp(n):
    if n == 0:
        return (0, 1)
    p = fp(n - 1)
    return (p[1], p[0] + p[1])
s = 0
for k in range(30000):
    s += fp(40)[0] % 7
print(s)

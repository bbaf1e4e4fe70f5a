P = 1000003
def fib_pair(n):
    if n == 0:
        return (0, 1)
    a, b = fib_pair(n // 2)
    c = a * ((2 * b - a + P) % P) % P
    d = (a * a + b * b) % P
    if n % 2 == 0:
        return (c, d)
    return (d, (c + d) % P)
def fib_loop(n):
    a = 0; b = 1
    for i in range(n):
        t = (a + b) % P; a = b; b = t
    return a
s = 0; agree = 0
for n in range(9000):
    f = fib_pair(n * 7)[0]
    s = (s + f) % P
    if n < 300 and f == fib_loop(n * 7):
        agree += 1
print(s, agree)

def cons(h, t): return (h, t)
def build(n):
    l = None
    for i in range(n):
        l = cons(i * 0.5, l)
    return l
def length(l):
    n = 0
    while l is not None:
        n += 1; l = l[1]
    return n
def total(l):
    if l is None:
        return 0
    return l[0] + total(l[1])
s = 0.0; n = 0
for r in range(200):
    l = build(800)
    n += length(l)
    s += total(l)
print(n, s)

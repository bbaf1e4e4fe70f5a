def gcd(a, b):
    while b != 0:
        t = a % b; a = b; b = t
    return a
def phi(n):
    result = n; p = 2; m = n
    while p * p <= m:
        if m % p == 0:
            while m % p == 0:
                m = m // p
            result -= result // p
        p += 1
    if m > 1:
        result -= result // m
    return result
coprime = 0
for a in range(1, 301):
    for b in range(1, 301):
        if gcd(a, b) == 1:
            coprime += 1
tot = 0
for n in range(1, 20001):
    tot += phi(n)
print(coprime, tot)

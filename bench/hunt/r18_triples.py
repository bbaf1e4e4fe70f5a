import math
def gcd(a, b):
    while b != 0:
        t = a % b; a = b; b = t
    return a
limit = 1000
count = 0; perim = 0
for a in range(1, limit):
    for b in range(a + 1, limit):
        c2 = a * a + b * b
        if c2 > limit * limit:
            break
        c = math.floor(math.sqrt(c2))
        if c * c != c2:
            continue
        if gcd(a, b) != 1:
            continue
        count += 1
        perim += a + b + c
print(count, perim)

h = 0.0
q = 0.0
for k in range(1, 5_000_001):
    h += 1 / k
    q += (-1) ** (k + 1) / (2 * k - 1)
print(h, 4 * q)

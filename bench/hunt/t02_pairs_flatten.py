def flatten_points(pts):
    flat = []
    for p in pts:
        flat.append(p[0]); flat.append(p[1])
    return flat
n = 12000
pts = []
for i in range(n):
    pts.append((i % 17, (i * 3) % 23))
f = flatten_points(pts)
print(len(f), sum(f), f[7])

def merge(a, b):
    out = []
    i = 0; j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i]); i += 1
        else:
            out.append(b[j]); j += 1
    while i < len(a):
        out.append(a[i]); i += 1
    while j < len(b):
        out.append(b[j]); j += 1
    return out
def msort(t):
    if len(t) <= 1:
        return t
    mid = len(t) // 2
    return merge(msort(t[0:mid]), msort(t[mid:]))
data = []
x = 1
for i in range(6000):
    x = (x * 75 + 74) % 65537; data.append(x)
s = 0
for rep in range(6):
    r = msort(data)
    s += r[0] + r[3000] + r[-1]
print(s, len(r))

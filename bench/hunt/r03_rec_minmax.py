def mms(t, lo, hi):
    if hi - lo == 1:
        return (t[lo], t[lo], t[lo])
    mid = (lo + hi) // 2
    a = mms(t, lo, mid)
    b = mms(t, mid, hi)
    return (min(a[0], b[0]), max(a[1], b[1]), a[2] + b[2])
data = []
x = 7
for i in range(2000):
    x = (x * 1103 + 12345) % 32768; data.append(x)
s = 0
for rep in range(100):
    r = mms(data, rep % 12, len(data))
    s += r[0] + r[1] + r[2]
print(s)

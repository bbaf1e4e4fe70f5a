def heap_push(h, size, x):
    h[size] = x
    i = size
    while i > 0:
        p = (i - 1) // 2
        if h[p] <= h[i]: break
        tmp = h[p]; h[p] = h[i]; h[i] = tmp
        i = p
    return h
def heap_pop(h, size):
    top = h[0]
    size -= 1
    h[0] = h[size]
    i = 0
    while True:
        l = 2 * i + 1; r = l + 1; m = i
        if l < size and h[l] < h[m]: m = l
        if r < size and h[r] < h[m]: m = r
        if m == i: break
        tmp = h[m]; h[m] = h[i]; h[i] = tmp
        i = m
    return (top, h)
n = 20000
h = [0] * n
x = 1
for k in range(n):
    x = (x * 48271) % 2147483647; h = heap_push(h, k, x % 100000)
prev = -1; ok = True; s = 0
for k in range(n):
    r = heap_pop(h, n - k)
    h = r[1]
    if r[0] < prev: ok = False
    prev = r[0]; s += r[0]
print("true" if ok else "false", s, prev)

def bubble(t):
    t = list(t)
    n = len(t)
    swapped = True
    while swapped:
        swapped = False
        for i in range(n - 1):
            if t[i] > t[i + 1]:
                tmp = t[i]; t[i] = t[i + 1]; t[i + 1] = tmp
                swapped = True
        n -= 1
    return t
data = []
x = 3
for i in range(1500):
    x = (x * 171) % 30269; data.append(x / 30269)
s = bubble(data)
print(format(s[0], ".8f"), format(s[750], ".8f"), format(s[-1], ".8f"))

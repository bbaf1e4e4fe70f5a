n = 200000
flags = [1] * n
flags[0] = 0; flags[1] = 0
p = 2
while p * p < n:
    if flags[p] == 1:
        m = p * p
        while m < n:
            flags[m] = 0; m += p
    p += 1
count = 0; twins = 0
for i in range(2, n - 2):
    if flags[i] == 0:
        continue
    count += 1
    if flags[i + 2] == 1:
        twins += 1
print(count, twins)

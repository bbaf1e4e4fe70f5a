def row(epoch, loss, acc, name):
    return f"{epoch},{name},{format(loss, '.5f')},{format(acc, '.3f')}"
total = 0
last = ""
for e in range(60000):
    line = row(e, 1 / (1 + e), 1 - 1 / (2 + e), "adam")
    total += len(line)
    last = line
print(total)
print(last)

total = 0
last = ""
for step in range(30000):
    loss = 2.5 / (1 + 0.01 * step)
    lr = 0.1 * 0.999 ** step
    line = format(step, "6.0f") + " | " + format(loss, ".4f") + " | " + format(lr, ".3e") + " | " + format(step / 30000, ".1%")
    total += len(line)
    last = line
print(total)
print(last)

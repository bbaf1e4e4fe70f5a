total = 0
for r in range(10):
    line = ""
    for i in range(20_000):
        line += f"{i * r},"
    total += len(line)
print(total)

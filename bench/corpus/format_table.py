def row(k, lr, loss, acc):
    return f"| {k} | {lr:.0e} | {loss:.5f} | {acc * 100:.1f}% |"

report = ""
lines = 0
for k in range(60_000):
    lr = 0.1 / (1 + k)
    report = row(k, lr, 1 / (k + 1), 1 - 1 / (k + 2))
    lines += len(report)
print(lines, report)

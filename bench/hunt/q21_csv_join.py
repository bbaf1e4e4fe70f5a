def csv_line(vals):
    line = ""
    for j in range(len(vals)):
        if j > 0:
            line = line + ","
        line = line + str(vals[j])
    return line
total = 0; last = ""
for r in range(36000):
    row = (r, r + 0.5, 1 / (r + 3), (r % 7) + 0.25, -0.1 * r - 0.05)
    last = csv_line(row)
    total += len(last)
print(total)
print(last)

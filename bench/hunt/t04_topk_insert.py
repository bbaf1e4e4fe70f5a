def insert_top(top, item, k):
    out = []
    placed = False
    for t in top:
        if not placed and item[0] > t[0]:
            out.append(item); placed = True
        if len(out) < k:
            out.append(t)
    if not placed and len(out) < k:
        out.append(item)
    return out
top = []
x = 9
for i in range(80000):
    x = (x * 1597 + 51749) % 244944
    top = insert_top(top, (x, f"run{i}"), 10)
print(len(top), '(%d, "%s")' % top[0], top[9][0])

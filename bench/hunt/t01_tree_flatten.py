def build(lo, hi):
    if hi - lo == 1: return ("leaf", lo % 7)
    mid = (lo + hi) // 2
    return ("node", build(lo, mid), build(mid, hi))
def total(t):
    if t[0] == "leaf": return t[1]
    return total(t[1]) + total(t[2])
def depth(t):
    if t[0] == "leaf": return 0
    return 1 + max(depth(t[1]), depth(t[2]))
def flatten(t, acc):
    if t[0] == "leaf":
        acc.append(t[1]); return acc
    return flatten(t[2], flatten(t[1], acc))
d = 20000
t = build(0, d)
leaves = flatten(t, [])
print(total(t), depth(t), len(leaves), leaves[5])

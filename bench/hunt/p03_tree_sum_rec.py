def build(d, v):
    if d == 0:
        return (v, None, None)
    return (v, build(d - 1, 2 * v), build(d - 1, 2 * v + 1))
def tsum(t):
    if t is None:
        return 0
    return t[0] + tsum(t[1]) + tsum(t[2])
def depth(t):
    if t is None:
        return 0
    return 1 + max(depth(t[1]), depth(t[2]))
tree = build(11, 1)
s = 0
for k in range(100):
    s += tsum(tree)
print(s, depth(tree))

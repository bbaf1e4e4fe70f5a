# map over a small tuple of numbers with a closure, once per step. (the Python twin of map_small.opt)
def run(n):
    p = (1.0, 2.0, 3.0)
    s = 0
    for t in range(n):
        q = tuple(map(lambda x: x * 0.5, p))
        s = s + q[0]
    return s
print(run(400_000))

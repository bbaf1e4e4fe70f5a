# Indexing tuples by a number in a loop: unlabelled, labelled, computed and negative indices. (the Python twin of tuple_index.opt)
def run(n):
    p = (1.5, 2.5)
    lrs = (0.1, 0.2, 0.3, 0.4, 0.5)
    q = (0.1, 0.9)
    s = 0
    for t in range(n):
        s = s + p[0] * p[1] + lrs[t % 5] + q[-1]
    return s
print(run(400_000))

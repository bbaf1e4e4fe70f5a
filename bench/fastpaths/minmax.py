# Two-argument min and max of numbers in a loop (a clamp written by hand). (the Python twin of minmax.opt)
def run(n):
    s = 0
    for t in range(n):
        x = t * 0.001 - 200
        s = s + max(min(x, 1), -1)
    return s
print(run(400_000))

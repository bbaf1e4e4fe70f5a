import math
def simpson(f, a, b):
    return (b - a) / 6 * (f(a) + 4 * f((a + b) / 2) + f(b))
def adapt(f, a, b, whole, tol, depth):
    m = (a + b) / 2
    left = simpson(f, a, m)
    right = simpson(f, m, b)
    if depth <= 0 or abs(left + right - whole) <= 15 * tol:
        return left + right + (left + right - whole) / 15
    return adapt(f, a, m, left, tol / 2, depth - 1) + adapt(f, m, b, right, tol / 2, depth - 1)
def integrate(f, a, b, tol=1e-9):
    return adapt(f, a, b, simpson(f, a, b), tol, 40)
fns = (lambda x: math.exp(-x * x), lambda x: math.sin(x) / (1 + x * x), lambda x: math.sqrt(abs(x)), lambda x: 1 / (1 + math.exp(-4 * x)))
total = 0
for rep in range(40):
    for f in fns:
        total += integrate(f, -3, 3 + rep * 0.01)
print(format(total, ".10f"))

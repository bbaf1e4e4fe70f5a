import math
# The same steps written out as a Python user would: the derivative and momentum by hand.
def f(x):
    return (x - 3) ** 2 + math.sin(3 * x)

def df(x):
    return 2 * (x - 3) + 3 * math.cos(3 * x)

x = 0.0
v = 0.0
lr, beta = 0.01, 0.9
for k in range(100_000):
    v = beta * v + (1 - beta) * df(x)
    x = x - lr * v
print(x, f(x))

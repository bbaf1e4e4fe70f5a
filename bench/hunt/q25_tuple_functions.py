# normalize a tuple of numbers, then its argmax and its dot product with the data, in functions
import math
def mean(xs):
    s = 0
    for x in xs: s += x
    return s / len(xs)
def normalize(xs):
    m = mean(xs)
    v = 0
    for x in xs: v += (x - m) ** 2
    sd = math.sqrt(v / len(xs))
    out = []
    for x in xs: out.append((x - m) / sd)
    return out
def argmax(xs):
    best = 0
    for i in range(len(xs)):
        if xs[i] > xs[best]: best = i
    return best
def dot(a, b):
    s = 0
    for i in range(len(a)): s += a[i] * b[i]
    return s
data = []
x = 0.3
for i in range(1000):
    x = 3.9 * x * (1 - x); data.append(x)
t = 0
for rep in range(300):
    z = normalize(data)
    t += argmax(z) + dot(z, data)
print(t)

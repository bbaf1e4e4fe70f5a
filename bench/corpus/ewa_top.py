import math
b = 0.9
v = 0.0
bt = 1.0
s = 0.0
t = 0
while t < 1_000_000:
    x = math.sin(t * 0.001)
    v = b * v + (1 - b) * x
    bt = bt * b
    s = s + v / (1 - bt)
    t += 1
print(s)

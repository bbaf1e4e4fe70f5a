def scaler(a): return lambda x: a * x
def shifter(b): return lambda x: x + b
def compose(f, g): return lambda x: f(g(x))
h = compose(scaler(0.5), compose(shifter(1), scaler(3)))
s = 0.0
for i in range(200000):
    s += h(i * 0.001)
print(s)

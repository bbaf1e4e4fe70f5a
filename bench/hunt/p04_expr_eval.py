def num(x): return {"op": "num", "v": x, "a": None, "b": None}
def node(op, a, b): return {"op": op, "v": 0, "a": a, "b": b}
def ev(e, x):
    if e["op"] == "num": return e["v"]
    if e["op"] == "x": return x
    a = ev(e["a"], x)
    b = ev(e["b"], x)
    if e["op"] == "+": return a + b
    if e["op"] == "*": return a * b
    if e["op"] == "-": return a - b
    return a / b
X = {"op": "x", "v": 0, "a": None, "b": None}
e = node("/", node("-", node("+", node("*", X, X), node("*", num(3), X)), num(2)), node("+", X, num(1)))
s = 0.0
for i in range(40000):
    s += ev(e, i * 0.01)
print(s)

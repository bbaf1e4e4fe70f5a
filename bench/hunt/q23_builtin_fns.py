import math
def sigmoid(x):
    return 1 / (1 + math.exp(-x))
def relu(x):
    return max(x, 0.0)
def softplus(x):
    return math.log1p(math.exp(x))
acts = {"tanh": math.tanh, "sigmoid": sigmoid, "relu": relu, "softplus": softplus, "sin": math.sin}
def integrate(f, lo, hi, n):
    h = (hi - lo) / n
    s = 0.5 * (f(lo) + f(hi))
    for i in range(1, n):
        s += f(lo + i * h)
    return s * h
for k in acts:
    print(k, format(integrate(acts[k], -3, 3, 100000), ".6f"))

import math
def sgd_rule(w, g, s, lr):
    return w - lr * g, s
def momentum_rule(w, g, s, lr):
    v = 0.9 * s[0] + g
    return w - lr * v, (v, s[1])
def rmsprop_rule(w, g, s, lr):
    sq = 0.9 * s[1] + 0.1 * g * g
    return w - lr * g / (math.sqrt(sq) + 1e-8), (s[0], sq)
def train(rule, lr, steps=5000):
    w = 2.5; s = (0, 0)
    for i in range(steps):
        g = 4 * w**3 - 4 * w + 0.5
        w, s = rule(w, g, s, lr)
    return w
rules = {"sgd": sgd_rule, "momentum": momentum_rule, "rmsprop": rmsprop_rule}
for nm in rules:
    print(nm, format(train(rules[nm], 0.005, steps=100000), ".8f"))

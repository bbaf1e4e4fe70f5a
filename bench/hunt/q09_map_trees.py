params = {"w1": 0.5, "w2": -1.5, "w3": 2.0, "b": 0.1}
scales = {"w1": 1.0, "w2": 2.0, "w3": 0.5, "b": 1.0}
lr = 0.01
upd = lambda p, g, s: p - lr * s * g
for it in range(60000):
    grads = {k: 2 * p - 0.5 + 0.1 * p * p for k, p in params.items()}
    params = {k: upd(params[k], grads[k], scales[k]) for k in params}
print(format(params["w1"], ".8f"), format(params["w2"], ".8f"), format(params["w3"], ".8f"), format(params["b"], ".8f"))

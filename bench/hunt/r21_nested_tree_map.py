def tree_map(f, *trees):
    if isinstance(trees[0], dict):
        return {k: tree_map(f, *[t[k] for t in trees]) for k in trees[0]}
    return f(*trees)
params = {"enc": {"W": 0.5, "b": 0.1, "gain": 1.0}, "dec": {"W": -0.3, "b": 0.0, "gain": 1.0}, "head": {"W": 0.8, "b": -0.2, "gain": 2.0}}
vel = tree_map(lambda p: 0, params)
lr = 0.01; wd = 0.001
for it in range(5000):
    grads = tree_map(lambda p: 2 * (p - 0.25) + 0.1 * p * p, params)
    vel = tree_map(lambda v, g: 0.9 * v + g, vel, grads)
    params = tree_map(lambda p, v: p * (1 - lr * wd) - lr * v, params, vel)
print(format(params["enc"]["W"], ".8f"), format(params["dec"]["b"], ".8f"), format(params["head"]["gain"], ".8f"))

cfgs = {"sgd": {"lr": 0.1, "beta": 0.0, "decay": 0.0}, "momentum": {"lr": 0.05, "beta": 0.9, "decay": 0.0}, "heavy": {"lr": 0.02, "beta": 0.95, "decay": 0.001}}
def run(name, steps):
    c = cfgs[name]
    w = 3.0; v = 0.0
    for i in range(steps):
        g = 2 * (w - 1) + c["decay"] * w
        v = c["beta"] * v + g
        w = w - c["lr"] * v
    return w
names = list(cfgs.keys())
res = []
for nm in names:
    res.append(run(nm, 150000))
for i in range(len(names)):
    print(names[i], format(res[i], ".8f"))

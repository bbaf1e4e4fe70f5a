import math
cfg = {"model": {"init": 3.0, "scale": 2.0}, "opt": {"lr": 0.01, "beta": 0.9}, "data": {"n": 240000, "noise": 0.1}, "name": "run1"}
def train(cfg):
    w = cfg["model"]["init"]; v = 0
    for i in range(cfg["data"]["n"]):
        g = cfg["model"]["scale"] * (w - 1) + cfg["data"]["noise"] * math.sin(i * 0.1)
        v = cfg["opt"]["beta"] * v + (1 - cfg["opt"]["beta"]) * g
        w = w - cfg["opt"]["lr"] * v
    return w
print(cfg["name"], format(train(cfg), ".8f"))

# Hyper-parameters passed to a training function as one labelled tuple.
def train(cfg):
    w = cfg["w0"]
    v = 0.0
    for t in range(cfg["steps"]):
        g = w - cfg["target"]
        v = cfg["beta"] * v + (1 - cfg["beta"]) * g
        w = w - cfg["lr"] * v
    return w
cfg = {"lr": 0.001, "beta": 0.9, "steps": 1_200_000, "w0": 5.0, "target": 1.0}
print(train(cfg))

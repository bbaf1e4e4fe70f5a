# A training function configured by one dict (numbers, a target list, a run name), returning the run's record.
def train(cfg):
    x = cfg["start"][0]
    y = cfg["start"][1]
    vx = 0.0
    vy = 0.0
    for step in range(cfg["steps"]):
        gx = 2 * (x - cfg["target"][0])
        gy = 20 * (y - cfg["target"][1])
        vx = cfg["beta"] * vx + gx
        vy = cfg["beta"] * vy + gy
        x = x - cfg["lr"] * vx
        y = y - cfg["lr"] * vy
    return {"name": cfg["name"], "final": [x, y], "loss": (x - cfg["target"][0]) ** 2 + 10 * (y - cfg["target"][1]) ** 2}

cfg = {"lr": 0.01, "beta": 0.9, "steps": 300_000, "start": [-3.0, 2.0], "target": [1.0, -1.0], "name": "momentum"}
run = train(cfg)
print(run["name"], run["final"], run["loss"])

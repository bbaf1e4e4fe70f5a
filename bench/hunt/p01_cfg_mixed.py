def score(cfg, x):
    s = 0.0
    for i in range(3):
        s += cfg["w"][i] * x**i
    if cfg["name"] == "scaled":
        s = s * cfg["scale"]
    return s
cfg = {"name": "scaled", "w": [0.5, -1.0, 2.0], "scale": 0.1}
total = 0.0
for k in range(150000):
    total += score(cfg, k * 0.0001)
print(total)

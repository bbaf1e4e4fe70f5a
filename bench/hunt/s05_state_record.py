def step(s, dt):
    v = s["v"] - dt * s["x"]
    x = s["x"] + dt * v
    s["xs"].append(x)
    return {"x": x, "v": v, "xs": s["xs"], "n": s["n"] + 1}
def simulate(steps):
    s = {"x": 1.0, "v": 0.0, "xs": [], "n": 0}
    for t in range(steps):
        s = step(s, 0.01)
        if s["n"] % 1000 == 0:
            s["xs"].append(s["x"])
            s = {"x": s["x"], "v": s["v"] * 0.999, "xs": s["xs"], "n": s["n"] + 1}
    return s
s = simulate(30000)
lo = 1e9; hi = -1e9
for x in s["xs"]:
    if x < lo: lo = x
    if x > hi: hi = x
print(s["n"], len(s["xs"]), format(lo, ".6f"), format(hi, ".6f"))

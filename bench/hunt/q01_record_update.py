rec = {"n": 0, "total": 0.0, "lo": float("inf"), "hi": float("-inf"), "pos": 0}
x = 0.5
for i in range(200000):
    x = x * 3.7 * (1 - x)
    rec["n"] += 1
    rec["total"] += x
    if x < rec["lo"]:
        rec["lo"] = x
    if x > rec["hi"]:
        rec["hi"] = x
    if x > 0.5:
        rec["pos"] += 1
print(rec["n"], rec["pos"], format(rec["total"] / rec["n"], ".6f"), format(rec["lo"], ".6f"), format(rec["hi"], ".6f"))

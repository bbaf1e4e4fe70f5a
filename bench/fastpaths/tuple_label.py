# A label read by a string constant, t["lr"], in a loop. (the Python twin of tuple_label.opt)
def run(n):
    cfg = {"lr": 0.1, "m": 0.9}
    s = 0
    for t in range(n):
        s = s + cfg["lr"] * cfg["m"]
    return s
print(run(400_000))

params = {"a": 1.0, "b": -2.0, "c": 0.5, "d": 3.0}
decay = 0.999
for i in range(90000):
    params = {k: p * decay - 0.0001 * p**3 for k, p in params.items()}
print(params["a"], params["b"], params["c"], params["d"])

def names(n):
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(f"run_{i}_adam")
        else:
            out.append(f"run_{i}_sgd")
    return out
total = 0; nadam = 0
for rep in range(60):
    ns = names(3000)
    for s in ns:
        total += len(s)
    nadam += len(ns)
print(total, nadam)

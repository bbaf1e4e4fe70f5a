l = 2.5
for e in range(200_000):
    l = l * 0.99999 + 0.00001
    print(f"epoch {e}: loss {l:.6f}")

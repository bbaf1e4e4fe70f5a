def ways(n, memo):
    if n < 0:
        return {"v": 0, "memo": memo}
    if n == 0:
        return {"v": 1, "memo": memo}
    if memo[n] >= 0:
        return {"v": memo[n], "memo": memo}
    r1 = ways(n - 1, memo)
    r2 = ways(n - 2, r1["memo"])
    r3 = ways(n - 3, r2["memo"])
    m = r3["memo"]
    m[n] = (r1["v"] + r2["v"] + r3["v"]) % 1000003
    return {"v": m[n], "memo": m}
total = 0
for rep in range(240):
    memo = []
    for i in range(301):
        memo.append(-1)
    total += ways(300 - rep % 60, memo)["v"]
print(total)

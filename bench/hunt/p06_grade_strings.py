def grade(score):
    if score >= 90: return "A"
    if score >= 80: return "B"
    if score >= 70: return "C"
    if score >= 60: return "D"
    return "F"
na = nb = nf = chars = 0
for i in range(200000):
    g = grade((i * 37) % 101)
    if g == "A": na += 1
    elif g == "B": nb += 1
    elif g == "F": nf += 1
    chars += len(g)
print(na, nb, nf, chars)

def words(text):
    out = []
    cur = ""
    for ch in text:
        if ch == " " or ch == "," or ch == ".":
            if len(cur) > 0:
                out.append(cur); cur = ""
        else:
            cur = cur + ch
    if len(cur) > 0:
        out.append(cur)
    return out
text = "adam keeps a running average of the gradient, and of its square. momentum keeps only the first. rmsprop keeps only the second, and adam uses both. "
nw = 0; longest = ""; nadam = 0
for rep in range(5000):
    ws = words(text)
    nw += len(ws)
    for w in ws:
        if len(w) > len(longest):
            longest = w
        if w == "adam":
            nadam += 1
print(nw, longest, nadam)

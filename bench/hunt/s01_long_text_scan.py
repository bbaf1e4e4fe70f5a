def make_log(n):
    text = ""
    for i in range(n):
        text = text + f"step {i}: loss {i % 97}\n"
    return text
text = make_log(20000)
digits = 0; lines = 0; longest = 0; cur = 0
i = 0
while i < len(text):
    ch = text[i]
    if ch >= "0" and ch <= "9":
        digits += 1
    if ch == "\n":
        lines += 1
        if cur > longest:
            longest = cur
        cur = 0
    else:
        cur += 1
    i += 1
print(len(text), digits, lines, longest)

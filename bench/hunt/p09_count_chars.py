def count(text):
    v = 0; c = 0
    for ch in text:
        if ch == "a" or ch == "e" or ch == "i" or ch == "o" or ch == "u":
            v += 1
        if ch == ",":
            c += 1
    return v, c
base = "the quick brown fox, jumps over the lazy dog, again and again, "
text = ""
for i in range(40):
    text = text + base
tv = 0; tc = 0
for k in range(300):
    v, c = count(text); tv += v; tc += c
print(tv, tc, len(text))

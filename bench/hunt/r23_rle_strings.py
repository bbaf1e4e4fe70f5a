def encode(s):
    out = ""
    prev = ""; run = 0
    for ch in s:
        if ch == prev:
            run += 1; continue
        if run > 0:
            out = out + prev + str(run)
        prev = ch; run = 1
    if run > 0:
        out = out + prev + str(run)
    return out
def decode(s):
    out = ""
    i = 0
    while i < len(s):
        ch = s[i]; i += 1
        n = 0
        while i < len(s) and s[i] >= "0" and s[i] <= "9":
            n = n * 10 + int(s[i]); i += 1
        for k in range(n):
            out = out + ch
    return out
base = "aaabccddddeffffffgghhhhijjjkkkkkl"
text = ""
for i in range(6):
    text = text + base
ok = 0; clen = 0
for rep in range(1500):
    e = encode(text)
    clen += len(e)
    if decode(e) == text:
        ok += 1
print(ok, clen, encode(base))

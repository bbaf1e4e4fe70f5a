syll = ("ka", "zu", "mi", "to", "ra", "ne", "po", "li")
lo = "zzzzzz"; hi = ""; below = 0; same = 0
prev = ""
for i in range(160000):
    name = syll[i % 8] + syll[(i * 7 + 3) % 8] + syll[(i // 8) % 8]
    if name < lo:
        lo = name
    if name > hi:
        hi = name
    if name < "mizu":
        below += 1
    if name == prev:
        same += 1
    prev = name
print(lo, hi, below, same)

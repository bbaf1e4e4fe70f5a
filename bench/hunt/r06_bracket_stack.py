def balanced(s):
    stack = []
    for ch in s:
        if ch == "(" or ch == "[" or ch == "{":
            stack.append(ch)
        elif ch == ")" or ch == "]" or ch == "}":
            if len(stack) == 0:
                return False
            top = stack.pop()
            if (ch == ")" and top != "(") or (ch == "]" and top != "[") or (ch == "}" and top != "{"):
                return False
    return len(stack) == 0
cases = ("f(x[i], g(y))", "{[()()]}", "((a)", "a[b(c]d)", "[[[{(x)}]]]", "fn(w) { return (w[0], w[1]) }", ")(")
ok = 0
for rep in range(6000):
    for c in cases:
        if balanced(c):
            ok += 1
print(ok)

def run(prog):
    stack = []
    for tok in prog:
        if tok == "+" or tok == "*" or tok == "-":
            b = stack.pop(); a = stack.pop()
            if tok == "+":
                stack.append(a + b)
            elif tok == "*":
                stack.append(a * b)
            else:
                stack.append(a - b)
        else:
            stack.append(float(tok))
    return stack[-1]
prog = []
n = 20000
for i in range(1, n + 1):
    prog.append(str(i))
for i in range(1, n):
    prog.append("+")
total = 0
for rep in range(3):
    total += run(prog)
print(int(total))

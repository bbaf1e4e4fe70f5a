def hanoi(n, frm, to, via):
    if n == 0:
        return 0
    return hanoi(n - 1, frm, via, to) + 1 + hanoi(n - 1, via, to, frm)

print(hanoi(20, 1, 3, 2))

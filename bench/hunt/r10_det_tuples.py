def minor(m, col):
    out = []
    for i in range(1, len(m)):
        row = []
        for j in range(len(m)):
            if j != col:
                row.append(m[i][j])
        out.append(row)
    return out
def det(m):
    if len(m) == 1:
        return m[0][0]
    if len(m) == 2:
        return m[0][0] * m[1][1] - m[0][1] * m[1][0]
    s = 0; sgn = 1
    for j in range(len(m)):
        s += sgn * m[0][j] * det(minor(m, j))
        sgn = -sgn
    return s
def matmul(a, b):
    out = []
    for i in range(len(a)):
        row = []
        for j in range(len(b[0])):
            s = 0
            for k in range(len(b)):
                s += a[i][k] * b[k][j]
            row.append(s)
        out.append(row)
    return out
A = ((2, 1, 0, 0, 1), (1, 3, 1, 0, 0), (0, 1, 4, 1, 0), (0, 0, 1, 5, 1), (1, 0, 0, 1, 6))
B = ((1, 0, 0, 0, 0.5), (0, 1, 0, 0.5, 0), (0, 0, 1, 0, 0), (0, 0.5, 0, 1, 0), (0.5, 0, 0, 0, 1))
total = 0
for k in range(400):
    C = matmul(A, B)
    total += det(C) + det(A)
print(format(total, ".6f"))

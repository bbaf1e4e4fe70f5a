n = 24
g = [[0] * n for _ in range(n)]
g[1][2] = 1; g[2][3] = 1; g[3][1] = 1; g[3][2] = 1; g[3][3] = 1
g[10][10] = 1; g[10][11] = 1; g[10][12] = 1
g[15][5] = 1; g[15][6] = 1; g[16][5] = 1; g[16][6] = 1
for gen in range(75):
    new = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            c = 0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    if di == 0 and dj == 0:
                        continue
                    c += g[(i + di) % n][(j + dj) % n]
            if c == 3 or (c == 2 and g[i][j] == 1):
                new[i][j] = 1
    g = new
flat = [v for row in g for v in row]
print(sum(flat), flat.index(max(flat)))

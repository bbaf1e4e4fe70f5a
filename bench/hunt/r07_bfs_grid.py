def bfs(walls, n, sr, sc, tr, tc):
    dist = [[-1] * n for _ in range(n)]
    dist[sr][sc] = 0
    queue = [(sr, sc)]
    head = 0
    while head < len(queue):
        r, c = queue[head]; head += 1
        if r == tr and c == tc:
            return dist[r][c]
        for d in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr = r + d[0]; nc = c + d[1]
            if nr < 0 or nc < 0 or nr >= n or nc >= n:
                continue
            if walls[nr][nc] == 1 or dist[nr][nc] >= 0:
                continue
            dist[nr][nc] = dist[r][c] + 1
            queue.append((nr, nc))
    return -1
n = 30
walls = [[0] * n for _ in range(n)]
for i in range(n):
    for j in range(n):
        if (i * 7 + j * 13) % 11 == 0 and not (i == 0 and j == 0):
            walls[i][j] = 1
total = 0
for k in range(90):
    total += bfs(walls, n, 0, 0, n - 1 - k % 6, n - 1)
print(total)

import numpy as np
def matmul_loops(A, B):
    n = A.shape[0]
    m = B.shape[1]
    p = A.shape[1]
    C = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = 0.0
            for k in range(p):
                s += A[i, k] * B[k, j]
            C[i, j] = s
    return C

A = np.arange(120 * 120).reshape(120, 120) / 14400
C = matmul_loops(A, A.T)
print(C.sum())

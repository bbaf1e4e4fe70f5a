# 1/SCALE of the run: PyTorch takes ~1 ms a step here; bench/corpus.py multiplies its time by SCALE.
SCALE = 20
# The course network in PyTorch (autograd, torch.optim.Adam), same data and batches as the NumPy twin.
import os
import numpy as np
import torch
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out")
X = torch.tensor(np.load(os.path.join(OUT, "moons_X.npy")))
Y = torch.tensor(np.load(os.path.join(OUT, "moons_y.npy"))).reshape(-1, 1)
np.random.seed(3)
shapes = [(5, 2), (2, 5), (1, 2)]
params = []
for (o, i) in shapes:
    params.append(torch.tensor(np.random.randn(o, i) * np.sqrt(2 / i), requires_grad=True))
    params.append(torch.zeros((o, 1), dtype=torch.float64, requires_grad=True))
W1, b1, W2, b2, W3, b3 = params
opt = torch.optim.Adam(params, lr=0.0007)
n = X.shape[0]
for epoch in range(1000 // SCALE):
    np.random.seed(11 + epoch)
    perm = torch.tensor(np.random.permutation(n))
    Xs, Ys = X[perm], Y[perm]
    total = 0.0
    for k in range(0, n, 64):
        xb, yb = Xs[k:k + 64], Ys[k:k + 64]
        opt.zero_grad()
        a1 = torch.relu(W1 @ xb.T + b1)
        a2 = torch.relu(W2 @ a1 + b2)
        a3 = torch.sigmoid(W3 @ a2 + b3).T
        c = torch.sum(-(yb * torch.log(a3) + (1 - yb) * torch.log(1 - a3)))
        total += c.item()
        (c / len(yb)).backward()
        opt.step()
print("cost", total / n)

# 1/SCALE of the run: PyTorch takes ~1 ms a step here; bench/corpus.py multiplies its time by SCALE.
SCALE = 100
import torch
w = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([w], lr=0.001)
for k in range(100_000 // SCALE):
    opt.zero_grad()
    loss = (1 - w[0]) ** 2 + 100 * (w[1] - w[0] ** 2) ** 2
    loss.backward()
    opt.step()
print(w.tolist())

# 1/SCALE of the run: PyTorch takes ~1 ms a step here; bench/corpus.py multiplies its time by SCALE.
SCALE = 100
import torch
A = torch.cos(torch.arange(100, dtype=torch.float64).reshape(20, 5))
y = A @ torch.tensor([1, -2, 3, 0.5, -1], dtype=torch.float64) + torch.sin(torch.arange(20, dtype=torch.float64))
w = torch.zeros(5, dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([w], lr=0.01)
for k in range(50_000 // SCALE):
    opt.zero_grad()
    l = torch.mean((A @ w - y) ** 2)
    l.backward()
    opt.step()
print(w.tolist())

# 1/SCALE of the run: PyTorch takes ~1 ms a step here; bench/corpus.py multiplies its time by SCALE.
SCALE = 100
import torch
x = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
opt = torch.optim.SGD([x], lr=0.01 * (1 - 0.9), momentum=0.9)
for k in range(100_000 // SCALE):
    opt.zero_grad()
    loss = (x - 3) ** 2 + torch.sin(3 * x)
    loss.backward()
    opt.step()
print(x.item())

# W4's PyTorch peer: torch.optim.Adam(fused=True) on one 10M-element float64 tensor, five steps.
# Prints the seconds of the steps (the state is created inside the first, as in optrepl).
import time
import torch
torch.set_num_threads(1)
w = torch.zeros(10_000_000, dtype=torch.float64, requires_grad=True)
w.grad = torch.full((10_000_000,), 0.5, dtype=torch.float64)
opt = torch.optim.Adam([w], lr=1e-3, fused=True)
start = time.perf_counter()
for _ in range(5):
    opt.step()
print(time.perf_counter() - start)

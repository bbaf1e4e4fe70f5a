#!/usr/bin/env python3
"""Reference data for autocast (spec §15.3): grad/value_and_grad with dtype: "half" / "bfloat16".

PyTorch's own autograd on CPU in float16 / bfloat16 tensors: every forward operation and every
backward kernel stores its result in that format (one rounding, to nearest even), as optrepl's
tape does. Inputs are rounded once from float64 (NumPy's direct float64->float16 conversion; for
bfloat16 an exact round-half-even written below, so no double rounding through float32). Constants
in the functions are exactly representable in both formats, so PyTorch's float32 scalars and
optrepl's rounded constants agree.

Run by hand, not by CI:  python3 Tests/reference/generate_autocast.py > Tests/reference/autocast.json
Compare exactly (the values are half / bfloat16 numbers written as doubles).
"""
import json
import math
import platform

import numpy as np
import torch


def bf16(x):
    """float64 -> the nearest bfloat16 (ties to even), as a float64."""
    if x == 0 or not math.isfinite(x):
        return x
    m, e = math.frexp(abs(x))  # abs(x) = m * 2**e, 0.5 <= m < 1
    exp = max(e - 1, -126)
    quantum = 2.0 ** (exp - 7)
    r = round(abs(x) / quantum) * quantum
    if r >= 2.0 ** 128:
        r = math.inf
    return math.copysign(r, x)


def to_dtype(values, dtype):
    a = np.asarray(values, dtype=np.float64)
    if dtype == "half":
        return torch.from_numpy(a.astype(np.float16))
    flat = [bf16(float(x)) for x in a.reshape(-1)]
    return torch.tensor(flat, dtype=torch.bfloat16).reshape(a.shape)


def tensor_json(t):
    t = t.detach().to(torch.float64)
    if t.dim() == 0:
        return float(t.item())
    return {"shape": list(t.shape), "data": [float(x) if math.isfinite(x) else ("nan" if math.isnan(x) else ("inf" if x > 0 else "-inf"))
                                             for x in t.reshape(-1).tolist()]}


class Sigmoid64(torch.autograd.Function):
    """sigmoid whose forward and backward compute in float64 and round once to the tensor's
    dtype. PyTorch's CPU kernel for sigmoid's backward computes g*(1-s)*s in float32 and
    rounds that to half: two roundings where the contract has one (optrepl's rule)."""

    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x.to(torch.float64))
        out = round_like(s, x.dtype)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (s,) = ctx.saved_tensors
        s64 = s.to(torch.float64)
        return round_like(g.to(torch.float64) * s64 * (1 - s64), g.dtype)


def round_like(t64, dtype):
    return to_dtype(t64.detach().numpy(), "half" if dtype == torch.float16 else "bfloat16")


def logistic(w, X, Y):
    p = Sigmoid64.apply(X @ w)
    return -(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).sum() / 4


X = [[1.0, -2.0, 0.5], [0.25, 1.5, -1.0], [-0.75, 0.5, 2.0], [1.25, -0.5, -1.5]]
Y = [1.0, 0.0, 1.0, 0.0]

CASES = [
    ("tiny_squares", "fn(w) { return sum(0.0009765625 * w * w) }",
     lambda w: (0.0009765625 * w * w).sum(), [1e-4, 2e-3, 3.3, -0.25, 7e-6]),
    ("shifted_square", "fn(w) { d = w - 0.5\n return sum(d * d) / 8 }",
     lambda w: ((w - 0.5) * (w - 0.5)).sum() / 8, [0.1, 2.7, -1.3, 0.50048828125]),
    ("logistic", "fn(w) { p = sigmoid(matmul(X, w))\n return -sum(Y * log(p) + (1 - Y) * log(1 - p)) / 4 }",
     lambda w, X, Y: logistic(w, X, Y),
     [0.3, -0.7, 1.1]),
    ("tanh_layer", "fn(w) { return mean(tanh(matmul(X, w)) * tanh(matmul(X, w))) }",
     lambda w, X, Y: (torch.tanh(X @ w) * torch.tanh(X @ w)).mean(), [0.2, 0.05, -0.4]),
]

cases = []
for name, text, f, w0 in CASES:
    for dtype in ["half", "bfloat16"]:
        w = to_dtype(w0, dtype).requires_grad_(True)
        if f.__code__.co_argcount == 3:
            loss = f(w, to_dtype(X, dtype), to_dtype(Y, dtype))
        else:
            loss = f(w)
        loss.backward()
        cases.append({
            "name": f"{name}_{dtype}",
            "optrepl_f": text,
            "dtype": dtype,
            "w": {"shape": [len(w0)], "data": w0},
            "X": {"shape": [4, 3], "data": [x for row in X for x in row]},
            "Y": {"shape": [4], "data": Y},
            "expected": {"value": tensor_json(loss), "grad": tensor_json(w.grad)},
        })

print(json.dumps({
    "about": "grad and value_and_grad with dtype: half / bfloat16 (spec §15.3): PyTorch's autograd run in that dtype on CPU, "
             "every operation's result stored in the format. X and Y are globals of the optrepl function. Exact.",
    "source": "Tests/reference/generate_autocast.py (NumPy/PyTorch, CPU)",
    "exact": True,
    "versions": {"python": platform.python_version(), "numpy": np.__version__, "torch": torch.__version__},
    "cases": cases,
}))

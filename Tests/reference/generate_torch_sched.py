#!/usr/bin/env python3
"""Reference data for issue 14 items 2, 4 and 5 (spec §15.2): every scheduler of
torch.optim.lr_scheduler stepped by an optimizer, the momentum the cycling ones set, optimizers
driven by a schedule, PyTorch's and NumPy's argument checks, and the discrepancy cases (Python's
format, np.clip, np.loadtxt, GradScaler's float32 scale, MultiStepLR's milestone at 0).

Run by hand (not by CI): python3 Tests/reference/generate_torch_sched.py
Writes Tests/reference/torch_sched.json (format: ../shared/reference/FORMAT.md).
"""
import io
import json
import math
import os
import sys
import warnings

import numpy as np
import torch
from torch.optim import lr_scheduler as L

warnings.filterwarnings("ignore")
torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_sched.json")


def num(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def opt_num(x):
    """A number as optrepl source text (repr round-trips)."""
    return repr(float(x)) if not float(x).is_integer() else repr(int(x)) if abs(x) < 1e15 else repr(float(x))


# Functions of the epoch for LambdaLR / MultiplicativeLR, in Python and in optrepl.
FUNCTIONS = {
    "inverse": (lambda e: 1 / (e + 1), "fn(e) { return 1 / (e + 1) }"),
    "power": (lambda e: 0.9 ** e, "fn(e) { return 0.9 ^ e }"),
    "const95": (lambda e: 0.95, "fn(e) { return 0.95 }"),
    "ramp": (lambda e: 1 - 0.01 * e, "fn(e) { return 1 - 0.01 * e }"),
}


def sgd(lr=0.1, momentum=0.9):
    p = torch.nn.Parameter(torch.zeros(1))
    return torch.optim.SGD([p], lr=lr, momentum=momentum)


def make(kind, opt, args, kwargs):
    """A PyTorch scheduler for an optrepl kind (the sub-schedules of sequential/chained are
    (kind, args, kwargs) triples made on the same optimizer, in order, as a user would)."""
    lr = opt.param_groups[0]["lr"]
    if kind == "step":
        return L.StepLR(opt, step_size=args[1], **kwargs)
    if kind == "multistep":
        return L.MultiStepLR(opt, milestones=args[1], **kwargs)
    if kind == "exponential":
        return L.ExponentialLR(opt, gamma=args[1])
    if kind == "cosine":
        return L.CosineAnnealingLR(opt, T_max=args[1], **kwargs)
    if kind == "linear":
        return L.LinearLR(opt, **kwargs)
    if kind == "constant":
        return L.ConstantLR(opt, **kwargs)
    if kind == "polynomial":
        return L.PolynomialLR(opt, **kwargs)
    if kind == "lambda":
        return L.LambdaLR(opt, FUNCTIONS[args[1]][0])
    if kind == "multiplicative":
        return L.MultiplicativeLR(opt, FUNCTIONS[args[1]][0])
    if kind == "cosine_restarts":
        kw = dict(kwargs)
        return L.CosineAnnealingWarmRestarts(opt, T_0=args[1], T_mult=kw.pop("t_mult", 1), **kw)
    if kind == "cyclic":
        return L.CyclicLR(opt, base_lr=args[0], max_lr=args[1], **kwargs)
    if kind == "onecycle":
        return L.OneCycleLR(opt, max_lr=args[0], total_steps=args[1], **kwargs)
    if kind == "sequential":
        parts = [make(k, opt, a, kw) for (k, a, kw) in args[0]]
        return L.SequentialLR(opt, parts, milestones=args[1])
    if kind == "chained":
        parts = [make(k, opt, a, kw) for (k, a, kw) in args[0]]
        return L.ChainedScheduler(parts)
    raise ValueError(kind)


def optrepl_expr(kind, args, kwargs):
    """The optrepl schedule(...) call."""
    def value(v):
        if isinstance(v, list):
            return "[" + ", ".join(opt_num(x) for x in v) + "]"
        if isinstance(v, str):
            return '"' + v + '"'
        if isinstance(v, bool):
            return "true" if v else "false"
        if v is None:
            return "nil"
        return opt_num(v)
    names = {"eta_min": "eta_min", "T_max": "t_max"}
    if kind in ("sequential", "chained"):
        parts = ", ".join(optrepl_expr(k, a, kw) for (k, a, kw) in args[0])
        rest = "" if kind == "chained" else ", " + value(args[1])
        return f'schedule("{kind}", ({parts},){rest})'
    pos = [value(a) if not (kind in ("lambda", "multiplicative") and i == 1) else FUNCTIONS[a][1] for i, a in enumerate(args)]
    lab = [f"{names.get(k, k)}: {value(v)}" for k, v in kwargs.items()]
    return f'schedule("{kind}", ' + ", ".join(pos + lab) + ")"


def lr_args(kind, args):
    """PyTorch's optimizer starts from the schedule's lr (cyclic/onecycle set their own)."""
    if kind in ("sequential", "chained"):
        return args[0][0][1][0]
    return args[0]


SCHEDULES = [
    ("multistep", [0.1, [0, 2]], {"gamma": 0.3}, 6),
    ("multistep", [0.1, [0, 0, 3]], {"gamma": 0.5}, 6),
    ("multistep", [0.05, [2, 2, 5]], {}, 8),
    ("constant", [0.1], {"factor": 0.5, "total_iters": 2}, 6),
    ("constant", [0.1], {"factor": 1 / 3, "total_iters": 5}, 8),
    ("constant", [0.3], {"factor": 0.7, "total_iters": 1}, 4),
    ("polynomial", [0.1], {"total_iters": 4, "power": 2.0}, 7),
    ("polynomial", [0.1], {"total_iters": 5, "power": 1.0}, 7),
    ("polynomial", [0.01], {"total_iters": 7, "power": 0.5}, 9),
    ("lambda", [0.1, "inverse"], {}, 6),
    ("lambda", [0.05, "power"], {}, 6),
    ("multiplicative", [0.1, "const95"], {}, 8),
    ("multiplicative", [0.1, "ramp"], {}, 8),
    ("linear", [0.1], {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 4}, 7),
    ("linear", [0.1], {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 3}, 5),
    ("cyclic", [0.01, 0.1], {"step_size_up": 2}, 10),
    ("cyclic", [0.01, 0.1], {"step_size_up": 2, "step_size_down": 3, "mode": "triangular2"}, 16),
    ("cyclic", [0.001, 0.1], {"step_size_up": 3, "mode": "exp_range", "gamma": 0.9}, 14),
    ("cyclic", [0.01, 0.1], {"step_size_up": 2, "base_momentum": 0.7, "max_momentum": 0.95}, 9),
    ("onecycle", [0.1, 10], {}, 10),
    ("onecycle", [0.5, 20], {"pct_start": 0.25, "base_momentum": 0.8, "max_momentum": 0.9}, 20),
    ("sequential", [[("linear", [0.1], {"start_factor": 0.5, "total_iters": 2}), ("exponential", [0.1, 0.9], {})], [2]], {}, 7),
    ("sequential", [[("constant", [0.1], {"factor": 0.1, "total_iters": 3}), ("cosine", [0.1, 4], {"eta_min": 0.001}),
                     ("step", [0.1, 2], {"gamma": 0.5})], [3, 7]], {}, 12),
    ("sequential", [[("linear", [0.1], {"start_factor": 0.2, "total_iters": 3}), ("multistep", [0.1, [0, 2]], {"gamma": 0.5})], [3]], {}, 8),
    ("sequential", [[("exponential", [0.1, 0.8], {}), ("multiplicative", [0.1, "const95"], {}),
                     ("lambda", [0.1, "inverse"], {})], [2, 4]], {}, 8),
    ("sequential", [[("linear", [0.1], {"start_factor": 0.5, "total_iters": 2}), ("cosine_restarts", [0.1, 3], {"t_mult": 2})], [2]], {}, 12),
    ("chained", [[("constant", [0.1], {"factor": 0.5, "total_iters": 2}), ("exponential", [0.1, 0.9], {})]], {}, 6),
    ("chained", [[("linear", [0.1], {"start_factor": 0.2, "total_iters": 4}), ("step", [0.1, 3], {"gamma": 0.5}),
                  ("polynomial", [0.1], {"total_iters": 8, "power": 2.0})]], {}, 10),
    ("chained", [[("cosine", [0.1, 5], {}), ("multiplicative", [0.1, "ramp"], {})]], {}, 8),
]


def schedule_cases():
    cases = []
    for kind, args, kwargs, n in SCHEDULES:
        opt = sgd(lr=lr_args(kind, args))
        s = make(kind, opt, args, kwargs)
        lrs, moms = [opt.param_groups[0]["lr"]], [opt.param_groups[0]["momentum"]]
        for _ in range(n):
            opt.step()
            s.step()
            lrs.append(opt.param_groups[0]["lr"])
            moms.append(opt.param_groups[0]["momentum"])
        c = {"name": f"{kind} {len(cases)}", "kind": kind, "optrepl": optrepl_expr(kind, args, kwargs),
             "epochs": list(range(n + 1)), "lr": [num(x) for x in lrs]}
        if kind in ("cyclic", "onecycle"):
            c["momentum"] = [num(x) for x in moms]
        cases.append(c)
    return cases


def driven_cases():
    """Optimizers driven by a schedule as lr, stepped as PyTorch steps them: opt.step() then
    scheduler.step(); params after each step (the cycling kinds also cycle momentum/beta1)."""
    rng = np.random.default_rng(14)
    setups = [
        ("torch.sgd(lr: S, momentum: 0)", lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.0), ("onecycle", [0.1, 8], {})),
        ("torch.sgd(lr: S, momentum: 0.5)", lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.5),
         ("cyclic", [0.01, 0.1], {"step_size_up": 2, "mode": "triangular2"})),
        ("torch.adam(lr: S)", lambda p: torch.optim.Adam([p], lr=0.1), ("onecycle", [0.05, 8], {"pct_start": 0.25})),
        ("torch.adam(lr: S)", lambda p: torch.optim.Adam([p], lr=0.1), ("cyclic", [0.001, 0.01], {"step_size_up": 3, "mode": "exp_range", "gamma": 0.95})),
        ("torch.rmsprop(lr: S)", lambda p: torch.optim.RMSprop([p], lr=0.1), ("onecycle", [0.01, 8], {})),
        ("torch.sgd(lr: S, momentum: 0.9)", lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9),
         ("onecycle", [0.1, 8], {"cycle_momentum": False})),
        ("torch.sgd(lr: S, momentum: 0.9)", lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9),
         ("sequential", [[("linear", [0.1], {"start_factor": 0.5, "total_iters": 2}), ("exponential", [0.1, 0.9], {})], [3]], {})),
        ("torch.adam(lr: S)", lambda p: torch.optim.Adam([p], lr=0.01),
         ("chained", [[("constant", [0.01], {"factor": 0.5, "total_iters": 2}), ("exponential", [0.01, 0.9], {})]], {})),
        ("torch.sgd(lr: S)", lambda p: torch.optim.SGD([p], lr=0.1), ("multiplicative", [0.1, "const95"], {})),
        ("torch.sgd(lr: S)", lambda p: torch.optim.SGD([p], lr=0.1), ("polynomial", [0.1], {"total_iters": 5, "power": 2.0})),
    ]
    cases = []
    for opt_expr, make_opt, (kind, args, kwargs) in setups:
        steps = 8
        w0 = rng.standard_normal(3)
        grads = [rng.standard_normal(3) for _ in range(steps)]
        p = torch.nn.Parameter(torch.tensor(w0))
        opt = make_opt(p)
        s = make(kind, opt, args, kwargs)
        params = []
        for g in grads:
            p.grad = torch.tensor(g)
            opt.step()
            s.step()
            params.append([num(x) for x in p.detach().numpy()])
        cases.append({"name": f"driven {len(cases)}: {opt_expr} with {kind}", "schedule": optrepl_expr(kind, args, kwargs),
                      "optimizer": opt_expr, "w0": {"shape": [3], "data": [num(x) for x in w0]},
                      "grads": [{"shape": [3], "data": [num(x) for x in g]} for g in grads],
                      "params": [{"shape": [3], "data": x} for x in params]})
    return cases


def driven_group_cases():
    """Parameter groups under a schedule (spec 15.2): params (a: 3, b: 2), group a with its own
    lr (and momentum), b with the constructor's; PyTorch steps opt then scheduler."""
    rng = np.random.default_rng(16)
    setups = [
        ("torch.sgd(lr: S, momentum: 0.9, groups: ((params: \"a\", lr: 0.05),))", dict(lr=0.1, momentum=0.9), {"lr": 0.05},
         ("multiplicative", [0.1, "ramp"], {})),
        ("torch.sgd(lr: S, momentum: 0.9, groups: ((params: \"a\", lr: 0.05),))", dict(lr=0.1, momentum=0.9), {"lr": 0.05},
         ("sequential", [[("linear", [0.1], {"start_factor": 0.5, "total_iters": 2}), ("exponential", [0.1, 0.9], {})], [3]], {})),
        ("torch.sgd(lr: S, momentum: 0.9, groups: ((params: \"a\", lr: 0.05),))", dict(lr=0.1, momentum=0.9), {"lr": 0.05},
         ("lambda", [0.1, "inverse"], {})),
        ("torch.sgd(lr: S, groups: ((params: \"a\", momentum: 0.5),))", dict(lr=0.1), {"momentum": 0.5},
         ("onecycle", [0.1, 8], {})),
        ("torch.adam(lr: S, groups: ((params: \"a\", lr: 0.002),))", dict(lr=0.01), {"lr": 0.002},
         ("chained", [[("constant", [0.01], {"factor": 0.5, "total_iters": 2}), ("exponential", [0.01, 0.9], {})]], {})),
    ]
    cases = []
    for opt_expr, defaults, group_a, (kind, args, kwargs) in setups:
        steps = 6
        a0, b0 = rng.standard_normal(3), rng.standard_normal(2)
        grads = [(rng.standard_normal(3), rng.standard_normal(2)) for _ in range(steps)]
        pa, pb = torch.nn.Parameter(torch.tensor(a0)), torch.nn.Parameter(torch.tensor(b0))
        cls = torch.optim.Adam if opt_expr.startswith("torch.adam") else torch.optim.SGD
        opt = cls([dict(params=[pa], **group_a), dict(params=[pb])], **defaults)
        s = make(kind, opt, args, kwargs)
        params = []
        for ga, gb in grads:
            pa.grad, pb.grad = torch.tensor(ga), torch.tensor(gb)
            opt.step()
            s.step()
            params.append({"a": {"shape": [3], "data": [num(x) for x in pa.detach().numpy()]},
                           "b": {"shape": [2], "data": [num(x) for x in pb.detach().numpy()]}})
        tree = lambda x, y: {"a": {"shape": [3], "data": [num(v) for v in x]}, "b": {"shape": [2], "data": [num(v) for v in y]}}  # noqa: E731
        cases.append({"name": f"groups {len(cases)}: {opt_expr} with {kind}", "schedule": optrepl_expr(kind, args, kwargs),
                      "optimizer": opt_expr, "w0": tree(a0, b0), "grads": [tree(x, y) for x, y in grads], "params": params})
    return cases


def error_text(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the text is the data
        return str(e)
    return None


def zero_phase_onecycle(opt, pct, total):
    """OneCycleLR with a phase of length 0: PyTorch divides by zero when it reaches it."""
    s = L.OneCycleLR(opt, max_lr=0.1, total_steps=total, pct_start=pct)
    for _ in range(total):
        opt.step()
        s.step()


def check_cases():
    """What PyTorch and NumPy reject, with their text; optrepl's message must contain it."""
    p = [torch.nn.Parameter(torch.zeros(1))]
    o = lambda: torch.optim.SGD(p, lr=0.1)  # noqa: E731
    rows = [
        ("torch.sgd(lr: 0.1, nesterov: true)", lambda: torch.optim.SGD(p, lr=0.1, nesterov=True)),
        ("torch.sgd(lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true)",
         lambda: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)),
        ("torch.sgd(lr: -0.1)", lambda: torch.optim.SGD(p, lr=-0.1)),
        ("torch.sgd(momentum: -0.5)", lambda: torch.optim.SGD(p, momentum=-0.5)),
        ("torch.sgd(weight_decay: -1)", lambda: torch.optim.SGD(p, weight_decay=-1.0)),
        ("torch.adam(lr: -0.001)", lambda: torch.optim.Adam(p, lr=-0.001)),
        ("torch.adam(eps: -1e-08)", lambda: torch.optim.Adam(p, eps=-1e-8)),
        ("torch.adam(betas: (1, 0.999))", lambda: torch.optim.Adam(p, betas=(1.0, 0.999))),
        ("torch.adam(betas: (0.9, 1.5))", lambda: torch.optim.Adam(p, betas=(0.9, 1.5))),
        ("torch.adam(betas: (-0.1, 0.999))", lambda: torch.optim.Adam(p, betas=(-0.1, 0.999))),
        ("torch.adamw(weight_decay: -0.01)", lambda: torch.optim.AdamW(p, weight_decay=-0.01)),
        ("torch.rmsprop(eps: -1)", lambda: torch.optim.RMSprop(p, eps=-1.0)),
        ("torch.rmsprop(momentum: -0.1)", lambda: torch.optim.RMSprop(p, momentum=-0.1)),
        ("torch.adagrad(lr_decay: -1)", lambda: torch.optim.Adagrad(p, lr_decay=-1.0)),
        ("torch.adagrad(initial_accumulator_value: -1)", lambda: torch.optim.Adagrad(p, initial_accumulator_value=-1.0)),
        ("torch.adadelta(rho: 1.5)", lambda: torch.optim.Adadelta(p, rho=1.5)),
        ("torch.adamax(eps: -1)", lambda: torch.optim.Adamax(p, eps=-1.0)),
        ("torch.nadam(momentum_decay: -0.004)", lambda: torch.optim.NAdam(p, momentum_decay=-0.004)),
        ("torch.radam(betas: (0.9, 1))", lambda: torch.optim.RAdam(p, betas=(0.9, 1.0))),
        ("torch.asgd(lambd: -1)", lambda: torch.optim.ASGD(p, lambd=-1.0)),
        ("torch.rprop(etas: (1.5, 1.2))", lambda: torch.optim.Rprop(p, etas=(1.5, 1.2))),
        ("torch.adafactor(lr: -0.01)", lambda: torch.optim.Adafactor(p, lr=-0.01)),
        ("torch.adafactor(d: 0.5)", lambda: torch.optim.Adafactor(p, d=0.5)),
        ("torch.adafactor(beta2_decay: 0.5)", lambda: torch.optim.Adafactor(p, beta2_decay=0.5)),
        ("torch.muon(lr: -0.001)", lambda: torch.optim.Muon([torch.nn.Parameter(torch.zeros(2, 2))], lr=-0.001)),
        ("torch.muon(momentum: -0.9)", lambda: torch.optim.Muon([torch.nn.Parameter(torch.zeros(2, 2))], momentum=-0.9)),
        ("torch.lbfgs(lr: -1)", lambda: torch.optim.LBFGS(p, lr=-1.0)),
        ('schedule("linear", 0.1, start_factor: 0)', lambda: L.LinearLR(o(), start_factor=0.0)),
        ('schedule("linear", 0.1, start_factor: 1.5)', lambda: L.LinearLR(o(), start_factor=1.5)),
        ('schedule("linear", 0.1, end_factor: 2)', lambda: L.LinearLR(o(), end_factor=2.0)),
        ('schedule("plateau", 0.1, factor: 1)', lambda: L.ReduceLROnPlateau(o(), factor=1.0)),
        ('schedule("plateau", 0.1, factor: 2.5)', lambda: L.ReduceLROnPlateau(o(), factor=2.5)),
        ('schedule("constant", 0.1, factor: 1.5)', lambda: L.ConstantLR(o(), factor=1.5)),
        ('schedule("onecycle", 0.1, 10, pct_start: 1.5)', lambda: L.OneCycleLR(o(), max_lr=0.1, total_steps=10, pct_start=1.5)),
        ('schedule("onecycle", 0.1, 10, pct_start: 0.1)', lambda: zero_phase_onecycle(o(), 0.1, 10)),
        ('schedule("onecycle", 0.1, 10, pct_start: 1)', lambda: zero_phase_onecycle(o(), 1.0, 10)),
        ('schedule("sequential", (schedule("step", 0.1, 2), schedule("exponential", 0.1, 0.9)), [2, 4])',
         lambda: (lambda q: L.SequentialLR(q, [L.StepLR(q, 2), L.ExponentialLR(q, 0.9)], milestones=[2, 4]))(o())),
        ('torch.adagrad(lr: schedule("onecycle", 0.1, 10))',
         lambda: L.OneCycleLR(torch.optim.Adagrad(p, lr=0.1), max_lr=0.1, total_steps=10)),
        ('torch.adagrad(lr: schedule("cyclic", 0.01, 0.1))',
         lambda: L.CyclicLR(torch.optim.Adagrad(p, lr=0.1), base_lr=0.01, max_lr=0.1)),
        ("uniform(0, inf, 3)", lambda: np.random.uniform(0, np.inf, 3)),
        ("uniform(nan, 1, 3)", lambda: np.random.uniform(np.nan, 1, 3)),
        ("uniform(-inf, 0)", lambda: np.random.uniform(-np.inf, 0)),
        ("uniform(-1e308, 1e308)", lambda: np.random.uniform(-1e308, 1e308)),
    ]
    cases = []
    for expr, f in rows:
        text = error_text(f)
        assert text is not None, expr
        cases.append({"name": f"check: {expr}", "optrepl": expr, "error": text})
    # ConstantLR's factor 0 passes PyTorch's constructor and then divides by zero.
    q = o()
    s = L.ConstantLR(q, factor=0.0, total_iters=2)
    cases.append({"name": "check: constant factor 0", "optrepl": 'schedule("constant", 0.1, factor: 0)',
                  "error": "factor must be > 0", "pytorch": error_text(lambda: [s.step() for _ in range(3)])})
    return cases


def format_cases():
    rows = [(1234567.891, "020,.2f"), (1234567.891, "020_.2f"), (1234567.891, "0=20,.2f"), (1234567.891, "x=20,.2f"),
            (-1234567.891, "020,.2f"), (1234.5, "09,"), (1234.5, "010,"), (1234.5, "011,"), (123.0, "020_.1f"),
            (12345.678, "0>20,.2f"), (12345.678, "<020,.2f"), (12345.678, "^020,.1f"), (12345.678, "*<020,.2f"), (1e20, "030,.0f"), (1.5, "+020,.3e"), (0.5, "08,.3%"),
            (float("inf"), "020,"), (-0.0, ""), (-0.0, ".2f"), (-0.0, "g"), (-0.0, "e"), (-2.5, ""), (-0.5, "z"),
            (-0.0, "z"), (-0.0001, "z.2f"), (-0.0001, "+z.2f"), (-0.0001, " z.2f"), (-0.0, "z.3e"), (-0.0, "z%"),
            (-0.001, "z.1%"), (-0.0, "zg"), (-1e-9, "z010.3f"), (-0.004, "z.2"), (-1.5, "z.1f"), (float("nan"), "z"),
            (-0.0, "z,.2f"), (-0.00001, "z>10.2e")]
    return [{"name": f"format {x!r} {spec!r}", "x": num(x), "spec": spec, "expected": format(x, spec)} for x, spec in rows]


def clip_cases():
    rows = [([1.0, 2.0, 3.0], float("nan"), 2.0), ([1.0, 2.0, 3.0], 0.0, float("nan")), ([float("nan"), 1.0, 5.0], 2.0, 3.0),
            ([-0.0], 0.0, 0.0), ([0.0], -0.0, -0.0), ([-1.0], -0.0, 0.0), ([1.0], -0.0, -0.0), ([-0.0, 0.0], -0.0, 0.0),
            ([5.0, -5.0, 0.5], 3.0, 1.0), ([float("inf"), float("-inf")], -1.0, 1.0)]
    cases = []
    for x, lo, hi in rows:
        r = np.clip(np.array(x), lo, hi)
        cases.append({"name": f"clip {x} {lo} {hi}", "x": [num(v) for v in x], "lo": num(lo), "hi": num(hi),
                      "expected": [num(v) for v in r], "signbit": [bool(b) for b in np.signbit(r)]})
    return cases


def csv_cases():
    rows = [("crlf", "1,2\r\n3,4\r\n"), ("cr only", "1,2\r3,4\r"), ("cr only no final", "1.5,2\r3,-4"),
            ("mixed endings", "1,2\n3,4\r\n5,6\r7,8"), ("crlf blank lines", "1,2\r\n\r\n3,4\r\n"),
            ("nan inf words", "NaN,Infinity,-inf\nnan,INF,-Infinity\n+inf,-NAN,iNfInItY\n"),
            ("crlf comment", "# header\r\n1,2 # two\r\n3,4\r\n")]
    cases = []
    for name, text in rows:
        a = np.loadtxt(io.StringIO(text, newline=""), delimiter=",", ndmin=2)
        cases.append({"name": f"load_csv {name}", "text": text,
                      "expected": {"shape": list(a.shape), "data": [num(v) for v in a.ravel()]}})
    return cases


def scaler_cases():
    """GradScaler('cpu') on float64 params with course sgd(lr: 0.1) (torch SGD without momentum):
    after each sc.step(opt, params, g); sc.update(), the scale (a float32) and the params."""
    setups = [("grad_scaler(init_scale: 2^120, growth_interval: 1)", dict(init_scale=2.0 ** 120, growth_interval=1),
               [False] * 10),
              ("grad_scaler(init_scale: 1000, growth_factor: 1.7, backoff_factor: 0.3, growth_interval: 2)",
               dict(init_scale=1000.0, growth_factor=1.7, backoff_factor=0.3, growth_interval=2),
               [False, False, True, False, False, False, True, True, False, False]),
              ("grad_scaler(init_scale: 0.1, growth_factor: 3, backoff_factor: 0.7, growth_interval: 1)",
               dict(init_scale=0.1, growth_factor=3.0, backoff_factor=0.7, growth_interval=1),
               [False, True, False, False, True, False])]
    rng = np.random.default_rng(15)
    cases = []
    for expr, kw, infs in setups:
        p = torch.nn.Parameter(torch.tensor(rng.standard_normal(2)))
        p0 = p.detach().numpy().copy()
        opt = torch.optim.SGD([p], lr=0.1)
        sc = torch.amp.GradScaler("cpu", **kw)
        grads, scales, params = [], [], []
        for bad in infs:
            g = rng.standard_normal(2) * 1000
            if bad:
                g[1] = np.inf
            grads.append({"shape": [2], "data": [num(v) for v in g]})
            p.grad = torch.tensor(g)
            sc.scale(torch.tensor(1.0))  # makes the scale tensor (lazily, as a loss would)
            sc.step(opt)
            sc.update()
            scales.append(num(sc.get_scale()))
            params.append({"shape": [2], "data": [num(v) for v in p.detach().numpy()]})
        cases.append({"name": f"scaler {expr}", "optrepl": expr, "params0": {"shape": [2], "data": [num(v) for v in p0]},
                      "grads": grads, "scale": scales, "params": params})
    return cases


def main():
    data = {
        "about": "Issue 14 items 2, 4, 5 (spec 15.2). 'schedules': lr[i] is s(epochs[i]) for s = the optrepl expression, "
                 "from torch.optim.lr_scheduler stepped by an SGD(momentum=0.9) optimizer (opt.step(); sched.step()); "
                 "'momentum' is the momentum the cycling kinds set at each epoch. Lambda/multiplicative functions are "
                 "written in both languages (generate_torch_sched.py FUNCTIONS). 'driven': params after each step of the "
                 "optimizer with the schedule as lr (w = opt.step(w, grads[i])), PyTorch stepping opt then scheduler "
                 "(the cycling kinds cycle momentum or beta1); 'driven_groups' the same with parameter groups on params (a, b). 'checks': PyTorch's/NumPy's exception text for what they "
                 "reject; optrepl's message contains it (ConstantLR factor 0: PyTorch divides by zero later; optrepl "
                 "refuses it at once). 'format': Python 3.11 format(x, spec), exact (an empty spec on a whole number is left out: optrepl's repr writes 3.0 as 3, spec 7). 'clip': np.clip with number bounds, "
                 "exact with the sign bit. 'csv': np.loadtxt(delimiter=',') of the text, exact. 'scaler': "
                 "torch.amp.GradScaler('cpu') with course sgd(lr: 0.1): the float32 scale and params after each "
                 "step+update. Compare at 1e-12 relative unless the section says exact.",
        "source": "Tests/reference/generate_torch_sched.py (PyTorch float64 CPU, NumPy, Python)",
        "versions": {"torch": torch.__version__, "numpy": np.__version__, "python": sys.version.split()[0]},
        "schedules": schedule_cases(),
        "driven": driven_cases(),
        "driven_groups": driven_group_cases(),
        "checks": check_cases(),
        "format": format_cases(),
        "clip": clip_cases(),
        "csv": csv_cases(),
        "scaler": scaler_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("wrote", OUT, {k: len(v) for k, v in data.items() if isinstance(v, list)})


if __name__ == "__main__":
    main()

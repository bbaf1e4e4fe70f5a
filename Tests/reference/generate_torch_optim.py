#!/usr/bin/env python3
"""Reference data for the rest of torch.optim (spec §15.2): Adadelta, Adamax, NAdam, RAdam, Rprop,
ASGD, Adafactor, Muon, LBFGS, `maximize` and Adam's `decoupled_weight_decay`, and parameter groups,
run by PyTorch itself in float64 on CPU (single-tensor code path, foreach=False).

Run by hand, not by CI:  python3 Tests/reference/generate_torch_optim.py > Tests/reference/torch_optim.json
Format: ../shared/reference/FORMAT.md (and README-optim.md's optim_torch.json layout):
  params0 (a tree), grads (one tree per step), expected.params[i] (the tree after step i+1),
  expected.t, expected.torch_state ({buffer: {leaf: value}}, PyTorch's own state names, "step" left
  out: it is the optimizer's t). Muon runs PyTorch's algorithm with its bfloat16 cast removed (the
  contract's float64 Newton-Schulz). LBFGS cases drive step(closure) on an objective of optrepl's
  (`optrepl_f`), expected.params[i] after each step(closure) call.
"""
import inspect
import json
import math
import platform
import sys

import numpy as np
import torch
import torch.optim._muon as muon_module

torch.set_default_dtype(torch.float64)


def _zeropower_float64(grad, ns_coefficients, ns_steps, eps):
    # PyTorch's _zeropower_via_newtonschulz without its cast to bfloat16.
    a, b, c = ns_coefficients
    ortho_grad = grad.clone()
    if grad.size(0) > grad.size(1):
        ortho_grad = ortho_grad.T
    ortho_grad.div_(ortho_grad.norm().clamp(min=eps))
    for _ in range(ns_steps):
        gram_matrix = ortho_grad @ ortho_grad.T
        gram_update = torch.addmm(gram_matrix, gram_matrix, gram_matrix, beta=b, alpha=c)
        ortho_grad = torch.addmm(ortho_grad, gram_update, ortho_grad, beta=a)
    if grad.size(0) > grad.size(1):
        ortho_grad = ortho_grad.T
    return ortho_grad


muon_module._zeropower_via_newtonschulz = _zeropower_float64


def num(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def tensor_json(t):
    t = t.detach()
    if t.dim() == 0:
        return num(t.item())
    return {"shape": list(t.shape), "data": [num(x) for x in t.reshape(-1).tolist()]}


def tree_json(names, tensors):
    return {n: tensor_json(t) for n, t in zip(names, tensors)}


def literal(v):
    """An optrepl literal for a hyper-parameter value."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "nil"
    if isinstance(v, (tuple, list)):
        return "(" + ", ".join(literal(x) for x in v) + ")"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, int):
        return str(v)
    return repr(float(v))


rng = np.random.default_rng(20261125)
SHAPES = [("W", (3, 2)), ("b", (3,))]
MUON_SHAPES = [("W", (3, 2)), ("V", (2, 4))]
FACTOR_SHAPES = [("W", (3, 2)), ("b", (3,)), ("T", (2, 2, 3))]
STEPS = 7


def make_grads(shapes):
    grads = []
    for step in range(STEPS):
        g = [rng.standard_normal(s) for _, s in shapes]
        if step == 3:
            g = [x * 1e-6 for x in g]
        if step == 4:
            g = [x * 1e3 for x in g]
        if step == 5:
            g[-1] = np.zeros(shapes[-1][1])
        if step == 6:
            g = [-x for x in g]  # every sign flips (Rprop's backtracking)
        grads.append(g)
    return grads


def run(cls, kwargs, shapes, torch_name, optrepl_name, groups=None, optrepl_groups=None, scheduler=None, optrepl_lr=None):
    p0 = [rng.standard_normal(s) for _, s in shapes]
    grads = make_grads(shapes)
    params = [torch.tensor(x, requires_grad=True) for x in p0]
    names = [n for n, _ in shapes]
    extra = {"foreach": False} if "foreach" in inspect.signature(cls).parameters else {}
    if groups is None:
        opt = cls(params, **kwargs, **extra)
    else:
        listed = []
        for g in groups:
            d = dict(g)
            d["params"] = [params[names.index(n)] for n in g["params"]]
            listed.append(d)
        rest = [p for n, p in zip(names, params) if not any(n in g["params"] for g in groups)]
        if rest:
            listed.append({"params": rest})
        opt = cls(listed, **kwargs, **extra)
    sched = scheduler(opt) if scheduler else None
    history = []
    for g in grads:
        for p, x in zip(params, g):
            p.grad = torch.tensor(x)
        opt.step()
        if sched:
            sched.step()
        history.append(tree_json(names, params))
    state = {}
    for n, p in zip(names, params):
        for key, value in opt.state[p].items():
            if key == "step":
                continue
            state.setdefault(key, {})[n] = tensor_json(value)
    args = ", ".join(f"{k}: {optrepl_lr if k == 'lr' and optrepl_lr else literal(v)}" for k, v in kwargs.items())
    if optrepl_groups:
        args = (args + ", " if args else "") + "groups: " + optrepl_groups
    return {
        "optimizer": optrepl_name,
        "torch": torch_name,
        "optrepl": f"{optrepl_name}({args})",
        "hyper": {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()},
        "params0": tree_json(names, [torch.tensor(x) for x in p0]),
        "grads": [tree_json(names, [torch.tensor(x) for x in g]) for g in grads],
        "expected": {"params": history, "t": STEPS, "torch_state": state},
    }


O = torch.optim
CASES = [
    ("torch.adadelta", O.Adadelta, [{}, {"lr": 0.5, "rho": 0.8, "eps": 1e-4, "weight_decay": 0.1}, {"maximize": True}]),
    ("torch.adamax", O.Adamax, [{}, {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.05}, {"maximize": True, "lr": 0.1}]),
    ("torch.nadam", O.NAdam, [{}, {"lr": 0.01, "betas": (0.85, 0.99), "momentum_decay": 0.01, "weight_decay": 0.1},
                              {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}, {"maximize": True}]),
    ("torch.radam", O.RAdam, [{}, {"lr": 0.01, "betas": (0.5, 0.7), "weight_decay": 0.1},
                              {"lr": 0.01, "betas": (0.5, 0.7), "weight_decay": 0.1, "decoupled_weight_decay": True},
                              {"maximize": True, "betas": (0.5, 0.6)}]),
    ("torch.rprop", O.Rprop, [{}, {"lr": 0.1, "etas": (0.3, 1.5), "step_sizes": (0.01, 0.2)}, {"maximize": True}]),
    ("torch.asgd", O.ASGD, [{}, {"lr": 0.05, "lambd": 0.01, "alpha": 0.5, "t0": 3, "weight_decay": 0.1}, {"maximize": True, "t0": 0}]),
    ("torch.adam", O.Adam, [{"maximize": True}, {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
                            {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "amsgrad": True, "maximize": True}]),
    ("torch.adamw", O.AdamW, [{"maximize": True, "amsgrad": True}]),
    ("torch.sgd", O.SGD, [{"lr": 0.01, "momentum": 0.9, "nesterov": True, "maximize": True}]),
    ("torch.rmsprop", O.RMSprop, [{"maximize": True, "centered": True, "momentum": 0.5}]),
    ("torch.adagrad", O.Adagrad, [{"maximize": True, "lr_decay": 0.01}]),
]

cases = []
for name, cls, settings in CASES:
    for k, kwargs in enumerate(settings):
        c = run(cls, kwargs, SHAPES, cls.__name__, name)
        c["name"] = f"{name.split('.')[1]}_{k}"
        cases.append(c)

for k, kwargs in enumerate([{}, {"lr": 0.05, "beta2_decay": -0.5, "eps": (1e-20, 1e-2), "d": 1.5, "weight_decay": 0.1},
                            {"maximize": True, "lr": 0.1}]):
    c = run(O.Adafactor, kwargs, FACTOR_SHAPES, "Adafactor", "torch.adafactor")
    c["name"] = f"adafactor_{k}"
    cases.append(c)

for k, kwargs in enumerate([{}, {"lr": 0.02, "weight_decay": 0.01, "momentum": 0.9, "nesterov": False},
                            {"lr": 0.01, "ns_coefficients": (2.0, -1.5, 0.5), "ns_steps": 3, "eps": 1e-9}]):
    c = run(O.Muon, kwargs, MUON_SHAPES, "Muon", "torch.muon")
    c["name"] = f"muon_{k}"
    cases.append(c)

# Parameter groups (spec §15.2): PyTorch's list of dicts; leaves in no group take the
# constructor's values (a last group of the rest).
GROUPS = [
    ("torch.adam", O.Adam, {"lr": 0.01}, [{"params": ["W"], "lr": 0.001, "betas": (0.5, 0.6)}], '((params: "W", lr: 0.001, betas: (0.5, 0.6)),)'),
    ("torch.sgd", O.SGD, {"lr": 0.1, "momentum": 0.9}, [{"params": ["b"], "momentum": 0.0, "weight_decay": 0.5}],
     '((params: "b", momentum: 0.0, weight_decay: 0.5),)'),
    ("torch.nadam", O.NAdam, {"lr": 0.01}, [{"params": ["W"], "lr": 0.02}, {"params": ["b"], "weight_decay": 0.1, "decoupled_weight_decay": True}],
     '((params: "W", lr: 0.02), (params: ("b",), weight_decay: 0.1, decoupled_weight_decay: true))'),
    ("torch.adamw", O.AdamW, {}, [{"params": ["W", "b"], "weight_decay": 0.0, "amsgrad": True}],
     '((params: ("W", "b"), weight_decay: 0.0, amsgrad: true),)'),
]
# A schedule as lr runs per group from the group's own lr (PyTorch's initial_lr); onecycle's
# rates are absolute, the same for every group.
S = O.lr_scheduler
GROUPS += [
    ("torch.sgd", O.SGD, {"lr": 0.1, "momentum": 0.5}, [{"params": ["W"], "lr": 0.02}], '((params: "W", lr: 0.02),)',
     lambda o: S.StepLR(o, step_size=2, gamma=0.5), 'schedule("step", 0.1, 2, gamma: 0.5)'),
    ("torch.adam", O.Adam, {"lr": 0.01}, [{"params": ["b"], "lr": 0.05}], '((params: "b", lr: 0.05),)',
     lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.001), 'schedule("cosine", 0.01, 5, eta_min: 0.001)'),
    # OneCycleLR sets every group's lr (and cycles every group's momentum) from max_lr: the
    # group's own lr is overwritten at construction.
    ("torch.sgd", O.SGD, {"lr": 0.1, "momentum": 0.9}, [{"params": ["W"], "lr": 0.5, "weight_decay": 0.1}],
     '((params: "W", lr: 0.5, weight_decay: 0.1),)',
     lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=8), 'schedule("onecycle", 0.1, 8)'),
]
for k, (name, cls, kwargs, groups, text, *sched) in enumerate(GROUPS):
    c = run(cls, kwargs, SHAPES, cls.__name__, name, groups=groups, optrepl_groups=text,
            scheduler=sched[0] if sched else None, optrepl_lr=sched[1] if sched else None)
    c["name"] = f"groups_{k}_{name.split('.')[1]}"
    c["groups"] = [{kk: (list(vv) if isinstance(vv, tuple) else vv) for kk, vv in g.items()} for g in groups]
    cases.append(c)


# LBFGS: step(closure) on the Rosenbrock function and a quadratic, as optrepl functions.
def rosen(w):
    return (1 - w[0]) ** 2 + 100 * (w[1] - w[0] ** 2) ** 2


def quad(w):
    a = torch.tensor([[3.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 1.0]])
    return 0.5 * (w @ (a @ w)) - w.sum()


def neg_quad(w):
    return -quad(w)


OBJECTIVES = {
    "negquad": (neg_quad, "-(0.5 * dot(w, matmul([[3.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 1.0]], w)) - sum(w))", [0.5, -1.0, 2.0]),
    "rosen": (rosen, "(1 - w[0])^2 + 100 * (w[1] - w[0]^2)^2", [-1.2, 1.0]),
    "quad": (quad, "0.5 * dot(w, matmul([[3.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 1.0]], w)) - sum(w)", [0.5, -1.0, 2.0]),
}
LBFGS = [
    ("rosen", {"max_iter": 8}, 2),  # a third fixed-step step drifts 1.5e-9 (ulp-level gradient differences, amplified in the valley)
    ("rosen", {"line_search_fn": "strong_wolfe"}, 4),
    ("rosen", {"lr": 0.5, "max_iter": 5, "history_size": 3, "line_search_fn": "strong_wolfe"}, 5),
    ("quad", {"max_iter": 4, "history_size": 2}, 3),
    ("quad", {"line_search_fn": "strong_wolfe", "tolerance_grad": 1e-5}, 2),
    ("rosen", {"lr": 0.1, "max_iter": 3, "max_eval": 4}, 4),
    ("negquad", {"maximize": True, "max_iter": 3, "line_search_fn": "strong_wolfe"}, 2),
]
for k, (obj, kwargs, steps) in enumerate(LBFGS):
    f, text, w0 = OBJECTIVES[obj]
    w = torch.tensor(w0, requires_grad=True)
    opt = O.LBFGS([w], **kwargs)
    history, losses = [], []
    evals = []

    def closure():
        opt.zero_grad()
        loss = f(w)
        loss.backward()
        return loss

    for _ in range(steps):
        opt.step(closure)
        history.append(tensor_json(w))
        losses.append(num(f(w).item()))
        evals.append(opt.state[w]["func_evals"])
    args = ", ".join(f"{kk}: {literal(v)}" for kk, v in kwargs.items())
    cases.append({
        "name": f"lbfgs_{k}_{obj}",
        "optimizer": "torch.lbfgs",
        "torch": "LBFGS",
        "optrepl": f"torch.lbfgs({args})",
        "optrepl_f": f"fn(w) {{ return {text} }}",
        "hyper": {kk: v for kk, v in kwargs.items()},
        "w0": tensor_json(torch.tensor(w0)),
        "steps": steps,
        "tolerance": 1e-9,
        "expected": {"w": history, "loss": losses, "func_evals": evals, "n_iter": opt.state[w]["n_iter"]},
    })

print(json.dumps({
    "about": "torch.optim optimizers beyond the first five, maximize, decoupled_weight_decay, parameter groups and LBFGS, "
             "run by PyTorch in float64 on CPU (single-tensor path). expected.params[i] is the tree after step i+1; "
             "expected.torch_state the final buffers under PyTorch's names (step left out). Muon without its bfloat16 cast. "
             "Compare within 1e-12*(|w| + |step|) per element; LBFGS cases within their 'tolerance' (line searches amplify rounding).",
    "source": "Tests/reference/generate_torch_optim.py (NumPy/PyTorch, float64, CPU)",
    "versions": {"python": platform.python_version(), "numpy": np.__version__, "torch": torch.__version__},
    "cases": cases,
}, indent=None))

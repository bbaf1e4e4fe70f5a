#!/usr/bin/env python3
"""Reference data for min, max, argmin and argmax of tensors with no elements (session 20: a
fresh-eyes run found `min(zeros(0, 3), axis: 1)` refused where NumPy gives an empty array):
NumPy's result shape, or that it raises, for each shape, axis and keepdims. An axis of
positive length reduces to an empty result; an axis of length 0, or the whole tensor, has no
value; an axis out of range is an error.

Run by hand (not by CI): python3 Tests/reference/generate_empty_reductions.py
Writes Tests/reference/empty_reductions.json: {"about", "numpy", "cases": [{"function",
"shape", "axis" (a number or null), "keepdims", "result": shape as a list, or "error"}]}.
"""
import json
import math
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "extrema.json")
SHAPES = [[0], [0, 3], [3, 0], [2, 0, 4], [0, 0], [1, 0], [0, 100000], [100000, 0]]
AXES = [None, 0, 1, 2, -1, -2, 3]
VALUES = [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan]
VECTORS = [[0.0, -0.0], [-0.0, 0.0], [0.0, -0.0, 0.0], [1.0, -0.0, 0.0, 1.0], [-0.0, -0.0], [2.0, math.nan, -1.0],
           [math.inf, -math.inf], [-0.0, 0.0] * 20, [0.0, -0.0] * 20, [3.0, -1.0, -1.0, 3.0]]


def number(x):
    """A float for JSON: nan and the infinities as strings (-0.0 stays a number)."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def hexbits(x):
    """The 64-bit pattern of a double, as 16 hex digits."""
    return struct.pack(">d", float(x)).hex()


def main():
    cases = []
    for function in ["min", "max", "argmin", "argmax"]:
        for shape in SHAPES:
            x = np.zeros(shape)
            for axis in AXES:
                # optrepl's argmin and argmax take no keepdims (spec §6).
                for keepdims in ([False, True] if function in ("min", "max") else [False]):
                    try:
                        r = getattr(np, function)(x, axis=axis, keepdims=keepdims)
                        result = list(np.shape(r))
                    except (ValueError, IndexError, MemoryError):
                        # AxisError is both of the first two. (NumPy allocates the result before
                        # it finds the reduction empty: a huge other dimension runs out of memory;
                        # optrepl's zeros refuses one past --max-elements.)
                        result = "error"
                    cases.append({"function": function, "shape": shape, "axis": axis, "keepdims": keepdims,
                                  "result": result})
    pairs = [{"function": name, "a": number(a), "b": number(b), "result": number(f(a, b))}
             for name, f in (("min", np.minimum), ("max", np.maximum)) for a in VALUES for b in VALUES]
    reductions = [{"function": name, "x": [number(v) for v in x], "result": number(getattr(np, name)(np.array(x)))}
                  for name in ("min", "max", "argmin", "argmax") for x in VECTORS]
    signed = VALUES + [-math.nan]
    bits = [{"function": name, "a": hexbits(a), "b": hexbits(b), "result": hexbits(f(np.float64(a), np.float64(b)))}
            for name, f in (("min", np.minimum), ("max", np.maximum)) for a in signed for b in signed]
    about = ("NumPy's min/max/argmin/argmax of zeros(shape) with axis and keepdims (the result's shape, "
             "or error), np.minimum/np.maximum of pairs of special values, and the reductions of short vectors")
    with open(OUT, "w") as f:
        json.dump({"about": about, "numpy": np.__version__, "empty": cases, "pairs": pairs, "reductions": reductions,
                   "bits": bits}, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(cases)} empty, {len(pairs)} pairs, {len(reductions)} reductions, {len(bits)} bits")


if __name__ == "__main__":
    main()

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
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "empty_reductions.json")
SHAPES = [[0], [0, 3], [3, 0], [2, 0, 4], [0, 0], [1, 0], [0, 100000], [100000, 0]]
AXES = [None, 0, 1, 2, -1, -2, 3]


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
    about = ("NumPy's min/max/argmin/argmax of zeros(shape) with axis and keepdims: the result's shape, "
             "or error (an empty reduction or an axis out of range)")
    with open(OUT, "w") as f:
        json.dump({"about": about, "numpy": np.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()

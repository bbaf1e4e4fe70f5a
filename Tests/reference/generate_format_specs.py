#!/usr/bin/env python3
"""Reference data for `format(x, spec)` on numbers and strings (spec: Python's format-spec mini-language):
Python 3.11's format(x, spec) for a grid of numbers (whole, fractional, tiny, huge, subnormal,
-0.0, nan, +-inf) and specs (every type, precision, `#`, `z`, grouping, sign, fill and
alignment, zero padding; specs Python refuses), exact text. optrepl writes a whole number's
repr without '.0' (spec 7), so the default form ('' and the specs that are only alignment,
sign, width or grouping) of a whole number is left out. Strings: Python 3.11's format(s, spec)
for a few strings (empty, ASCII, accented, combining) and specs, the errors included.

Run by hand (not by CI): python3 Tests/reference/generate_format_specs.py
Writes Tests/reference/format_specs.json: {"about", "python", "cases": [{"x", "spec",
"expected"} or {"x", "spec", "error"}], "strings": [{"s", "spec", "expected"} or {"s", "spec",
"error"}]}, x as a number or "nan"/"inf"/"-inf", -0.0 as -0.0.
"""
import json
import math
import os
import re
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "format_specs.json")

VALUES = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, 9.99, 999.9, 1234.5, 12345.678, 253376.0, 200000.0, 3.14159,
          0.1, 100.0, 1e16, 1e22, 123456789012345678.0, 1e-5, 1.234e-5, 0.000123, -0.0001, -1e-9, 1e-300, 5e-324,
          1e308, -1e308, float("nan"), float("inf"), float("-inf")]

SPECS = ["", ".0", ".1", ".3", ".6", ".7", "#", "#.3", "#.0", "z", "z.0", "z.2f", "z.3e", "zg", "z%", "z.1%",
         ".2f", ".0f", "#.0f", "f", "F", "e", "E", ".3e", "#.0e", "g", "G", ".3g", "#.3g", ".0g", "#g", "#e",
         "%", ".1%", "#%", ",", ",.2f", "_.1f", ",.3", ",%", ",.1%", ",g", "_e", "+", "+.3f", " .2e", "-", "+z.1e",
         "012.3f", "08.3f", "020,.2f", "0=12,.1f", "<10.2f", ">10", "^12.1e", "*^12.1e", "=+10.3f", "x<15,.4e",
         "∑>9.2f", "é>6", "z,.2f", "n", ".3n", "<", "^9", "010", "+010.2%", " 8", "^", "10.0", "#10.3",
         "q", "é\u0301>5", ",_", "._2", "2.2.2", "zz", "=", "#,#", "s", ".2s", ">8s"]

STRINGS = ["", "abcd", "é∑x", "e\u0301te", "a b c d e f"]

STRING_SPECS = ["", "s", ".0", ".2", ".2s", ">6", "<6", "^7", "*^7.3", ">6.2s", "05", "<05", "^05", "010.1", "é>5", "x<3",
                "+", "-", " ", "z", "#", "=5", "0=5", ",", "_", "f", ".2f", "e", "%", "g", "n", "d", "x", "q", "6", "2"]


# [[fill]align][sign][z][#][0][width][grouping][.precision][type]
SPEC = re.compile(r"(?:(?P<fill>.)?(?P<align>[<>=^]))?(?P<sign>[-+ ])?z?#?0?(?P<width>\d+)?[,_]?(?:\.(?P<precision>\d+))?(?P<type>[eEfFgGn%])?")


def number(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def cases():
    out = []
    for spec in SPECS:
        for x in VALUES:
            try:
                text = format(x, spec)
            except ValueError:
                out.append({"x": number(x), "spec": spec, "error": True})
                continue
            # The default form (no type, no precision) of a whole number: optrepl's repr drops
            # the '.0' (spec 7).
            m = SPEC.fullmatch(spec)
            if m and m.group("type") is None and m.group("precision") is None and math.isfinite(x) and x == int(x):
                continue
            out.append({"x": number(x), "spec": spec, "expected": text})
    return out


def string_cases():
    out = []
    for spec in STRING_SPECS:
        for s in STRINGS:
            try:
                out.append({"s": s, "spec": spec, "expected": format(s, spec)})
            except ValueError:
                out.append({"s": s, "spec": spec, "error": True})
    return out


if __name__ == "__main__":
    data = {"about": __doc__.strip().split("\n\n")[0], "python": sys.version.split()[0], "cases": cases(),
            "strings": string_cases()}
    with open(OUT, "w") as f:
        json.dump(data, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"wrote {len(data['cases'])} number cases and {len(data['strings'])} string cases to {OUT}")

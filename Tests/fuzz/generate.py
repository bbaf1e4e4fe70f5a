#!/usr/bin/env python3
"""Grammar-aware program generator for optrepl fuzzing (tests only, never the product).

It knows the built-ins from the binary's own table (`optrepl --reference`, or
docs/reference.md when no binary is given): their names, parameters, labels and defaults.
Arguments are drawn from pools of edge values chosen by parameter name (sizes, axes, rates,
functions, trees, objects, strings), so calls reach the argument checks with the values that
break them: nan, ±inf, ±0, 1e308, -1, 0.5, 9e15, 2^62, empty tensors such as zeros(0, 9e15).

Besides fresh programs it mutates the golden programs (examples/*.opt, Tests/Programs/*.opt):
numbers replaced by edge values, arguments swapped, tokens deleted, lines duplicated or dropped,
built-in names exchanged, generated statements inserted.

    python3 Tests/fuzz/generate.py --seed 1 --count 5 [--binary PATH]   # prints programs

Everything is a pure function of the seed (random.Random), so a campaign is reproducible.
"""

import argparse
import os
import random
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# ---------------------------------------------------------------------------------------------
# The built-in table


class Param:
    def __init__(self, name, default=None, required=True, variadic=False):
        self.name, self.default, self.required, self.variadic = name, default, required, variadic

    def __repr__(self):
        return f"Param({self.name!r}, {self.default!r}, req={self.required}, var={self.variadic})"


def split_top(text, sep=","):
    """Splits on `sep` outside brackets and strings."""
    parts, depth, cur, quoted = [], 0, "", False
    for c in text:
        if c == '"':
            quoted = not quoted
        elif not quoted and c in "([":
            depth += 1
        elif not quoted and c in ")]":
            depth -= 1
        if c == sep and depth == 0 and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts]


ENTRY = re.compile(r"^- `([A-Za-z_][\w.]*)\((.*)\)`:")


def parse_reference(text):
    """{name: [Param]} and the constants, from the reference's markdown."""
    table, constants = {}, []
    for line in text.splitlines():
        if line.startswith("Constants:"):
            constants = re.findall(r"`(\w+)`", line)
        m = ENTRY.match(line)
        if not m:
            continue
        params = []
        for p in split_top(m.group(2)):
            if p.endswith("..."):
                params.append(Param(p[:-3], required=False, variadic=True))
            elif ":" in p:
                name, default = p.split(":", 1)
                params.append(Param(name.strip(), default.strip(), required=False))
            else:
                params.append(Param(p))
        table[m.group(1)] = params
    return table, constants


def load_builtins(binary=None):
    text = None
    if binary:
        try:
            text = subprocess.run([binary, "--reference"], capture_output=True, text=True,
                                  timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            text = None
    if not text:
        with open(os.path.join(ROOT, "docs", "reference.md"), encoding="utf-8") as f:
            text = f.read()
    table, constants = parse_reference(text)
    if not table:
        raise SystemExit("generate.py: no built-ins found in the reference")
    return table, constants


# ---------------------------------------------------------------------------------------------
# Edge values

NUMBERS = ["0", "-0.0", "1", "-1", "0.5", "-0.5", "2", "3", "nan", "inf", "-inf", "1e308", "-1e308",
           "1e-308", "5e-324", "9e15", "2^62", "2^53", "2^63", "1e19", "-1e19", "65536", "1e9",
           "4294967296", "0.1", "1e-9", "100", "1e300", "-2^62", "0.999", "1.5", "7", "-3", "2^31"]
SIZES = ["0", "1", "2", "3", "-1", "0.5", "2.5", "9e15", "2^62", "2^31", "65536", "1e6", "nan",
         "inf", "-inf", "1e19", "-0.0", "4096", "5000", "16777217", "2^24"]
SMALL_SIZES = ["0", "1", "2", "3", "4"]
AXES = ["0", "1", "-1", "2", "-2", "3", "0.5", "nan", "1e19", "-1e19", "2^62", "inf", "nil"]
TENSORS = ["[1, 2, 3]", "[[1, 2], [3, 4]]", "[]", "zeros(0, 9e15)", "zeros(0)", "zeros(0, 3)",
           "[nan, inf, -inf]", "[0.5]", "[[1, 2, 3]]", "[[1], [2]]", "range(5)", "ones(2, 3, 4)",
           "[[[1]]]", "eye(3)", "linspace(0, 1, 5)", "[1e308, -1e308]", "[-0.0, 0]",
           "reshape(range(6), 2, 3).T", "range(10)[::-1]", "reshape(range(12), 3, 4)[:, 1:3]",
           "zeros(3, 0)", "[2^62, -2^62]", "[1, 2] == [1, 3]", "0..<4", "1...3", "randn(3, 2)",
           "full(2, 2, value: nan)", "[[nan]]", "arange(0, 1, 0.25)"]
TREES = ["(W: [1, 2], b: 3)", "(1, 2)", "()", "(a: (b: [1]))", "(x: nan)", "(W: zeros(0), b: [inf])",
         "(0.9, 0.999)", "(W1: randn(2, 2), b1: zeros(2, 1))", "((1, 2), (3, 4))", "(a: 1, a2: [1, 2, 3])",
         "(nil, 1)", "(f: fn(x) = x,)"]
OBJECTS = ["adam()", "sgd()", "momentum()", "rmsprop()", "lion()", "torch.adam()", "torch.sgd(momentum: 0.9)",
           "torch.adamw()", "torch.rmsprop()", "torch.adagrad()", "ewa(beta: 0.9)", "ewa()",
           'schedule("step", 0.1, 2)', 'schedule("cosine", 0.1, 10)', 'schedule("plateau", 0.1)',
           'schedule("onecycle", 0.1, 100)', "grad_scaler()", "stepper(rosenbrock, [0, 0], adam())",
           'schedule("exponential", 0.1, 0.5)', 'schedule("staircase", 0.1, 1, 1000)',
           "adam(lr: nan)", "sgd(lr: inf)", "momentum(beta: 1)",
           # Every torch optimizer (session 20: nadam, asgd and adafactor trapped in the drivers
           # on an empty w, which this list did not reach).
           "torch.adadelta()", "torch.adamax()", "torch.nadam()", "torch.radam()", "torch.rprop()", "torch.asgd()",
           "torch.adafactor()", "torch.muon()", "torch.lbfgs()"]
STRINGS = ['"abc"', '""', '"x.svg"', '"out.csv"', '"constant"', '"β₁"', '"a\\nb"', '"\\(1 + 2)"',
           '"data.npy"', '"step"', '"float32"', '"strong_wolfe"', '"triangular"', '"min"', '"%"', '".6f"',
           '"e"', '"g"', '">10.3f"', '"/dev/zero"']
FUNCTIONS = ["fn(w) = w[0]", "fn(w) = sum(w^2)", "fn(x) = x", "fn() = 1", "fn(e) = 0.5",
             "rosenbrock", "print", "sin", "fn(w) = w", "fn(x, y) = x + y", "fn(w) = nan",
             "fn(w) { return sum(w * w) }", "fn(w) = 1 / w[0]", "fn(w) = norm(w)", "fn(w) = zeros(2)",
             "beale", "himmelblau", "booth", "saddle", "monkey_saddle", "fn(w) = w[0]^2 + w[1]^2",
             "fn(w) = max(w)", "fn(e) = inf", "fn(x) = fn(y) = x", "len", "exit"]
KINDS = ["constant", "inverse_time", "staircase", "step", "multistep", "exponential", "cosine",
         "cosine_restarts", "linear", "onecycle", "warmup_cosine", "plateau", "lambda",
         "multiplicative", "polynomial", "cyclic", "sequential", "chained", "bogus"]
SCALARS = ["true", "false", "nil"]

# Plausible values by kind: most arguments of a call are sane, so the call gets past its first
# check and the one edge value among them reaches the code behind it.
SANE = {
    "size": ["2", "3", "1", "0", "4"],
    "axis": ["0", "1", "-1"],
    "number": ["0.5", "2", "1", "-1", "0.1", "3"],
    "tensor": ["[1, 2, 3]", "[[1, 2], [3, 4]]", "randn(3, 2)", "[0.5, -1]", "range(4)"],
    "w": ["[1, 2]", "[0.5, -1]", "[0, 0]", "[-1.2, 1]"],
    "tree": ["(W: [1, 2], b: 3)", "[1, 2]", "(a: [[1, 2]], b: [3])"],
    "func": ["rosenbrock", "fn(w) = sum(w^2)", "fn(w) = w[0]^2 + w[1]^2", "booth", "fn(e) = 0.5"],
    "object": ["adam()", "sgd(lr: 0.1)", "momentum(lr: 0.1)", "torch.adam(lr: 0.1)", "rmsprop()"],
    "string": ['"x"', '"step"', '".3f"'],
}


# Parameter names that take particular kinds of value.
SIZE_PARAMS = {"dims", "n", "num", "steps", "size", "centers", "classes", "decimals", "total_iters",
               "total_steps", "step_size", "interval", "patience", "t_max", "t_0", "t_mult",
               "growth_interval", "max_iter", "history_size", "k", "cooldown", "warmup", "total"}
AXIS_PARAMS = {"axis"}
FUNC_PARAMS = {"f", "f_or_params"}
TREE_PARAMS = {"tree", "x", "w", "w0", "w0_or_grads", "params", "grads", "t", "values", "trees",
               "collection", "mask", "cond", "a", "b", "tensors", "data", "X", "y", "series", "more",
               "actual", "expected", "scales", "paths"}
OBJECT_PARAMS = {"opt"}
STRING_PARAMS = {"path", "spec", "kind", "message", "title", "xlabel", "ylabel", "mode", "sep", "end",
                 "file", "s", "norm_type", "dtype"}


class Generator:
    def __init__(self, rng, builtins, constants=()):
        self.rng = rng
        self.builtins = builtins
        self.names = sorted(builtins)
        self.constants = list(constants) or ["pi", "e", "inf", "nan"]
        self.vars = []          # (name, kind) bound so far in the program
        self.depth = 0
        self.sanity = 0.0       # chance that a top-level argument is a plausible value

    # -- values ------------------------------------------------------------------------------
    def pick(self, pool):
        return self.rng.choice(pool)

    def number(self):
        r = self.rng.random()
        if r < 0.7:
            return self.pick(NUMBERS)
        if r < 0.85:
            return self.pick(self.constants)
        return repr(self.rng.choice([self.rng.uniform(-10, 10), self.rng.randint(-5, 20)]))

    def sane(self, hint):
        if hint in SIZE_PARAMS:
            kind = "size"
        elif hint in AXIS_PARAMS:
            kind = "axis"
        elif hint in FUNC_PARAMS:
            kind = "func"
        elif hint in OBJECT_PARAMS:
            kind = "object"
        elif hint in ("w", "w0", "x", "w0_or_grads"):
            kind = "w"
        elif hint in TREE_PARAMS:
            kind = "tree"
        elif hint in STRING_PARAMS:
            kind = "string"
        else:
            kind = self.pick(["number", "number", "tensor"])
        return self.pick(SANE[kind])

    def value(self, hint=None):
        """An expression, biased by `hint` (a parameter name or kind)."""
        if self.depth == 0 and self.rng.random() < self.sanity:
            return self.sane(hint)
        self.depth += 1
        try:
            if self.depth > 3:
                return self.pick(NUMBERS + SMALL_SIZES)
            r = self.rng.random()
            if hint in SIZE_PARAMS:
                return self.pick(SIZES) if r < 0.8 else self.value()
            if hint in AXIS_PARAMS:
                return self.pick(AXES)
            if hint in FUNC_PARAMS:
                return self.pick(FUNCTIONS) if r < 0.8 else self.value()
            if hint in OBJECT_PARAMS:
                return self.pick(OBJECTS) if r < 0.85 else self.value()
            if hint in STRING_PARAMS:
                if hint == "kind":
                    return f'"{self.pick(KINDS)}"'
                return self.pick(STRINGS) if r < 0.8 else self.value()
            if hint in TREE_PARAMS:
                return self.tree_like() if r < 0.85 else self.value()
            # no hint: anything
            if r < 0.30:
                return self.number()
            if r < 0.55:
                return self.pick(TENSORS)
            if r < 0.62:
                return self.pick(TREES)
            if r < 0.67:
                return self.pick(OBJECTS)
            if r < 0.72:
                return self.pick(STRINGS)
            if r < 0.77:
                return self.pick(FUNCTIONS)
            if r < 0.80:
                return self.pick(SCALARS)
            if r < 0.88 and self.vars:
                return self.pick(self.vars)[0]
            if r < 0.95:
                return self.call()
            return self.operation()
        finally:
            self.depth -= 1

    def tree_like(self):
        r = self.rng.random()
        if r < 0.5:
            return self.pick(TENSORS)
        if r < 0.7:
            return self.pick(TREES)
        if r < 0.85:
            return self.number()
        if self.vars and r < 0.93:
            return self.pick(self.vars)[0]
        return self.call()

    # -- expressions -------------------------------------------------------------------------
    def call(self, name=None):
        name = name or self.pick(self.names)
        outer = self.sanity
        self.sanity = self.pick([0.0, 0.5, 0.7, 0.85])
        params = self.builtins.get(name, [])
        args = []
        r = self.rng.random()
        positional = [p for p in params if p.required or p.variadic]
        for p in positional:
            if p.variadic:
                for _ in range(self.rng.choice([0, 1, 1, 2, 2, 3])):
                    args.append(self.value(p.name))
            elif r > 0.05:        # now and then a required argument is left out
                args.append(self.value(p.name))
        for p in params:
            if not p.required and not p.variadic and self.rng.random() < 0.3:
                args.append(f"{p.name}: {self.value(p.name)}")
        if r > 0.95:              # one argument too many, or an unknown label
            args.append(self.rng.choice([self.value(), "bogus: 1"]))
        if len(args) > 1 and self.rng.random() < 0.1:
            i, j = self.rng.sample(range(len(args)), 2)
            args[i], args[j] = args[j], args[i]
        self.sanity = outer
        return f"{name}({', '.join(args)})"

    def method(self):
        obj = self.pick(OBJECTS)
        v = self.value()
        choices = [
            f"{obj}.step({self.value('w')}, {self.value('w')})",
            f"{obj}.update({v})",
            f"{obj}({self.pick(NUMBERS)})",
            f"{obj}.table({self.pick(['range(5)', '0..<3', '[0, 1e19]', '[nan]', 'range(0)', '[-1]'])})",
            f"{obj}.step({self.pick(NUMBERS)})",
            f"{obj}.step()",
            f"{obj}.step({self.pick(SIZES)})",
            f"{obj}.reset()",
            f"{obj}.state",
            f"{obj}.t",
            f"{obj}.explain()",
            f"{obj}.torch()",
            f"{obj}.scale({v})",
            f"{obj}.unscale({v})",
            f"{obj}.get_scale()",
            f"{obj}.corrected",
            f"{obj}.path",
            f"{obj}.{self.pick(['lr', 'beta1', 'eps', 'momentum'])}",
        ]
        return self.pick(choices)

    def operation(self):
        a, b = self.value(), self.value()
        op = self.pick(["+", "-", "*", "/", "%", "^", "@", "==", "<", "..<", "..."])
        r = self.rng.random()
        if r < 0.6:
            return f"({a}) {op} ({b})"
        if r < 0.7:
            return f"-({a})"
        if r < 0.8:
            return f"({a})[{self.pick(['0', '-1', '1e19', 'nan', '0.5', '2^62', ':', '::-1', '1:', ':, 0', '0, 0', '::0', '-2^62:'])}]"
        if r < 0.9:
            return f"({a}).T"
        return f"({a}).{self.pick(['W', 'b', 'x', 'shape', 'T', 'step'])}"

    # -- statements --------------------------------------------------------------------------
    def statement(self):
        r = self.rng.random()
        if r < 0.30:
            return f"print({self.call()})"
        if r < 0.45:
            name = f"v{len(self.vars)}"
            stmt = f"{name} = {self.value()}"
            self.vars.append((name, "any"))
            return stmt
        if r < 0.55:
            return f"print({self.method()})"
        if r < 0.62:
            return self.call()
        if r < 0.70:
            return f"print({self.operation()})"
        if r < 0.75 and self.vars:
            v = self.pick(self.vars)[0]
            return self.pick([f"{v}[0] = {self.value()}", f"{v} += {self.value()}", f"{v}.W = {self.value()}",
                              f"{v} *= {self.value()}", f"{v}[:, 0] = {self.value()}"])
        if r < 0.80:
            n = self.pick(["3", "0", "-1", "nan", "2.5"])
            return f"for i in range({n}) {{ print({self.call()}) }}"
        if r < 0.85:
            return f"fn f{len(self.vars)}(w) {{ return {self.call()} }}\nprint(f{len(self.vars)}({self.value('w')}))"
        if r < 0.89:
            # A function of w through an operator or a pair of a built-in with one generated
            # value (`max(w, 0)` trapped on the tape until session 10), or one of the fixed ones.
            made = [f"fn(w) = sum({self.pick(['max', 'min'])}(w, {self.value()}))",
                    f"fn(w) = sum({self.pick(['max', 'min'])}({self.value()}, w))",
                    f"fn(w) = sum(w {self.pick(['*', '/', '^', '%', '-'])} {self.value()})",
                    f"fn(w) = sum({self.value()} {self.pick(['*', '/', '^', '%', '-'])} w)"]
            return f"print(grad({self.pick(FUNCTIONS + made)}, {self.value('w')}))"
        if r < 0.92:
            return f"print(minimize({self.pick(FUNCTIONS)}, {self.value('w')}, {self.pick(OBJECTS)}, steps: {self.pick(['3', '0', '-1', '1e19', 'nan', '2.5', '10'])}))"
        if r < 0.95:
            option = self.pick(['title: "t"', 'logy: true', 'xlabel: "x"', 'file: "p.svg"'])
            return f"plot({self.value()}, {option})"
        if r < 0.97:
            return f"print(scatter({self.value('X')}, {self.value('y')}))"
        return f"print(contour({self.pick(FUNCTIONS)}, x: ({self.number()}, {self.number()}), y: ({self.number()}, {self.number()})))"

    def program(self):
        self.vars = []
        lines = [self.statement() for _ in range(self.rng.choice([1, 1, 2, 3, 5]))]
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Mutation of the golden programs

# Programs that run long on purpose; a mutant of them mostly measures --max-seconds.
SLOW = {"course_moons.opt", "recursion_limit.opt"}


def golden_programs(root=ROOT):
    out = []
    for d in ("examples", "Tests/Programs"):
        base = os.path.join(root, d)
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            if name.endswith(".opt") and name not in SLOW:
                with open(os.path.join(base, name), encoding="utf-8") as f:
                    text = f.read()
                # The expectations are comments; leave them out to keep mutants short.
                lines = [l for l in text.splitlines() if not l.lstrip().startswith("# expect")]
                out.append((f"{d}/{name}", "\n".join(lines) + "\n"))
    return out


NUMBER_TOKEN = re.compile(r"(?<![\w.])\d[\d_]*(\.\d+)?([eE][-+]?\d+)?")
TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*|\d[\w.]*|\.\.[.<]|\*\*|[-+*/%^@=<>!]=?|\S')


class Mutator:
    def __init__(self, rng, generator, corpus):
        self.rng, self.gen, self.corpus = rng, generator, corpus

    def mutate(self, text):
        for _ in range(self.rng.randint(1, 4)):
            text = self.pick_mutation()(text)
        return text

    def pick_mutation(self):
        return self.rng.choice([self.number_edge, self.number_edge, self.number_edge, self.swap_args,
                                self.delete_token, self.duplicate_line, self.delete_line,
                                self.swap_builtin, self.insert_statement, self.truncate])

    def number_edge(self, text):
        spots = list(NUMBER_TOKEN.finditer(text))
        if not spots:
            return text
        m = self.rng.choice(spots)
        return text[:m.start()] + self.rng.choice(NUMBERS + SIZES) + text[m.end():]

    def swap_args(self, text):
        # two neighbouring arguments of one call: "(a, b" -> "(b, a"
        spots = list(re.finditer(r"\(([^(),\n]+),\s*([^(),\n]+)", text))
        if not spots:
            return text
        m = self.rng.choice(spots)
        return text[:m.start()] + f"({m.group(2)}, {m.group(1)}" + text[m.end():]

    def delete_token(self, text):
        spots = list(TOKEN.finditer(text))
        if not spots:
            return text
        m = self.rng.choice(spots)
        return text[:m.start()] + text[m.end():]

    def duplicate_line(self, text):
        lines = text.splitlines()
        if not lines:
            return text
        i = self.rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return "\n".join(lines) + "\n"

    def delete_line(self, text):
        lines = text.splitlines()
        if len(lines) < 2:
            return text
        del lines[self.rng.randrange(len(lines))]
        return "\n".join(lines) + "\n"

    def swap_builtin(self, text):
        names = self.gen.names
        spots = [m for m in re.finditer(r"\b([a-z_][\w.]*)\(", text) if m.group(1) in self.gen.builtins]
        if not spots:
            return text
        m = self.rng.choice(spots)
        return text[:m.start(1)] + self.rng.choice(names) + text[m.end(1):]

    def insert_statement(self, text):
        lines = text.splitlines()
        i = self.rng.randrange(len(lines) + 1)
        self.gen.vars = [(n, "any") for n in set(re.findall(r"^(\w+) =", text, re.M))]
        lines.insert(i, self.gen.statement())
        return "\n".join(lines) + "\n"

    def truncate(self, text):
        if len(text) < 2:
            return text
        return text[:self.rng.randrange(len(text))]


def programs(seed, count, builtins, constants=(), root=ROOT):
    """The campaign's programs: (origin, text) for i in 0..<count, a pure function of seed."""
    rng = random.Random(seed)
    gen = Generator(rng, builtins, constants)
    corpus = golden_programs(root)
    mut = Mutator(rng, gen, corpus)
    out = []
    for i in range(count):
        if corpus and rng.random() < 0.35:
            origin, text = rng.choice(corpus)
            out.append((f"mutant of {origin}", mut.mutate(text)))
        else:
            out.append(("generated", gen.program()))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--binary", help="optrepl binary whose --reference gives the built-ins")
    args = ap.parse_args()
    table, constants = load_builtins(args.binary)
    for k, (origin, text) in enumerate(programs(args.seed, args.count, table, constants)):
        print(f"# --- program {k} ({origin})")
        print(text)


if __name__ == "__main__":
    sys.exit(main())

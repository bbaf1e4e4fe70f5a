#!/usr/bin/env python3
"""REPL == script: the same program typed into the REPL line by line under a pseudo-terminal
must leave the same effects as the script run: the same lines printed by `print`, and the same
final value (repr) of every top-level variable.

Programs: every golden program that runs cleanly (examples/*.opt, Tests/Programs/*.opt), every
code block of docs/tutorial.md, and generated programs (loops, ifs, functions, optimizers,
averagers, one-line blocks followed by a statement).

Typed as a person types them, except that a top-level line which does not end a block gets a
trailing `;`, so the REPL shows no values and its output is exactly what `print` wrote. Lines that
end a block (`for ... { ... }`, `if ...`, `fn ...`) are typed as they are: the REPL's path for
statements that show no value is the one that ran them twice.

Usage: repl_vs_script.py --binary PATH [--generated N] [--seed S] [--verbose]
Exit 0 when every program agrees; prints `N passed, M failed`.
"""

import argparse
import fcntl
import os
import pty
import random
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPTS = ("opt> ", "...> ")


# ---------------------------------------------------------------------------------------------
# Reading programs as lines and statements.

def split_comment(line):
    """(code, comment) of one line: '#' outside strings (with \\( interpolations ) starts a comment."""
    depth_stack = []  # for each open string: interpolation paren depth stack
    i, in_string, interp = 0, False, []
    while i < len(line):
        ch = line[i]
        if in_string:
            if ch == "\\" and i + 1 < len(line) and line[i + 1] == "(":
                interp.append(1)
                in_string = False
                i += 2
                continue
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                in_string = False
        else:
            if ch == '"':
                in_string = True
            elif ch == "#":
                return line[:i], line[i:]
            elif interp and ch == "(":
                interp[-1] += 1
            elif interp and ch == ")":
                interp[-1] -= 1
                if interp[-1] == 0:
                    interp.pop()
                    in_string = True
        i += 1
    return line, ""


def bracket_change(code):
    """Net change of bracket depth over a line's code (strings skipped)."""
    depth, in_string, i = 0, False, 0
    while i < len(code):
        ch = code[i]
        if in_string:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        i += 1
    return depth


def repl_lines(source):
    """The lines to type, and the top-level names the program binds."""
    lines, names, depth, block = [], [], 0, False
    for raw in source.split("\n"):
        code, _ = split_comment(raw)
        code = code.rstrip()
        if not code.strip():
            continue
        at_top = depth == 0
        if at_top:
            # A statement that is a block (shows no value) is typed without a ';'.
            block = re.match(r"\s*(for|while|if|fn\s+[^\W\d])", code) is not None
            m = re.match(r"\s*(?:fn\s+)?([^\W\d]\w*)\s*(?:[-+*/]?=(?!=)|\()", code)
            if m and (code.lstrip().startswith("fn ") or re.match(r"\s*[^\W\d]\w*\s*[-+*/]?=(?!=)", code)):
                if m.group(1) not in names:
                    names.append(m.group(1))
        depth += bracket_change(code)
        if depth == 0 and not (block and code.endswith("}")):
            code += ";"
        lines.append(code)
    return lines, names


def dump_lines(names):
    return ['print("STATE %s", repr(%s))' % (n, n) for n in names]


# ---------------------------------------------------------------------------------------------
# Running a script and a REPL.

def run_script(binary, text, cwd):
    with tempfile.NamedTemporaryFile("w", suffix=".opt", delete=False, dir=cwd) as f:
        f.write(text)
        path = f.name
    try:
        env = dict(os.environ, COLUMNS="75", NO_COLOR="1")
        p = subprocess.run([binary, "--seed", "7", path], cwd=cwd, capture_output=True, timeout=120, env=env)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    finally:
        os.unlink(path)


class Repl:
    def __init__(self, binary, cwd, history):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            env = dict(os.environ, NO_COLOR="1", OPTREPL_HISTORY=history, TERM="dumb")
            env.pop("COLUMNS", None)
            # The size is set before the REPL starts: a later change would redraw its prompt. 75
            # columns, the width a pipe gets (NumPy's linewidth), so rows, explain() and plots wrap
            # at the same place in both.
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 75, 0, 0))
            os.execve(binary, [binary, "--seed", "7"], env)
        self.buffer = b""
        self.read_until_prompt(10)

    def read_until_prompt(self, timeout):
        end = time.time() + timeout
        while time.time() < end:
            text = self.buffer.decode("utf-8", "replace")
            if text.endswith(PROMPTS):
                out, self.buffer = text, b""
                return out
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.buffer += chunk
        out, self.buffer = self.buffer.decode("utf-8", "replace"), b""
        raise TimeoutError("no prompt after: " + out[-400:])

    def wait_for_line_editor(self):
        """Until libedit has the terminal (its raw mode, echo off): typed earlier, the
        terminal's own echo would show the line a second time."""
        for _ in range(400):
            if not termios.tcgetattr(self.fd)[3] & termios.ECHO:
                return
            time.sleep(0.005)

    def type(self, line, timeout=120):
        self.wait_for_line_editor()
        os.write(self.fd, line.encode() + b"\r")
        out = self.read_until_prompt(timeout).replace("\r\n", "\n").replace("\r", "")
        body = out.split("\n")
        # First line: the echo of what was typed; last: the next prompt.
        return [l for l in body[1:-1]]

    def close(self):
        try:
            os.write(self.fd, b"\x04")
            time.sleep(0.05)
        except OSError:
            pass
        try:
            os.kill(self.pid, 9)
        except OSError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def check(binary, name, source, cwd, verbose=False):
    """None when REPL and script agree, else a description of the first difference."""
    lines, names = repl_lines(source)
    dump = dump_lines(names)
    script_text = "\n".join(lines + dump) + "\n"
    status, out, err = run_script(binary, script_text, cwd)
    if status != 0:
        return "skip"
    with tempfile.TemporaryDirectory() as tmp:
        repl = Repl(binary, cwd, os.path.join(tmp, "history"))
        got = []
        try:
            for line in lines + dump:
                got += repl.type(line)
        except TimeoutError as e:
            return "%s: the REPL did not come back: %s" % (name, e)
        finally:
            repl.close()
    want = out.split("\n")[:-1]
    if got != want:
        for k, (a, b) in enumerate(zip(got + ["<end>"] * len(want), want + ["<end>"] * len(got))):
            if a != b:
                return "%s: line %d of output differs:\n  script: %s\n  repl:   %s\nprogram:\n%s" % (
                    name, k + 1, b, a, script_text)
    return None


# ---------------------------------------------------------------------------------------------
# Programs.

def golden_programs():
    progs = []
    for folder in ("examples", "Tests/Programs"):
        for n in sorted(os.listdir(os.path.join(ROOT, folder))):
            if not n.endswith(".opt"):
                continue
            src = open(os.path.join(ROOT, folder, n), encoding="utf-8").read()
            # argv, exit codes and timing-dependent output differ by design between the two.
            if "# args:" in src or "exit(" in src or "# expect exit:" in src or n.startswith("course_moons"):
                continue
            progs.append((folder + "/" + n, src))
    return progs


def tutorial_programs():
    path = os.path.join(ROOT, "docs", "tutorial.md")
    text = open(path, encoding="utf-8").read()
    blocks = re.findall(r"```opt\n(.*?)```", text, re.S)
    # The tutorial's snippets build on each other: one session, as a reader types them.
    return [("docs/tutorial.md", "\n".join(b for b in blocks if "file:" not in b))] if blocks else []


class Gen:
    def __init__(self, rnd):
        self.r = rnd
        self.nums = ["n0", "n1", "n2"]

    def const(self):
        return self.r.choice(["0", "1", "2", "0.5", "-1.25", "3", "0.1", "10"])

    def num(self, d=2):
        if d == 0 or self.r.random() < 0.3:
            return self.r.choice(self.nums + [self.const()])
        a, b = self.num(d - 1), self.num(d - 1)
        return self.r.choice(["(%s + %s)", "(%s - %s)", "(%s * %s)", "(%s ^ 2 + %s)", "max(%s, %s)"]) % (a, b)

    def cond(self):
        return "%s %s %s" % (self.num(1), self.r.choice(["<", ">", "<=", "!="]), self.num(1))

    def body(self, depth, loopvar=None):
        out = []
        for _ in range(self.r.randint(1, 3)):
            k = self.r.randint(0, 5)
            t = self.r.choice(self.nums)
            if k == 0:
                out.append("%s = %s" % (t, self.num()))
            elif k == 1:
                out.append("%s += %s" % (t, loopvar or self.const()))
            elif k == 2:
                out.append('print("\\(%s) \\(%s)")' % (t, loopvar or self.num(1)))
            elif k == 3 and depth > 0:
                out.append("if %s { %s } else { %s }" % (self.cond(), "; ".join(self.body(0, loopvar)),
                                                          "; ".join(self.body(0, loopvar))))
            elif k == 4:
                out.append("count += 1")
            else:
                out.append("xs = append(xs, %s)" % t)
        return out

    def program(self):
        r = self.r
        lines = ["n0 = 1", "n1 = 2", "n2 = 0.5", "count = 0", "xs = []",
                 "opt = adam(lr: 0.1)", "w = [1.0, -2.0]", "e = ewa(beta: 0.9)"]
        for _ in range(r.randint(3, 8)):
            k = r.randint(0, 8)
            if k == 0:
                lines.append("for i in 0..<%d { %s }" % (r.randint(1, 4), "; ".join(self.body(1, "i"))))
            elif k == 1:
                lines.append("for i in 0..<%d {" % r.randint(1, 4))
                lines += ["    " + s for s in self.body(1, "i")]
                lines.append("}")
            elif k == 2:
                lines.append("if %s {" % self.cond())
                lines += ["    " + s for s in self.body(1)]
                lines.append("} else {")
                lines += ["    " + s for s in self.body(1)]
                lines.append("}")
            elif k == 3:
                lines.append("k = 0")
                lines.append("while k < %d { k += 1; %s }" % (r.randint(1, 3), "; ".join(self.body(0, "k"))))
            elif k == 4:
                lines.append("fn f%d(a, b) {" % len(lines))
                lines.append("    if a > b { return a - b } return %s" % r.choice(["a * b", "b - a", "a + b ^ 2"]))
                lines.append("}")
                lines.append("n%d = f%d(%s, %s)" % (r.randint(0, 2), len(lines) - 3, self.num(1), self.num(1)))
            elif k == 5:
                lines.append("for s in 0..<%d { w = opt.step(w, 2 * w) }" % r.randint(1, 3))
                lines.append('print("t=\\(opt.t)", w)')
            elif k == 6:
                lines.append("for s in 0..<%d { e.update(%s) }" % (r.randint(1, 3), self.num(1)))
                lines.append("print(e.t, e.v)")
            elif k == 7:
                lines.append("if %s { print(\"yes\") } n0 = n0 + 1" % self.cond())
            else:
                lines.append("%s = %s" % (r.choice(self.nums), self.num()))
                lines.append(self.r.choice(self.nums))
        lines.append('print(count, len(xs), n0, n1, n2)')
        return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--generated", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    gen = Gen(random.Random(args.seed))
    programs = golden_programs() + tutorial_programs()
    programs += [("generated #%d" % k, gen.program()) for k in range(args.generated)]
    passed = failed = skipped = 0
    for name, src in programs:
        why = check(args.binary, name, src, ROOT, args.verbose)
        if why == "skip":
            skipped += 1
            if args.verbose:
                print("skipped (the script fails):", name)
        elif why:
            failed += 1
            print("FAIL", why)
        else:
            passed += 1
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

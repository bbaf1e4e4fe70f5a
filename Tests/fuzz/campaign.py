#!/usr/bin/env python3
"""Fuzz campaign: runs generated and mutated programs through an optrepl binary and fails on
anything the contract (spec §13, README "Exit codes") forbids.

    python3 Tests/fuzz/campaign.py --seed 1 --count 300 --binary .build/release/optrepl \
        [--jobs 2] [--report fuzz-report.md] [--max-seconds 2] [--max-elements 16777216]

Each program runs from a fresh temporary directory with `--sandbox` (every built-in that reads
or writes files raises an error instead), `--max-seconds` and `--max-elements`, under an
address-space limit, with a wall-clock timeout a few seconds beyond --max-seconds. Outcomes are
counted by exit code. A failure is:

- a signal (a negative return code, or 128+signal other than 130);
- "Fatal error", "Swift runtime failure" or "Program crashed" in the output;
- a hang: still running past the wall-clock timeout;
- an exit code outside the contract's 0, 64, 65, 66, 70, 74, 130 (and codes the program itself
  passes to exit(n) as a literal);
- exit 65 or 70 without a `file:line:col: error:` diagnostic on stderr.

Failures are grouped by class (the signal, the runtime's failure message and the first frame
of the project's own code in the crash backtrace, or the first line of stderr); the first
program of each class is minimised (statements dropped, arguments dropped, calls unwrapped
while the class persists) and written with its symptom to the report. Exit status: 0 when
there was no failure, 1 otherwise.
"""

import argparse
import collections
import concurrent.futures
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402

CONTRACT_CODES = {0, 64, 65, 66, 70, 74, 130}
DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: error:", re.M)
CRASH_TEXT = ("Fatal error", "Swift runtime failure", "Program crashed")
ADDRESS_SPACE = 8 << 30


class Result:
    def __init__(self, code, stdout, stderr, elapsed, hung):
        self.code, self.stdout, self.stderr, self.elapsed, self.hung = code, stdout, stderr, elapsed, hung


def limit_child():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # A sanitizer build reserves terabytes of shadow address space: it cannot run under the
    # address-space limit (ASan itself reports allocations past its own limit).
    if "ASAN_OPTIONS" in os.environ or "TSAN_OPTIONS" in os.environ:
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    except (ValueError, OSError):
        pass


def run_program(binary, text, opts):
    """Runs one program in a fresh temporary directory; never raises."""
    work = tempfile.mkdtemp(prefix="optrepl-fuzz-")
    try:
        path = os.path.join(work, "prog.opt")
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as f:
            f.write(text)
        env = dict(os.environ)
        env.pop("NO_COLOR", None)
        env.update({"COLUMNS": "80", "HOME": work, "OPTREPL_HISTORY": os.path.join(work, "hist"),
                    # The runtime's backtracer names the crashing function; no interactive wait.
                    "SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no,sanitize=yes"})
        cmd = [binary, "--sandbox", "--no-color", "--max-seconds", str(opts.max_seconds),
               "--max-elements", str(opts.max_elements), "prog.opt"]
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=limit_child, start_new_session=True)
        hung = False
        try:
            out, err = proc.communicate(timeout=opts.wall)
        except subprocess.TimeoutExpired:
            hung = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            out, err = proc.communicate()
        elapsed = time.monotonic() - start
        return Result(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                      elapsed, hung)
    finally:
        shutil.rmtree(work, ignore_errors=True)


FRAME = re.compile(r"^\s*\d+ .*? in \S+ at (?:/\S*?/)?(Sources/\S+?:\d+)(?::\d+)?\s*$", re.M)
FUNC = re.compile(r"^\s*\d+ (?:\[[^\]]*\] )*\s*0x[0-9a-f]+ (.*?)(?: \+ \d+)? in \S+ at (?:/\S*?/)?Sources/", re.M)


def crash_site(text):
    """The first frame in the project's own sources of the crashed thread's backtrace."""
    i = text.find(" crashed:")
    if i < 0:
        return None
    part = text[i:]
    m = FRAME.search(part)
    f = FUNC.search(part)
    if not m:
        return None
    func = f.group(1).strip() if f else ""
    return f"{m.group(1)} ({func[:80]})" if func else m.group(1)


def normalise(line):
    line = re.sub(r"0x[0-9a-fA-F]+", "0x…", line)
    return re.sub(r"\d+", "N", line).strip()


def signal_name(n):
    try:
        return signal.Signals(n).name
    except ValueError:
        return f"signal {n}"


def classify(res, text):
    """(outcome label, failure class or None)."""
    both = res.stdout + "\n" + res.stderr
    if res.hung:
        return "hang", "hang past the wall-clock timeout"
    code = res.code
    # A program that can call exit() may end with any code; otherwise 128+n means signal n.
    calls_exit = re.search(r"\bexit\b", text) is not None
    sig = None
    if code < 0:
        sig = -code
    elif code > 128 and code != 130 and code - 128 < 65 and not calls_exit:
        sig = code - 128
    crash_line = None
    for marker in ("Swift runtime failure:", "Fatal error:"):
        for line in both.splitlines():
            if marker in line:
                crash_line = line.strip().strip("*").strip()
                break
        if crash_line:
            break
    if sig is not None or crash_line or any(t in both for t in CRASH_TEXT):
        parts = [signal_name(sig) if sig else f"exit {code}"]
        if crash_line:
            parts.append(normalise(crash_line))
        site = crash_site(both)
        if site:
            parts.append("at " + site)
        return (f"signal {signal_name(sig)}" if sig else f"exit {code}"), "crash: " + " | ".join(parts)
    if code not in CONTRACT_CODES and not calls_exit:
        first = res.stderr.strip().splitlines()[0] if res.stderr.strip() else "(no stderr)"
        return f"exit {code}", f"exit code {code} outside the contract: {normalise(first)}"
    if code in (65, 70) and not DIAGNOSTIC.search(res.stderr):
        first = res.stderr.strip().splitlines()[0] if res.stderr.strip() else "(no stderr)"
        return f"exit {code}", f"exit {code} without a file:line:col diagnostic: {normalise(first)}"
    return f"exit {code}", None


# ---------------------------------------------------------------------------------------------
# Minimisation


def call_spans(text):
    """(open, close) index pairs of every parenthesised argument list."""
    spans, stack, quoted, k = [], [], False, 0
    while k < len(text):
        c = text[k]
        if c == '"' and (k == 0 or text[k - 1] != "\\"):
            quoted = not quoted
        elif not quoted and c == "(":
            stack.append(k)
        elif not quoted and c == ")" and stack:
            spans.append((stack.pop(), k))
        k += 1
    return spans


def candidates(text):
    """Smaller variants of text, biggest cuts first."""
    lines = text.splitlines()
    n = len(lines)
    chunk = n // 2
    while chunk >= 1:
        for start in range(0, n, chunk):
            rest = lines[:start] + lines[start + chunk:]
            if rest:
                yield "\n".join(rest) + "\n"
        chunk //= 2
    # drop one argument of one call
    for (o, c) in sorted(call_spans(text), key=lambda s: s[0] - s[1]):
        inner = text[o + 1:c]
        args = generate.split_top(inner)
        if len(args) > 1:
            for i in range(len(args)):
                yield text[:o + 1] + ", ".join(args[:i] + args[i + 1:]) + text[c:]
    # unwrap a call: f(x) -> x, for each single argument
    for (o, c) in call_spans(text):
        m = re.search(r"[\w.]+$", text[:o])
        if m:
            for a in generate.split_top(text[o + 1:c]):
                if ":" not in a.split("(")[0]:
                    yield text[:m.start()] + a + text[c + 1:]
    # a one-line block -> its body: `for i in range(3) { f(x) }` -> `f(x)`
    for m in re.finditer(r"^[ \t]*(?:for|while|if|fn)\b[^{\n]*\{[ \t]*(.*?)[ \t]*\}[ \t]*$", text, re.M):
        yield text[:m.start()] + m.group(1) + text[m.end():]
    # drop `name = ` in front of an expression
    for m in re.finditer(r"^\s*\w+ = ", text, re.M):
        yield text[:m.start()] + text[m.end():]
    # a compound expression in brackets -> its parts
    for m in re.finditer(r"\(([^()]*)\)", text):
        yield text[:m.start()] + m.group(1) + text[m.end():]


def minimise(binary, text, failure, opts, budget):
    """Shrinks text while it still fails with the same class; returns (text, runs)."""
    runs = 0
    improved = True
    while improved and runs < budget:
        improved = False
        seen = set()
        for cand in candidates(text):
            if runs >= budget:
                break
            if cand in seen or len(cand) >= len(text) or not cand.strip():
                continue
            seen.add(cand)
            runs += 1
            _, f = classify(run_program(binary, cand, opts), cand)
            if f == failure:
                text = cand
                improved = True
                break
    return text, runs


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description="optrepl fuzz campaign")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--report", default="fuzz-report.md")
    ap.add_argument("--max-seconds", type=float, default=2)
    ap.add_argument("--max-elements", type=int, default=1 << 24)
    ap.add_argument("--wall", type=float, default=None, help="wall-clock timeout per program (default max-seconds + 8)")
    ap.add_argument("--minimise-budget", type=int, default=150, help="runs spent shrinking each new failure class")
    ap.add_argument("--variants", type=int, default=4, help="programs minimised per class without a crash site")
    ap.add_argument("--quiet", action="store_true")
    opts = ap.parse_args()
    opts.wall = opts.wall or opts.max_seconds + 8
    binary = os.path.abspath(opts.binary)
    if not os.access(binary, os.X_OK):
        print(f"campaign.py: no executable at {binary}", file=sys.stderr)
        return 2

    table, constants = generate.load_builtins(binary)
    progs = generate.programs(opts.seed, opts.count, table, constants)
    started = time.monotonic()
    outcomes = collections.Counter()
    first_of_class = {}                 # failure class -> (index, origin, text, result)
    members = collections.Counter()     # failure class -> programs
    slow = []
    failing = []                        # (failure class, text) in program order

    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        futures = {pool.submit(run_program, binary, text, opts): k for k, (_, text) in enumerate(progs)}
        results = {}
        for done, fut in enumerate(concurrent.futures.as_completed(futures), 1):
            results[futures[fut]] = fut.result()
            if not opts.quiet and done % 100 == 0:
                print(f"  {done}/{len(progs)} run, {time.monotonic() - started:.0f} s", file=sys.stderr)

    for k, (origin, text) in enumerate(progs):
        res = results[k]
        label, failure = classify(res, text)
        outcomes[label] += 1
        if res.elapsed > opts.max_seconds + 1 and not res.hung:
            slow.append((k, res.elapsed))
        if failure:
            failing.append((failure, text))
            members[failure] += 1
            if failure not in first_of_class:
                first_of_class[failure] = (k, origin, text, res)

    # Minimise the first program of each class (hangs cost a timeout per try: a small budget).
    # A class known only by its message (an abort, whose backtrace stops in libc) may hide several
    # causes: up to --variants of its programs are minimised and the distinct results kept.
    minimised = {}
    for failure, (k, origin, text, res) in sorted(first_of_class.items(), key=lambda x: x[1][0]):
        budget = 12 if failure.startswith("hang") else opts.minimise_budget
        small, runs = minimise(binary, text, failure, opts, budget)
        found = [small]
        if " at Sources/" not in failure and not failure.startswith("hang"):
            others = [t for (f, t) in failing if f == failure][1:1 + 3 * opts.variants]
            for other in others:
                if len(found) >= opts.variants:
                    break
                s2, r2 = minimise(binary, other, failure, opts, budget)
                runs += r2
                if s2 not in found:
                    found.append(s2)
        minimised[failure] = (found, runs)

    elapsed = time.monotonic() - started
    failures = sum(members.values())
    lines = [f"# optrepl fuzz campaign: seed {opts.seed}, {len(progs)} programs, {elapsed:.0f} s",
             "",
             f"binary: {binary}",
             f"flags: --sandbox --max-seconds {opts.max_seconds:g} --max-elements {opts.max_elements}; wall-clock limit {opts.wall:g} s",
             "",
             "outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())),
             f"failures: {failures} programs in {len(members)} classes",
             ""]
    for failure, (k, origin, text, res) in sorted(first_of_class.items(), key=lambda x: x[1][0]):
        found, runs = minimised[failure]
        lines += [f"## {failure}", "",
                  f"{members[failure]} program(s); first: #{k} ({origin}); minimised in {runs} runs to:", ""]
        for small in found:
            lines += ["```", small.rstrip("\n"), "```", ""]
        err = [l for l in res.stderr.splitlines() if l.strip()][:6]
        if err:
            lines += ["stderr of the original (first lines):", "", "```"] + err + ["```", ""]
    if slow:
        lines += ["## slow but finished (over --max-seconds + 1 s: a loop that polls the time limit too rarely)", ""]
        for k, t in slow[:20]:
            lines += [f"#{k}, {t:.1f} s:", "", "```", progs[k][1].rstrip("\n")[:2000], "```", ""]
    report = "\n".join(lines) + "\n"
    with open(opts.report, "w", encoding="utf-8") as f:
        f.write(report)

    summary = (f"fuzz campaign: {len(progs)} programs, " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items()))
               + f"; {failures} failures in {len(members)} classes ({elapsed:.0f} s); report: {opts.report}")
    print(summary)
    for failure in sorted(members, key=lambda f: -members[f]):
        print(f"  {members[failure]:4d}  {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

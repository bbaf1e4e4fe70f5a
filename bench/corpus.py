#!/usr/bin/env python3
"""The corpus of natural programs (bench/corpus/): each NAME.opt has a Python twin NAME.py at
the same level (top level against top level, function against function; NumPy where a Python
user would use it), and where it makes sense a Lua 5.4 twin NAME.lua and a PyTorch twin
NAME_torch.py (the autodiff ones). Runs are alternated (optrepl, python3, lua5.4, torch, then
again, the order turned by one each round) so every program sees the same machine; the medians
give each ratio, and the geometric means sum them up. Times are CPU time (perf stat's
task-clock, or user + system where perf does not work), not wall time: the machine is shared
(see cpu_time). optrepl and lua5.4 are timed as whole processes (start-up included); a Python
twin times its own code, after its imports (bench/corpus_timed.py).

Usage: python3 bench/corpus.py [--repeat N] [--only NAME,...] [--binary PATH] [--no-write] [--table FILE] [--dir DIR]
Called by bench/run.py (make bench); writes its table into docs/performance.md between the
CORPUS markers.
"""
import argparse, math, os, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "bench", "corpus")
TIMED = os.path.join(ROOT, "bench", "corpus_timed.py")
PY_TARGET, LUA_TARGET = 0.5, 1.0
SHORT = 0.1  # seconds: below this, a program gets three times the runs (see measure)
ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
ENV["OMP_NUM_THREADS"] = "1"


def programs():
    """(name, first comment line, {peer: kind}) for each corpus program, in name order."""
    out = []
    for f in sorted(os.listdir(CORPUS)):
        if not f.endswith(".opt"):
            continue
        name = f[:-4]
        first = open(os.path.join(CORPUS, f)).readline().lstrip("# ").strip()
        peers = {}
        for peer, suffix in (("python3", ".py"), ("lua5.4", ".lua"), ("torch", "_torch.py")):
            if os.path.exists(os.path.join(CORPUS, name + suffix)):
                peers[peer] = os.path.join(CORPUS, name + suffix)
        out.append((name, first, peers))
    return out


def perf_works():
    """Whether `perf stat` can count a child's task-clock here."""
    if shutil.which("perf") is None:
        return False
    r = subprocess.run(["perf", "stat", "-x,", "-e", "task-clock", "--", "true"], capture_output=True, text=True)
    return r.returncode == 0 and "task-clock" in r.stderr


PERF = perf_works()


def cpu_time(cmd, cwd=None, env=None):
    """The CPU time a command used: on this shared machine (load averages of 10 on 2 cores while
    others compile) a process waits for a core for most of its wall time, and the wait moves by
    2-5x between runs, while CPU time moves by a few percent. Counted by `perf stat`'s
    task-clock where perf works: the kernel's rusage samples system time by whole ticks (0 or
    15.6 ms here), which made a 12 ms program read 12 or 27 ms from one run to the next (session
    10: `grad_scalar` and `closures` between 0.45x and 0.83x their twins)."""
    if PERF:
        r = subprocess.run(["perf", "stat", "-x,", "-e", "task-clock", "--"] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, env=env or ENV, cwd=cwd or CORPUS)
        if r.returncode != 0:
            raise subprocess.CalledProcessError(r.returncode, cmd)
        for line in r.stderr.splitlines():
            fields = line.split(",")
            if len(fields) > 2 and fields[2] == "task-clock":
                return float(fields[0]) / 1000
        raise RuntimeError("perf stat gave no task-clock: " + r.stderr[-200:])
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENV, cwd=cwd or CORPUS)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise subprocess.CalledProcessError(p.returncode, cmd)
    return usage.ru_utime + usage.ru_stime


def whole(cmd):
    return cpu_time(cmd)


def scale(script):
    """A twin too slow to run whole (PyTorch, ~1 ms per step) runs 1/SCALE of the steps."""
    for line in open(script):
        if line.startswith("SCALE = "):
            return int(line.split("=")[1])
    return 1


def self_timed(script):
    r = subprocess.run(["python3", TIMED, script], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, check=True, env=ENV, cwd=CORPUS)
    return float(r.stderr.strip().splitlines()[-1]) * scale(script)


def timer(peer, path, binary):
    if peer == "optrepl":
        return lambda: whole([binary, path])
    if peer == "lua5.4":
        return lambda: whole(["lua5.4", path])
    return lambda: self_timed(path)


def available(peer):
    if peer == "lua5.4":
        return shutil.which("lua5.4") is not None
    if peer == "torch":
        return subprocess.run(["python3", "-c", "import torch"], capture_output=True).returncode == 0
    return True


def measure(binary, repeat, only):
    have = {p: available(p) for p in ("python3", "lua5.4", "torch")}
    rows = []
    for name, desc, peers in programs():
        if only and name not in only:
            continue
        runs = {"optrepl": timer("optrepl", os.path.join(CORPUS, name + ".opt"), binary)}
        for peer, path in peers.items():
            if have[peer]:
                runs[peer] = timer(peer, path, binary)
        first = {k: t() for k, t in runs.items()}  # warms the page cache
        # A program of a few tens of milliseconds moves by 10-40% between single runs here (a
        # cold start of the binary after a heavy twin, the other jobs on the two cores): such
        # programs get three times the runs, so their medians hold to a few percent.
        rounds = repeat * 3 if max(first.values()) < SHORT else repeat
        times = {k: [] for k in runs}
        order = list(runs)
        for n in range(rounds):
            # The order turns each round, so no peer always runs right after the same other
            # (a PyTorch twin's run leaves caches and the page cache colder for whatever follows).
            for k in order[n % len(order):] + order[:n % len(order)]:
                times[k].append(runs[k]())
        med = {k: statistics.median(v) for k, v in times.items()}
        rows.append((name, desc, med))
        ratios = ", ".join(f"/{k} {med['optrepl'] / v:.2f}" for k, v in med.items() if k != "optrepl")
        print(f"{name:14} " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in med.items()) + f"; {ratios}", flush=True)
    return rows


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def summary(rows):
    py = [m["optrepl"] / m["python3"] for _, _, m in rows if "python3" in m]
    lua = [m["optrepl"] / m["lua5.4"] for _, _, m in rows if "lua5.4" in m]
    torch = [m["optrepl"] / m["torch"] for _, _, m in rows if "torch" in m]
    over = [n for n, _, m in rows if "python3" in m and m["optrepl"] / m["python3"] > PY_TARGET]
    return py, lua, torch, over


def table(rows, repeat):
    py, lua, torch, over = summary(rows)
    cell = lambda m, k: f"{m[k] * 1000:.0f} ms" if k in m else ""
    ratio = lambda m, k: (f"{m['optrepl'] / m[k]:.2f}" if m['optrepl'] / m[k] >= 0.1 else f"{m['optrepl'] / m[k]:.3f}") if k in m else ""
    lines = ["| program | optrepl | python3 | lua5.4 | torch | / python3 | / lua5.4 | / torch |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, desc, m in rows:
        lines.append(f"| `{name}`: {desc} | {cell(m, 'optrepl')} | {cell(m, 'python3')} | {cell(m, 'lua5.4')} | "
                     f"{cell(m, 'torch')} | {ratio(m, 'python3')} | {ratio(m, 'lua5.4')} | {ratio(m, 'torch')} |")
    lines += ["",
              f"Geometric means: {geomean(py):.2f}× python3 over {len(py)} programs (target: each ≤ {PY_TARGET}×), "
              f"{geomean(lua):.2f}× lua5.4 over {len(lua)} (target ≤ {LUA_TARGET}×)"
              + (f", {geomean(torch):.3f}× PyTorch over {len(torch)}" if torch else "") + ".",
              "Programs above 0.5× their Python twin: " + (", ".join(f"`{n}`" for n in over) or "none") + ".",
              "",
              f"CPU time ({'task-clock from perf stat' if PERF else 'user + system'}), medians of {repeat} alternated runs "
              f"({3 * repeat} for programs under {SHORT * 1000:.0f} ms), the order turned each round, measured {time.strftime('%Y-%m-%d %H:%M')} UTC on this project's "
              "shared 2-core machine (other jobs running: ratios taken in one run are what to compare)."]
    return lines


def write(lines, path=os.path.join(ROOT, "docs", "performance.md")):
    text = open(path).read()
    start, end = "<!-- CORPUS START -->", "<!-- CORPUS END -->"
    block = start + "\n\n" + "\n".join(lines) + "\n" + end
    if start in text:
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n## Corpus of natural programs (latest run)\n\n" + block + "\n"
    open(path, "w").write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "optrepl"))
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--table", help="also write the table to this file")
    ap.add_argument("--dir", help="measure the twins in this folder instead (bench/hunt: the cliff hunts' programs); "
                                  "never written into docs/performance.md")
    args = ap.parse_args()
    if args.dir:
        global CORPUS
        CORPUS = os.path.abspath(args.dir)
        args.no_write = True
    only = set(filter(None, args.only.split(",")))
    args.binary = os.path.abspath(args.binary)
    if not os.path.exists(args.binary):
        sys.exit("build the release binary first: make release")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run  # the moons data the course_net twins read (bench/out)
    run.OPTREPL = args.binary
    run.prepare_w5()
    rows = measure(args.binary, args.repeat, only)
    lines = table(rows, args.repeat)
    print("\n".join(lines[-5:]))
    if args.table:
        open(args.table, "w").write("\n".join(lines) + "\n")
    if not args.no_write and not only:
        write(lines)


if __name__ == "__main__":
    main()

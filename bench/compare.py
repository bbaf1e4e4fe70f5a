#!/usr/bin/env python3
"""Two optrepl binaries on every workload of bench/run.py, interleaved in one run, so a change
is measured against the code before it on the same machine at the same moment (the machine is
shared and noisy: runs alternate A, B, A, B and the medians are compared).

Usage: python3 bench/compare.py OLD_BINARY NEW_BINARY [--repeat N] [--only W1,W2] [--cpu] [--corpus]
Prints, per workload, the two medians and NEW/OLD; a ratio above 1.10 is flagged. --cpu times
CPU time (user + system) instead of wall time, which a loaded machine moves far less;
--corpus adds the corpus programs (bench/corpus/*.opt, bench/corpus.py).
"""
import argparse, os, statistics, sys, time, subprocess

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the workload table and helpers)
import corpus  # noqa: E402


def with_binary(cmd, binary):
    if isinstance(cmd, tuple):
        return tuple(with_binary(c, binary) for c in cmd)
    return [binary if c == run.OPTREPL else c for c in cmd]


def once(cmd):
    if isinstance(cmd, tuple):
        a, b = cmd
        return run.time_once(a) - run.time_once(b)
    return run.time_once(cmd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--cpu", action="store_true")
    ap.add_argument("--corpus", action="store_true")
    args = ap.parse_args()
    if args.cpu:
        run.time_once = lambda cmd: corpus.cpu_time(cmd, cwd=run.ROOT, env=run.PEER_ENV)
    workloads = list(run.WORKLOADS)
    if args.corpus:
        workloads += [(name, desc, [run.OPTREPL, os.path.join(corpus.CORPUS, name + ".opt")], {}, None)
                      for name, desc, _ in corpus.programs()]
    only = set(filter(None, args.only.split(",")))
    run.prepare_w5()
    worst = 0
    for name, desc, cmd, _, _ in workloads:
        if only and name not in only:
            continue
        a, b = with_binary(cmd, args.old), with_binary(cmd, args.new)
        once(a), once(b)  # warm the page cache for both
        repeat = args.repeat * 4 if name == "W6" else args.repeat
        ta, tb = [], []
        for _ in range(repeat):
            ta.append(once(a))
            tb.append(once(b))
        ma, mb = statistics.median(ta), statistics.median(tb)
        ratio = mb / ma if ma > 0 else float("nan")
        worst = max(worst, ratio)
        flag = "  <-- slower by more than 10%" if ratio > 1.10 else ""
        print(f"{name:12} old {ma * 1000:9.1f} ms  new {mb * 1000:9.1f} ms  new/old {ratio:5.2f}{flag}", flush=True)
    print(f"worst new/old: {worst:.2f}")


if __name__ == "__main__":
    main()

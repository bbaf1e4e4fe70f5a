#!/usr/bin/env python3
"""The project's benchmark runner: times optrepl (release build) and its peers (python3,
lua5.4) on the same workloads in one run, and writes the medians and ratios into
docs/performance.md between the BENCH markers.

Usage: python3 bench/run.py [--repeat N] [--only NAME,...]   (--only corpus: just bench/corpus.py)
"""
import argparse, os, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
W = os.path.join(ROOT, "bench", "workloads")
OPTREPL = os.path.join(ROOT, ".build", "release", "optrepl")
C_W3 = "/tmp/optrepl-bench-minimize"
C_W4 = "/tmp/optrepl-bench-adam-step"
C_STREAM = "/tmp/optrepl-bench-stream-bound"
OUT = os.path.join(ROOT, "bench", "out")
# W5 runs the example's own definitions on Adam only, and its NumPy peer reads the same data.
W5_PROGRAM = os.path.join(OUT, "course_adam.opt")
W5_X, W5_Y = os.path.join(OUT, "moons_X.npy"), os.path.join(OUT, "moons_y.npy")


def prepare_w5():
    os.makedirs(OUT, exist_ok=True)
    example = open(os.path.join(ROOT, "examples", "course_moons.opt")).read()
    definitions = example.split("\ntrain(")[0]
    with open(W5_PROGRAM, "w") as f:
        f.write(definitions + '\ntrain("Adam", adam(lr: 0.0007, beta1: 0.9, beta2: 0.999, eps: 1e-8), nil);\n')
    subprocess.run([OPTREPL, "-e", f'd = moons(n: 300, noise: 0.2, seed: 3)\nsave_npy("{W5_X}", d.X)\nsave_npy("{W5_Y}", d.y)'],
                   check=True)

# name, description, optrepl command, peers {name: command}, target ratio text
WORKLOADS = [
    ("W1", "scalar EWA loop, 10M iterations",
     [OPTREPL, f"{W}/ewa_loop.opt"],
     {"python3": ["python3", f"{W}/ewa_loop.py"], "lua5.4": ["lua5.4", f"{W}/ewa_loop.lua"]},
     ("python3", 0.37)),
    ("W2", "recursive fib(30)",
     [OPTREPL, f"{W}/fib.opt"],
     {"python3": ["python3", f"{W}/fib.py"], "lua5.4": ["lua5.4", f"{W}/fib.lua"]},
     ("python3", 0.45)),
    ("randn", "randn(10_000_000), setup subtracted",
     ([OPTREPL, f"{W}/randn.opt"], [OPTREPL, f"{W}/randn_base.opt"]),
     {"numpy": ("self-timed", ["python3", f"{W}/randn.py"])},
     ("numpy", 1.5)),
    ("matmul", "512x512 @ 512x512, setup subtracted",
     ([OPTREPL, f"{W}/matmul.opt"], [OPTREPL, f"{W}/matmul_base.opt"]),
     {"numpy": ("self-timed", ["python3", f"{W}/matmul.py"])},
     ("numpy", 3.0)),
    ("W4", "5 adam steps on 10M elements (built-in vs NumPy in-place), setup subtracted",
     ([OPTREPL, f"{W}/adam_step.opt"], [OPTREPL, f"{W}/adam_step_base.opt"]),
     {"numpy": ("self-timed", ["python3", f"{W}/adam_step.py"]), "C (gcc -O2)": ("self-timed", [C_W4]),
      "torch fused": ("self-timed", ["python3", f"{W}/adam_step_torch.py"]),
      "memory bound": ("self-timed", [C_STREAM])},
     ("memory bound", 1.2)),
    ("W4x", "the same 5 Adam updates written out as expressions (m = b1*m + (1-b1)*g, ...), setup subtracted",
     ([OPTREPL, f"{W}/adam_expr.opt"], [OPTREPL, f"{W}/adam_expr_base.opt"]),
     {"numpy": ("self-timed", ["python3", f"{W}/adam_expr.py"])},
     ("numpy", 0.5)),
    ("tree", "100 adam steps on a tree of 1,000 leaves of 10 elements, setup subtracted",
     ([OPTREPL, f"{W}/tree_step.opt"], [OPTREPL, f"{W}/tree_step_base.opt"]),
     {"torch foreach": ("self-timed", ["python3", f"{W}/tree_step.py"])},
     ("torch foreach", 1 / 3)),
    ("W3", "minimize(rosenbrock, adam), 1M steps",
     [OPTREPL, f"{W}/minimize.opt"],
     {"C (gcc -O2)": [C_W3], "python3": ["python3", f"{W}/minimize.py"]},
     ("C (gcc -O2)", 1.5)),
    ("W3b", "1M adam steps written out: grad of a user Rosenbrock + opt.step",
     [OPTREPL, f"{W}/minimize_grad.opt"],
     {"python3": ["python3", f"{W}/minimize.py"]},
     ("python3", 1.0)),
    ("W5", "course moons experiment, Adam, 5000 epochs (examples/course_moons.opt)",
     [OPTREPL, W5_PROGRAM],
     {"numpy": ("self-timed", ["python3", f"{W}/course_moons.py", W5_X, W5_Y])},
     ("numpy", 0.5)),
    ("plot", "contour of Rosenbrock, 200x200 grid, three 10k-step paths, terminal + SVG, setup subtracted",
     ([OPTREPL, f"{W}/contour.opt", os.path.join(OUT, "contour.svg")], [OPTREPL, f"{W}/contour_base.opt"]),
     {},
     None),
    ("W6", "start-up of `optrepl -e ''`",
     [OPTREPL, "-e", ""],
     {"python3": ["python3", f"{W}/empty.py"], "lua5.4": ["lua5.4", f"{W}/empty.lua"]},
     None),
]


# OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE, set on some machines here for old OpenBLAS builds, slow a
# current NumPy: the peers run without them (never changed for tests or CI).
PEER_ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}


def time_once(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=PEER_ENV)
    return time.perf_counter() - start


def self_timed(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=PEER_ENV).stdout
    return float(out.strip().splitlines()[-1])


def median_time(cmd, repeat):
    """Median wall time. A (command, baseline) pair gives the median difference (optrepl's setup
    subtracted; its start-up is small and steady); ("self-timed", command) is a peer script that
    prints the seconds its measured part took (NumPy's import would swamp a difference)."""
    if isinstance(cmd, tuple) and cmd[0] == "self-timed":
        self_timed(cmd[1])
        return statistics.median(self_timed(cmd[1]) for _ in range(repeat))
    if isinstance(cmd, tuple):
        run, base = cmd
        time_once(run)
        return statistics.median(time_once(run) - time_once(base) for _ in range(repeat))
    time_once(cmd)
    return statistics.median(time_once(cmd) for _ in range(repeat))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    if not os.path.exists(OPTREPL):
        sys.exit("build the release binary first: make release")
    if shutil.which("gcc"):
        subprocess.run(["gcc", "-O2", "-o", C_W3, f"{W}/minimize.c", "-lm"], check=True)
        subprocess.run(["gcc", "-O2", "-o", C_W4, f"{W}/adam_step.c", "-lm"], check=True)
        subprocess.run(["gcc", "-O3", "-march=native", "-o", C_STREAM, f"{W}/stream_bound.c"], check=True)
    prepare_w5()
    rows = []
    for name, desc, cmd, peers, target in WORKLOADS:
        if only and name not in only:
            continue
        repeat = args.repeat * 4 if name == "W6" else args.repeat
        ours = median_time(cmd, repeat)
        times = {"optrepl": ours}
        for peer, pcmd in peers.items():
            if shutil.which((pcmd[-1] if isinstance(pcmd, tuple) else pcmd)[0]):
                try:
                    times[peer] = median_time(pcmd, repeat)
                except subprocess.CalledProcessError:
                    print(f"  ({peer} is not available: skipped)")
        ratio = ""
        if target and target[0] in times:
            r = ours / times[target[0]]
            ratio = f"{r:.2f}x {target[0]} (target <= {target[1]:.2g}x)"
        rows.append((name, desc, times, ratio))
        print(f"{name} {desc}: " + ", ".join(f"{k} {v*1000:.1f} ms" for k, v in times.items()) + (f"; {ratio}" if ratio else ""))
    latency = []
    if not only or "REPL" in only:
        out = subprocess.run(["python3", os.path.join(ROOT, "bench", "repl_latency.py"), "--repeat", str(args.repeat * 4)],
                             capture_output=True, text=True, check=True).stdout
        latency = out.strip().splitlines()
        print("\n".join(latency))
    write_report(rows, latency)
    if not only or "corpus" in only:
        # The corpus of natural programs against their Python, Lua and PyTorch twins (issue 15).
        subprocess.run(["python3", os.path.join(ROOT, "bench", "corpus.py"), "--repeat", str(args.repeat),
                        "--binary", OPTREPL], check=True)


def write_report(rows, latency):
    path = os.path.join(ROOT, "docs", "performance.md")
    text = open(path).read() if os.path.exists(path) else "<!-- BENCH START -->\n<!-- BENCH END -->\n"
    head, _, rest = text.partition("<!-- BENCH START -->")
    _, _, tail = rest.partition("<!-- BENCH END -->")
    lines = ["<!-- BENCH START -->", "", "| workload | optrepl | python3 | lua5.4 | numpy | torch | C (gcc -O2) | ratio |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, desc, times, ratio in rows:
        cell = lambda k: f"{times[k]*1000:.1f} ms" if k in times else ""
        lines.append(f"| {name}: {desc} | {cell('optrepl')} | {cell('python3')} | {cell('lua5.4')} | {cell('numpy')} | {cell('torch foreach') or cell('torch fused')} | {cell('C (gcc -O2)')} | {ratio} |")
    if latency:
        lines += ["", "REPL (release, under a pseudo-terminal, `bench/repl_latency.py`; targets 20 ms and 5 ms):", ""]
        lines += [f"- {line}" for line in latency]
    lines += ["", f"Medians of repeated runs, measured {time.strftime('%Y-%m-%d')} by `make bench` on this project's 2-core machine.", "<!-- BENCH END -->"]
    open(path, "w").write(head + "\n".join(lines) + tail)


if __name__ == "__main__":
    main()

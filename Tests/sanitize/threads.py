#!/usr/bin/env python3
"""The paths where optrepl runs a second thread, under ThreadSanitizer: page prefaulting for a
long minimize, the --max-seconds watchdog (in a loop, a built-in, a load), SIGINT, and an
exercise check (the watchdog started and cancelled per file). Fails on any TSan report or
unexpected exit status. Usage: threads.py BINARY; prints `N passed, M failed`."""
import os, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = [
    ("prefault", ["-e", "r = minimize(rosenbrock, [-1.5, 2], adam(lr: 0.01), steps: 300000)\nprint(shape(r.path))"], 0),
    ("watchdog in a loop", ["--max-seconds", "0.5", "-e", "while true {}"], 70),
    ("watchdog in a built-in", ["--max-seconds", "0.5", "-e", "x = repr(randn(2^22))"], 70),
    ("watchdog in a compiled function", ["--max-seconds", "0.5", "-e", "fn spin(x) {\n while true { x = x + 1 }\n return x\n}\nprint(spin(1))"], 70),
    ("watchdog reading a FIFO", ["--max-seconds", "0.5", "-e", "x = load_csv(\"FIFO\")"], 70),
    ("exercises", ["check"] + sorted(os.path.join(ROOT, "exercises", "solutions", f)
                                     for f in os.listdir(os.path.join(ROOT, "exercises", "solutions")) if f.endswith(".opt")), 0),
]


def main():
    binary = sys.argv[1]
    env = dict(os.environ, TSAN_OPTIONS=os.environ.get("TSAN_OPTIONS", "halt_on_error=0"), NO_COLOR="1")
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "fifo")
        os.mkfifo(fifo)
        runs = [(n, [a.replace("FIFO", fifo) for a in args], code) for n, args, code in CASES]
        for name, args, code in runs:
            p = subprocess.run([binary] + args, capture_output=True, timeout=600, env=env, cwd=tmp)
            err = p.stderr.decode("utf-8", "replace")
            ok = p.returncode == code and "ThreadSanitizer" not in err
            print(("ok  " if ok else "FAIL"), name, p.returncode, "" if ok else err[-3000:])
            passed, failed = passed + ok, failed + (not ok)
        # Ctrl-C during a long loop: exit 130, no report.
        p = subprocess.Popen([binary, "-e", "while true {}"], stderr=subprocess.PIPE, env=env)
        time.sleep(1.0)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
        ok = p.returncode == 130 and b"ThreadSanitizer" not in err
        print(("ok  " if ok else "FAIL"), "SIGINT", p.returncode)
        passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""REPL latency (issue 6): start-up to the first prompt, and a Tab completion over the whole
name table (an empty word lists every built-in and variable: two Tabs, measured until the
prompt is drawn again). Runs the release binary under a pseudo-terminal; prints medians.

Usage: python3 bench/repl_latency.py [--repeat N]
"""
import os, pty, select, statistics, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPTREPL = os.path.join(ROOT, ".build", "release", "optrepl")


def read_until(fd, marker, timeout=5.0):
    data = b""
    end = time.perf_counter() + timeout
    while marker not in data:
        r, _, _ = select.select([fd], [], [], max(0.0, end - time.perf_counter()))
        if not r:
            raise TimeoutError(data[-200:])
        data += os.read(fd, 65536)
    return data


def once():
    env = dict(os.environ, NO_COLOR="1", OPTREPL_HISTORY="/tmp/optrepl-bench-history", TERM="xterm", COLUMNS="100")
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(OPTREPL, [OPTREPL], env)
    read_until(fd, b"opt> ")
    startup = time.perf_counter() - start
    os.write(fd, b"\t")
    time.sleep(0.05)
    t0 = time.perf_counter()
    os.write(fd, b"\t")
    # The listing, then the prompt drawn again below it.
    data = read_until(fd, b"zeros_like")
    tail = data[data.index(b"zeros_like"):]
    if b"opt> " not in tail:
        read_until(fd, b"opt> ")
    completion = time.perf_counter() - t0
    os.write(fd, b"\x04")
    os.waitpid(pid, 0)
    os.close(fd)
    return startup, completion


def main():
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 20
    runs = [once() for _ in range(repeat)]
    print(f"start-up to first prompt: median {statistics.median(r[0] for r in runs) * 1000:.1f} ms")
    print(f"Tab listing every name:   median {statistics.median(r[1] for r in runs) * 1000:.2f} ms")


if __name__ == "__main__":
    main()

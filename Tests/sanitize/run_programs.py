#!/usr/bin/env python3
"""Runs every program of a folder (the fuzz corpus) through a sanitizer build and fails on any
report: AddressSanitizer, UndefinedBehaviorSanitizer ("runtime error:"), ThreadSanitizer, or a
signal. Usage: run_programs.py BINARY FOLDER [FOLDER...]; prints `N passed, M failed`."""
import os, subprocess, sys, tempfile

REPORTS = ("ERROR: AddressSanitizer", "runtime error:", "WARNING: ThreadSanitizer", "ERROR: LeakSanitizer")


def main():
    binary, folders = sys.argv[1], sys.argv[2:]
    files = sorted(os.path.join(d, f) for d in folders for f in os.listdir(d) if not f.startswith("."))
    passed = failed = 0
    env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "detect_leaks=0"), NO_COLOR="1", COLUMNS="80")
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            try:
                p = subprocess.run([binary, "--sandbox", "--max-seconds", "5", "--max-elements", "1048576", path],
                                   cwd=tmp, capture_output=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
                err = p.stderr.decode("utf-8", "replace")
                bad = p.returncode < 0 or any(r in err for r in REPORTS)
            except subprocess.TimeoutExpired:
                bad, err = True, "timed out"
            if bad:
                failed += 1
                print("FAIL", path, "\n" + err[-3000:])
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

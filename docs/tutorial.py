#!/usr/bin/env python3
"""Runs docs/tutorial.md's `opt` blocks in one session (from docs/, so plots land in docs/img/)
and rewrites the `output` block after each with what it printed. `make docs` calls this;
the suite (TutorialTests) checks that the file still matches.

Usage: python3 docs/tutorial.py [OPTREPL]
"""
import os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "tutorial.md")
MARK = "=== end of block ==="
BLOCK = re.compile(r"```opt\n(.*?)```\n(\n```output\n.*?```\n)?", re.S)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "release", "optrepl")
    text = open(DOC).read()
    blocks = [m.group(1) for m in BLOCK.finditer(text)]
    program = "".join(b + f'print("{MARK}")\n' for b in blocks)
    os.makedirs(os.path.join(ROOT, "docs", "img"), exist_ok=True)
    run = subprocess.run([binary, "-"], input=program, capture_output=True, text=True,
                         cwd=os.path.join(ROOT, "docs"), env=dict(os.environ, COLUMNS="80"))
    if run.returncode != 0:
        sys.exit(run.stderr)
    outputs = run.stdout.split(MARK + "\n")[:-1]
    it = iter(outputs)

    def replace(m):
        out = next(it)
        block = "```opt\n" + m.group(1) + "```\n"
        return block + ("\n```output\n" + out + "```\n" if out else "")

    open(DOC, "w").write(BLOCK.sub(replace, text))


if __name__ == "__main__":
    main()

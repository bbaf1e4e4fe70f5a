#!/usr/bin/env python3
"""Writes docs/tutorial.ipynb from docs/tutorial.md and executes it with the optrepl kernel
(issue 16): prose becomes markdown cells, each `opt` block a code cell. The `output` blocks are
left out (running the cell makes them), and so are `file: "img/..."` arguments and the image
lines that show those files: in a notebook a plot appears under its cell. Run by hand after
the tutorial changes, or `make docs` (needs nbformat and nbclient; the kernelspec of OPTREPL is
installed into a temporary folder for the run); the suite (Tests/jupyter/notebook.py) executes
the notebook again and checks every cell.

Usage: python3 docs/tutorial_notebook.py [OPTREPL]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "tutorial.md")
NOTEBOOK = os.path.join(ROOT, "docs", "tutorial.ipynb")
BLOCK = re.compile(r"```opt\n(.*?)```\n(?:\n```output\n.*?```\n)?", re.S)
FILE_ARGUMENT = re.compile(r',\s*file:\s*"[^"]*"')
IMAGE_LINE = re.compile(r"^!\[[^\]]*\]\(img/[^)]*\)\n?", re.M)


def cells(text):
    """(kind, source) pairs in order: markdown between code blocks, code for each block."""
    out = []
    at = 0
    for m in BLOCK.finditer(text):
        prose = IMAGE_LINE.sub("", text[at:m.start()]).strip("\n")
        if prose:
            out.append(("markdown", prose))
        out.append(("code", FILE_ARGUMENT.sub("", m.group(1)).rstrip("\n")))
        at = m.end()
    prose = IMAGE_LINE.sub("", text[at:]).strip("\n")
    if prose:
        out.append(("markdown", prose))
    return out


def notebook(text):
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "optrepl", "display_name": "optrepl", "language": "optrepl"},
        "language_info": {"name": "optrepl", "file_extension": ".opt", "mimetype": "text/x-optrepl",
                          "pygments_lexer": "optrepl", "codemirror_mode": "python"},
    }
    for kind, source in cells(text):
        nb.cells.append(nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source))
    # Stable cell ids, so regenerating an unchanged tutorial changes nothing.
    for k, cell in enumerate(nb.cells):
        cell.id = f"cell-{k}"
    return nb


def main():
    import nbformat
    from nbclient import NotebookClient
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "release", "optrepl")
    prefix = tempfile.mkdtemp(prefix="optrepl-kernelspec-")
    subprocess.run([os.path.abspath(binary), "kernel", "install", "--prefix", prefix], check=True, capture_output=True)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    nb = notebook(open(DOC).read())
    try:
        NotebookClient(nb, timeout=600, kernel_name="optrepl", resources={"metadata": {"path": os.path.join(ROOT, "docs")}}).execute()
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
    # Drop the run's timings from cell metadata: they change at every run.
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, NOTEBOOK)


if __name__ == "__main__":
    sys.exit(main())

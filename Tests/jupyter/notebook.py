#!/usr/bin/env python3
"""docs/tutorial.ipynb in the optrepl kernel (issue 16):

1. the notebook is docs/tutorial.md's cells (docs/tutorial_notebook.py makes it), and its
   saved outputs are what the kernel makes now;
2. nbclient executes it and every code cell prints exactly the tutorial's `output` block, shows
   one valid SVG per plot the block draws, and raises no error;
3. nbconvert turns it into HTML, and headless Chromium loads the page: the check script in the
   page counts the plots and their sizes, which must all be non-zero; a screenshot of the page
   is written (to --screenshot PATH, by default optrepl-tutorial-notebook.png in the temporary
   folder) to look at.

Usage: notebook.py --binary PATH [--screenshot PATH]
Exit 0 when every check passes; prints each failure and `N passed, M failed`.
"""

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.dom.minidom

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "docs"))
import tutorial_notebook  # noqa: E402

FAILURES = []
PASSED = [0]


def check(name, got, expected):
    if got == expected:
        PASSED[0] += 1
    else:
        FAILURES.append(name)
        print(f"FAIL {name}:\n  expected {expected!r}\n  got      {got!r}", flush=True)


def outputs_text(cell):
    """A cell's outputs but the pictures of plots (the plotting code may change how it draws;
    `make docs` refreshes the notebook then) and metadata."""
    out = []
    for o in cell.get("outputs", []):
        o = {k: v for k, v in o.items() if k != "metadata"}
        if "data" in o:
            o["data"] = {k: v for k, v in o["data"].items() if k not in ("image/svg+xml", "image/png")}
        out.append(o)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--screenshot")
    args = ap.parse_args()
    import nbformat
    from nbclient import NotebookClient

    prefix = tempfile.mkdtemp(prefix="optrepl-kernelspec-")
    subprocess.run([os.path.abspath(args.binary), "kernel", "install", "--prefix", prefix], check=True, capture_output=True)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")

    text = open(tutorial_notebook.DOC).read()
    saved = nbformat.read(tutorial_notebook.NOTEBOOK, as_version=4)
    expected_cells = tutorial_notebook.cells(text)
    check("notebook cells are the tutorial's", [(c.cell_type, c.source) for c in saved.cells], expected_cells)

    # What each block prints and how many plots it draws, from the markdown.
    blocks = [(m.group(1), m.group(2) or "") for m in
              re.finditer(r"```opt\n(.*?)```\n(?:\n```output\n(.*?)```\n)?", text, re.S)]

    nb = copy.deepcopy(saved)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    NotebookClient(nb, timeout=600, kernel_name="optrepl",
                   resources={"metadata": {"path": os.path.join(ROOT, "docs")}}).execute()

    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    check("one code cell per block", len(code_cells), len(blocks))
    plots = 0
    for k, (cell, (source, printed)) in enumerate(zip(code_cells, blocks)):
        name = f"cell {k + 1} ({source.splitlines()[0][:40]})"
        stream = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
        check(f"{name}: prints the tutorial's output", stream, printed)
        check(f"{name}: no error", [o.ename for o in cell.outputs if o.output_type == "error"], [])
        svgs = [o.data["image/svg+xml"] for o in cell.outputs
                if o.output_type == "display_data" and "image/svg+xml" in o.data]
        check(f"{name}: one SVG per plot", len(svgs), len(tutorial_notebook.FILE_ARGUMENT.findall(source)))
        for svg in svgs:
            check(f"{name}: SVG is valid", xml.dom.minidom.parseString(svg).documentElement.tagName, "svg")
        pngs = [o.data["image/png"] for o in cell.outputs if o.output_type == "display_data" and "image/png" in o.data]
        check(f"{name}: a PNG beside each SVG (what Jupyter shows of an untrusted notebook)", len(pngs), len(svgs))
        plots += len(svgs)
        check(f"{name}: execution count", cell.execution_count, k + 1)
    check("the tutorial draws plots", plots >= 3, True)
    check("saved outputs are the kernel's", [outputs_text(c) for c in saved.cells if c.cell_type == "code"],
          [outputs_text(c) for c in code_cells])

    # nbconvert to HTML, then Chromium.
    from nbconvert import HTMLExporter
    body, _ = HTMLExporter().from_notebook_node(nb)
    check("HTML highlights optrepl code", 'class="k">for</span>' in body or 'class="k">fn</span>' in body, True)
    probe = """<script>
window.addEventListener('load', function () {
  var shown = document.querySelectorAll('.jp-RenderedSVG svg, .jp-RenderedSVG img, .jp-RenderedImage img');
  var sizes = [];
  shown.forEach(function (e) { var r = e.getBoundingClientRect(); sizes.push([Math.round(r.width), Math.round(r.height)]); });
  var p = document.createElement('pre'); p.id = 'optrepl-probe';
  p.textContent = 'PROBE ' + JSON.stringify({loaded: true, images: sizes});
  document.body.appendChild(p);
});
</script>"""
    body = body.replace("</body>", probe + "</body>")
    work = tempfile.mkdtemp(prefix="optrepl-nbconvert-")
    page = os.path.join(work, "tutorial.html")
    open(page, "w").write(body)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    check("chromium is installed", chromium is not None, True)
    if chromium:
        flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--virtual-time-budget=5000"]
        dom = subprocess.run(flags + ["--dump-dom", "file://" + page], capture_output=True, text=True, timeout=120)
        m = re.search(r"PROBE (\{.*?\})\s*</pre>", dom.stdout)
        probe_result = json.loads(m.group(1).replace("&quot;", '"')) if m else {}
        check("the page loaded", probe_result.get("loaded"), True)
        sizes = probe_result.get("images", [])
        check("every plot is in the page", len(sizes), plots)
        check("every plot has a size", [s for s in sizes if s[0] <= 0 or s[1] <= 0], [])
        shot = os.path.abspath(args.screenshot or os.path.join(tempfile.gettempdir(), "optrepl-tutorial-notebook.png"))
        if os.path.exists(shot):
            os.remove(shot)
        subprocess.run(flags + ["--window-size=1100,3000", f"--screenshot={shot}", "file://" + page],
                       capture_output=True, timeout=120)
        check("screenshot written", os.path.exists(shot) and os.path.getsize(shot) > 10000, True)
        print(f"screenshot: {shot}")
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(prefix, ignore_errors=True)

    print(f"{PASSED[0]} passed, {len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())

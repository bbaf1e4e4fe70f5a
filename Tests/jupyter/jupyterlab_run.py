#!/usr/bin/env python3
"""The tutorial done in JupyterLab, as a user does it (a check run by hand: it needs
`pip install jupyterlab`, which the suite does not install). Starts JupyterLab on a copy of
docs/tutorial.ipynb with the kernel installed in a temporary folder, opens it in headless
Chromium, clicks into the first code cell and presses Shift+Enter through the notebook (over
the DevTools protocol), then checks that every code cell ran in order, that no cell shows an
error, and that every plot is drawn as an SVG with a size. Screenshots go to --shots DIR.

Usage: jupyterlab_run.py --binary PATH [--shots DIR]
"""

import argparse
import asyncio
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=60):
    for _ in range(seconds * 4):
        try:
            return urllib.request.urlopen(url, timeout=1).read()
        except Exception:
            time.sleep(0.25)
    raise SystemExit(f"{url} did not answer")


async def drive(ws_url, lab_url, code_cells, shots):
    from tornado.websocket import websocket_connect
    ws = await websocket_connect(ws_url, max_message_size=200_000_000)
    counter = [0]

    async def call(method, **params):
        counter[0] += 1
        mid = counter[0]
        await ws.write_message(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            m = json.loads(await ws.read_message())
            if m.get("id") == mid:
                return m.get("result", {})

    async def js(expr):
        r = await call("Runtime.evaluate", expression=expr, awaitPromise=True, returnByValue=True)
        return r.get("result", {}).get("value")

    async def key(k, code, vk, modifiers=0):
        for kind in ("keyDown", "keyUp"):
            await call("Input.dispatchKeyEvent", type=kind, key=k, code=code, windowsVirtualKeyCode=vk, modifiers=modifiers)

    async def shot(name):
        if shots:
            r = await call("Page.captureScreenshot", format="png")
            open(os.path.join(shots, name), "wb").write(base64.b64decode(r["data"]))

    await call("Page.enable")
    await call("Page.navigate", url=lab_url)
    for _ in range(120):
        await asyncio.sleep(0.5)
        if await js("document.body.innerText.includes('optrepl | Idle')"):
            break
    await js("document.querySelector('.jp-CodeCell .jp-InputArea-editor')"
             ".dispatchEvent(new MouseEvent('mousedown', {bubbles: true})) || true")
    await key("Escape", "Escape", 27)
    # Shift+Enter on each code cell and each markdown cell between them; the last runs add
    # empty cells at the end, which is what a user pressing on would see too.
    for _ in range(code_cells * 3):
        await key("Enter", "Enter", 13, 8)
        await asyncio.sleep(0.2)
    for _ in range(600):
        await asyncio.sleep(0.5)
        if not await js("[...document.querySelectorAll('.jp-InputPrompt')].some(e => e.textContent.includes('*'))"):
            break
    await asyncio.sleep(1)
    await shot("jupyterlab-end.png")
    prompts = await js("[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim())")
    errors = await js("document.querySelectorAll('.jp-OutputArea-output[data-mime-type=\"application/vnd.jupyter.stderr\"]').length")
    sizes = await js("[...document.querySelectorAll('.jp-RenderedSVG img, .jp-RenderedSVG svg')]"
                     ".map(e => { var r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)] })")
    await js("[...document.querySelectorAll('.jp-RenderedSVG')][0].scrollIntoView() || true")
    await asyncio.sleep(0.5)
    await shot("jupyterlab-plot.png")
    return prompts, errors, sizes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--shots")
    args = ap.parse_args()
    import nbformat
    work = tempfile.mkdtemp(prefix="optrepl-jupyterlab-")
    subprocess.run([os.path.abspath(args.binary), "kernel", "install", "--prefix", os.path.join(work, "prefix")],
                   check=True, capture_output=True)
    root = os.path.join(work, "root")
    os.makedirs(root)
    shutil.copy(os.path.join(ROOT, "docs", "tutorial.ipynb"), root)
    code_cells = sum(1 for c in nbformat.read(os.path.join(root, "tutorial.ipynb"), 4).cells if c.cell_type == "code")
    port, debug_port = free_port(), free_port()
    env = dict(os.environ, JUPYTER_PATH=os.path.join(work, "prefix", "share", "jupyter"),
               JUPYTER_CONFIG_DIR=os.path.join(work, "config"), JUPYTER_RUNTIME_DIR=os.path.join(work, "runtime"))
    lab = subprocess.Popen(["jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
                            "--allow-root", f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={work}/workspaces"],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    browser = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={debug_port}",
                                "--window-size=1300,1000", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/api")
        tabs = json.loads(wait_for(f"http://127.0.0.1:{debug_port}/json"))
        ws_url = [t for t in tabs if t["type"] == "page"][0]["webSocketDebuggerUrl"]
        if args.shots:
            os.makedirs(args.shots, exist_ok=True)
        prompts, errors, sizes = asyncio.run(drive(ws_url, f"http://127.0.0.1:{port}/lab/tree/tutorial.ipynb", code_cells, args.shots))
    finally:
        browser.kill()
        lab.terminate()
        lab.wait()
        browser.wait()
        shutil.rmtree(work, ignore_errors=True)
    ran = [p for p in prompts if p != "[ ]:"]
    failures = []
    if ran != [f"[{k}]:" for k in range(1, code_cells + 1)]:
        failures.append(f"cells ran as {ran}, expected [1]..[{code_cells}]")
    if errors:
        failures.append(f"{errors} cells show an error")
    if not sizes or any(w <= 0 or h <= 0 for w, h in sizes):
        failures.append(f"plots drawn as SVG: {sizes}")
    print(f"{len(ran)} of {code_cells} cells ran, {errors} errors, SVG plots {sizes}")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

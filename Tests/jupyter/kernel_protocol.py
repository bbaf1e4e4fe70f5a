#!/usr/bin/env python3
"""The Jupyter kernel (`optrepl kernel`, issue 16) driven by jupyter_client's KernelManager, as
JupyterLab drives it: every message type, checked for exact content.

The kernelspec is installed with `optrepl kernel install --prefix TMP` and found through
JUPYTER_PATH, so nothing outside a temporary folder is touched.

Usage: kernel_protocol.py --binary PATH
Exit 0 when every check passes; prints each failure and `N passed, M failed`.
"""

import argparse
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.dom.minidom

import jupyter_client

FAILURES = []
PASSED = [0]


def check(name, got, expected):
    if got == expected:
        PASSED[0] += 1
    else:
        FAILURES.append(name)
        print(f"FAIL {name}:\n  expected {expected!r}\n  got      {got!r}", flush=True)


def install(binary, prefix):
    run = subprocess.run([binary, "kernel", "install", "--prefix", prefix], capture_output=True, text=True)
    spec_dir = os.path.join(prefix, "share", "jupyter", "kernels", "optrepl")
    check("install says where", run.stdout, f"installed the optrepl kernel in {spec_dir}\n")
    check("install status", run.returncode, 0)
    check("kernelspec files", sorted(os.listdir(spec_dir)),
          ["kernel.js", "kernel.json", "logo-32x32.png", "logo-64x64.png", "logo-svg.svg"])
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    data = tempfile.mkdtemp(prefix="optrepl-user-")
    run = subprocess.run([binary, "kernel", "install", "--user"], capture_output=True, text=True,
                         env=dict(os.environ, JUPYTER_DATA_DIR=data))
    check("install --user", (run.returncode, run.stdout), (0, f"installed the optrepl kernel in {data}/kernels/optrepl\n"))
    usage = "usage: optrepl kernel install [--user] [--prefix P]\n"
    for argv, status, err in [
        (["kernel"], 64, "usage: optrepl kernel CONNECTION_FILE | optrepl kernel install [--user] [--prefix P]\n"),
        (["kernel", "/nonexistent/kernel.json"], 66, "optrepl kernel: cannot open the connection file '/nonexistent/kernel.json'\n"),
        (["kernel", "install", "--system"], 64, "optrepl kernel install: unknown option '--system'\n" + usage),
        (["kernel", "install", "--prefix"], 64, "optrepl kernel install: --prefix takes a folder\n" + usage),
        (["kernel", "install", "--user", "--prefix", data], 64, "optrepl kernel install: --user and --prefix cannot be used together\n" + usage),
    ]:
        run = subprocess.run([binary] + argv, capture_output=True, text=True)
        check(f"optrepl {' '.join(argv)}", (run.returncode, run.stdout, run.stderr), (status, "", err))
    spec = jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec("optrepl")
    check("kernelspec argv", spec.argv, [os.path.realpath(binary), "kernel", "{connection_file}"])
    check("kernelspec language", spec.language, "optrepl")
    check("kernelspec display name", spec.display_name, "optrepl")
    check("kernelspec interrupt mode", spec.interrupt_mode, "signal")


class Cell:
    """One execute_request: the reply and the iopub messages it caused, in order."""

    def __init__(self, kc, code, **kw):
        msg_id = kc.execute(code, **kw)
        self.reply = kc.get_shell_msg(timeout=30)
        assert self.reply["parent_header"]["msg_id"] == msg_id
        self.iopub = []
        while True:
            m = kc.get_iopub_msg(timeout=30)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            self.iopub.append(m)
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break

    def types(self):
        return [m["msg_type"] for m in self.iopub]

    def of(self, kind):
        return [m["content"] for m in self.iopub if m["msg_type"] == kind]


def shell_request(kc, kind, content):
    msg = kc.session.msg(kind, content)
    kc.shell_channel.send(msg)
    reply = kc.get_shell_msg(timeout=10)
    assert reply["parent_header"]["msg_id"] == msg["header"]["msg_id"]
    return reply


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    prefix = tempfile.mkdtemp(prefix="optrepl-kernelspec-")
    install(binary, prefix)

    km = jupyter_client.KernelManager(kernel_name="optrepl")
    started = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    info = kc.kernel_info(reply=True, timeout=10)
    print(f"start-up to kernel_info_reply: {(time.perf_counter() - started) * 1e3:.1f} ms")

    check("kernel_info_reply", info["content"], {
        "status": "ok",
        "protocol_version": "5.3",
        "implementation": "optrepl",
        "implementation_version": "0.1.0",
        "language_info": {
            "name": "optrepl", "version": "0.1.0", "mimetype": "text/x-optrepl", "file_extension": ".opt",
            "pygments_lexer": "optrepl", "codemirror_mode": "python",
        },
        "banner": "optrepl 0.1.0 — a language for exploring the optimizers of deep learning (:help for help)",
        "help_links": [],
    })
    check("kernel_info header", (info["header"]["msg_type"], info["header"]["version"]), ("kernel_info_reply", "5.3"))
    check("heartbeat", kc.hb_channel.is_beating(), True)

    # a message signed with another key is dropped (HMAC-SHA256 of the connection file's key)
    forged = jupyter_client.session.Session(key=b"not the key", username="intruder")
    forged.send(kc.shell_channel.socket, forged.msg("kernel_info_request", {}))
    try:
        kc.get_shell_msg(timeout=1)
        check("a forged message is not answered", "answered", "dropped")
    except Exception:
        check("a forged message is not answered", "dropped", "dropped")

    # execute: counts, ans, silence with ;, stream, execute_result
    c = Cell(kc, "x = 1 + 2")
    check("assignment reply", c.reply["content"],
          {"status": "ok", "execution_count": 1, "user_expressions": {}, "payload": []})
    # As at the REPL's prompt, an assignment shows the value assigned.
    check("assignment iopub", c.types(), ["status", "execute_input", "execute_result", "status"])
    check("assignment shows its value", c.of("execute_result")[0]["data"], {"text/plain": "3"})
    check("execute_input", c.of("execute_input"), [{"code": "x = 1 + 2", "execution_count": 1}])
    c = Cell(kc, "x = 1 + 2;")
    check("; silences", c.types(), ["status", "execute_input", "status"])
    c = Cell(kc, "x * 2")
    check("execute_result", c.of("execute_result"),
          [{"execution_count": 3, "data": {"text/plain": "6"}, "metadata": {}}])
    check("result iopub", c.types(), ["status", "execute_input", "execute_result", "status"])
    c = Cell(kc, "a = 10\nb = 20\na + b")
    check("a cell shows its last statement's value", c.of("execute_result"),
          [{"execution_count": 4, "data": {"text/plain": "30"}, "metadata": {}}])
    c = Cell(kc, "x * 2")
    c = Cell(kc, "ans + 1")
    check("ans", c.of("execute_result")[0]["data"], {"text/plain": "7"})
    c = Cell(kc, "y = ans;\nprint(\"y is \\(y)\")\n\"done\"")
    check("print as stream", c.of("stream"), [{"name": "stdout", "text": "y is 7\n"}])
    check("string shown quoted", c.of("execute_result")[0]["data"], {"text/plain": '"done"'})
    check("count after 7 cells", c.reply["content"]["execution_count"], 7)
    c = Cell(kc, "1 + 1", silent=True)
    check("silent: no result, no count", (c.types(), c.reply["content"]["execution_count"]), (["status", "status"], 7))
    c = Cell(kc, "x", store_history=False)
    check("store_history false keeps the count", c.reply["content"]["execution_count"], 7)

    # errors: the diagnostic's text
    c = Cell(kc, "z = 1\nw = nope + 1")
    err = {"ename": "RuntimeError", "evalue": "unknown name 'nope'; did you mean 'norm'?",
           "traceback": ["In[8]:2:5: error: unknown name 'nope'; did you mean 'norm'?", "    w = nope + 1",
                         "        ^~~~"]}
    got = c.of("error")
    check("runtime error on iopub", got[0] if got else None, err)
    check("runtime error reply", c.reply["content"], dict(status="error", execution_count=8, **err))
    c = Cell(kc, "z")
    check("lines before the error ran", c.of("execute_result")[0]["data"], {"text/plain": "1"})
    c = Cell(kc, "1 +* 2")
    check("syntax error", (c.reply["content"]["status"], c.reply["content"]["ename"]), ("error", "SyntaxError"))
    check("syntax error text", c.reply["content"]["traceback"][0].startswith("In[10]:1:4: error: "), True)

    # rich output: plots, matrices, named tuples, display forms
    c = Cell(kc, "plot([1, 4, 9], title: \"squares\")")
    d = c.of("display_data")
    check("plot is display_data", [sorted(x["data"].keys()) for x in d], [["image/png", "image/svg+xml", "text/plain"]])
    if d:
        png = base64.b64decode(d[0]["data"]["image/png"])
        check("png of the plot", (png[:8], int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")),
              (b"\x89PNG\r\n\x1a\n", 750, 500))
        svg = d[0]["data"]["image/svg+xml"]
        check("svg parses", xml.dom.minidom.parseString(svg).documentElement.tagName, "svg")
        check("svg has the title", "squares" in svg, True)
        check("text fallback has the title", "squares" in d[0]["data"]["text/plain"], True)
    check("plot shows no value", c.of("execute_result"), [])
    c = Cell(kc, "plot(a: [1, 2, 3], b: [3, 2, 1], animate: true, duration: 2)")
    d = c.of("display_data")
    check("an animation without file: is shown", len(d), 1)
    if d:
        check("it moves", "<animate" in d[0]["data"]["image/svg+xml"], True)
    c = Cell(kc, "[[1, 2], [3, 4.5]]")
    check("matrix", c.of("execute_result")[0]["data"], {
        "text/plain": "[[  1,   2],\n [  3, 4.5]]",
        "text/html": '<table class="optrepl"><tr><th></th><th>0</th><th>1</th></tr>'
                     '<tr><th>0</th><td>1</td><td>2</td></tr><tr><th>1</th><td>3</td><td>4.5</td></tr></table>',
    })
    c = Cell(kc, "opt = adam(lr: 0.1)\nw = opt.step([1.0, 2.0], [0.5, -1.0]);\nopt.state")
    data = c.of("execute_result")[-1]["data"]
    check("state text", data["text/plain"], "(m: [0.05, -0.1], v: [0.00025,   0.001])")
    check("state html", data.get("text/html", "").startswith('<table class="optrepl"><tr><th style="text-align:left">m</th>'), True)
    c = Cell(kc, "s = stepper(rosenbrock, [-1.5, 2.0], sgd(lr: 0.001))\ns.step()")
    data = c.of("execute_result")[-1]["data"]
    check("stepper row text", data["text/plain"], "t=1  loss=11.3059  w=[-1.345, 2.05]  |Δw|=0.163")
    check("stepper row html", data.get("text/html", "").startswith("<table class=\"optrepl\"><tr><th>t</th><th>loss</th><th>w</th><th>|Δw|</th></tr><tr><td>1</td>"), True)

    c = Cell(kc, "s.step(10)")
    data = c.of("execute_result")[-1]["data"]
    check("stepper rows of several steps", data.get("text/html", "").startswith(
        "<table class=\"optrepl\"><tr><th>t</th><th>loss</th><th>w</th><th>|Δw|</th><th></th></tr><tr><td>11</td>"), True)
    check("the note of several steps", data.get("text/html", "").endswith("<td>(10 steps)</td></tr></table>"), True)
    c = Cell(kc, "a = ewa(beta: 0.9)\na.update(3)")
    check("ewa row", c.of("execute_result")[-1]["data"], {
        "text/plain": "t=1  v=0.3  corrected=3",
        "text/html": '<table class="optrepl"><tr><th>t</th><th>v</th><th>corrected</th></tr><tr><td>1</td><td>0.3</td><td>3</td></tr></table>'})
    c = Cell(kc, "compare(momentum(lr: 0.1, beta: 0.9), torch.sgd(lr: 0.1, momentum: 0.9, dampening: 0.9), booth, [0, 0], steps: 50)")
    html = c.of("execute_result")[-1]["data"].get("text/html", "")
    check("compare as a table", html.startswith("<p>50 of 50 steps differ; the first is step 1</p><table class=\"optrepl\"><tr><th>step</th><th>max |wa − wb|</th><th>wa</th><th>wb</th></tr>"), True)
    check("compare's ten rows", html.count("<tr>"), 11)

    # a long driver run: the output before it goes out first, a progress bar updates in place,
    # Ctrl-C stops it and leaves the steps done so far in ans
    msg_id = kc.execute("print(\"before\")\nm = minimize(fn(w) = (1 - w[0]) ^ 2 + 100 * (w[1] - w[0] ^ 2) ^ 2, [-1.5, 2.0], adam(lr: 0.001), steps: 20000000);")
    time.sleep(2.5)
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=20)
    iopub = []
    while True:
        m = kc.get_iopub_msg(timeout=20)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        iopub.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    kinds = [m["msg_type"] for m in iopub]
    check("output before a long run goes out first", kinds[2:4], ["stream", "display_data"])
    bars = [m["content"] for m in iopub if m["msg_type"] in ("display_data", "update_display_data")]
    check("a long run shows one progress display", len({b["transient"].get("display_id") for b in bars}), 1)
    if bars:
        check("the bar", re.fullmatch(r"minimize █*░* \d+% \d+/20000000 ~\d+s left", bars[0]["data"]["text/plain"]) is not None, True)
        check("the bar is emptied at the end", bars[-1]["data"]["text/plain"], "")
    check("the run is interrupted", (reply["content"]["status"], reply["content"]["evalue"]),
          ("error", "interrupted (the run so far is in ans)"))
    c = Cell(kc, "len(ans.loss) > 1000")
    check("the steps done are in ans", c.of("execute_result")[0]["data"], {"text/plain": "true"})

    # meta commands in cells
    c = Cell(kc, ":precision 3\n[1.23456, 2.0]\n:precision 6")
    check("meta commands", c.of("stream"), [{"name": "stdout", "text": "tensors now print with 3 significant digits\n"},
                                            {"name": "stdout", "text": "tensors now print with 6 significant digits\n"}])
    check("value between meta commands", c.of("execute_result")[0]["data"], {"text/plain": "[1.23,    2]"})
    c = Cell(kc, ":trace on\nw = opt.step(w, [0.5, -1.0]);\n:trace off")
    traced = c.of("display_data")
    check("trace as a table", [sorted(x["data"].keys()) for x in traced], [["text/html", "text/plain"]])
    if traced:
        check("trace text", traced[0]["data"]["text/plain"].startswith("adam step t=2\n  g "), True)

    script = os.path.join(tempfile.mkdtemp(prefix="optrepl-load-"), "bad.opt")
    open(script, "w").write("print(1)\nq = undefined_thing\n")
    c = Cell(kc, ":load " + script)
    check(":load's output and its diagnostic", [(x["name"], x["text"].split("\n")[0]) for x in c.of("stream")],
          [("stdout", "1"), ("stderr", f"{script}:2:5: error: unknown name 'undefined_thing'")])

    history = os.path.join(tempfile.mkdtemp(prefix="optrepl-history-"), "history")
    help_text = subprocess.run([binary, "-i", "/dev/null"], input=":help adam.step\n:explain adam\n?sgd\n",
                               capture_output=True, text=True, env=dict(os.environ, OPTREPL_HISTORY=history)).stdout
    def repl_help(lines):
        out = subprocess.run([binary, "-i", "/dev/null"], input="".join(l + "\n" for l in lines), capture_output=True,
                             text=True, env=dict(os.environ, OPTREPL_HISTORY=history)).stdout
        return out.split("\n", 1)[1].replace("opt> ", "").rstrip("\n") + "\n"
    c = Cell(kc, ":help adam.step\n:explain adam\n?sgd")
    check(":help, :explain and ? print what the REPL prints", "".join(x["text"] for x in c.of("stream")),
          help_text.split("\n", 1)[1].replace("opt> ", "").rstrip("\n") + "\n")

    c = Cell(kc, "marker = 1;\nmarker")
    n = c.reply["content"]["execution_count"]
    r = shell_request(kc, "history_request", {"hist_access_type": "tail", "n": 1, "output": False, "raw": True})
    check("history tail", r["content"], {"status": "ok", "history": [[0, n, "marker = 1;\nmarker"]]})
    r = shell_request(kc, "history_request", {"hist_access_type": "search", "pattern": "*ark*", "output": False, "raw": True})
    check("history search", r["content"]["history"], [[0, n, "marker = 1;\nmarker"]])
    r = shell_request(kc, "history_request", {"hist_access_type": "range", "session": 0, "start": 1, "stop": 3, "output": False, "raw": True})
    check("history range", r["content"]["history"], [[0, 1, "x = 1 + 2"], [0, 2, "x = 1 + 2;"]])
    saved = os.path.join(tempfile.mkdtemp(prefix="optrepl-save-"), "session.opt")
    c = Cell(kc, ":save " + saved)
    check(":save writes the cells that ran", open(saved).read().startswith("x = 1 + 2\nx = 1 + 2;\nx * 2\n"), True)

    c = Cell(kc, "x + 100", user_expressions={"double": "x * 2", "bad": "nope"})
    check("user_expressions", c.reply["content"]["user_expressions"], {
        "double": {"status": "ok", "data": {"text/plain": "6"}, "metadata": {}},
        "bad": {"status": "error", "ename": "RuntimeError", "evalue": "unknown name 'nope'; did you mean 'norm'?",
                "traceback": ["<bad>:1:1: error: unknown name 'nope'; did you mean 'norm'?", "    nope", "    ^~~~"]}})
    c = Cell(kc, "ans - 100")
    check("user_expressions leave ans alone", c.of("execute_result")[0]["data"], {"text/plain": "3"})

    # is_complete
    for code, status in [("x = 1", "complete"), ("fn f(a) {", "incomplete"), ("for i in 0..<3 {\n print(i)", "incomplete"),
                         (")", "invalid"), (":help adam", "complete"), ("", "complete")]:
        r = shell_request(kc, "is_complete_request", {"code": code})
        want = {"status": status, "indent": ""} if status == "incomplete" else {"status": status}
        check(f"is_complete {code!r}", r["content"], want)

    # complete
    def complete(code, pos=None):
        r = kc.complete(code, cursor_pos=len(code) if pos is None else pos, reply=True, timeout=10)
        c = r["content"]
        return c["matches"], c["cursor_start"], c["cursor_end"]
    check("complete a built-in", complete("x = rosen"), (["rosenbrock"], 4, 9))
    check("complete a session name", complete("print(op"), (["opt"], 6, 8))
    m, s, e = complete("opt.")
    members = re.search(r"members: (.*?) \(:help", repl_help([":help adam"]), re.S).group(1).split()
    check("complete members: those :help lists", (m, s, e), (sorted(members), 4, 4))
    m, s, e = complete("adam(")
    check("complete argument labels", ("lr: " in m and "beta1: " in m, s, e), (True, 5, 5))
    check("complete a symbol", complete("\\beta"), (["β"], 0, 5))
    check("complete a symbol's name first", complete("\\bet"), (["beta"], 1, 4))
    check("complete a command", complete(":prec"), (["precision"], 1, 5))
    check("complete on the second line", complete("x = 1\ny = rosenb"), (["rosenbrock"], 10, 16))

    # inspect
    r = kc.inspect("adam(lr: 0.1)", cursor_pos=2, reply=True, timeout=10)["content"]
    check("inspect found", (r["status"], r["found"], r["metadata"]), ("ok", True, {}))
    check("inspect text is :help's", r["data"], {"text/plain": repl_help([":help adam"])})
    r = kc.inspect("opt.step", cursor_pos=6, reply=True, timeout=10)["content"]
    check("inspect a member", r["data"], {"text/plain": repl_help(["opt = adam(lr: 0.1);", ":help opt.step"])})
    r = kc.inspect("m = minimize(rosenbrock, ", cursor_pos=25, reply=True, timeout=10)["content"]
    check("inspect inside a call", r["data"].get("text/plain", "").startswith("minimize("), True)
    r = kc.inspect("zzz_unknown", cursor_pos=3, reply=True, timeout=10)["content"]
    check("inspect unknown", r, {"status": "ok", "found": False, "data": {}, "metadata": {}})

    # interrupt a running loop: variables intact
    kc.execute("k = 0\nwhile true { k += 1 }")
    time.sleep(1.0)
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=10)
    check("interrupted reply", (reply["content"]["status"], reply["content"]["ename"]), ("error", "Interrupted"))
    c = Cell(kc, "k > 0")
    check("the loop's variable survives", c.of("execute_result")[0]["data"], {"text/plain": "true"})
    c = Cell(kc, "x")
    check("older variables survive", c.of("execute_result")[0]["data"], {"text/plain": "3"})

    # interrupt_request on the control channel (interrupt_mode "message")
    kc.execute("while true { k += 1 }")
    time.sleep(0.5)
    msg = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(msg)
    creply = kc.control_channel.get_msg(timeout=10)
    check("interrupt_reply", (creply["msg_type"], creply["content"]), ("interrupt_reply", {"status": "ok"}))
    reply = kc.get_shell_msg(timeout=10)
    check("interrupted by message", reply["content"].get("ename"), "Interrupted")

    check("heartbeat after interrupts", kc.hb_channel.is_beating(), True)
    km.interrupt_kernel()
    time.sleep(0.5)
    c = Cell(kc, ":time 1 + 1")
    check("an interrupt while idle does not stop the next cell", c.of("stream")[0]["text"].startswith("median "), True)

    # restart: a new process with no variables
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=10)
    c = Cell(kc, "x")
    check("restart forgets", c.reply["content"].get("evalue"), "unknown name 'x'")
    check("restart counts from 1", c.reply["content"]["execution_count"], 1)

    # exit(n) in a cell ends the kernel, asking the client not to keep it
    c = Cell(kc, "exit(0)")
    check("exit payload", c.reply["content"]["payload"], [{"source": "ask_exit", "keepkernel": False}])
    for _ in range(50):
        if not km.is_alive():
            break
        time.sleep(0.1)
    check("exit ends the kernel", km.is_alive(), False)

    # shutdown_request
    km.start_kernel()
    kc.stop_channels()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=10)
    msg = kc.session.msg("shutdown_request", {"restart": False})
    kc.control_channel.send(msg)
    sreply = kc.control_channel.get_msg(timeout=10)
    check("shutdown_reply", (sreply["msg_type"], sreply["content"]), ("shutdown_reply", {"status": "ok", "restart": False}))
    for _ in range(50):
        if not km.is_alive():
            break
        time.sleep(0.1)
    check("shutdown ends the kernel", km.is_alive(), False)
    kc.stop_channels()
    km.cleanup_resources()

    # options before the word apply to the kernel's session: a sandboxed kernelspec
    sandboxed = os.path.join(os.environ["JUPYTER_PATH"], "kernels", "optrepl-sandbox")
    os.makedirs(sandboxed, exist_ok=True)
    with open(os.path.join(sandboxed, "kernel.json"), "w") as f:
        json.dump({"argv": [binary, "--sandbox", "--seed", "7", "kernel", "{connection_file}"],
                   "display_name": "optrepl (sandbox)", "language": "optrepl"}, f)
    km = jupyter_client.KernelManager(kernel_name="optrepl-sandbox")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=10)
    c = Cell(kc, ":load /etc/hostname")
    check("--sandbox refuses :load", c.of("stream"), [{"name": "stdout", "text": ":load reads a file, which --sandbox does not allow\n"}])
    c = Cell(kc, "randint(0, 1000000)")
    seeded = subprocess.run([binary, "--seed", "7", "-e", "print(randint(0, 1000000))"], capture_output=True, text=True).stdout
    check("--seed seeds the kernel", c.of("execute_result")[0]["data"]["text/plain"] + "\n", seeded)
    kc.stop_channels()
    km.shutdown_kernel(now=True)

    print(f"{PASSED[0]} passed, {len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())

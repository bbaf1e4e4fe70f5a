#!/usr/bin/env python3
"""Start-up of the Jupyter kernel (issue 16's target: at most 100 ms): the time from starting
`optrepl kernel CONNECTION_FILE` to receiving its kernel_info_reply. The client's socket is made
and connected before the process starts (retrying a refused connection every millisecond, not
ZeroMQ's default 100 ms) and the signed request is queued at once, so the figure is the
kernel's: process start, loading libzmq, binding five sockets, making the session, answering.
Run by hand; docs/performance.md has the figures. Not a timed test.

Usage: kernel_startup.py --binary PATH [--runs N]
       kernel_startup.py --command "python3 -m ipykernel_launcher -f" [--runs N]   (a peer)
"""

import argparse
import os
import shlex
import statistics
import subprocess
import tempfile
import time

import jupyter_client
import zmq
from jupyter_client.session import Session


def once(command):
    work = tempfile.mkdtemp(prefix="optrepl-startup-")
    path = os.path.join(work, "kernel.json")
    key = os.urandom(16).hex().encode()
    _, cfg = jupyter_client.connect.write_connection_file(path, key=key)
    ctx = zmq.Context()
    shell = ctx.socket(zmq.DEALER)
    shell.setsockopt(zmq.RECONNECT_IVL, 1)
    shell.setsockopt(zmq.LINGER, 0)
    shell.connect(f"tcp://{cfg['ip']}:{cfg['shell_port']}")
    session = Session(key=key)
    started = time.perf_counter()
    proc = subprocess.Popen(command + [path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    session.send(shell, session.msg("kernel_info_request", {}))
    if not shell.poll(30_000):
        raise SystemExit("no kernel_info_reply within 30 s")
    _, reply = session.feed_identities(shell.recv_multipart())
    assert session.deserialize(reply)["msg_type"] == "kernel_info_reply"
    elapsed = time.perf_counter() - started
    proc.kill()
    proc.wait()
    shell.close()
    ctx.term()
    os.remove(path)
    os.rmdir(work)
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary")
    ap.add_argument("--command")
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    command = [os.path.abspath(args.binary), "kernel"] if args.binary else shlex.split(args.command)
    times = sorted(once(command) for _ in range(args.runs))
    print(f"start-up to kernel_info_reply over {args.runs} runs: median {statistics.median(times) * 1e3:.1f} ms, "
          f"min {times[0] * 1e3:.1f} ms, max {times[-1] * 1e3:.1f} ms")


if __name__ == "__main__":
    main()

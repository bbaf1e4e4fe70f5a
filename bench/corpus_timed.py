#!/usr/bin/env python3
"""Runs one Python twin of the corpus and writes the seconds its code took to stderr's last
line (CPU time of the process, as bench/corpus.py measures the others). Its imports (math, NumPy, PyTorch) are made before the clock starts: an import of NumPy
(~0.1 s) or PyTorch (~1 s) would otherwise swamp the loop being compared. The script runs as
__main__ through runpy, so its top level keeps module globals, as `python3 NAME.py` does.

Usage: python3 bench/corpus_timed.py NAME.py
"""
import math, runpy, sys, time  # noqa: F401
import numpy  # noqa: F401
if sys.argv[1].endswith("_torch.py"):
    import torch  # noqa: F401
    torch.set_num_threads(1)

start = time.process_time()
runpy.run_path(sys.argv[1], run_name="__main__")
sys.stdout.flush()
print(time.process_time() - start, file=sys.stderr)

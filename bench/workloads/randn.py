# Prints the seconds np.random.randn(10_000_000) takes (setup excluded).
import time
import numpy as np
np.random.seed(0)
start = time.perf_counter()
x = np.random.randn(10_000_000)
print(time.perf_counter() - start)

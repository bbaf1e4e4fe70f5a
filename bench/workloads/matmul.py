# Prints the seconds a 512x512 @ 512x512 product takes (setup excluded).
import time
import numpy as np
np.random.seed(0)
a = np.random.randn(512, 512)
b = np.random.randn(512, 512)
start = time.perf_counter()
c = a @ b
print(time.perf_counter() - start)

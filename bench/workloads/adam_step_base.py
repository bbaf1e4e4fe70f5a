import numpy as np
w = np.zeros(10_000_000); g = np.ones(10_000_000) * 0.5
m = np.zeros_like(w); v = np.zeros_like(w)

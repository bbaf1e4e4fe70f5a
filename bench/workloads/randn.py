import numpy as np
np.random.seed(0)
x = np.random.randn(10_000_000)

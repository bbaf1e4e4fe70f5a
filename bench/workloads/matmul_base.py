import numpy as np
np.random.seed(0)
a = np.random.randn(512, 512)
b = np.random.randn(512, 512)

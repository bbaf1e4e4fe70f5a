import numpy as np
def bucket(x):
    if x < 0.3: return "low"
    if x < 0.7: return "mid"
    return "high"
counts = {"low": 0, "mid": 0, "high": 0}
np.random.seed(3)
xs = np.random.rand(120000)
for x in xs:
    b = bucket(x)
    counts[b] += 1
print(counts["low"], counts["mid"], counts["high"])

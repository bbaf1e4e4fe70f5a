# An averager's update once per step, its tuple read. (the Python twin of ewa_update.opt)
import math
class EWA:
    def __init__(self, beta=0.9):
        self.beta = beta; self.t = 0; self.v = 0.0
    def update(self, x):
        self.t += 1
        self.v = self.beta * self.v + (1 - self.beta) * x
        return (self.t, self.v, self.v / (1 - self.beta ** self.t))
def run(n):
    a = EWA(beta=0.9)
    s = 0
    for t in range(n):
        r = a.update(math.sin(t * 0.001))
        s = s + r[2]
    return s
print(run(400_000))

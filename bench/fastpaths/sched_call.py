# A schedule object called once per step. (the Python twin of sched_call.opt)
class InverseTime:
    def __init__(self, lr, decay_rate):
        self.lr = lr; self.decay_rate = decay_rate
    def __call__(self, e):
        return self.lr / (1 + self.decay_rate * e)
def run(n):
    sch = InverseTime(0.1, 0.01)
    s = 0
    for t in range(n):
        s = s + sch(t)
    return s
print(run(400_000))

from collections import namedtuple
State = namedtuple("State", "x v t")
state = State(2.0, 0.0, 0)
lr = 0.01; beta = 0.9
while state.t < 100000:
    g = 4 * state.x**3 - 3 * state.x
    v = beta * state.v - lr * g
    state = State(state.x + v, v, state.t + 1)
print(state.x, state.v, state.t)

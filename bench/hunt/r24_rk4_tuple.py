import math
def deriv(s, damping):
    return (s[1], -9.81 * math.sin(s[0]) - damping * s[1])
def rk4(s, dt, damping):
    k1 = deriv(s, damping)
    k2 = deriv((s[0] + dt / 2 * k1[0], s[1] + dt / 2 * k1[1]), damping)
    k3 = deriv((s[0] + dt / 2 * k2[0], s[1] + dt / 2 * k2[1]), damping)
    k4 = deriv((s[0] + dt * k3[0], s[1] + dt * k3[1]), damping)
    return (s[0] + dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]),
            s[1] + dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]))
s = (2.0, 0.0)
energy_max = 0
for i in range(50000):
    s = rk4(s, 0.001, 0.3)
    en = 0.5 * s[1]**2 + 9.81 * (1 - math.cos(s[0]))
    if i > 0 and en > energy_max:
        energy_max = en
print(format(s[0], ".10f"), format(s[1], ".10f"), format(energy_max, ".8f"))

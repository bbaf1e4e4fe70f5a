local b, v, bt, s, t = 0.9, 0.0, 1.0, 0.0, 0
while t < 1000000 do
  local x = math.sin(t * 0.001)
  v = b * v + (1 - b) * x
  bt = bt * b
  s = s + v / (1 - bt)
  t = t + 1
end
print(string.format("%.17g", s))

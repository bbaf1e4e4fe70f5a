-- W1: a scalar EWA loop, 10,000,000 iterations, inside a function.
local function run(n)
  local b, v, bt, s, t = 0.9, 0.0, 1.0, 0.0, 0
  local sin = math.sin
  while t < n do
    local x = sin(t * 0.001)
    v = b * v + (1 - b) * x
    bt = bt * b
    s = s + v / (1 - bt)
    t = t + 1
  end
  return s
end
print(string.format("%.17g", run(10000000)))

local function ewa(n, b)
  local v, bt, s = 0.0, 1.0, 0.0
  for t = 0, n - 1 do
    local x = math.sin(t * 0.001)
    v = b * v + (1 - b) * x
    bt = bt * b
    s = s + v / (1 - bt)
  end
  return {v = v, s = s}
end
local total = 0.0
for k = 0, 19 do
  local r = ewa(100000, 0.9)
  total = total + r.s + r.v
end
print(string.format("%.17g", total))

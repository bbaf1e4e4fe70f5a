local n = 1000000
local x, out = {}, {}
for i = 1, n do x[i] = math.sin((i - 1) * 0.001); out[i] = 0.0 end
local v = 0.0
for i = 1, n do
  v = 0.9 * v + 0.1 * x[i]
  out[i] = v
end
local s = 0.0
for i = 1, n do s = s + out[i] end
print(string.format("%.17g %.17g", out[n], s))

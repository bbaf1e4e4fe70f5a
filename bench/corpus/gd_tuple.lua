local p = {x = 3.0, y = -2.0}
local lr = 0.01
for k = 0, 999999 do
  local gx = 2 * p.x + p.y
  local gy = p.x + 4 * p.y - 1
  p = {x = p.x - lr * gx, y = p.y - lr * gy}
end
print(string.format("%.17g %.17g", p.x, p.y))

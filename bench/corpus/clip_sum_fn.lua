local function clipped_sum(x, c)
  local s = 0.0
  for i = 1, #x do
    local xi = x[i]
    if xi > c then s = s + c
    elseif xi < -c then s = s - c
    else s = s + xi end
  end
  return s
end
local x = {}
for i = 1, 200000 do x[i] = math.sin((i - 1) * 0.01) * 2 end
local total = 0.0
for k = 0, 4 do total = total + clipped_sum(x, 1 + k * 0.1) end
print(string.format("%.17g", total))

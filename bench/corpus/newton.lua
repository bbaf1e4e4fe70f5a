local function newton_sqrt(a)
  local x = a
  if x < 1 then x = 1 end
  while true do
    local y = 0.5 * (x + a / x)
    if math.abs(y - x) <= 1e-12 * y then return y end
    x = y
  end
end
local worst = 0.0
for i = 1, 200000 do
  local a = i * 0.37
  local e = math.abs(newton_sqrt(a) - math.sqrt(a))
  if e > worst then worst = e end
end
print(string.format("%.17g", worst))

local function steps(n)
  local k = 0
  while n ~= 1 do
    if n % 2 == 0 then n = n // 2 else n = 3 * n + 1 end
    k = k + 1
  end
  return k
end
local best, arg = 0, 0
for n = 1, 149999 do
  local s = steps(n)
  if s > best then best = s; arg = n end
end
print(arg, best)

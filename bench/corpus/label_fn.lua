local function label(step, loss)
  return string.format("step %d: loss %.4f", step, loss)
end
local n, loss = 0, 1.0
for k = 0, 99999 do
  loss = loss * 0.99999
  n = n + #label(k, loss)
end
print(n)

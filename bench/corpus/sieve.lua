local n = 1000000
local composite = {}
for i = 0, n do composite[i] = false end
local count = 0
for i = 2, n do
  if not composite[i] then
    count = count + 1
    local j = i * i
    while j <= n do
      composite[j] = true
      j = j + i
    end
  end
end
print(count)

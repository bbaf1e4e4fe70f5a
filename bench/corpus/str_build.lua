local total = 0
for r = 0, 9 do
  local parts = {}
  for i = 0, 19999 do parts[#parts + 1] = (i * r) .. "," end
  total = total + #table.concat(parts)
end
print(total)

local function row(k, lr, loss, acc)
  return string.format("| %d | %.0e | %.5f | %.1f%% |", k, lr, loss, acc * 100)
end
local report, lines = "", 0
for k = 0, 59999 do
  local lr = 0.1 / (1 + k)
  report = row(k, lr, 1 / (k + 1), 1 - 1 / (k + 2))
  lines = lines + #report
end
print(lines, report)

local results = {}
for _, lr in ipairs({0.001, 0.01, 0.05, 0.1, 0.2, 0.4}) do
  local w, losses = 5.0, 0.0
  for k = 0, 499999 do
    local g = 2 * (w - 1)
    w = w - lr * g
    losses = losses + (w - 1) ^ 2
  end
  results[#results + 1] = {lr = lr, w = w, area = losses}
end
for _, r in ipairs(results) do
  print(string.format("lr %s: w %.4f, area %.3f", r.lr, r.w, r.area))
end

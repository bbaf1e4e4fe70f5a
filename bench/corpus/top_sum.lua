local h, q = 0.0, 0.0
for k = 1, 5000000 do
  h = h + 1 / k
  q = q + (-1.0) ^ (k + 1) / (2 * k - 1)
end
print(string.format("%.17g %.17g", h, 4 * q))

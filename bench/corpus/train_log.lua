local l = 2.5
for e = 0, 199999 do
  l = l * 0.99999 + 0.00001
  print(string.format("epoch %d: loss %.6f", e, l))
end

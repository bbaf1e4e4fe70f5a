local function hanoi(n, from, to, via)
  if n == 0 then return 0 end
  return hanoi(n - 1, from, via, to) + 1 + hanoi(n - 1, via, to, from)
end
print(hanoi(20, 1, 3, 2))

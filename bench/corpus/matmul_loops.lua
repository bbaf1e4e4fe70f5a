local function matmul_loops(A, B, n, m, p)
  local C = {}
  for i = 1, n do
    local row = {}
    for j = 1, m do
      local s = 0.0
      for k = 1, p do s = s + A[i][k] * B[k][j] end
      row[j] = s
    end
    C[i] = row
  end
  return C
end
local A, AT = {}, {}
for i = 1, 120 do A[i] = {}; AT[i] = {} end
for i = 1, 120 do for j = 1, 120 do A[i][j] = ((i - 1) * 120 + (j - 1)) / 14400 end end
for i = 1, 120 do for j = 1, 120 do AT[j][i] = A[i][j] end end
local C = matmul_loops(A, AT, 120, 120, 120)
local s = 0.0
for i = 1, 120 do for j = 1, 120 do s = s + C[i][j] end end
print(string.format("%.17g", s))

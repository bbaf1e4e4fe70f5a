local function if_warm(t, steps)
  if t < steps then return (t + 1) / steps end
  return 1
end
local function make_decay(lr0, k) return function(t) return lr0 / (1 + k * t) end end
local function make_warmup(sched, steps) return function(t) return if_warm(t, steps) * sched(t) end end
local sched = make_warmup(make_decay(0.1, 0.01), 100)
local w = 5.0
for t = 0, 299999 do
  w = w - sched(t) * 2 * w
end
print(string.format("%.17g", w))

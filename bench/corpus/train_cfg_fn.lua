-- A training function configured by one table (numbers, a target array, a run name), returning the run's record.
local function train(cfg)
    local x, y = cfg.start[1], cfg.start[2]
    local vx, vy = 0.0, 0.0
    for step = 0, cfg.steps - 1 do
        local gx = 2 * (x - cfg.target[1])
        local gy = 20 * (y - cfg.target[2])
        vx = cfg.beta * vx + gx
        vy = cfg.beta * vy + gy
        x = x - cfg.lr * vx
        y = y - cfg.lr * vy
    end
    return {name = cfg.name, final = {x, y}, loss = (x - cfg.target[1]) ^ 2 + 10 * (y - cfg.target[2]) ^ 2}
end
local cfg = {lr = 0.01, beta = 0.9, steps = 300000, start = {-3.0, 2.0}, target = {1.0, -1.0}, name = "momentum"}
local run = train(cfg)
print(run.name, run.final[1], run.final[2], run.loss)

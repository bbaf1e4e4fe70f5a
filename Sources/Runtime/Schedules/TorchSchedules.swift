// PyTorch's schedulers replayed step by step (torch.optim.lr_scheduler, 2.x): each kind's
// get_lr on the optimizer's current lr (group["lr"]), with PyTorch's recursive formulas and
// their rounding, so SequentialLR and ChainedScheduler compose them exactly as PyTorch does.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One scheduler's own counters: last_epoch, and CosineAnnealingWarmRestarts' T_cur and T_i.
struct ReplayState {
    var epoch = 0
    var tCur = 0.0
    var tI = 0.0
}

/// A schedule replayed up to `epoch` scheduler steps: the shared lr and each part's counters
/// (one part, or the parts of a sequential/chained schedule).
struct TorchReplay {
    var epoch = 0
    var lr: Double
    var parts: [ReplayState]
}

extension Schedule {
    /// The sub-schedules of a sequential or chained schedule (checked by the constructor).
    var parts: [Schedule] {
        guard case .tuple(let t)? = parameters.first(where: { $0.0 == "schedules" })?.1 else { return [] }
        return t.items.compactMap { if case .object(let o) = $0 { return o as? Schedule } else { return nil } }
    }

    var milestones: [Double] {
        guard case .tensor(let m)? = parameters.first(where: { $0.0 == "milestones" })?.1 else { return [] }
        return m.data
    }

    /// The base lr (PyTorch's initial_lr); a sequential/chained schedule's is its parts' lr.
    var baseLR: Double { kind == .sequential || kind == .chained ? parts[0].number("lr") : number("lr") }

    /// The state after e scheduler steps. Each object keeps its last replay, so an optimizer
    /// asking for t = 0, 1, 2, ... replays one step per step (and calls a lambda once per epoch).
    func replay(to e: Int) throws(RuntimeError) -> TorchReplay {
        var r: TorchReplay
        var resumed = false
        if let last = lastReplay, last.epoch <= e {
            r = last
            resumed = true
        } else {
            r = try start()
        }
        // A kind of one part that calls no function (nothing can re-enter this schedule, only an
        // interrupt can stop it): lastReplay lets go of its parts, so the steps write them in
        // place (each `s(t)` copied the array), and gets them back if it is interrupted.
        var saved: (epoch: Int, lr: Double, part: ReplayState)?
        if resumed, r.epoch < e, r.parts.count == 1, kind != .lambda, kind != .multiplicative {
            saved = (r.epoch, r.lr, r.parts[0])
            lastReplay = nil
        }
        do {
            while r.epoch < e {
                try Interrupts.poll(every: r.epoch + 1)
                try advance(&r)
            }
        } catch {
            if let saved { lastReplay = TorchReplay(epoch: saved.epoch, lr: saved.lr, parts: [saved.part]) }
            throw error
        }
        lastReplay = r
        return r
    }

    /// The scheduler's construction: its initial step (last_epoch 0) on the base lr.
    private func start() throws(RuntimeError) -> TorchReplay {
        switch kind {
        case .sequential:
            // SequentialLR resets the lr to initial_lr and gives the first part its initial step.
            var r = TorchReplay(lr: baseLR, parts: parts.map { $0.freshState() })
            r.lr = try parts[0].initialStep(r.lr, &r.parts[0])
            return r
        case .chained:
            // Each part was constructed in turn on the same optimizer: the initial steps compose.
            var r = TorchReplay(lr: baseLR, parts: parts.map { $0.freshState() })
            for (k, p) in parts.enumerated() { r.lr = try p.initialStep(r.lr, &r.parts[k]) }
            return r
        case .constant, .inverse_time, .staircase, .step, .multistep, .exponential, .cosine, .cosine_restarts,
             .linear, .onecycle, .warmup_cosine, .plateau, .lambda, .multiplicative, .polynomial, .cyclic:
            var r = TorchReplay(lr: baseLR, parts: [freshState()])
            r.lr = try initialStep(r.lr, &r.parts[0])
            return r
        }
    }

    /// One scheduler.step().
    private func advance(_ r: inout TorchReplay) throws(RuntimeError) {
        r.epoch += 1
        switch kind {
        case .sequential:
            let m = milestones
            let idx = m.firstIndex { $0 > Double(r.epoch) } ?? m.count  // bisect_right
            if idx > 0, m[idx - 1] == Double(r.epoch) {
                r.lr = try parts[idx].restart(r.lr, &r.parts[idx])
            } else {
                r.lr = try parts[idx].nextStep(r.lr, &r.parts[idx])
            }
        case .chained:
            for (k, p) in parts.enumerated() { r.lr = try p.nextStep(r.lr, &r.parts[k]) }
        case .constant, .inverse_time, .staircase, .step, .multistep, .exponential, .cosine, .cosine_restarts,
             .linear, .onecycle, .warmup_cosine, .plateau, .lambda, .multiplicative, .polynomial, .cyclic:
            r.lr = try nextStep(r.lr, &r.parts[0])
        }
    }

    func freshState() -> ReplayState {
        ReplayState(epoch: 0, tCur: 0, tI: kind == .cosine_restarts ? number("t_0") : 0)
    }

    /// The constructor's step: last_epoch becomes 0 (`_is_initial`).
    func initialStep(_ lr: Double, _ s: inout ReplayState) throws(RuntimeError) -> Double {
        s = freshState()
        return try getLR(lr, s, initial: true)
    }

    /// scheduler.step() without an epoch.
    func nextStep(_ lr: Double, _ s: inout ReplayState) throws(RuntimeError) -> Double {
        s.epoch += 1
        if kind == .cosine_restarts {
            s.tCur += 1
            if s.tCur >= s.tI {
                s.tCur = s.tCur.truncatingRemainder(dividingBy: s.tI)
                s.tI *= number("t_mult")
            }
        }
        return try getLR(lr, s, initial: false)
    }

    /// SequentialLR at a milestone: `_update_lr(0)`, the closed form at epoch 0 where the kind
    /// has one, else get_lr at epoch 0 on the current lr.
    func restart(_ lr: Double, _ s: inout ReplayState) throws(RuntimeError) -> Double {
        s = freshState()
        let base = number("lr")
        switch kind {
        case .step, .exponential, .polynomial: return base
        case .multistep:
            return base * pow(number("gamma"), Double(milestones.filter { $0 <= 0 }.count))
        case .cosine, .cosine_restarts:
            let etaMin = number("eta_min")
            return etaMin + (base - etaMin) * (1 + cos(0)) / 2
        case .linear:
            let start = number("start_factor")
            return base * (start + (number("end_factor") - start) * 0 / number("total_iters"))
        case .constant where isConstantLR:
            let factor = number("factor")
            return base * (factor + (count("total_iters") <= 0 ? 1 : 0) * (1 - factor))
        case .constant, .inverse_time, .staircase, .warmup_cosine, .lambda, .multiplicative:
            return try getLR(lr, s, initial: false)
        case .onecycle, .cyclic, .plateau, .sequential, .chained:
            throw RuntimeError("schedule \"\(kind.rawValue)\" cannot be part of a sequential or chained schedule")
        }
    }

    /// The kind's get_lr: the new lr from the current one at last_epoch = s.epoch.
    func getLR(_ lr: Double, _ s: ReplayState, initial: Bool) throws(RuntimeError) -> Double {
        let e = s.epoch
        switch kind {
        case .step:
            return e == 0 || e % count("step_size") != 0 ? lr : lr * number("gamma")
        case .multistep:
            // A milestone listed n times multiplies by gamma^n, at epoch 0 too (PyTorch's
            // initial step already applies it).
            let n = milestones.filter { $0 == Double(e) }.count
            return n == 0 ? lr : lr * pow(number("gamma"), Double(n))
        case .exponential:
            return initial ? lr : lr * number("gamma")
        case .cosine:
            // Read once by the constructor (four searches by name were a fifth of `s(t)`).
            let (base, tMax, etaMin, period) = cosineParameters
            if initial { return lr }
            if (e - 1 - period) % (2 * period) == 0 {
                return lr + (base - etaMin) * (1 - cos(Double.pi / tMax)) / 2
            }
            let x = Double(e)
            // cos(π(x−1)/t_max) is the last step's cos(πx/t_max): the same argument (x − 1 is
            // exact), so the same bits, computed once.
            let below = annealingCosine(x - 1, tMax)
            return (1 + annealingCosine(x, tMax)) / (1 + below) * (lr - etaMin) + etaMin
        case .cosine_restarts:
            let base = number("lr"), etaMin = number("eta_min")
            return etaMin + (base - etaMin) * (1 + cos(Double.pi * s.tCur / s.tI)) / 2
        case .linear:
            let start = number("start_factor"), end = number("end_factor"), total = number("total_iters")
            if e == 0 { return lr * start }
            if initial || e > count("total_iters") { return lr }
            return lr * (1.0 + (end - start) / (total * start + (Double(e) - 1) * (end - start)))
        case .constant where isConstantLR:
            let factor = number("factor")
            if e == 0 { return lr * factor }
            if e != count("total_iters") { return lr }
            return lr * (1.0 / factor)
        case .polynomial:
            let total = number("total_iters")
            if initial || e > count("total_iters") { return lr }
            let decay = pow((1.0 - Double(e) / total) / (1.0 - Double(e - 1) / total), number("power"))
            return lr * decay
        case .lambda:
            return number("lr") * (try callFunction(e))
        case .multiplicative:
            return initial ? lr : lr * (try callFunction(e))
        case .constant, .inverse_time, .staircase, .warmup_cosine:
            return try closedRate(e)
        case .onecycle, .cyclic, .plateau, .sequential, .chained:
            throw RuntimeError("schedule \"\(kind.rawValue)\" cannot be part of a sequential or chained schedule")
        }
    }

    /// f(epoch) of a lambda or multiplicative schedule, which must return a number.
    private func callFunction(_ e: Int) throws(RuntimeError) -> Double {
        guard case .function? = parameters.first(where: { $0.0 == "f" })?.1, let interpreter else {
            throw RuntimeError("schedule \"\(kind.rawValue)\" lost its function's session")
        }
        let f = parameters.first { $0.0 == "f" }!.1
        switch try interpreter.call(f, [.number(Double(e))]) {
        case .number(let x): return x
        case .tensor(let t) where t.count == 1: return t.data[0]
        case let v:
            throw RuntimeError("schedule \"\(kind.rawValue)\": f(\(e)) must return a number, got \(v.kindName)")
        }
    }
}

/// The kinds whose rates are absolute (OneCycleLR, CyclicLR): the lr and the momentum they
/// set at each epoch, as PyTorch's get_lr computes them.
enum CyclingSchedules {
    /// OneCycleLR with cosine annealing: initial = max_lr/div_factor up to max_lr over
    /// pct_start·total_steps − 1 steps, then down to initial/final_div_factor; the momentum
    /// goes the other way, from max_momentum to base_momentum and back.
    static func onecycle(_ s: Schedule, _ e: Int) throws(RuntimeError) -> (lr: Double, momentum: Double) {
        let maxLr = s.number("max_lr"), total = s.number("total_steps")
        guard Double(e) <= total else {
            throw RuntimeError("onecycle is defined for epochs 0...\(s.count("total_steps")), got \(e) (PyTorch raises an error here too)")
        }
        let initial = maxLr / s.number("div_factor")
        let minLr = initial / s.number("final_div_factor")
        let baseM = s.number("base_momentum"), maxM = s.number("max_momentum")
        let phases: [(end: Double, from: Double, to: Double, mFrom: Double, mTo: Double)] = [
            (s.number("pct_start") * total - 1, initial, maxLr, maxM, baseM),
            (total - 1, maxLr, minLr, baseM, maxM),
        ]
        var start = 0.0
        let x = Double(e)
        for (i, phase) in phases.enumerated() {
            if x <= phase.end || i == phases.count - 1 {
                let pct = (x - start) / (phase.end - start)
                return (cosineAnneal(phase.from, phase.to, pct), cosineAnneal(phase.mFrom, phase.mTo, pct))
            }
            start = phase.end
        }
        return (initial, maxM)
    }

    static func cosineAnneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        end + (start - end) / 2.0 * (cos(Double.pi * pct) + 1)
    }

    /// CyclicLR: a triangle between base_lr and max_lr, step_size_up epochs up and
    /// step_size_down down, its height scaled per cycle (triangular2: halved each cycle) or per
    /// epoch (exp_range: gamma^epoch); the momentum runs from max_momentum down and back.
    static func cyclic(_ s: Schedule, _ e: Int) -> (lr: Double, momentum: Double) {
        let up = s.number("step_size_up")
        let down: Double = { if case .number(let d)? = s.parameters.first(where: { $0.0 == "step_size_down" })?.1 { return d }; return up }()
        let totalSize = up + down, stepRatio = up / totalSize
        let x0 = Double(e)
        let cycle = (1 + x0 / totalSize).rounded(.down)
        let x = 1.0 + x0 / totalSize - cycle
        let scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1)
        let scale: Double
        switch s.string("mode") {
        case "triangular2": scale = 1 / pow(2.0, cycle - 1)
        case "exp_range": scale = pow(s.number("gamma"), x0)
        default: scale = 1.0
        }
        let baseLr = s.number("base_lr"), maxLr = s.number("max_lr")
        let baseM = s.number("base_momentum"), maxM = s.number("max_momentum")
        return (baseLr + (maxLr - baseLr) * scaleFactor * scale, maxM - (maxM - baseM) * scaleFactor * scale)
    }
}

extension Schedule {
    /// A schedule as an optimizer's lr (spec §14.4, §15.2): given the steps taken so far (t
    /// before it is increased), sets lr = s(t) in h, and for a cycling schedule the momentum,
    /// or beta1, it sets at that epoch, as PyTorch's scheduler does.
    func apply(to h: inout Hyper, step t: Int) throws(RuntimeError) {
        if let i = h.names.firstIndex(of: "lr") { h.values[i] = try rate(t) }
        if let m = try momentum(t), let i = Schedule.momentumSlot(h.names) { h.values[i] = m }
    }

    /// Where a cycled momentum goes: `momentum`, else beta1 (`betas.0`, or the course's `beta1`).
    static func momentumSlot(_ names: [String]) -> Int? {
        names.firstIndex(of: "momentum") ?? names.firstIndex(of: "betas.0") ?? names.firstIndex(of: "beta1")
    }
}

extension Schedule {
    /// This schedule from another base lr: a parameter group's (PyTorch's initial_lr of that
    /// group; a sequential or chained schedule's parts all take it). The same object comes back
    /// for the same lr, so its replay continues from step to step.
    func withBaseLR(_ lr: Double) -> Schedule {
        if let s = rebased[lr.bitPattern] { return s }
        let changed = parameters.map { p -> (String, Value) in
            switch (p.0, p.1) {
            case ("lr", _): return ("lr", .number(lr))
            case ("schedules", .tuple(let t)):
                return ("schedules", .tuple(TupleValue(t.items.map { item in
                    if case .object(let o) = item, let s = o as? Schedule { return .object(s.withBaseLR(lr)) }
                    return item
                })))
            default: return p
            }
        }
        let s = Schedule(kind: kind, parameters: changed, interpreter: interpreter)
        rebased[lr.bitPattern] = s
        return s
    }
}

extension Optimizer {
    /// `h` with the momentum (or beta1) that a cycling schedule as lr set for the last step:
    /// the buffers were laid out with it (a cycled momentum switches SGD's momentum_buffer on).
    func withCycledMomentum(_ h: Hyper) -> Hyper {
        guard let s = lrSchedule, let m = try? s.momentum(Swift.max(t - 1, 0)),
              let slot = Schedule.momentumSlot(h.names) else { return h }
        var out = h
        out.values[slot] = m
        return out
    }
}

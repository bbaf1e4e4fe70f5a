// PyTorch's schedulers replayed step by step (torch.optim.lr_scheduler): the value after
// e calls of scheduler.step(), with PyTorch's recursive formulas and their rounding.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Each replay is e steps long, and e may be up to 2^53: the loops poll for interrupts.
enum TorchSchedules {
    /// StepLR: multiply by gamma whenever e is a positive multiple of step_size.
    static func step(_ s: Schedule, _ e: Int) throws(RuntimeError) -> Double {
        var lr = s.number("lr")
        let size = s.count("step_size"), gamma = s.number("gamma")
        if e > 0 { for k in 1...e { try Interrupts.poll(every: k); if k % size == 0 { lr *= gamma } } }
        return lr
    }

    /// MultiStepLR: at a milestone listed n times, multiply by gamma^n.
    static func multistep(_ s: Schedule, _ e: Int) throws(RuntimeError) -> Double {
        var lr = s.number("lr")
        let gamma = s.number("gamma")
        guard case .tensor(let milestones)? = s.parameters.first(where: { $0.0 == "milestones" })?.1 else { return lr }
        if e > 0 {
            for k in 1...e {
                try Interrupts.poll(every: k)
                let n = milestones.data.filter { $0 == Double(k) }.count
                if n > 0 { lr *= pow(gamma, Double(n)) }
            }
        }
        return lr
    }

    static func exponential(_ s: Schedule, _ e: Int) throws(RuntimeError) -> Double {
        var lr = s.number("lr")
        let gamma = s.number("gamma")
        if e > 0 { for k in 1...e { try Interrupts.poll(every: k); lr *= gamma } }
        return lr
    }

    /// CosineAnnealingLR's recursive form (it climbs back to lr by epoch 2·t_max).
    static func cosine(_ s: Schedule, _ e: Int) throws(RuntimeError) -> Double {
        let base = s.number("lr"), tMax = s.number("t_max"), etaMin = s.number("eta_min")
        let period = s.count("t_max")
        var lr = base
        if e > 0 {
            for k in 1...e {
                try Interrupts.poll(every: k)
                let x = Double(k)
                if (k - 1 - period) % (2 * period) == 0 {
                    lr = lr + (base - etaMin) * (1 - cos(Double.pi / tMax)) / 2
                } else {
                    lr = (1 + cos(Double.pi * x / tMax)) / (1 + cos(Double.pi * (x - 1) / tMax)) * (lr - etaMin) + etaMin
                }
            }
        }
        return lr
    }

    /// CosineAnnealingWarmRestarts: T_cur counts up and restarts, the period growing by t_mult.
    static func cosineRestarts(_ s: Schedule, _ e: Int) throws(RuntimeError) -> Double {
        let base = s.number("lr"), etaMin = s.number("eta_min")
        var tI = s.number("t_0"), tCur = 0.0
        let tMult = s.number("t_mult")
        if e > 0 {
            for k in 1...e {
                try Interrupts.poll(every: k)
                tCur += 1
                if tCur >= tI {
                    tCur -= tI
                    tI *= tMult
                }
            }
        }
        return etaMin + (base - etaMin) * (1 + cos(Double.pi * tCur / tI)) / 2
    }

    /// LinearLR: the factor moves from start_factor to end_factor over total_iters steps.
    static func linear(_ s: Schedule, _ e: Int) throws(RuntimeError) -> Double {
        let start = s.number("start_factor"), end = s.number("end_factor"), total = s.number("total_iters")
        var lr = s.number("lr") * start
        if e > 0 {
            for k in 1...Swift.min(e, s.count("total_iters")) {
                try Interrupts.poll(every: k)
                lr = lr * (1.0 + (end - start) / (total * start + (Double(k) - 1) * (end - start)))
            }
        }
        return lr
    }

    /// OneCycleLR with cosine annealing: initial = max_lr/div_factor up to max_lr over
    /// pct_start·total_steps − 1 steps, then down to initial/final_div_factor.
    static func onecycle(_ s: Schedule, _ e: Int) throws(RuntimeError) -> Double {
        let maxLr = s.number("max_lr"), total = s.number("total_steps")
        guard Double(e) <= total else {
            throw RuntimeError("onecycle is defined for epochs 0...\(s.count("total_steps")), got \(e) (PyTorch raises an error here too)")
        }
        let initial = maxLr / s.number("div_factor")
        let minLr = initial / s.number("final_div_factor")
        let phases: [(end: Double, from: Double, to: Double)] = [
            (s.number("pct_start") * total - 1, initial, maxLr),
            (total - 1, maxLr, minLr),
        ]
        var start = 0.0
        let x = Double(e)
        for (i, phase) in phases.enumerated() {
            if x <= phase.end || i == phases.count - 1 {
                let pct = (x - start) / (phase.end - start)
                return phase.to + (phase.from - phase.to) / 2.0 * (cos(Double.pi * pct) + 1)
            }
            start = phase.end
        }
        return initial
    }
}

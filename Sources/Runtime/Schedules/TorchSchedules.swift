// PyTorch's schedulers replayed step by step (torch.optim.lr_scheduler): the value after
// e calls of scheduler.step(), with PyTorch's recursive formulas and their rounding.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum TorchSchedules {
    /// StepLR: multiply by gamma whenever e is a positive multiple of step_size.
    static func step(_ s: Schedule, _ e: Int) -> Double {
        var lr = s.number("lr")
        let size = Int(s.number("step_size")), gamma = s.number("gamma")
        if e > 0 { for k in 1...e where k % size == 0 { lr *= gamma } }
        return lr
    }

    /// MultiStepLR: at a milestone listed n times, multiply by gamma^n.
    static func multistep(_ s: Schedule, _ e: Int) -> Double {
        var lr = s.number("lr")
        let gamma = s.number("gamma")
        guard case .tensor(let milestones)? = s.parameters.first(where: { $0.0 == "milestones" })?.1 else { return lr }
        if e > 0 {
            for k in 1...e {
                let n = milestones.data.filter { $0 == Double(k) }.count
                if n > 0 { lr *= pow(gamma, Double(n)) }
            }
        }
        return lr
    }

    static func exponential(_ s: Schedule, _ e: Int) -> Double {
        var lr = s.number("lr")
        let gamma = s.number("gamma")
        if e > 0 { for _ in 1...e { lr *= gamma } }
        return lr
    }

    /// CosineAnnealingLR's recursive form (it climbs back to lr by epoch 2·t_max).
    static func cosine(_ s: Schedule, _ e: Int) -> Double {
        let base = s.number("lr"), tMax = s.number("t_max"), etaMin = s.number("eta_min")
        var lr = base
        if e > 0 {
            for k in 1...e {
                let x = Double(k)
                if (k - 1 - Int(tMax)) % (2 * Int(tMax)) == 0 {
                    lr = lr + (base - etaMin) * (1 - cos(Double.pi / tMax)) / 2
                } else {
                    lr = (1 + cos(Double.pi * x / tMax)) / (1 + cos(Double.pi * (x - 1) / tMax)) * (lr - etaMin) + etaMin
                }
            }
        }
        return lr
    }

    /// CosineAnnealingWarmRestarts: T_cur counts up and restarts, the period growing by t_mult.
    static func cosineRestarts(_ s: Schedule, _ e: Int) -> Double {
        let base = s.number("lr"), etaMin = s.number("eta_min")
        var tI = s.number("t_0"), tCur = 0.0
        let tMult = s.number("t_mult")
        if e > 0 {
            for _ in 1...e {
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
    static func linear(_ s: Schedule, _ e: Int) -> Double {
        let start = s.number("start_factor"), end = s.number("end_factor"), total = s.number("total_iters")
        var lr = s.number("lr") * start
        if e > 0 {
            for k in 1...e where Double(k) <= total {
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
            throw RuntimeError("onecycle is defined for epochs 0...\(Int(total)), got \(e) (PyTorch raises an error here too)")
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

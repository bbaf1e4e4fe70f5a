// The bias correction 1 − βᵗ of an average that starts at zero (the EWA's v̂ = v/(1 − βᵗ), Adam's
// m̂ and v̂): one rule, `1 - pow(β, t)`, which every optimizer and averager reads here.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The correction of one β for a run of steps: `1 - pow(β, t)` bit for bit, and exactly 1, with
/// no call of pow, from the step where βᵗ is so far below the smallest double that pow gives 0
/// (β = 0.9: from step 7,082, where pow has given 0 since 7,073; 0.999: from 745,628, 0 since
/// 744,761). Two calls of pow per step were a third of the time of a million course Adam steps
/// on Rosenbrock (W3 in docs/performance.md).
struct BiasCorrection {
    let beta: Double
    /// The first t with t·ln β ≤ −746, so βᵗ ≤ e^−746 < 2^−1076, under half the smallest
    /// subnormal (2^−1074) with room to spare: pow, which rounds once from a result good to
    /// about 2^−68 relative (glibc's), gives 0 there and beyond (βᵗ only falls). Int.max
    /// (always pow) for β outside [0, 1) or nan.
    let oneFrom: Int

    init(_ beta: Double) {
        self.beta = beta
        guard beta >= 0 && beta < 1 else {
            oneFrom = .max
            return
        }
        // β = 0: log is −inf and the bound 0, so every step (t ≥ 1) is 1, as 1 - pow(0, t) is.
        let bound = (746 / -log(beta)).rounded(.up)
        oneFrom = bound < 0x1p53 ? Int(bound) + 1 : .max
    }

    /// 1 − βᵗ.
    @inline(__always)
    func callAsFunction(_ t: Int) -> Double {
        t >= oneFrom ? 1 : BiasCorrection.at(beta, t)
    }

    /// The rule itself: 1 − βᵗ for one step (the averagers, which ask for one step at a time).
    @inline(__always)
    static func at(_ beta: Double, _ t: Int) -> Double {
        1 - pow(beta, Double(t))
    }
}

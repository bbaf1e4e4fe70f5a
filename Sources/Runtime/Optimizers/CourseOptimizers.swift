// The course forms (spec §9.3), exactly as the course notes write them, element by element.

import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum CourseOptimizers {
    static func py(_ x: Double) -> String { NumberFormat.pythonLiteral(x) }

    static let sgd = OptimizerRule(
        name: "sgd", parameters: [.optional("lr", .number(0.01))],
        doc: "Gradient descent (course form): w ← w − lr·g.",
        buffers: { _ in [] },
        update: { h in
            let lr = h("lr")
            return { w, g, _, _ in
                for i in w.indices { sgdElement(&w[i], g[i], lr) }
            }
        },
        scalarUpdate: { h in
            let lr = h("lr")
            return { w, g, _, _ in sgdElement(&w, g, lr) }
        },
        unitInterval: [],
        torchEquivalent: { h in "torch.optim.SGD(params, lr=\(py(h("lr"))))" })

    static let momentum = OptimizerRule(
        name: "momentum",
        parameters: [.optional("lr", .number(0.01)), .optional("beta", .number(0.9)), .optional("bias_correction", .bool(false))],
        doc: "Momentum (course form): v ← β·v + (1−β)·g; w ← w − lr·v (v/(1−β^t) with bias_correction).",
        buffers: { _ in ["v"] },
        update: { h in
            let lr = h("lr"), beta = h("beta"), correct = h.flag("bias_correction"), bc = BiasCorrection(beta)
            return { w, g, b, t in
                let correction = correct ? bc(t) : 1
                for i in w.indices { momentumElement(&w[i], g[i], &b[0][i], lr, beta, correct, correction) }
            }
        },
        scalarUpdate: { h in
            let lr = h("lr"), beta = h("beta"), correct = h.flag("bias_correction"), bc = BiasCorrection(beta)
            return { w, g, s, t in
                let correction = correct ? bc(t) : 1
                momentumElement(&w, g, &s.0, lr, beta, correct, correction)
            }
        },
        unitInterval: ["beta"],
        // v = (1−β)·b when PyTorch's buffer b starts at g: the steps agree up to rounding.
        torchEquivalent: { h in
            h.flag("bias_correction") ? nil
                : "torch.optim.SGD(params, lr=\(py(h("lr") * (1 - h("beta")))), momentum=\(py(h("beta"))))"
        })

    static let rmsprop = OptimizerRule(
        name: "rmsprop",
        parameters: [.optional("lr", .number(0.01)), .optional("beta", .number(0.9)), .optional("eps", .number(1e-8)),
                     .optional("bias_correction", .bool(true)), .optional("weight_decay", .number(0)),
                     .optional("momentum", .number(0))],
        doc: "RMSProp (course form): s ← β·s + (1−β)·g²; w ← w − lr·g/(√ŝ + eps).",
        buffers: { h in h("momentum") > 0 ? ["s", "b"] : ["s"] },
        update: { h in
            let lr = h("lr"), beta = h("beta"), eps = h("eps"), wd = h("weight_decay"), mom = h("momentum")
            let correct = h.flag("bias_correction"), bc = BiasCorrection(beta)
            return { w, g, b, t in
                let correction = bc(t)
                for i in w.indices {
                    let gi = g[i] + wd * w[i]
                    b[0][i] = beta * b[0][i] + (1 - beta) * gi * gi
                    let shat = correct ? b[0][i] / correction : b[0][i]
                    var u = gi / (shat.squareRoot() + eps)
                    if mom > 0 {
                        b[1][i] = mom * b[1][i] + u
                        u = b[1][i]
                    }
                    w[i] = w[i] - lr * u
                }
            }
        },
        unitInterval: ["beta", "momentum"],
        foreignLabels: ["alpha": "PyTorch's alpha is the course's beta: write rmsprop(beta: ...), or use torch.rmsprop(alpha: ...)"],
        torchEquivalent: { h in
            h.flag("bias_correction") ? nil
                : "torch.optim.RMSprop(params, lr=\(py(h("lr"))), alpha=\(py(h("beta"))), eps=\(py(h("eps"))), "
                    + "weight_decay=\(py(h("weight_decay"))), momentum=\(py(h("momentum"))))"
        })

    static let adam = OptimizerRule(
        name: "adam",
        parameters: [.optional("lr", .number(0.001)), .optional("beta1", .number(0.9)), .optional("beta2", .number(0.999)),
                     .optional("eps", .number(1e-8)), .optional("bias_correction", .bool(true)),
                     .optional("eps_in_sqrt", .bool(false))],
        doc: "Adam (course form): m ← β₁·m + (1−β₁)·g; v ← β₂·v + (1−β₂)·g²; w ← w − lr·m̂/(√v̂ + eps).",
        buffers: { _ in ["m", "v"] },
        update: { h in
            let lr = h("lr"), b1 = h("beta1"), b2 = h("beta2"), eps = h("eps")
            let correct = h.flag("bias_correction"), inSqrt = h.flag("eps_in_sqrt")
            let bc1 = BiasCorrection(b1), bc2 = BiasCorrection(b2)
            return { w, g, b, t in
                // Without correction the divisors are 1, which changes no bit. The common form
                // runs in C, vectorized for this CPU (CKernels), lane for lane the same numbers.
                let c1 = correct ? bc1(t) : 1, c2 = correct ? bc2(t) : 1
                guard let wp = w.baseAddress, let gp = g.baseAddress, let m = b[0].baseAddress, let v = b[1].baseAddress else { return }
                let n = w.count
                if inSqrt || n < 16 {
                    // eps under the root, and small leaves (a call into vector code costs
                    // more than two elements' arithmetic), run here.
                    CourseOptimizers.adamLoop(wp, gp, m, v, n, lr, b1, b2, eps, c1, c2, epsInSqrt: inSqrt)
                } else {
                    optrepl_adam_course(wp, gp, m, v, n, lr, b1, b2, eps, c1, c2)
                }
            }
        },
        unitInterval: ["beta1", "beta2"],
        foreignLabels: ["betas": "the course's adam takes beta1: and beta2:; torch.adam takes betas: (b1, b2)"],
        torchEquivalent: { h in
            !h.flag("bias_correction") || h.flag("eps_in_sqrt") ? nil
                : "torch.optim.Adam(params, lr=\(py(h("lr"))), betas=(\(py(h("beta1"))), \(py(h("beta2")))), eps=\(py(h("eps"))))"
        })

    static let all = [sgd, momentum, rmsprop, adam]

    /// The course Adam's step in Swift; `optrepl_adam_course` (CKernels) is the same loop in C,
    /// and the evaluator-agreement tests demand the same bits from both at every leaf size.
    /// w ← w − lr·g for one element (sgd's leaf loop and its step of a number).
    @inline(__always)
    static func sgdElement(_ w: inout Double, _ g: Double, _ lr: Double) {
        w = w - lr * g
    }

    /// v ← β·v + (1−β)·g; w ← w − lr·v (v/correction with bias correction) for one element
    /// (momentum's leaf loop and its step of a number).
    @inline(__always)
    static func momentumElement(_ w: inout Double, _ g: Double, _ v: inout Double, _ lr: Double, _ beta: Double,
                                _ correct: Bool, _ correction: Double) {
        v = beta * v + (1 - beta) * g
        let vhat = correct ? v / correction : v
        w = w - lr * vhat
    }

    static func adamLoop(_ wp: UnsafeMutablePointer<Double>, _ gp: UnsafePointer<Double>,
                         _ m: UnsafeMutablePointer<Double>, _ v: UnsafeMutablePointer<Double>, _ n: Int,
                         _ lr: Double, _ b1: Double, _ b2: Double, _ eps: Double, _ c1: Double, _ c2: Double,
                         epsInSqrt inSqrt: Bool) {
        for i in 0..<n {
            let gi = gp[i]
            let mi = b1 * m[i] + (1 - b1) * gi, vi = b2 * v[i] + (1 - b2) * gi * gi
            m[i] = mi
            v[i] = vi
            wp[i] = inSqrt ? wp[i] - lr * (mi / c1) / (vi / c2 + eps).squareRoot()
                           : wp[i] - lr * (mi / c1) / ((vi / c2).squareRoot() + eps)
        }
    }
}

// The PyTorch forms (spec §9.3, §14.4): torch.optim's single-tensor algorithms in float64,
// with PyTorch's names, defaults and buffers (present exactly when PyTorch creates them).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum TorchOptimizers {
    /// torch.lerp: self + w·(end − self) for w < 0.5, else end − (end − self)·(1 − w).
    @inline(__always)
    static func lerp(_ a: Double, _ b: Double, _ w: Double) -> Double {
        w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
    }

    static func py(_ x: Double) -> String { NumberFormat.pythonLiteral(x) }

    static let sgd = OptimizerRule(
        name: "torch.sgd",
        parameters: [.optional("lr", .number(0.001)), .optional("momentum", .number(0)), .optional("dampening", .number(0)),
                     .optional("weight_decay", .number(0)), .optional("nesterov", .bool(false)), .optional("maximize", .bool(false))],
        doc: "PyTorch SGD: buffer b = g on the first step, then b ← momentum·b + (1−dampening)·g.",
        buffers: { h in h("momentum") != 0 ? ["momentum_buffer"] : [] },
        update: { h in
            let lr = h("lr"), mom = h("momentum"), damp = h("dampening"), wd = h("weight_decay")
            let nesterov = h.flag("nesterov"), maximize = h.flag("maximize")
            return { w, g, b, t in
                for i in w.indices {
                    var d = maximize ? -g[i] : g[i]
                    if wd != 0 { d = d + wd * w[i] }
                    if mom != 0 {
                        b[0][i] = t == 1 ? d : b[0][i] * mom + (1 - damp) * d
                        d = nesterov ? d + mom * b[0][i] : b[0][i]
                    }
                    w[i] = w[i] + (-lr) * d
                }
            }
        },
        unitInterval: [],
        torchEquivalent: { h in
            "torch.optim.SGD(params, lr=\(py(h("lr"))), momentum=\(py(h("momentum"))), dampening=\(py(h("dampening"))), "
                + "weight_decay=\(py(h("weight_decay"))), nesterov=\(h.flag("nesterov") ? "True" : "False"), "
                + "maximize=\(h.flag("maximize") ? "True" : "False"))"
        })

    static let rmsprop = OptimizerRule(
        name: "torch.rmsprop",
        parameters: [.optional("lr", .number(0.01)), .optional("alpha", .number(0.99)), .optional("eps", .number(1e-8)),
                     .optional("weight_decay", .number(0)), .optional("momentum", .number(0)), .optional("centered", .bool(false)),
                     .optional("maximize", .bool(false))],
        doc: "PyTorch RMSprop: square_avg ← α·square_avg + (1−α)·g²; w ← w − lr·g/(√square_avg + eps).",
        buffers: { h in ["square_avg"] + (h("momentum") > 0 ? ["momentum_buffer"] : []) + (h.flag("centered") ? ["grad_avg"] : []) },
        update: { h in
            let lr = h("lr"), alpha = h("alpha"), eps = h("eps"), wd = h("weight_decay"), mom = h("momentum")
            let centered = h.flag("centered"), maximize = h.flag("maximize")
            return { w, g, b, _ in
                let gaIndex = mom > 0 ? 2 : 1
                for i in w.indices {
                    var gi = maximize ? -g[i] : g[i]
                    if wd != 0 { gi = gi + wd * w[i] }
                    b[0][i] = b[0][i] * alpha + (1 - alpha) * gi * gi
                    var avg: Double
                    if centered {
                        b[gaIndex][i] = lerp(b[gaIndex][i], gi, 1 - alpha)
                        avg = (b[0][i] - b[gaIndex][i] * b[gaIndex][i]).squareRoot()
                    } else {
                        avg = b[0][i].squareRoot()
                    }
                    avg = avg + eps
                    if mom > 0 {
                        b[1][i] = b[1][i] * mom + gi / avg
                        w[i] = w[i] + (-lr) * b[1][i]
                    } else {
                        w[i] = w[i] + (-lr) * (gi / avg)
                    }
                }
            }
        },
        unitInterval: ["alpha"],
        foreignLabels: ["beta": "the course's beta is PyTorch's alpha: write torch.rmsprop(alpha: ...), or use rmsprop(beta: ...)"],
        torchEquivalent: { h in
            "torch.optim.RMSprop(params, lr=\(py(h("lr"))), alpha=\(py(h("alpha"))), eps=\(py(h("eps"))), "
                + "weight_decay=\(py(h("weight_decay"))), momentum=\(py(h("momentum"))), centered=\(h.flag("centered") ? "True" : "False")\(maximizeText(h)))"
        })

    /// Adam and AdamW share one kernel; AdamW decays the weights before the update instead
    /// of adding weight_decay·w to the gradient.
    static func adamRule(name: String, decoupled: Bool) -> OptimizerRule {
        OptimizerRule(
            name: name,
            parameters: [.optional("lr", .number(0.001)), .optional("betas", .pair(0.9, 0.999)), .optional("eps", .number(1e-8)),
                         .optional("weight_decay", .number(decoupled ? 0.01 : 0)), .optional("amsgrad", .bool(false)),
                         .optional("maximize", .bool(false))]
                + (decoupled ? [] : [.optional("decoupled_weight_decay", .bool(false))]),
            doc: decoupled ? "PyTorch AdamW: w ← w·(1 − lr·weight_decay), then Adam's update."
                           : "PyTorch Adam: exp_avg, exp_avg_sq; w ← w − lr/(1−β₁^t)·exp_avg/(√exp_avg_sq/√(1−β₂^t) + eps).",
            buffers: { h in ["exp_avg", "exp_avg_sq"] + (h.flag("amsgrad") ? ["max_exp_avg_sq"] : []) },
            update: { h in
                let lr = h("lr"), b1 = h("betas.0"), b2 = h("betas.1"), eps = h("eps"), wd = h("weight_decay")
                let amsgrad = h.flag("amsgrad"), maximize = h.flag("maximize")
                // torch.adam(decoupled_weight_decay: true) is AdamW's update.
                let decoupled = decoupled || (h.names.contains("decoupled_weight_decay") && h.flag("decoupled_weight_decay"))
                let bc1 = BiasCorrection(b1), bc2 = BiasCorrection(b2)
                return { w, g, b, t in
                    let stepSize = lr / bc1(t)
                    let bc2Sqrt = bc2(t).squareRoot()
                    for i in w.indices {
                        var gi = maximize ? -g[i] : g[i]
                        if decoupled {
                            w[i] = w[i] * (1 - lr * wd)
                        } else if wd != 0 {
                            gi = gi + wd * w[i]
                        }
                        b[0][i] = lerp(b[0][i], gi, 1 - b1)
                        b[1][i] = b[1][i] * b2 + (1 - b2) * gi * gi
                        var second = b[1][i]
                        if amsgrad {
                            b[2][i] = nanMax(b[2][i], b[1][i])
                            second = b[2][i]
                        }
                        let denom = second.squareRoot() / bc2Sqrt + eps
                        w[i] = w[i] + (-stepSize) * (b[0][i] / denom)
                    }
                }
            },
            unitInterval: [],
            foreignLabels: ["beta1": "PyTorch takes betas: (b1, b2)", "beta2": "PyTorch takes betas: (b1, b2)"],
            torchEquivalent: { h in
                "torch.optim.\(decoupled ? "AdamW" : "Adam")(params, lr=\(py(h("lr"))), betas=(\(py(h("betas.0"))), \(py(h("betas.1")))), "
                    + "eps=\(py(h("eps"))), weight_decay=\(py(h("weight_decay"))), amsgrad=\(h.flag("amsgrad") ? "True" : "False")\(maximizeText(h))"
                    + (!decoupled && h.flag("decoupled_weight_decay") ? ", decoupled_weight_decay=True)" : ")")
            })
    }

    static let adam = adamRule(name: "torch.adam", decoupled: false)
    static let adamw = adamRule(name: "torch.adamw", decoupled: true)

    static let adagrad = OptimizerRule(
        name: "torch.adagrad",
        parameters: [.optional("lr", .number(0.01)), .optional("lr_decay", .number(0)), .optional("weight_decay", .number(0)),
                     .optional("initial_accumulator_value", .number(0)), .optional("eps", .number(1e-10)),
                     .optional("maximize", .bool(false))],
        doc: "PyTorch Adagrad: sum ← sum + g²; w ← w − lr/(1 + (t−1)·lr_decay)·g/(√sum + eps).",
        buffers: { _ in ["sum"] },
        update: { h in
            let lr = h("lr"), decay = h("lr_decay"), wd = h("weight_decay"), eps = h("eps"), maximize = h.flag("maximize")
            return { w, g, b, t in
                let clr = lr / (1 + Double(t - 1) * decay)
                for i in w.indices {
                    var gi = maximize ? -g[i] : g[i]
                    if wd != 0 { gi = gi + wd * w[i] }
                    b[0][i] = b[0][i] + gi * gi
                    let std = b[0][i].squareRoot() + eps
                    w[i] = w[i] + (-clr) * (gi / std)
                }
            }
        },
        unitInterval: [],
        initial: { name, h in name == "sum" ? h("initial_accumulator_value") : 0 },
        torchEquivalent: { h in
            "torch.optim.Adagrad(params, lr=\(py(h("lr"))), lr_decay=\(py(h("lr_decay"))), weight_decay=\(py(h("weight_decay"))), "
                + "initial_accumulator_value=\(py(h("initial_accumulator_value"))), eps=\(py(h("eps")))\(maximizeText(h)))"
        })

    /// Every torch rule PyTorch allows parameter groups on has `groups:`.
    static let all = ([sgd, rmsprop, adam, adamw, adagrad] + more).map(withGroups) + [LBFGS.rule]
}

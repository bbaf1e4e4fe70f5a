// `opt.explain()` and `:explain` (spec §9.11, §11): each rule's update in Unicode with this
// object's values substituted, and how it relates to the other convention's optimizers.

enum Explanations {
    /// Numbers as a reader wants them in a formula: 1 − 0.9 shows as 0.1, not 0.09999999999999998.
    static func n(_ x: Double) -> String {
        let s = NumberFormat.general(x, precision: 12)
        return s
    }

    struct Entry: Sendable {
        let formulas: @Sendable (Hyper) -> [String]
        let equivalence: @Sendable (Hyper) -> String
    }

    static func text(_ opt: Optimizer) -> String {
        guard let e = entries[opt.rule.name] ?? torchEntries[opt.rule.name] else { return opt.summary + "\n" }
        // With a schedule as lr, the formulas show the rate (and cycled momentum) of the next step.
        let h = (try? opt.nextStepHyper()) ?? opt.hyper
        var scheduled: [String] = []
        if opt.lrSchedule != nil {
            scheduled = ["  lr = s(t − 1), from the schedule: \(n(h("lr"))) at the next step (t = \(opt.t + 1))"]
        }
        let lines = [opt.summary] + scheduled + e.formulas(h).map { "  " + $0 } + [e.equivalence(h)]
            + opt.groupLines.map { "  " + $0 + " (the same formulas with these values)" }
        return lines.joined(separator: "\n") + "\n"
    }

    static let entries: [String: Entry] = [
        "sgd": Entry(formulas: { h in ["w ← w − \(n(h("lr")))·g"] },
                     equivalence: { h in "PyTorch: torch.sgd(lr: \(n(h("lr")))) takes the same steps." }),
        "momentum": Entry(formulas: { h in
            let b = h("beta")
            return ["v ← \(n(b))·v + \(n(1 - b))·g"]
                + (h.flag("bias_correction") ? ["v̂ = v/(1 − \(n(b))^t)", "w ← w − \(n(h("lr")))·v̂"] : ["w ← w − \(n(h("lr")))·v"])
        }, equivalence: { h in
            let a = h("lr"), b = h("beta")
            if h.flag("bias_correction") { return "PyTorch: no equivalent; torch.sgd has no bias correction." }
            return "PyTorch: torch.sgd(lr: \(n(a * (1 - b))), momentum: \(n(b))) takes the same steps up to rounding "
                + "(its buffer starts at g, and v = \(n(1 - b))·buffer). torch.sgd(lr: \(n(a)), momentum: \(n(b)), dampening: \(n(b))) "
                + "does not: its first buffer is g, not \(n(1 - b))·g, so the buffers differ by \(n(b))^t·g₁ and the parameters "
                + "drift apart by \(n(a))·g₁·\(n(b))·(1 − \(n(b))^t)/\(n(1 - b)), a gap that never closes."
        }),
        "rmsprop": Entry(formulas: { h in
            let b = h("beta"), wd = h("weight_decay"), mom = h("momentum"), bc = h.flag("bias_correction")
            var lines: [String] = []
            if wd != 0 { lines.append("g ← g + \(n(wd))·w") }
            lines.append("s ← \(n(b))·s + \(n(1 - b))·g²")
            if bc { lines.append("ŝ = s/(1 − \(n(b))^t)") }
            lines.append("u = g/(√\(bc ? "ŝ" : "s") + \(n(h("eps"))))")
            if mom > 0 { lines += ["b ← \(n(mom))·b + u", "w ← w − \(n(h("lr")))·b"] } else { lines.append("w ← w − \(n(h("lr")))·u") }
            return lines
        }, equivalence: { h in
            if h.flag("bias_correction") {
                return "PyTorch: no equivalent while bias_correction is on; with rmsprop(..., bias_correction: false) it is "
                    + "torch.rmsprop(lr: \(n(h("lr"))), alpha: \(n(h("beta"))), eps: \(n(h("eps"))), weight_decay: \(n(h("weight_decay"))), "
                    + "momentum: \(n(h("momentum")))) (PyTorch's alpha is this beta)."
            }
            return "PyTorch: torch.rmsprop(lr: \(n(h("lr"))), alpha: \(n(h("beta"))), eps: \(n(h("eps"))), weight_decay: \(n(h("weight_decay"))), "
                + "momentum: \(n(h("momentum")))) takes the same steps up to rounding."
        }),
        "adam": Entry(formulas: { h in
            let b1 = h("beta1"), b2 = h("beta2"), bc = h.flag("bias_correction")
            var lines = ["m ← \(n(b1))·m + \(n(1 - b1))·g", "v ← \(n(b2))·v + \(n(1 - b2))·g²"]
            if bc { lines.append("m̂ = m/(1 − \(n(b1))^t),  v̂ = v/(1 − \(n(b2))^t)") }
            let m = bc ? "m̂" : "m", v = bc ? "v̂" : "v"
            lines.append(h.flag("eps_in_sqrt") ? "w ← w − \(n(h("lr")))·\(m)/√(\(v) + \(n(h("eps"))))"
                                               : "w ← w − \(n(h("lr")))·\(m)/(√\(v) + \(n(h("eps"))))")
            return lines
        }, equivalence: { h in
            if !h.flag("bias_correction") || h.flag("eps_in_sqrt") {
                return "PyTorch: no equivalent; torch.adam always corrects the bias and adds eps outside the square root."
            }
            return "PyTorch: torch.adam(lr: \(n(h("lr"))), betas: (\(n(h("beta1"))), \(n(h("beta2")))), eps: \(n(h("eps")))) takes the same "
                + "steps up to rounding (it computes √v/√(1 − β₂^t) + eps, the same value in another order)."
        }),
        "lion": Entry(formulas: { h in
            let b1 = h("beta1"), b2 = h("beta2")
            // A zero weight decay leaves its term out, as the other rules' explanations do.
            let wd = h("weight_decay")
            let update = wd == 0 ? "w ← w − \(n(h("lr")))·sign(c)" : "w ← w − \(n(h("lr")))·(sign(c) + \(n(wd))·w)"
            return ["c = \(n(b1))·m + \(n(1 - b1))·g", update, "m ← \(n(b2))·m + \(n(1 - b2))·g"]
        }, equivalence: { _ in "PyTorch: torch.optim has no Lion." }),
        "torch.sgd": Entry(formulas: { h in
            let mom = h("momentum"), damp = h("dampening"), wd = h("weight_decay")
            var lines: [String] = []
            if h.flag("maximize") { lines.append("g ← −g") }
            if wd != 0 { lines.append("g ← g + \(n(wd))·w") }
            if mom != 0 {
                lines.append("b ← g on the first step, then b ← \(n(mom))·b + \(n(1 - damp))·g")
                lines.append(h.flag("nesterov") ? "g ← g + \(n(mom))·b" : "g ← b")
            }
            lines.append("w ← w − \(n(h("lr")))·g")
            return lines
        }, equivalence: { h in
            let mom = h("momentum")
            let plain = h("dampening") == 0 && h("weight_decay") == 0 && !h.flag("nesterov") && !h.flag("maximize")
            if mom == 0 && h("weight_decay") == 0 && !h.flag("maximize") { return "Course: sgd(lr: \(n(h("lr")))) takes the same steps." }
            if plain { return "Course: momentum(lr: \(n(h("lr") / (1 - mom))), beta: \(n(mom))) takes the same steps up to rounding." }
            return "Course: no equivalent for these settings."
        }),
        "torch.rmsprop": Entry(formulas: { h in
            let a = h("alpha"), wd = h("weight_decay"), mom = h("momentum")
            var lines: [String] = []
            if wd != 0 { lines.append("g ← g + \(n(wd))·w") }
            lines.append("square_avg ← \(n(a))·square_avg + \(n(1 - a))·g²")
            if h.flag("centered") {
                lines += ["grad_avg ← \(n(a))·grad_avg + \(n(1 - a))·g", "avg = √(square_avg − grad_avg²) + \(n(h("eps")))"]
            } else {
                lines.append("avg = √square_avg + \(n(h("eps")))")
            }
            if mom > 0 { lines += ["b ← \(n(mom))·b + g/avg", "w ← w − \(n(h("lr")))·b"] } else { lines.append("w ← w − \(n(h("lr")))·g/avg") }
            return lines
        }, equivalence: { h in
            if h.flag("centered") { return "Course: no equivalent (the course's rmsprop is not centered)." }
            return "Course: rmsprop(lr: \(n(h("lr"))), beta: \(n(h("alpha"))), eps: \(n(h("eps"))), bias_correction: false, "
                + "weight_decay: \(n(h("weight_decay"))), momentum: \(n(h("momentum")))) takes the same steps up to rounding."
        }),
        "torch.adam": adamEntry(decoupled: false),
        "torch.adamw": adamEntry(decoupled: true),
        "torch.adagrad": Entry(formulas: { h in
            var lines: [String] = []
            if h("weight_decay") != 0 { lines.append("g ← g + \(n(h("weight_decay")))·w") }
            lines += ["sum ← sum + g²  (sum starts at \(n(h("initial_accumulator_value"))))",
                      "w ← w − \(n(h("lr")))/(1 + (t − 1)·\(n(h("lr_decay"))))·g/(√sum + \(n(h("eps"))))"]
            return lines
        }, equivalence: { _ in "Course: no equivalent (the course has no Adagrad)." }),
    ]

    static func adamEntry(decoupled: Bool) -> Entry {
        Entry(formulas: { h in
            let b1 = h("betas.0"), b2 = h("betas.1"), wd = h("weight_decay")
            var lines: [String] = []
            if decoupled { lines.append("w ← w·(1 − \(n(h("lr")))·\(n(wd)))") } else if wd != 0 { lines.append("g ← g + \(n(wd))·w") }
            lines += ["exp_avg ← \(n(b1))·exp_avg + \(n(1 - b1))·g", "exp_avg_sq ← \(n(b2))·exp_avg_sq + \(n(1 - b2))·g²"]
            let second = h.flag("amsgrad") ? "max_exp_avg_sq" : "exp_avg_sq"
            if h.flag("amsgrad") { lines.append("max_exp_avg_sq ← max(max_exp_avg_sq, exp_avg_sq)") }
            lines.append("w ← w − \(n(h("lr")))/(1 − \(n(b1))^t)·exp_avg/(√\(second)/√(1 − \(n(b2))^t) + \(n(h("eps"))))")
            return lines
        }, equivalence: { h in
            if decoupled || h("weight_decay") != 0 || h.flag("amsgrad") { return "Course: no equivalent for these settings." }
            return "Course: adam(lr: \(n(h("lr"))), beta1: \(n(h("betas.0"))), beta2: \(n(h("betas.1"))), eps: \(n(h("eps")))) "
                + "takes the same steps up to rounding."
        })
    }
}

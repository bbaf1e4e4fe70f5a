// `opt.explain()` for the rest of torch.optim (spec §15.2): each update with this object's values.

extension Explanations {
    private static func maximized(_ h: Hyper) -> [String] { h.flag("maximize") ? ["g ← −g"] : [] }

    private static func l2(_ h: Hyper) -> [String] { h("weight_decay") != 0 ? ["g ← g + \(n(h("weight_decay")))·w"] : [] }

    private static func decay(_ h: Hyper) -> [String] {
        guard h("weight_decay") != 0 else { return [] }
        return h.names.contains("decoupled_weight_decay") && h.flag("decoupled_weight_decay")
            ? ["w ← w·(1 − \(n(h("lr")))·\(n(h("weight_decay"))))"] : l2(h)
    }

    static let torchEntries: [String: Entry] = [
        "torch.adadelta": Entry(formulas: { h in
            let rho = h("rho"), eps = n(h("eps"))
            return maximized(h) + l2(h) + ["square_avg ← \(n(rho))·square_avg + \(n(1 - rho))·g²",
                                           "δ = √(acc_delta + \(eps))/√(square_avg + \(eps))·g",
                                           "acc_delta ← \(n(rho))·acc_delta + \(n(1 - rho))·δ²", "w ← w − \(n(h("lr")))·δ"]
        }, equivalence: { _ in "Course: no equivalent (the course has no Adadelta)." }),
        "torch.adamax": Entry(formulas: { h in
            let b1 = h("betas.0"), b2 = h("betas.1")
            return maximized(h) + l2(h) + ["exp_avg ← \(n(b1))·exp_avg + \(n(1 - b1))·g",
                                           "exp_inf ← max(\(n(b2))·exp_inf, |g| + \(n(h("eps"))))",
                                           "w ← w − \(n(h("lr")))/(1 − \(n(b1))^t)·exp_avg/exp_inf"]
        }, equivalence: { _ in "Course: no equivalent (Adam with the infinity norm in place of √v)." }),
        "torch.nadam": Entry(formulas: { h in
            let b1 = h("betas.0"), b2 = h("betas.1"), md = n(h("momentum_decay")), lr = n(h("lr"))
            return maximized(h) + decay(h) + ["μ_t = \(n(b1))·(1 − ½·0.96^(t·\(md))),  mu_product ← mu_product·μ_t",
                                              "exp_avg ← \(n(b1))·exp_avg + \(n(1 - b1))·g",
                                              "exp_avg_sq ← \(n(b2))·exp_avg_sq + \(n(1 - b2))·g²",
                                              "d = √(exp_avg_sq/(1 − \(n(b2))^t)) + \(n(h("eps")))",
                                              "w ← w − \(lr)·(1 − μ_t)/(1 − mu_product)·g/d − \(lr)·μ_{t+1}/(1 − mu_product·μ_{t+1})·exp_avg/d"]
        }, equivalence: { _ in "Course: no equivalent (Adam with Nesterov momentum and a momentum schedule)." }),
        "torch.radam": Entry(formulas: { h in
            let b1 = h("betas.0"), b2 = h("betas.1"), lr = n(h("lr"))
            let rhoInf = 2 / (1 - b2) - 1
            return maximized(h) + decay(h) + ["exp_avg ← \(n(b1))·exp_avg + \(n(1 - b1))·g",
                                              "exp_avg_sq ← \(n(b2))·exp_avg_sq + \(n(1 - b2))·g²",
                                              "ρ_t = \(n(rhoInf)) − 2t·\(n(b2))^t/(1 − \(n(b2))^t)",
                                              "while ρ_t ≤ 5: w ← w − \(lr)·exp_avg/(1 − \(n(b1))^t)",
                                              "after: r_t = √((ρ_t − 4)(ρ_t − 2)·\(n(rhoInf))/(\(n((rhoInf - 4) * (rhoInf - 2)))·ρ_t)),",
                                              "       w ← w − \(lr)·r_t·exp_avg/(1 − \(n(b1))^t)/(√exp_avg_sq/√(1 − \(n(b2))^t) + \(n(h("eps"))))"]
        }, equivalence: { _ in "Course: no equivalent (Adam without its early, high-variance steps)." }),
        "torch.rprop": Entry(formulas: { h in
            maximized(h) + ["s = g·prev;  step_size ← clamp(step_size·(\(n(h("etas.1"))) if s > 0, \(n(h("etas.0"))) if s < 0, 1 if s = 0), "
                            + "\(n(h("step_sizes.0"))), \(n(h("step_sizes.1"))))  (starts at \(n(h("lr"))))",
                            "g ← 0 where s < 0 (the step after a sign change is skipped)", "w ← w − sign(g)·step_size", "prev ← g"]
        }, equivalence: { _ in "Course: no equivalent (Rprop uses only the sign of the gradient)." }),
        "torch.asgd": Entry(formulas: { h in
            let lambd = n(h("lambd")), lr = n(h("lr"))
            return maximized(h) + l2(h) + ["w ← w·(1 − \(lambd)·eta) − eta·g  (eta starts at \(lr))",
                                           "ax ← ax + mu·(w − ax)  (ax = w while mu = 1)",
                                           "eta ← \(lr)/(1 + \(lambd)·\(lr)·t)^\(n(h("alpha"))),  mu ← 1/max(1, t − \(n(h("t0"))))"]
        }, equivalence: { _ in "Course: no equivalent; ax is the average of the iterates from step t0 on (Polyak–Ruppert)." }),
        "torch.adafactor": Entry(formulas: { h in
            let eps1 = h("eps.0").isNaN ? "2.2e-16" : n(h("eps.0"))
            return maximized(h) + [
                "β₂_t = 1 − t^\(n(h("beta2_decay"))),  ρ_t = min(\(n(h("lr"))), 1/√t),  α = max(\(n(h("eps.1"))), RMS(w))·ρ_t"]
                + (h("weight_decay") != 0 ? ["w ← w·(1 − \(n(h("lr")))·\(n(h("weight_decay"))))"] : [])
                + ["matrix: row_var ← lerp(row_var, mean over columns of g², 1 − β₂_t), col_var likewise over rows,",
                   "        v = row_var·col_var/max(mean(row_var), \(eps1));  vector: variance ← lerp(variance, g², 1 − β₂_t), v = variance",
                   "u = g/√max(v, \(eps1)²);  w ← w − α/max(1, RMS(u)/\(n(h("d"))))·u"]
        }, equivalence: { _ in "Course: no equivalent (Adafactor keeps row and column averages instead of a full second moment)." }),
        "torch.lbfgs": Entry(formulas: { h in
            let maxIter = Int(h("max_iter")), history = Int(h("history_size"))
            let maxEval = h.names.contains("max_eval") ? Int(h("max_eval")) : maxIter * 5 / 4
            return maximized(h) + [
                "one step (PyTorch's step(closure)): up to \(maxIter) iterations and \(maxEval) evaluations of f and its gradient g",
                "d = −H·g, H from the last \(history) pairs s = Δw, y = Δg (two-loop recursion, scaled by s·y/y·y)",
                h.names.contains("line_search_fn")
                    ? "w ← w + t·d, t from a strong-Wolfe line search (c1 = 1e-4, c2 = 0.9) starting at \(n(h("lr")))"
                    : "w ← w + \(n(h("lr")))·d  (the first iteration: min(1, 1/Σ|g|)·\(n(h("lr"))))",
                "stops when max|g| ≤ \(n(h("tolerance_grad"))) or a step or loss change is below \(n(h("tolerance_change")))"]
        }, equivalence: { _ in "Course: no equivalent (a quasi-Newton method); run it with minimize or stepper." }),
        "torch.muon": Entry(formulas: { h in
            let mom = h("momentum")
            return ["momentum_buffer ← \(n(mom))·momentum_buffer + \(n(1 - mom))·g",
                    h.flag("nesterov") ? "u = \(n(1 - mom))·g + \(n(mom))·momentum_buffer" : "u = momentum_buffer",
                    "X = u/max(‖u‖, \(n(h("eps")))), then \(Int(h("ns_steps"))) times: A = X·Xᵀ, X ← \(n(h("ns_coefficients.0")))·X + "
                        + "(\(n(h("ns_coefficients.1")))·A + \(n(h("ns_coefficients.2")))·A²)·X",
                    "w ← w·(1 − \(n(h("lr")))·\(n(h("weight_decay")))) − \(n(h("lr")))·√max(1, rows/cols)·X"]
        }, equivalence: { _ in "Course: no equivalent (Muon orthogonalises the momentum of each matrix)." }),
    ]
}

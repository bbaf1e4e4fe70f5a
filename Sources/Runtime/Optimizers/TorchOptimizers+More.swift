// The rest of torch.optim (spec §15.2): Adadelta, Adamax, NAdam, RAdam, Rprop, ASGD, Adafactor and
// Muon, each PyTorch 2.x's single-tensor algorithm in float64 with its operations in PyTorch's
// order (lerp, addcmul as self + (value·t1)·t2, addcdiv as self + (value·t1)/t2), so the results
// agree with PyTorch's to the last few bits. Buffers carry PyTorch's state names; `step` is the
// optimizer's t.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TorchOptimizers {
    static func flag(_ h: Hyper, _ name: String) -> String { h.flag(name) ? "True" : "False" }

    /// `, maximize=True` when set: PyTorch's default is left out, as a user would write the call.
    static func maximizeText(_ h: Hyper) -> String { h.flag("maximize") ? ", maximize=True" : "" }

    static let adadelta = OptimizerRule(
        name: "torch.adadelta",
        parameters: [.optional("lr", .number(1)), .optional("rho", .number(0.9)), .optional("eps", .number(1e-6)),
                     .optional("weight_decay", .number(0)), .optional("maximize", .bool(false))],
        doc: "PyTorch Adadelta: square_avg ← ρ·square_avg + (1−ρ)·g²; δ = √(acc_delta + eps)/√(square_avg + eps)·g; "
            + "acc_delta ← ρ·acc_delta + (1−ρ)·δ²; w ← w − lr·δ.",
        buffers: { _ in ["square_avg", "acc_delta"] },
        update: { h in
            let lr = h("lr"), rho = h("rho"), eps = h("eps"), wd = h("weight_decay"), maximize = h.flag("maximize")
            return { w, g, b, _ in
                for i in w.indices {
                    var gi = maximize ? -g[i] : g[i]
                    if wd != 0 { gi = gi + wd * w[i] }
                    b[0][i] = b[0][i] * rho + (1 - rho) * gi * gi
                    let std = (b[0][i] + eps).squareRoot()
                    let delta = (b[1][i] + eps).squareRoot() / std * gi
                    b[1][i] = b[1][i] * rho + (1 - rho) * delta * delta
                    w[i] = w[i] + (-lr) * delta
                }
            }
        },
        unitInterval: [],
        torchEquivalent: { h in
            "torch.optim.Adadelta(params, lr=\(py(h("lr"))), rho=\(py(h("rho"))), eps=\(py(h("eps"))), "
                + "weight_decay=\(py(h("weight_decay")))\(maximizeText(h)))"
        })

    static let adamax = OptimizerRule(
        name: "torch.adamax",
        parameters: [.optional("lr", .number(0.002)), .optional("betas", .pair(0.9, 0.999)), .optional("eps", .number(1e-8)),
                     .optional("weight_decay", .number(0)), .optional("maximize", .bool(false))],
        doc: "PyTorch Adamax: exp_avg ← β₁·exp_avg + (1−β₁)·g; exp_inf ← max(β₂·exp_inf, |g| + eps); "
            + "w ← w − lr/(1−β₁^t)·exp_avg/exp_inf.",
        buffers: { _ in ["exp_avg", "exp_inf"] },
        update: { h in
            let lr = h("lr"), b1 = h("betas.0"), b2 = h("betas.1"), eps = h("eps"), wd = h("weight_decay")
            let maximize = h.flag("maximize"), bc1 = BiasCorrection(b1)
            return { w, g, b, t in
                let clr = lr / bc1(t)
                for i in w.indices {
                    var gi = maximize ? -g[i] : g[i]
                    if wd != 0 { gi = gi + wd * w[i] }
                    b[0][i] = lerp(b[0][i], gi, 1 - b1)
                    let decayed = b[1][i] * b2, fresh = abs(gi) + eps
                    // torch.maximum propagates NaN.
                    b[1][i] = decayed.isNaN || fresh.isNaN ? .nan : Swift.max(decayed, fresh)
                    w[i] = w[i] + (-clr) * b[0][i] / b[1][i]
                }
            }
        },
        unitInterval: [],
        torchEquivalent: { h in
            "torch.optim.Adamax(params, lr=\(py(h("lr"))), betas=(\(py(h("betas.0"))), \(py(h("betas.1")))), eps=\(py(h("eps"))), "
                + "weight_decay=\(py(h("weight_decay")))\(maximizeText(h)))"
        })

    static let nadam = OptimizerRule(
        name: "torch.nadam",
        parameters: [.optional("lr", .number(0.002)), .optional("betas", .pair(0.9, 0.999)), .optional("eps", .number(1e-8)),
                     .optional("weight_decay", .number(0)), .optional("momentum_decay", .number(0.004)),
                     .optional("decoupled_weight_decay", .bool(false)), .optional("maximize", .bool(false))],
        doc: "PyTorch NAdam: μ_t = β₁·(1 − ½·0.96^(t·momentum_decay)); Adam's moments; "
            + "w ← w − lr·(1−μ_t)/(1−Πμ)·g/d − lr·μ_{t+1}/(1−Πμ·μ_{t+1})·exp_avg/d, d = √(exp_avg_sq/(1−β₂^t)) + eps.",
        buffers: { _ in ["mu_product", "exp_avg", "exp_avg_sq"] },
        update: { h in
            let lr = h("lr"), b1 = h("betas.0"), b2 = h("betas.1"), eps = h("eps"), wd = h("weight_decay")
            let md = h("momentum_decay"), decoupled = h.flag("decoupled_weight_decay"), maximize = h.flag("maximize")
            let correction2 = BiasCorrection(b2)
            return { w, g, b, t in
                let step = Double(t)
                let bc2 = correction2(t)
                let mu = b1 * (1 - 0.5 * pow(0.96, step * md))
                let muNext = b1 * (1 - 0.5 * pow(0.96, (step + 1) * md))
                b[0][0] = b[0][0] * mu
                let muProductNext = b[0][0] * muNext
                let c1 = -lr * (1 - mu) / (1 - b[0][0]), c2 = -lr * muNext / (1 - muProductNext)
                for i in w.indices {
                    var gi = maximize ? -g[i] : g[i]
                    if wd != 0 {
                        if decoupled { w[i] = w[i] * (1 - lr * wd) } else { gi = gi + wd * w[i] }
                    }
                    b[1][i] = lerp(b[1][i], gi, 1 - b1)
                    b[2][i] = b[2][i] * b2 + (1 - b2) * gi * gi
                    let denom = (b[2][i] / bc2).squareRoot() + eps
                    w[i] = w[i] + c1 * gi / denom
                    w[i] = w[i] + c2 * b[1][i] / denom
                }
            }
        },
        unitInterval: [],
        // mu_product is a 0-d tensor in PyTorch, one per parameter, starting at 1.
        initial: { name, _ in name == "mu_product" ? 1 : 0 },
        torchEquivalent: { h in
            "torch.optim.NAdam(params, lr=\(py(h("lr"))), betas=(\(py(h("betas.0"))), \(py(h("betas.1")))), eps=\(py(h("eps"))), "
                + "weight_decay=\(py(h("weight_decay"))), momentum_decay=\(py(h("momentum_decay"))), "
                + "decoupled_weight_decay=\(flag(h, "decoupled_weight_decay"))\(maximizeText(h)))"
        },
        leafBuffers: { _, shape in [("mu_product", []), ("exp_avg", shape), ("exp_avg_sq", shape)] })

    static let radam = OptimizerRule(
        name: "torch.radam",
        parameters: [.optional("lr", .number(0.001)), .optional("betas", .pair(0.9, 0.999)), .optional("eps", .number(1e-8)),
                     .optional("weight_decay", .number(0)), .optional("decoupled_weight_decay", .bool(false)),
                     .optional("maximize", .bool(false))],
        doc: "PyTorch RAdam: Adam's moments; while ρ_t ≤ 5 the step is lr·exp_avg/(1−β₁^t) (no second moment), "
            + "after it is rectified by r_t and divided by √exp_avg_sq/√(1−β₂^t) + eps.",
        buffers: { _ in ["exp_avg", "exp_avg_sq"] },
        update: { h in
            let lr = h("lr"), b1 = h("betas.0"), b2 = h("betas.1"), eps = h("eps"), wd = h("weight_decay")
            let decoupled = h.flag("decoupled_weight_decay"), maximize = h.flag("maximize")
            let correction1 = BiasCorrection(b1), correction2 = BiasCorrection(b2)
            return { w, g, b, t in
                let step = Double(t)
                let bc1 = correction1(t), bc2 = correction2(t)
                let rhoInf = 2 / (1 - b2) - 1
                let rhoT = rhoInf - 2 * step * pow(b2, step) / bc2
                let rectified = rhoT > 5
                let rect = rectified ? pow((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5) : 1
                let bc2Root = pow(bc2, 0.5)
                for i in w.indices {
                    var gi = maximize ? -g[i] : g[i]
                    if wd != 0 {
                        if decoupled { w[i] = w[i] * (1 - lr * wd) } else { gi = gi + wd * w[i] }
                    }
                    b[0][i] = lerp(b[0][i], gi, 1 - b1)
                    b[1][i] = b[1][i] * b2 + (1 - b2) * gi * gi
                    let corrected = b[0][i] / bc1
                    if rectified {
                        let adaptive = bc2Root / (b[1][i].squareRoot() + eps)
                        w[i] = w[i] - corrected * lr * adaptive * rect
                    } else {
                        w[i] = w[i] - corrected * lr
                    }
                }
            }
        },
        unitInterval: [],
        torchEquivalent: { h in
            "torch.optim.RAdam(params, lr=\(py(h("lr"))), betas=(\(py(h("betas.0"))), \(py(h("betas.1")))), eps=\(py(h("eps"))), "
                + "weight_decay=\(py(h("weight_decay"))), decoupled_weight_decay=\(flag(h, "decoupled_weight_decay"))\(maximizeText(h)))"
        })

    static let rprop = OptimizerRule(
        name: "torch.rprop",
        parameters: [.optional("lr", .number(0.01)), .optional("etas", .pair(0.5, 1.2)), .optional("step_sizes", .pair(1e-6, 50)),
                     .optional("maximize", .bool(false))],
        doc: "PyTorch Rprop: per element, step_size grows by etas[1] while g keeps its sign and shrinks by etas[0] when it flips "
            + "(clamped to step_sizes; that step is skipped); w ← w − sign(g)·step_size.",
        buffers: { _ in ["prev", "step_size"] },
        update: { h in
            let etaminus = h("etas.0"), etaplus = h("etas.1"), lo = h("step_sizes.0"), hi = h("step_sizes.1")
            let maximize = h.flag("maximize")
            return { w, g, b, _ in
                for i in w.indices {
                    var gi = maximize ? -g[i] : g[i]
                    let s = gi * b[0][i]
                    let factor: Double = s > 0 ? etaplus : (s < 0 ? etaminus : (s == 0 ? 1 : .nan))
                    let size = b[1][i] * factor
                    b[1][i] = size.isNaN ? size : Swift.min(Swift.max(size, lo), hi)
                    if factor == etaminus { gi = 0 }
                    let sign: Double = gi > 0 ? 1 : (gi < 0 ? -1 : (gi.isNaN ? .nan : 0))
                    w[i] = w[i] + (-1 * sign) * b[1][i]
                    b[0][i] = gi
                }
            }
        },
        unitInterval: [],
        initial: { name, h in name == "step_size" ? h("lr") : 0 },
        torchEquivalent: { h in
            "torch.optim.Rprop(params, lr=\(py(h("lr"))), etas=(\(py(h("etas.0"))), \(py(h("etas.1")))), "
                + "step_sizes=(\(py(h("step_sizes.0"))), \(py(h("step_sizes.1"))))\(maximizeText(h)))"
        },
        checks: [
            "etas": { v, position throws(RuntimeError) in
                let (minus, plus) = try numberPair(v, "etas", position: position, rule: "torch.rprop")
                guard 0 < minus, minus < 1, 1 < plus else {
                    throw RuntimeError.badArgumentValue(position, to: "torch.rprop",
                                                        "Invalid eta values: \(NumberFormat.repr(minus)), \(NumberFormat.repr(plus)) (PyTorch needs 0 < etaminus < 1 < etaplus)")
                }
                return v
            },
            "step_sizes": { v, position throws(RuntimeError) in
                let (lo, hi) = try numberPair(v, "step_sizes", position: position, rule: "torch.rprop")
                guard lo >= 0, hi >= lo else {
                    throw RuntimeError.badArgumentValue(position, to: "torch.rprop", "step_sizes must be (min, max) with 0 <= min <= max")
                }
                return v
            },
        ])

    static let asgd = OptimizerRule(
        name: "torch.asgd",
        parameters: [.optional("lr", .number(0.01)), .optional("lambd", .number(1e-4)), .optional("alpha", .number(0.75)),
                     .optional("t0", .number(1e6)), .optional("weight_decay", .number(0)), .optional("maximize", .bool(false))],
        doc: "PyTorch ASGD: w ← w·(1 − lambd·eta) − eta·g; ax averages w from step t0 on (mu = 1/max(1, t − t0)); "
            + "eta ← lr/(1 + lambd·lr·t)^alpha.",
        buffers: { _ in ["eta", "mu", "ax"] },
        update: { h in
            let lr = h("lr"), lambd = h("lambd"), alpha = h("alpha"), t0 = h("t0"), wd = h("weight_decay")
            let maximize = h.flag("maximize")
            return { w, g, b, t in
                let eta = b[0][0], mu = b[1][0]
                for i in w.indices {
                    var gi = maximize ? -g[i] : g[i]
                    if wd != 0 { gi = gi + wd * w[i] }
                    w[i] = w[i] * (1 - lambd * eta)
                    w[i] = w[i] + (-eta) * gi
                    b[2][i] = mu != 1 ? b[2][i] + (w[i] - b[2][i]) * mu : w[i]
                }
                let step = Double(t)
                b[0][0] = lr / pow(1 + lambd * lr * step, alpha)
                b[1][0] = 1 / Swift.max(1, step - t0)
            }
        },
        unitInterval: [],
        initial: { name, h in name == "eta" ? h("lr") : (name == "mu" ? 1 : 0) },
        torchEquivalent: { h in
            "torch.optim.ASGD(params, lr=\(py(h("lr"))), lambd=\(py(h("lambd"))), alpha=\(py(h("alpha"))), t0=\(py(h("t0"))), "
                + "weight_decay=\(py(h("weight_decay")))\(maximizeText(h)))"
        },
        leafBuffers: { _, shape in [("eta", []), ("mu", []), ("ax", shape)] })

    static let adafactor = OptimizerRule(
        name: "torch.adafactor",
        parameters: [.optional("lr", .number(0.01)), .optional("beta2_decay", .number(-0.8)), .optional("eps", .numbers([nil, 1e-3])),
                     .optional("d", .number(1)), .optional("weight_decay", .number(0)), .optional("maximize", .bool(false))],
        doc: "PyTorch Adafactor: for a matrix, row and column means of g² (row_var, col_var) instead of a full second moment; "
            + "update = g/√(row_var·col_var/mean(row_var)), clipped to RMS d; step max(eps[1], RMS(w))·min(lr, 1/√t).",
        buffers: { _ in ["variance"] },
        update: { h in adafactorKernel(h, shape: []) },
        unitInterval: [],
        torchEquivalent: { h in
            let eps1 = h("eps.0").isNaN ? "None" : py(h("eps.0"))
            return "torch.optim.Adafactor(params, lr=\(py(h("lr"))), beta2_decay=\(py(h("beta2_decay"))), eps=(\(eps1), \(py(h("eps.1")))), "
                + "d=\(py(h("d"))), weight_decay=\(py(h("weight_decay")))\(maximizeText(h)))"
        },
        leafBuffers: { _, shape in
            guard shape.count > 1 else { return [("variance", shape)] }
            var row = shape, col = shape
            row[row.count - 1] = 1
            col[col.count - 2] = 1
            return [("row_var", row), ("col_var", col)]
        },
        shapedUpdate: { h, shape in adafactorKernel(h, shape: shape) },
        checks: [
            "eps": { v, position throws(RuntimeError) in
                guard case .tuple(let t) = v, t.count == 2 else {
                    throw RuntimeError.badArgument(position, to: "torch.adafactor", expected: "pair (eps1 or nil, eps2)", got: v)
                }
                for (k, item) in t.items.enumerated() {
                    if k == 0, case .null = item { continue }
                    guard case .number(let x) = item, x >= 0 else {
                        throw RuntimeError.badArgumentValue(position, to: "torch.adafactor",
                                                            "eps must be (nil or a number >= 0, a number >= 0), got \(Interpreter.repr(v))")
                    }
                }
                return .tuple(TupleValue(t.items))
            },
            "beta2_decay": { v, position throws(RuntimeError) in
                guard case .number(let x) = v, x <= 0 else {
                    throw RuntimeError.badArgumentValue(position, to: "torch.adafactor",
                                                        "beta2_decay should be <= 0 but is: \(Interpreter.repr(v))")
                }
                return v
            },
        ])

    /// Adafactor on one leaf; a leaf of two or more dimensions is a stack of matrices over its
    /// last two, each factored into row and column means (PyTorch's `dim=-1` and `dim=-2`).
    static func adafactorKernel(_ h: Hyper, shape: [Int]) -> LeafKernel {
        let lr = h("lr"), decay = h("beta2_decay"), eps2 = h("eps.1"), d = h("d"), wd = h("weight_decay")
        let eps1 = h("eps.0").isNaN ? Double.ulpOfOne : h("eps.0")
        let maximize = h.flag("maximize")
        let count = shape.reduce(1, *)
        let factored = shape.count > 1
        let m = factored ? shape[shape.count - 2] : 1, n = factored ? shape[shape.count - 1] : count
        let batches = factored ? count / Swift.max(m * n, 1) : 1
        return { w, g, b, t in
            let step = Double(t)
            let keep = pow(step, decay)  // one minus beta2_t, PyTorch's name
            let rho = Swift.min(lr, 1 / pow(step, 0.5))
            var sq = 0.0
            for x in w { sq += x * x }
            let alpha = Swift.max(eps2, sq.squareRoot() / pow(Double(count), 0.5)) * rho
            if wd != 0 { for i in w.indices { w[i] = w[i] * (1 - lr * wd) } }
            let grad: (Int) -> Double = { i in maximize ? -g[i] : g[i] }
            var update = [Double](repeating: 0, count: count)
            if factored {
                for batch in 0..<batches {
                    let base = batch * m * n
                    var rowSum = 0.0
                    for r in 0..<m {
                        var s = 0.0
                        for c in 0..<n { let x = grad(base + r * n + c); s += x * x }
                        let norm = s.squareRoot()
                        b[0][batch * m + r] = lerp(b[0][batch * m + r], norm * norm / Double(n), keep)
                        rowSum += b[0][batch * m + r]
                    }
                    for c in 0..<n {
                        var s = 0.0
                        for r in 0..<m { let x = grad(base + r * n + c); s += x * x }
                        let norm = s.squareRoot()
                        b[1][batch * n + c] = lerp(b[1][batch * n + c], norm * norm / Double(m), keep)
                    }
                    let mean = rowSum / Double(m)
                    let floor = mean.isNaN ? mean : Swift.max(mean, eps1)
                    for r in 0..<m {
                        for c in 0..<n { update[base + r * n + c] = b[0][batch * m + r] * b[1][batch * n + c] / floor }
                    }
                }
            } else {
                for i in 0..<count {
                    let x = grad(i)
                    b[0][i] = lerp(b[0][i], x * x, keep)
                    update[i] = b[0][i]
                }
            }
            var usq = 0.0
            for i in 0..<count {
                let v = update[i]
                let clamped = v.isNaN ? v : Swift.max(v, eps1 * eps1)
                update[i] = 1 / clamped.squareRoot() * grad(i)
                usq += update[i] * update[i]
            }
            let denom = Swift.max(1, usq.squareRoot() / (pow(Double(count), 0.5) * d))
            let scale = -alpha / denom
            for i in 0..<count { w[i] = w[i] + scale * update[i] }
        }
    }

    static let muon = OptimizerRule(
        name: "torch.muon",
        parameters: [.optional("lr", .number(0.001)), .optional("weight_decay", .number(0.1)), .optional("momentum", .number(0.95)),
                     .optional("nesterov", .bool(true)), .optional("ns_coefficients", .numbers([3.4445, -4.775, 2.0315])),
                     .optional("eps", .number(1e-7)), .optional("ns_steps", .number(5))],
        doc: "PyTorch Muon, for 2-D leaves: momentum_buffer ← lerp(buffer, g, 1−momentum); the (Nesterov) update is "
            + "orthogonalised by ns_steps Newton–Schulz iterations (in float64); w ← w·(1 − lr·wd) − lr·√max(1, rows/cols)·update.",
        buffers: { _ in ["momentum_buffer"] },
        update: { h in muonKernel(h, shape: []) },
        unitInterval: ["momentum"],
        torchEquivalent: { h in
            "torch.optim.Muon(params, lr=\(py(h("lr"))), weight_decay=\(py(h("weight_decay"))), momentum=\(py(h("momentum"))), "
                + "nesterov=\(flag(h, "nesterov")), ns_coefficients=(\(py(h("ns_coefficients.0"))), \(py(h("ns_coefficients.1"))), "
                + "\(py(h("ns_coefficients.2")))), eps=\(py(h("eps"))), ns_steps=\(Int(h("ns_steps"))))"
        },
        shapedUpdate: { h, shape in muonKernel(h, shape: shape) },
        checks: [
            "ns_coefficients": { v, position throws(RuntimeError) in
                guard case .tuple(let t) = v, t.count == 3, t.items.allSatisfy({ if case .number(let x) = $0 { return x.isFinite } else { return false } }) else {
                    throw RuntimeError.badArgument(position, to: "torch.muon", expected: "3 numbers (a, b, c)", got: v)
                }
                return .tuple(TupleValue(t.items))
            },
            "ns_steps": { v, position throws(RuntimeError) in
                guard case .number(let x) = v, x >= 0, x == x.rounded() else {
                    throw RuntimeError.badArgument(position, to: "torch.muon", expected: "whole number >= 0", got: v)
                }
                guard x < 100 else {
                    throw RuntimeError.badArgumentValue(position, to: "torch.muon", "Number of steps must be less than 100 for computational efficiency")
                }
                return v
            },
        ],
        leafRequirement: { shape in
            shape.count == 2 ? nil : "Muon only supports 2D parameters whereas we found a parameter with size: \(shape)"
        })

    /// Muon on one matrix leaf: Newton–Schulz in float64 (PyTorch runs it in bfloat16; the
    /// contract compares with its algorithm without that cast).
    static func muonKernel(_ h: Hyper, shape: [Int]) -> LeafKernel {
        let lr = h("lr"), wd = h("weight_decay"), mom = h("momentum"), nesterov = h.flag("nesterov")
        let a = h("ns_coefficients.0"), bq = h("ns_coefficients.1"), c = h("ns_coefficients.2")
        let eps = h("eps"), steps = Int(h("ns_steps"))
        let rows = shape.count == 2 ? shape[0] : 1, cols = shape.count == 2 ? shape[1] : shape.reduce(1, *)
        let adjusted = lr * Swift.max(1, Double(rows) / Double(cols)).squareRoot()
        return { w, g, b, _ in
            let count = rows * cols
            var u = [Double](repeating: 0, count: count)
            for i in 0..<count {
                b[0][i] = lerp(b[0][i], g[i], 1 - mom)
                u[i] = nesterov ? lerp(g[i], b[0][i], mom) : b[0][i]
            }
            // X is m×n with m ≤ n (the transpose of a tall update).
            let tall = rows > cols
            let m = tall ? cols : rows, n = tall ? rows : cols
            var x = [Double](repeating: 0, count: count)
            for r in 0..<rows { for k in 0..<cols { if tall { x[k * rows + r] = u[r * cols + k] } else { x[r * cols + k] = u[r * cols + k] } } }
            var sq = 0.0
            for v in x { sq += v * v }
            let norm = sq.squareRoot()
            let divisor = norm.isNaN ? norm : Swift.max(norm, eps)
            for i in 0..<count { x[i] = x[i] / divisor }
            var gram = [Double](repeating: 0, count: m * m), upd = [Double](repeating: 0, count: m * m)
            var next = [Double](repeating: 0, count: count)
            for _ in 0..<steps {
                for i in 0..<m { for j in 0..<m {
                    var s = 0.0
                    for k in 0..<n { s += x[i * n + k] * x[j * n + k] }
                    gram[i * m + j] = s
                } }
                for i in 0..<m { for j in 0..<m {
                    var s = 0.0
                    for k in 0..<m { s += gram[i * m + k] * gram[k * m + j] }
                    upd[i * m + j] = bq * gram[i * m + j] + c * s
                } }
                for i in 0..<m { for j in 0..<n {
                    var s = 0.0
                    for k in 0..<m { s += upd[i * m + k] * x[k * n + j] }
                    next[i * n + j] = a * x[i * n + j] + s
                } }
                swap(&x, &next)
            }
            for r in 0..<rows {
                for k in 0..<cols {
                    let v = tall ? x[k * rows + r] : x[r * cols + k]
                    w[r * cols + k] = w[r * cols + k] * (1 - lr * wd)
                    w[r * cols + k] = w[r * cols + k] + (-adjusted) * v
                }
            }
        }
    }

    static func numberPair(_ v: Value, _ name: String, position: String, rule: String) throws(RuntimeError) -> (Double, Double) {
        guard case .tuple(let t) = v, t.count == 2, case .number(let x) = t.items[0], case .number(let y) = t.items[1] else {
            throw RuntimeError.badArgument(position, to: rule, expected: "pair of numbers", got: v)
        }
        guard !x.isNaN, !y.isNaN else { throw RuntimeError.badArgumentValue(position, to: rule, "\(name) cannot be nan") }
        return (x, y)
    }

    static let more = [adadelta, adamax, nadam, radam, rprop, asgd, adafactor, muon]
}

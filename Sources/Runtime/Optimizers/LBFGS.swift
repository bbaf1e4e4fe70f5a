// torch.lbfgs (spec §15.2): PyTorch 2.x's LBFGS, with its strong-Wolfe line search, on the flat
// parameter vector. It re-evaluates the objective, so it runs through minimize and stepper, which
// give it the closure: each of their steps is one PyTorch `step(closure)` (up to max_iter inner
// iterations and max_eval evaluations). Operations follow PyTorch's order; agreement is within
// 1e-9 relative (line searches amplify rounding).

/// PyTorch's per-optimizer LBFGS state (it keeps it on the first parameter).
final class LBFGSState {
    var funcEvals = 0
    var nIter = 0
    var d: [Double] = []
    var t = 0.0
    var oldDirs: [[Double]] = []
    var oldStps: [[Double]] = []
    var ro: [Double] = []
    var hDiag = 1.0
    var prevFlatGrad: [Double]?
    var prevLoss: Double?
    var al: [Double] = []

    /// `opt.state`: PyTorch's state entries under its names.
    var value: Value {
        func vec(_ x: [Double]) -> Value { .tensor(Tensor(vector: x)) }
        return .tuple(TupleValue(labelled: [
            ("func_evals", .number(Double(funcEvals))), ("n_iter", .number(Double(nIter))), ("d", vec(d)), ("t", .number(t)),
            ("old_dirs", .tuple(TupleValue(oldDirs.map(vec)))), ("old_stps", .tuple(TupleValue(oldStps.map(vec)))),
            ("ro", vec(ro)), ("H_diag", .number(hDiag)), ("prev_flat_grad", prevFlatGrad.map(vec) ?? .null),
            ("prev_loss", prevLoss.map { .number($0) } ?? .null),
        ]))
    }
}

enum LBFGS {
    static let rule: OptimizerRule = {
        var r = OptimizerRule(
            name: "torch.lbfgs",
            parameters: [.optional("lr", .number(1)), .optional("max_iter", .number(20)), .optional("max_eval", .null),
                         .optional("tolerance_grad", .number(1e-7)), .optional("tolerance_change", .number(1e-9)),
                         .optional("history_size", .number(100)), .optional("line_search_fn", .null), .optional("maximize", .bool(false))],
            doc: "PyTorch L-BFGS: a quasi-Newton direction from the last history_size steps, up to max_iter iterations per step, "
                + "with line_search_fn: \"strong_wolfe\" or a fixed step lr; run it with minimize or stepper (PyTorch's step(closure)).",
            buffers: { _ in [] },
            update: { _ in { _, _, _, _ in } },
            unitInterval: [],
            torchEquivalent: { h in
                let maxEval = h.names.contains("max_eval") ? String(Int(h("max_eval"))) : "None"
                return "torch.optim.LBFGS(params, lr=\(TorchOptimizers.py(h("lr"))), max_iter=\(Int(h("max_iter"))), "
                    + "max_eval=\(maxEval), tolerance_grad=\(TorchOptimizers.py(h("tolerance_grad"))), "
                    + "tolerance_change=\(TorchOptimizers.py(h("tolerance_change"))), history_size=\(Int(h("history_size"))), "
                    + "line_search_fn=\(h.names.contains("line_search_fn") ? "\"strong_wolfe\"" : "None")\(TorchOptimizers.maximizeText(h)))"
            })
        r.needsClosure = true
        r.checks = [
            "max_iter": { v, p throws(RuntimeError) in try count(v, p, "max_iter", allowNil: false) },
            "max_eval": { v, p throws(RuntimeError) in try count(v, p, "max_eval", allowNil: true) },
            "history_size": { v, p throws(RuntimeError) in try count(v, p, "history_size", allowNil: false) },
            "line_search_fn": { v, position throws(RuntimeError) in
                switch v {
                case .null: return v
                case .string(let s) where s == "strong_wolfe": return v
                case .number, .bool, .string, .tensor, .view, .tuple, .function, .object, .traced:
                    throw RuntimeError.badArgumentValue(position, to: "torch.lbfgs", "only 'strong_wolfe' is supported (or nil for a fixed step lr)")
                }
            },
        ]
        return r
    }()

    private static func count(_ v: Value, _ position: String, _ name: String, allowNil: Bool) throws(RuntimeError) -> Value {
        if allowNil, case .null = v { return v }
        guard case .number(let x) = v else {
            throw RuntimeError.badArgument(position, to: "torch.lbfgs", expected: allowNil ? "number or nil" : "number", got: v)
        }
        guard x >= 1, x == x.rounded(), x < 1e9 else {
            throw RuntimeError.badArgumentValue(position, to: "torch.lbfgs", "\(name) must be a whole number >= 1, got \(NumberFormat.repr(x))")
        }
        return v
    }

    @inline(__always) static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    @inline(__always) static func maxAbs(_ a: [Double]) -> Double {
        var m = 0.0
        for x in a { if x.isNaN { return x }; m = Swift.max(m, abs(x)) }
        return m
    }

    /// PyTorch's _cubic_interpolate: the minimiser of the cubic through two points with slopes.
    static func cubicInterpolate(_ x1: Double, _ f1: Double, _ g1: Double, _ x2: Double, _ f2: Double, _ g2: Double,
                                 bounds: (Double, Double)? = nil) -> Double {
        let (lo, hi) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1))
        let d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
        let d2Square = d1 * d1 - g1 * g2
        if d2Square >= 0 {
            let d2 = d2Square.squareRoot()
            let minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                  : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
            return pyMin(pyMax(minPos, lo), hi)
        }
        return (lo + hi) / 2
    }

    /// Python's max(a, b) and min(a, b): the first unless the second compares greater (smaller).
    static func pyMax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }
    static func pyMin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }
}

extension Optimizer {
    typealias Evaluate = ([Double]) throws(RuntimeError) -> (loss: Double, grad: [Double])

    /// One PyTorch `LBFGS.step(closure)` from x; `evaluate` is the closure (loss and gradient).
    func lbfgsStep(_ x: inout [Double], evaluate raw: @escaping Evaluate) throws(RuntimeError) {
        let h = hyper
        let lr = h("lr"), maxIter = Int(h("max_iter")), tolGrad = h("tolerance_grad"), tolChange = h("tolerance_change")
        // nil parameters are absent from the Hyper; a string (the only one: "strong_wolfe") reads as 1.
        let maxEval = h.names.contains("max_eval") ? Int(h("max_eval")) : maxIter * 5 / 4
        let historySize = Int(h("history_size")), maximize = h.flag("maximize")
        let strongWolfe = h.names.contains("line_search_fn")
        let evaluate: Evaluate = { (w) throws(RuntimeError) in
            let (l, g) = try raw(w)
            return maximize ? (-l, g.map { -$0 }) : (l, g)
        }
        let s = lbfgs ?? LBFGSState()
        lbfgs = s
        var (loss, flatGrad) = try evaluate(x)
        var currentEvals = 1
        s.funcEvals += 1
        var optCond = LBFGS.maxAbs(flatGrad) <= tolGrad
        if optCond { return }
        var d = s.d, t = s.t
        var nIter = 0
        while nIter < maxIter {
            nIter += 1
            s.nIter += 1
            if s.nIter == 1 {
                d = flatGrad.map { -$0 }
                s.oldDirs = []; s.oldStps = []; s.ro = []; s.hDiag = 1
            } else {
                let prev = s.prevFlatGrad!
                let y = flatGrad.indices.map { flatGrad[$0] - prev[$0] }
                let step = d.map { $0 * t }
                let ys = LBFGS.dot(y, step)
                if ys > 1e-10 {
                    if s.oldDirs.count == historySize {
                        s.oldDirs.removeFirst(); s.oldStps.removeFirst(); s.ro.removeFirst()
                    }
                    s.oldDirs.append(y); s.oldStps.append(step); s.ro.append(1.0 / ys)
                    s.hDiag = ys / LBFGS.dot(y, y)
                }
                let numOld = s.oldDirs.count
                if s.al.isEmpty { s.al = [Double](repeating: 0, count: historySize) }
                var q = flatGrad.map { -$0 }
                for i in stride(from: numOld - 1, through: 0, by: -1) {
                    s.al[i] = LBFGS.dot(s.oldStps[i], q) * s.ro[i]
                    let a = -s.al[i]
                    for j in q.indices { q[j] = q[j] + a * s.oldDirs[i][j] }
                }
                var r = q.map { $0 * s.hDiag }
                for i in 0..<numOld {
                    let be = LBFGS.dot(s.oldDirs[i], r) * s.ro[i]
                    let a = s.al[i] - be
                    for j in r.indices { r[j] = r[j] + a * s.oldStps[i][j] }
                }
                d = r
            }
            s.prevFlatGrad = flatGrad
            s.prevLoss = loss
            if s.nIter == 1 {
                var sum = 0.0
                for g in flatGrad { sum += abs(g) }
                t = LBFGS.pyMin(1.0, 1.0 / sum) * lr
            } else {
                t = lr
            }
            let gtd = LBFGS.dot(flatGrad, d)
            if gtd > -tolChange { break }
            var lsEvals = 0
            if strongWolfe {
                let r = try strongWolfeSearch(x, t, d, loss, flatGrad, gtd, tolChange: tolChange, maxLS: maxEval - currentEvals, evaluate: evaluate)
                (loss, flatGrad, t, lsEvals) = (r.f, r.g, r.t, r.evals)
                for j in x.indices { x[j] = x[j] + t * d[j] }
                optCond = LBFGS.maxAbs(flatGrad) <= tolGrad
            } else {
                for j in x.indices { x[j] = x[j] + t * d[j] }
                if nIter != maxIter {
                    (loss, flatGrad) = try evaluate(x)
                    optCond = LBFGS.maxAbs(flatGrad) <= tolGrad
                    lsEvals = 1
                }
            }
            currentEvals += lsEvals
            s.funcEvals += lsEvals
            if nIter == maxIter { break }
            if currentEvals >= maxEval { break }
            if optCond { break }
            if LBFGS.maxAbs(d.map { $0 * t }) <= tolChange { break }
            if abs(loss - s.prevLoss!) < tolChange { break }
        }
        s.d = d
        s.t = t
    }

    /// PyTorch's _strong_wolfe (c1 = 1e-4, c2 = 0.9): a step t along d satisfying the strong
    /// Wolfe conditions, by bracketing then cubic zoom.
    private func strongWolfeSearch(_ x: [Double], _ t0: Double, _ d: [Double], _ f: Double, _ g: [Double], _ gtd: Double,
                                   tolChange: Double, maxLS: Int, evaluate: Evaluate) throws(RuntimeError) -> (f: Double, g: [Double], t: Double, evals: Int) {
        let c1 = 1e-4, c2 = 0.9
        let dNorm = LBFGS.maxAbs(d)
        func objective(_ t: Double) throws(RuntimeError) -> (Double, [Double]) {
            try evaluate(x.indices.map { x[$0] + t * d[$0] })
        }
        var t = t0
        var (fNew, gNew) = try objective(t)
        var evals = 1
        var gtdNew = LBFGS.dot(gNew, d)
        var (tPrev, fPrev, gPrev, gtdPrev) = (0.0, f, g, gtd)
        var done = false
        var lsIter = 0
        var bracket: [Double] = [], bracketF: [Double] = [], bracketG: [[Double]] = [], bracketGtd: [Double] = []
        while lsIter < maxLS {
            if fNew > (f + c1 * t * gtd) || (lsIter > 1 && fNew >= fPrev) {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew]; bracketGtd = [gtdPrev, gtdNew]
                break
            }
            if abs(gtdNew) <= -c2 * gtd {
                bracket = [t]; bracketF = [fNew]; bracketG = [gNew]
                done = true
                break
            }
            if gtdNew >= 0 {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew]; bracketGtd = [gtdPrev, gtdNew]
                break
            }
            let minStep = t + 0.01 * (t - tPrev)
            let maxStep = t * 10
            let tmp = t
            t = LBFGS.cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, bounds: (minStep, maxStep))
            tPrev = tmp
            fPrev = fNew
            gPrev = gNew
            gtdPrev = gtdNew
            (fNew, gNew) = try objective(t)
            evals += 1
            gtdNew = LBFGS.dot(gNew, d)
            lsIter += 1
        }
        if lsIter == maxLS {
            bracket = [0, t]; bracketF = [f, fNew]; bracketG = [g, gNew]
        }
        var insufProgress = false
        var (lowPos, highPos) = bracketF[0] <= bracketF[bracketF.count - 1] ? (0, 1) : (1, 0)
        while !done && lsIter < maxLS {
            if abs(bracket[1] - bracket[0]) * dNorm < tolChange { break }
            t = LBFGS.cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1])
            let bMax = LBFGS.pyMax(bracket[0], bracket[1]), bMin = LBFGS.pyMin(bracket[0], bracket[1])
            let eps = 0.1 * (bMax - bMin)
            if LBFGS.pyMin(bMax - t, t - bMin) < eps {
                if insufProgress || t >= bMax || t <= bMin {
                    t = abs(t - bMax) < abs(t - bMin) ? bMax - eps : bMin + eps
                    insufProgress = false
                } else {
                    insufProgress = true
                }
            } else {
                insufProgress = false
            }
            (fNew, gNew) = try objective(t)
            evals += 1
            gtdNew = LBFGS.dot(gNew, d)
            lsIter += 1
            if fNew > (f + c1 * t * gtd) || fNew >= bracketF[lowPos] {
                bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = gNew; bracketGtd[highPos] = gtdNew
                (lowPos, highPos) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0)
            } else {
                if abs(gtdNew) <= -c2 * gtd {
                    done = true
                } else if gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0 {
                    bracket[highPos] = bracket[lowPos]; bracketF[highPos] = bracketF[lowPos]
                    bracketG[highPos] = bracketG[lowPos]; bracketGtd[highPos] = bracketGtd[lowPos]
                }
                bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = gNew; bracketGtd[lowPos] = gtdNew
            }
        }
        return (bracketF[lowPos], bracketG[lowPos], bracket[lowPos], evals)
    }

    /// The drivers' loop for a rule that needs the closure: `steps` calls of step(closure).
    func runClosure(_ w: inout [Double], steps: Int, objective f: DriverObjective, interpreter I: Interpreter, label: String,
                    observe: (UnsafeBufferPointer<Double>) throws(RuntimeError) -> Void) throws(RuntimeError) {
        if template == nil { template = .tensor(Tensor(vector: w)) }
        buffers = buffers ?? [[]]
        I.channel.progress?(label, 0, steps)
        defer { I.channel.progress?(label, steps, steps) }
        for _ in 0..<steps {
            try I.checkInterrupt()
            try lbfgsStep(&w) { (x) throws(RuntimeError) in try f.valueAndGradient(x, I) }
            t += 1
            try w.withUnsafeBufferPointer { (p) throws(RuntimeError) in try observe(p) }
        }
    }
}

extension DriverObjective {
    /// The loss and the gradient at w, as PyTorch's closure returns and leaves them.
    func valueAndGradient(_ w: [Double], _ I: Interpreter) throws(RuntimeError) -> (loss: Double, grad: [Double]) {
        let loss = try w.withUnsafeBufferPointer { (p) throws(RuntimeError) in try value(p, I) }
        var g = [Double](repeating: 0, count: w.count)
        try w.withUnsafeBufferPointer { (p) throws(RuntimeError) in
            try g.withUnsafeMutableBufferPointer { (gp) throws(RuntimeError) in try gradient(p.baseAddress!, gp.baseAddress!, I) }
        }
        return (loss, g)
    }
}

// compare (spec §9.11): two optimizers from the same start on the same objective
// (compare(a, b, f, w0, steps:)) or on given gradients (compare(a, b, params, grads)), step by
// step, on reset copies (the objects given are left untouched).

extension Optimizer {
    /// A fresh object with the same hyper-parameters and no state.
    func resetCopy() -> Optimizer {
        Optimizer(rule: rule, settings: settings)
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

extension Builtins {
    static let comparing: [Builtin] = [
        Builtin("compare", [.required("a"), .required("b"), .required("f_or_params"), .required("w0_or_grads"),
                            .label("steps", .number(100))],
                doc: "Runs two optimizers on one objective or on the same gradient trees: (t:, wa:, wb:, diff:, first_diff:); steps count from 1 as t does (diff[k] is step k + 1, first_diff a step number or nil).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            guard case .object(let oa) = args[0], let a = oa as? Optimizer else {
                throw RuntimeError.badArgument("#1", to: "compare", expected: "optimizer", got: args[0])
            }
            guard case .object(let ob) = args[1], let b = ob as? Optimizer else {
                throw RuntimeError.badArgument("#2", to: "compare", expected: "optimizer", got: args[1])
            }
            switch args[2] {
            case .function, .object: return try compareOnObjective(a.resetCopy(), b.resetCopy(), args, I)
            case .number, .bool, .string, .tensor, .view, .tuple, .null, .traced: break
            }
            guard case .tuple(let grads) = args[3] else {
                throw RuntimeError.badArgument("#4", to: "compare", expected: "tuple of gradient trees", got: args[3])
            }
            let result = try compare(a.resetCopy(), b.resetCopy(), args[2], grads.items)
            if case .tuple(let r) = result, case .tensor(let d)? = r["diff"] {
                let diverged = (firstNonFinite(r["wa"]), firstNonFinite(r["wb"]))
                I.hint(result, table(d.data, diverged: diverged, rows: nil))
            }
            return result
        },
    ]

    /// Both optimizers from w0 on a built-in objective, each on its own path.
    static func compareOnObjective(_ a: Optimizer, _ b: Optimizer, _ args: Arguments, _ I: Interpreter) throws(RuntimeError) -> Value {
        let f = try DriverObjective(args[2], args[3], function: "compare", interpreter: I)
        let steps = try args.integer(4)
        guard steps >= 0 else { throw RuntimeError.badArgumentValue("'steps'", to: "compare", "steps must be >= 0") }
        let dim = f.dim
        _ = try TensorLimits.checkedCount([steps, dim], limit: I.maxElements)
        var pathA: [Double] = [], pathB: [Double] = []
        var wa = f.w0, wb = f.w0
        let gradient = { (w: UnsafePointer<Double>, g: UnsafeMutablePointer<Double>) throws(RuntimeError) in try f.gradient(w, g, I) }
        try a.runFlat(&wa, steps: steps, interpreter: I, label: "compare (a)", objective: f, gradient: gradient) { pathA.append(contentsOf: $0) }
        try b.runFlat(&wb, steps: steps, interpreter: I, label: "compare (b)", objective: f, gradient: gradient) { pathB.append(contentsOf: $0) }
        var diff: [Double] = []
        var firstDiff: Value = .null
        for k in 0..<steps {
            var d = 0.0
            for i in 0..<dim { d = nanMax(d, Swift.abs(pathA[dim * k + i] - pathB[dim * k + i])) }
            diff.append(d)
            if firstDiff.isNull && !(d == 0) { firstDiff = .number(Double(k + 1)) }
        }
        let result = Value.tuple(TupleValue(labelled: [
            ("t", .tensor(Tensor(vector: (0..<steps).map { Double($0 + 1) }))),
            ("wa", .tensor(Tensor(shape: [steps, dim], data: pathA))), ("wb", .tensor(Tensor(shape: [steps, dim], data: pathB))),
            ("diff", .tensor(Tensor(vector: diff))), ("first_diff", firstDiff),
        ]))
        let diverged = (firstNonFinite(pathA, dim: dim), firstNonFinite(pathB, dim: dim))
        I.hint(result, table(diff, diverged: diverged, rows: { k in
            (Interpreter.short(.tensor(Tensor(vector: Array(pathA[(dim * k)..<(dim * k + dim)])))),
             Interpreter.short(.tensor(Tensor(vector: Array(pathB[(dim * k)..<(dim * k + dim)])))))
        }))
        return result
    }

    static func compare(_ a: Optimizer, _ b: Optimizer, _ params: Value, _ grads: [Value]) throws(RuntimeError) -> Value {
        var pa = params, pb = params
        var wa: [Value] = [], wb: [Value] = [], diff: [Double] = []
        var firstDiff: Value = .null
        for (k, g) in grads.enumerated() {
            pa = try a.step(pa, g)
            pb = try b.step(pb, g)
            wa.append(pa)
            wb.append(pb)
            let la = try Trees.leaves(pa, function: "compare", argument: "#3")
            let lb = try Trees.leaves(pb, function: "compare", argument: "#3")
            var d = 0.0
            for (x, y) in zip(la, lb) {
                for (u, v) in zip(x.tensor.data, y.tensor.data) { d = nanMax(d, Swift.abs(u - v)) }
            }
            diff.append(d)
            if firstDiff.isNull && !(d == 0) { firstDiff = .number(Double(k + 1)) }
        }
        let n = grads.count
        let ts = Value.tensor(Tensor(vector: (1...Swift.max(n, 1)).prefix(n).map(Double.init)))
        return .tuple(TupleValue(labelled: [("t", ts), ("wa", stackedPath(wa)), ("wb", stackedPath(wb)),
                                            ("diff", .tensor(Tensor(vector: diff))), ("first_diff", firstDiff)]))
    }

    /// The first step (1-based) whose parameters hold a nan or an inf: rows of `dim` numbers.
    static func firstNonFinite(_ path: [Double], dim: Int) -> Int? {
        guard dim > 0, let i = path.firstIndex(where: { !$0.isFinite }) else { return nil }
        return i / dim + 1
    }

    /// The same for a path of trees (compare on given gradients).
    static func firstNonFinite(_ path: Value?) -> Int? {
        switch path {
        case .tensor(let t)?: return firstNonFinite(t.data, dim: t.rank == 2 ? t.shape[1] : 1)
        case .tuple(let steps)?:
            return steps.items.firstIndex { step in
                (try? Trees.leaves(step, function: "compare", argument: "#3"))?.contains { !$0.tensor.data.allSatisfy(\.isFinite) } ?? false
            }.map { $0 + 1 }
        case .number, .bool, .string, .view, .function, .object, .null, .traced, nil: return nil
        }
    }

    /// The REPL's view of a comparison: whether a run diverged (its first nan or inf step), then
    /// the steps where the runs differ, non-finite differences first, then most different first.
    static func table(_ diff: [Double], diverged: (a: Int?, b: Int?), rows: ((Int) -> (String, String))?) -> String {
        let differing = diff.indices.filter { !(diff[$0] == 0) }
        guard let first = differing.first else {
            return "the two runs agree exactly at every one of \(diff.count) step\(diff.count == 1 ? "" : "s")"
        }
        var out = ""
        for (run, step) in [("a", diverged.a), ("b", diverged.b)] {
            if let step { out += "run \(run) diverges: its parameters are nan or inf from step \(step)\n" }
        }
        out += "\(differing.count) of \(diff.count) steps differ; the first is step \(first + 1)\n"
        // Steps with a nan or inf difference rank first, earliest first (where a run went bad; a
        // few of them say it), then the finite ones, most different first.
        let nonFinite = differing.filter { !diff[$0].isFinite }.prefix(3)
        let finite = differing.filter { diff[$0].isFinite }.sorted { diff[$0] > diff[$1] || (diff[$0] == diff[$1] && $0 < $1) }
        let shown = Array(nonFinite) + finite.prefix(10 - nonFinite.count)
        var lines = [["step", "max |wa − wb|"] + (rows == nil ? [] : ["wa", "wb"])]
        for k in shown {
            var line = ["\(k + 1)", NumberFormat.cFormat("%.6g", diff[k])]
            if let rows { let (a, b) = rows(k); line += [a, b] }
            lines.append(line)
        }
        let widths = (0..<lines[0].count).map { c in lines.map { $0[c].unicodeScalars.count }.max()! }
        out += lines.map { line in
            line.enumerated().map { c, cell in
                c == 0 ? String(repeating: " ", count: widths[c] - cell.unicodeScalars.count) + cell
                       : cell + String(repeating: " ", count: widths[c] - cell.unicodeScalars.count)
            }.joined(separator: "  ").trimmingTrailingSpaces
        }.joined(separator: "\n")
        if differing.count > shown.count { out += "\n(\(differing.count - shown.count) more; all of them in .diff)" }
        return out
    }

    /// Parameters after each step: a tensor [N, dim] for numbers and vectors, else a tuple of trees.
    static func stackedPath(_ steps: [Value]) -> Value {
        var rows: [Double] = []
        var dim: Int?
        for v in steps {
            switch v {
            case .number(let x): rows.append(x); dim = 1
            case .tensor(let t) where t.rank == 1: rows += t.data; dim = t.count
            case .bool, .string, .tensor, .view, .tuple, .function, .object, .null, .traced:
                return .tuple(TupleValue(steps))
            }
        }
        return .tensor(Tensor(shape: [steps.count, dim ?? 0], data: rows))
    }
}

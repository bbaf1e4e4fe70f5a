// compare(a, b, params, grads) (spec §9.11): two optimizers from the same start on the same
// gradients, step by step, on reset copies (the objects given are left untouched).

extension Optimizer {
    /// A fresh object with the same hyper-parameters and no state.
    func resetCopy() -> Optimizer {
        Optimizer(rule: rule, settings: settings)
    }
}

extension Builtins {
    static let comparing: [Builtin] = [
        Builtin("compare", [.required("a"), .required("b"), .required("params"), .required("grads")],
                doc: "Runs two optimizers on the same gradient trees: (t:, wa:, wb:, diff:, first_diff:).") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            guard case .object(let oa) = args[0], let a = oa as? Optimizer else {
                throw RuntimeError.badArgument("#1", to: "compare", expected: "optimizer", got: args[0])
            }
            guard case .object(let ob) = args[1], let b = ob as? Optimizer else {
                throw RuntimeError.badArgument("#2", to: "compare", expected: "optimizer", got: args[1])
            }
            guard case .tuple(let grads) = args[3] else {
                throw RuntimeError.badArgument("#4", to: "compare", expected: "tuple of gradient trees", got: args[3])
            }
            return try compare(a.resetCopy(), b.resetCopy(), args[2], grads.items)
        },
    ]

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

    /// Parameters after each step: a tensor [N, dim] for numbers and vectors, else a tuple of trees.
    static func stackedPath(_ steps: [Value]) -> Value {
        var rows: [Double] = []
        var dim: Int?
        for v in steps {
            switch v {
            case .number(let x): rows.append(x); dim = 1
            case .tensor(let t) where t.rank == 1: rows += t.data; dim = t.count
            case .bool, .string, .tensor, .tuple, .function, .object, .null:
                return .tuple(TupleValue(steps))
            }
        }
        return .tensor(Tensor(shape: [steps.count, dim ?? 0], data: rows))
    }
}

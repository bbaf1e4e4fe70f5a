// Reductions (spec §9.1, §14.3): sum mean prod min max argmin argmax cumsum norm any all,
// with NumPy's `axis:` and `keepdims:`. A full reduction gives a number (no 0-d tensors).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Builtins {
    static let reductionParameters: [BuiltinParameter] = [.required("x"), .optional("axis", .null), .label("keepdims", .bool(false))]

    static let reductions: [Builtin] = [
        reduction("sum", .sum, "Sum of the elements (NumPy's pairwise order), or along axis:; of a tree, of all its leaves.",
                  full: { $0.total }, axis: { t, a, k in t.sumAxis(a, keepdims: k) },
                  direct: .one { (x: inout Value, _: Interpreter) throws(RuntimeError) -> Value? in fullSum(x) }),
        reduction("mean", .mean, "Mean of the elements, or along axis:; of a tree, of all its leaves.", zeroDAxis: false,
                  full: { $0.data.withUnsafeBufferPointer(Tensor.contiguousMean) },
                  axis: { t, a, k in
                      let s = t.sumAxis(a, keepdims: k)
                      return s.map { $0 / Double(t.shape[a]) }
                  }),
        reduction("prod", .none, "Product of the elements, or along axis:; of a tree, of all its leaves.",
                  full: { $0.data.reduce(1, *) }, axis: { t, a, k in t.foldAxis(a, keepdims: k, *) }),
        extremum("min", "The smallest element (NaN wins), or along axis:; of a tree, of all its leaves; of two or more arguments, element-wise.", nanMin),
        extremum("max", "The largest element (NaN wins), or along axis:; of a tree, of all its leaves; of two or more arguments, element-wise.", nanMax),
        argExtremum("argmin", "Index of the smallest element (flat unless axis: is given); the first NaN wins.") { $0 < $1 },
        argExtremum("argmax", "Index of the largest element (flat unless axis: is given); the first NaN wins.") { $0 > $1 },
        Builtin("cumsum", [.required("x"), .optional("axis", .null)], doc: "Running sums (flattened unless axis: is given).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let t = try args.tensor(0)
            // Flattened without axis:, and for a number with axis 0 or -1 (np.cumsum(3, axis=0) is [3]).
            guard !args[1].isNull, let axis = try t.reductionAxis(try args.integer(1), function: "cumsum") else {
                var acc = 0.0
                return .tensor(Tensor(vector: t.data.map { acc += $0; return acc }))
            }
            let (outer, n, inner) = t.split(axis: axis)
            var out = t.data
            for o in 0..<outer {
                try Interrupts.poll()
                for i in 0..<inner { for k in 1..<Swift.max(n, 1) {
                    out[(o * n + k) * inner + i] += out[(o * n + k - 1) * inner + i]
                } }
            }
            return .tensor(Tensor(shape: t.shape, data: out))
        },
        Builtin("norm", [.required("x"), .optional("p", .number(2))],
                doc: "The p-norm of all elements (of every leaf of a tree) as one vector; p >= 1 or inf.", differentiation: .norm) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let p = try args.number(1)
            guard p >= 1 else {
                throw RuntimeError.badArgumentValue("#2", to: "norm", "p must be >= 1 or inf")
            }
            var leaves: [Double] = []
            var budget = TreeBudget(limit: I.maxElements)
            try collectLeaves(args[0], into: &leaves, function: "norm", &budget)
            return .number(vectorNorm(leaves, p))
        },
        Builtin("any", reductionParameters, doc: "Whether any element is non-zero (NaN counts), or along axis:.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try reduce(&args, full: { t in t.data.contains { $0 != 0 } ? 1 : 0 },
                       axis: { t, a, k in t.foldAxis(a, keepdims: k) { ($0 != 0 || $1 != 0) ? 1 : 0 }.map { $0 != 0 ? 1 : 0 } },
                       asBool: true)
        },
        Builtin("all", reductionParameters, doc: "Whether every element is non-zero, or along axis:.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try reduce(&args, full: { t in t.data.allSatisfy { $0 != 0 } ? 1 : 0 },
                       axis: { t, a, k in t.foldAxis(a, keepdims: k) { ($0 != 0 && $1 != 0) ? 1 : 0 }.map { $0 != 0 ? 1 : 0 } },
                       asBool: true)
        },
    ]

    /// `zeroDAxis`: whether a number takes axis 0 or -1 (NumPy's ufunc reductions) or refuses
    /// every axis (np.mean).
    static func reduction(_ name: String, _ differentiation: Differentiation, _ doc: String, zeroDAxis: Bool = true,
                          full: @escaping @Sendable (Tensor) -> Double,
                          axis: @escaping @Sendable (Tensor, Int, Bool) -> Tensor, direct: DirectBuiltin? = nil) -> Builtin {
        Builtin(name, reductionParameters, doc: doc, differentiation: differentiation, direct: direct,
                directTakesViews: direct != nil) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try reduce(&args, full: full, axis: axis, asBool: false, zeroDAxis: zeroDAxis)
        }
    }

    /// `sum(x)` of a tensor, or of a view that is one run of its base's buffer (a slice), with
    /// no binding and no gathered copy: the same pairwise order over the same elements as the
    /// general path (`pairwiseSum` depends on the count only, not on where the run starts).
    /// nil for anything else (a number, a tree, a strided view), which `reduce` handles.
    static func fullSum(_ x: Value) -> Value? {
        switch x {
        case .tensor(let t):
            return .number(t.total)
        case .view(let w):
            guard w.isContiguous else { return nil }
            let n = w.count
            return .number(w.base.data.withUnsafeBufferPointer { Tensor.contiguousSum($0, w.offset, n) })
        case .number, .bool, .string, .tuple, .function, .object, .null, .traced:
            return nil
        }
    }

    /// Shared by every reduction: a full reduction is a number (or an all-ones-shape tensor
    /// with keepdims, unless the input was a number); along an axis a tensor, or a number
    /// when nothing is left.
    static func reduce(_ args: inout Arguments, full: (Tensor) -> Double, axis: (Tensor, Int, Bool) -> Tensor,
                       asBool: Bool, zeroDAxis: Bool = true) throws(RuntimeError) -> Value {
        if let leaves = try treeLeaves(args) {
            let x = full(leaves)
            return asBool ? .bool(x != 0) : .number(x)
        }
        let t = try args.tensor(0)
        let keepdims = try args.bool(2)
        var a: Int?
        if !args[1].isNull {
            let requested = try args.integer(1)
            a = zeroDAxis ? try t.reductionAxis(requested, function: args.function)
                          : try t.normalizeAxis(requested, function: args.function)
        }
        guard let a else {
            let x = full(t)
            if keepdims && t.rank > 0 { return .tensor(Tensor(shape: t.shape.map { _ in 1 }, data: [x])) }
            return asBool ? .bool(x != 0) : .number(x)
        }
        let r = axis(t, a, keepdims)
        return r.rank == 0 ? (asBool ? .bool(r.data[0] != 0) : .number(r.data[0])) : .tensor(r)
    }

    static func extremum(_ name: String, _ doc: String, _ f: @escaping @Sendable (Double, Double) -> Double) -> Builtin {
        Builtin(name, [.required("x"), .variadic("more"), .label("axis", .null), .label("keepdims", .bool(false))],
                doc: doc, differentiation: .extremum,
                // `min(a, b)`: impl's rule for two arguments, without the binding of the variadic
                // `more` (an array for the one value: most of a call on two numbers).
                direct: .two { (x: Value, y: Value, I: Interpreter) throws(RuntimeError) -> Value? in
                    try I.elementwise2(x, y, name, f)
                }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            if !args.rest.isEmpty {
                var acc = args[0]
                for v in args.rest { acc = try I.elementwise2(acc, v, name, f) }
                return acc
            }
            let t: Tensor
            if let tree = try treeLeaves(args, axisSlot: 2) { t = tree } else { t = try args.tensor(0) }
            guard try hasExtremum(t, axis: args[2].isNull ? nil : try args.integer(2), name) else { throw RuntimeError("'\(name)' of an empty tensor has no value") }
            var reduceArgs = Arguments(function: name, positional: [.tensor(t), args[2]], labelled: [("keepdims", args[3])])
            try reduceArgs.bind(reductionParameters)
            return try reduce(&reduceArgs, full: { $0.data.dropFirst().reduce($0.data[0], f) },
                              axis: { t, a, k in t.foldAxis(a, keepdims: k, f) }, asBool: false)
        }
    }

    static func argExtremum(_ name: String, _ doc: String, _ better: @escaping @Sendable (Double, Double) -> Bool) -> Builtin {
        Builtin(name, [.required("x"), .optional("axis", .null)], doc: doc) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let t = try args.tensor(0)
            guard try hasExtremum(t, axis: args[1].isNull ? nil : try args.integer(1), name) else { throw RuntimeError("'\(name)' of an empty tensor has no value") }
            guard !args[1].isNull, let axis = try t.reductionAxis(try args.integer(1), function: name) else {
                return .number(Double(Tensor.argExtreme(t.data[...], better)))
            }
            let (outer, n, inner) = t.split(axis: axis)
            let td = t.data
            var out = [Double](repeating: 0, count: outer * inner)
            for o in 0..<outer { for i in 0..<inner {
                let column = (0..<n).map { td[(o * n + $0) * inner + i] }
                out[o * inner + i] = Double(Tensor.argExtreme(column[...], better))
            } }
            let r = Tensor(shape: t.reducedShape(axis, false), data: out)
            return r.rank == 0 ? .number(r.data[0]) : .tensor(r)
        }
    }

    /// Whether min, max, argmin or argmax of t (along `axis`, or of all of it) has a value: as
    /// NumPy, an empty tensor has one along an axis of positive length (an empty result:
    /// `min(zeros(0, 3), axis: 1)` is `[]`), none along an axis of length 0 or as a whole.
    static func hasExtremum(_ t: Tensor, axis: Int?, _ name: String) throws(RuntimeError) -> Bool {
        if t.count > 0 { return true }
        guard let axis, let a = try t.reductionAxis(axis, function: name) else { return false }
        return t.shape[a] > 0
    }

    /// `sum(params)` and the other full reductions of a tree (spec §15.1): every leaf's elements
    /// in order as one vector, reduced as a tensor would be (the same rule as `norm` of a tree,
    /// and as `grad` traces it, so both give the same bits); nil when x is not a tree. axis: and
    /// keepdims: belong to tensors.
    static func treeLeaves(_ args: Arguments, axisSlot: Int = 1) throws(RuntimeError) -> Tensor? {
        guard case .tuple = args[0] else { return nil }
        guard args[axisSlot].isNull, !(try args.bool(axisSlot + 1)) else {
            throw RuntimeError.badArgumentValue("'axis'", to: args.function, "axis: and keepdims: apply to a tensor; of a tree, '\(args.function)' reduces every leaf")
        }
        var leaves: [Double] = []
        var budget = TreeBudget(limit: Int.max)
        try collectLeaves(args[0], into: &leaves, function: args.function, &budget)
        return Tensor(vector: leaves)
    }

    /// Every number of a tree, leaf by leaf in order.
    static func collectLeaves(_ v: Value, into out: inout [Double], function: String, _ budget: inout TreeBudget) throws(RuntimeError) {
        switch v {
        case .number(let x): try budget.take(1); out.append(x)
        case .tensor(let t): try budget.take(t.count); out.append(contentsOf: t.data)
        case .view(let t): try budget.take(t.count); out.append(contentsOf: t.tensor().data)
        case .tuple(let t): for item in t.items { try collectLeaves(item, into: &out, function: function, &budget) }
        case .bool, .string, .function, .object, .null, .traced:
            throw RuntimeError.badArgument("#1", to: function, expected: "number, tensor or tree", got: v)
        }
    }

    /// ||x||_p: max |x| for inf, else (sum |x|^p)^(1/p), with p = 2 as sqrt of the pairwise sum of squares.
    static func vectorNorm(_ x: [Double], _ p: Double) -> Double {
        if x.isEmpty { return 0 }
        if p == .infinity { return x.map { Swift.abs($0) }.reduce(0, nanMax) }
        let powered = x.map { p == 2 ? $0 * $0 : (p == 1 ? Swift.abs($0) : pow(Swift.abs($0), p)) }
        let s = powered.withUnsafeBufferPointer { Tensor.contiguousSum($0, 0, $0.count) }
        return p == 2 ? s.squareRoot() : (p == 1 ? s : pow(s, 1 / p))
    }
}

extension Interpreter {
    /// f applied element by element to two numbers or tensors under broadcasting.
    func elementwise2(_ a: Value, _ b: Value, _ name: String, _ f: (Double, Double) -> Double) throws(RuntimeError) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)): return .number(f(x, y))
        case (.tensor(let t), .number(let y)): return .tensor(try Tensor.zip(t, scalar: y, f))
        case (.number(let x), .tensor(let u)): return .tensor(try Tensor.zip(scalar: x, u, f))
        case (.tensor(let t), .tensor(let u)): return .tensor(try Tensor.zip(t, u, limit: maxElements, f))
        default:
            let bad = a.isNumeric ? b : a
            throw RuntimeError.badArgument(a.isNumeric ? "#2" : "#1", to: name, expected: "number or tensor", got: bad)
        }
    }
}

extension Value {
    var isNumeric: Bool {
        switch self {
        case .number, .tensor, .view: return true
        case .bool, .string, .tuple, .function, .object, .null, .traced: return false
        }
    }
}

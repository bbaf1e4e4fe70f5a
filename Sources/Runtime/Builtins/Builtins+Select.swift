// Selecting and testing elements (spec §9.1, §14.2, §14.3): where nonzero round
// isnan isinf isfinite zeros_like ones_like.

extension Builtins {
    static let selection: [Builtin] = [
        Builtin("where", [.required("cond"), .required("a"), .required("b")],
                doc: "a where cond is non-zero, else b, element-wise with broadcasting.", differentiation: .select) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let c = try args.tensor(0), a = try args.tensor(1), b = try args.tensor(2)
            let shape = try Tensor.broadcastShape(try Tensor.broadcastShape(c.shape, a.shape), b.shape)
            let cc = try c.broadcast(to: shape, limit: I.maxElements)
            let aa = try a.broadcast(to: shape, limit: I.maxElements)
            let bb = try b.broadcast(to: shape, limit: I.maxElements)
            let cd = cc.data, ad = aa.data, bd = bb.data
            let data = (0..<cc.count).map { cd[$0] != 0 ? ad[$0] : bd[$0] }
            return shape.isEmpty ? .number(data[0]) : .tensor(Tensor(shape: shape, data: data))
        },
        Builtin("nonzero", [.required("mask")],
                doc: "Indices of the non-zero elements: a tensor for a vector, a tuple of tensors (one per axis) otherwise.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            let t = try args.tensor(0)
            let td = t.data
            let flat = td.indices.filter { td[$0] != 0 }
            if t.rank <= 1 { return .tensor(Tensor(vector: flat.map(Double.init))) }
            let strides = t.strides
            return .tuple(TupleValue((0..<t.rank).map { axis in
                .tensor(Tensor(vector: flat.map { Double(($0 / strides[axis]) % t.shape[axis]) }))
            }))
        },
        // `scalar`: round(x) of a number in the numeric tier and the machine's direct call,
        // as the entry below rounds it with decimals 0.
        Builtin("round", [.required("x"), .optional("decimals", .number(0))],
                doc: "Rounds half to even, to decimals digits, as np.round.", scalar: { $0.rounded(.toNearestOrEven) }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let d = try args.integer(1)
            guard Swift.abs(d) <= 308 else { throw RuntimeError.badArgumentValue("'decimals'", to: "round", "decimals must be within ±308") }
            let scale = pow10(Swift.abs(d))
            return try applyElementwise("round", args[0], I) { x in
                if d == 0 { return x.rounded(.toNearestOrEven) }
                return d > 0 ? (x * scale).rounded(.toNearestOrEven) / scale : (x / scale).rounded(.toNearestOrEven) * scale
            }
        },
        predicate("isnan", "1 where an element is NaN, else 0.") { $0.isNaN },
        predicate("isinf", "1 where an element is +inf or -inf, else 0.") { $0.isInfinite },
        predicate("isfinite", "1 where an element is neither NaN nor infinite, else 0.") { $0.isFinite },
        Builtin("zeros_like", [.required("x")], doc: "Zeros shaped like x (a number, tensor or tree).", differentiation: .inert) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try applyElementwise("zeros_like", args[0], I) { _ in 0 }
        },
        Builtin("ones_like", [.required("x")], doc: "Ones shaped like x (a number, tensor or tree).", differentiation: .inert) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try applyElementwise("ones_like", args[0], I) { _ in 1 }
        },
    ]

    /// A test of each element: of a number, a bool (as NumPy gives a boolean for a scalar); of a
    /// tensor, a tensor of 0/1; of a tree, the same for each leaf.
    static func predicate(_ name: String, _ doc: String, _ p: @escaping @Sendable (Double) -> Bool) -> Builtin {
        Builtin(name, [.required("x")], doc: doc + " Of a number, a bool.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try test(name, args[0], I, p)
        }
    }

    private static func test(_ name: String, _ v: Value, _ I: Interpreter, _ p: (Double) -> Bool) throws(RuntimeError) -> Value {
        switch v {
        case .number(let x): return .bool(p(x))
        case .tuple(let t): return .tuple(try I.mapLeaves(t) { (leaf) throws(RuntimeError) in try test(name, leaf, I, p) })
        case .tensor, .view, .bool, .string, .function, .object, .null, .traced:
            return try applyElementwise(name, v, I) { p($0) ? 1 : 0 }
        }
    }

    static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= 10 }
        return r
    }

    /// Applies a tensor function to every leaf of a tree (numbers come back as numbers).
    static func mapTree(_ v: Value, _ name: String, _ f: (Tensor) throws(RuntimeError) -> Tensor) throws(RuntimeError) -> Value {
        switch v {
        case .number(let x):
            let r = try f(Tensor(shape: [], data: [x]))
            return r.rank == 0 ? .number(r.data[0]) : .tensor(r)
        case .tensor(let t): return .tensor(try f(t))
        case .view(let t): return .tensor(try f(t.tensor()))
        case .tuple(let t):
            var items: [Value] = []
            for item in t.items { items.append(try mapTree(item, name, f)) }
            return .tuple(TupleValue(items, labels: t.labels))
        case .bool, .string, .function, .object, .null, .traced:
            throw RuntimeError.badArgument("#1", to: name, expected: "number, tensor or tree", got: v)
        }
    }
}

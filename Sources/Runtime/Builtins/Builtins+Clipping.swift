// Clipping and finite checks (spec §9.5): np.clip by bounds, PyTorch's clip_grad_norm_ and
// clip_grad_value_ on trees, and check(tree) naming the leaves that hold NaN or Inf.

extension Builtins {
    static let clipping: [Builtin] = [
        Builtin("clip", [.required("x"), .optional("lo", .null), .optional("hi", .null), .label("max_norm", .null),
                         .label("norm_type", .number(2)), .label("max_value", .null)],
                doc: "clip(x, lo, hi) as np.clip; clip(tree, max_norm: m) as clip_grad_norm_; clip(tree, max_value: c).", differentiation: .clip,
                direct: .three { (x: Value, lo: Value, hi: Value, _: Interpreter) throws(RuntimeError) -> Value? in
                    // Three numbers (a clipped gradient in a scalar loop); anything else binds.
                    guard case .number(let a) = x, case .number(let l) = lo, case .number(let h) = hi else { return nil }
                    return .number(clipAbove(clipBelow(a, l), h))
                }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            if !args[3].isNull {
                return try clipByNorm(args[0], maxNorm: try args.number(3), p: try normType(&args, 4), I).0
            }
            if !args[5].isNull {
                let c = try args.number(5)
                guard c >= 0 else { throw RuntimeError.badArgumentValue("'max_value'", to: "clip", "max_value must be >= 0") }
                return try clipBounds(args[0], Tensor(shape: [], data: [-c]), Tensor(shape: [], data: [c]), I)
            }
            guard !args[1].isNull, !args[2].isNull else {
                throw RuntimeError("'clip' needs lo and hi, max_norm:, or max_value:")
            }
            return try clipBounds(args[0], try args.tensor(1), try args.tensor(2), I)
        },
        Builtin("clip_grad_norm", [.required("tree"), .required("max_norm"), .label("norm_type", .number(2))],
                doc: "PyTorch's clip_grad_norm_: returns (grads: clipped, total_norm: total).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let (grads, total) = try clipByNorm(args[0], maxNorm: try args.number(1), p: try normType(&args, 2), I)
            return .tuple(TupleValue(labelled: [("grads", grads), ("total_norm", .number(total))]))
        },
        Builtin("check", [.required("tree")],
                doc: "The paths of the leaves holding NaN, of those holding ±inf, and of those that are all zero "
                    + "(a gradient underflowed in half precision): (nan: (...), inf: (...), zero: (...)).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            var nans: [Value] = [], infs: [Value] = [], zeros: [Value] = []
            for leaf in try Trees.leaves(args[0], function: "check", argument: "#1", limit: I.maxElements) {
                if leaf.tensor.data.contains(where: \.isNaN) { nans.append(.string(leaf.path)) }
                if leaf.tensor.data.contains(where: \.isInfinite) { infs.append(.string(leaf.path)) }
                if leaf.tensor.data.allSatisfy({ $0 == 0 }) { zeros.append(.string(leaf.path)) }
            }
            return .tuple(TupleValue(labelled: [("nan", .tuple(TupleValue(nans))), ("inf", .tuple(TupleValue(infs))),
                                                ("zero", .tuple(TupleValue(zeros)))]))
        },
    ]

    static func normType(_ args: inout Arguments, _ i: Int) throws(RuntimeError) -> Double {
        let p = try args.number(i)
        guard p >= 1 else { throw RuntimeError.badArgumentValue(args.position(i), to: args.function, "norm_type must be >= 1 or inf") }
        return p
    }

    /// np.clip element-wise on every leaf: a NaN in x, lo or hi gives NaN. Where x equals a
    /// bound (0.0 and -0.0), x stays when both bounds are numbers (`clip(-0.0, 0, 0)` is -0.0)
    /// and the bound wins when they are tensors, as NumPy 2's loops do.
    static func clipBounds(_ x: Value, _ lo: Tensor, _ hi: Tensor, _ I: Interpreter) throws(RuntimeError) -> Value {
        let scalar = lo.rank == 0 && hi.rank == 0
        return try mapTree(x, "clip") { (t) throws(RuntimeError) in
            let low = try Tensor.zip(t, lo, limit: I.maxElements) { x, l in clipBelow(x, l, boundWinsTies: !scalar) }
            return try Tensor.zip(low, hi, limit: I.maxElements) { x, h in clipAbove(x, h, boundWinsTies: !scalar) }
        }
    }

    /// np.clip's lower half on one element: x raised to l (NaN when either is NaN); at a tie the
    /// bound only when the bounds are tensors (clipBounds). The numeric tier's `clipBelow`.
    @inline(__always)
    static func clipBelow(_ x: Double, _ l: Double, boundWinsTies: Bool = false) -> Double {
        x.isNaN || l.isNaN ? .nan : (x < l || (boundWinsTies && x == l) ? l : x)
    }

    /// np.clip's upper half on one element: x lowered to h, as clipBelow.
    @inline(__always)
    static func clipAbove(_ x: Double, _ h: Double, boundWinsTies: Bool = false) -> Double {
        x.isNaN || h.isNaN ? .nan : (x > h || (boundWinsTies && x == h) ? h : x)
    }

    /// clip_grad_norm_: the norm of the leaves' norms; every element times
    /// min(max_norm / (total + 1e-6), 1), NaN propagating as in PyTorch.
    static func clipByNorm(_ tree: Value, maxNorm: Double, p: Double, _ I: Interpreter) throws(RuntimeError) -> (Value, Double) {
        let leaves = try Trees.leaves(tree, function: "clip", argument: "#1", limit: I.maxElements)
        let total = vectorNorm(leaves.map { vectorNorm($0.tensor.data, p) }, p)
        let coefficient = maxNorm / (total + 1e-6)
        let factor = coefficient.isNaN ? coefficient : Swift.min(coefficient, 1)
        return (Trees.rebuild(tree, leaves.map { $0.tensor.map { $0 * factor } }), total)
    }
}

// Shapes (spec §9.1, §14.2, §14.3): shape size reshape transpose concat stack dot matmul.

extension Builtins {
    static let shapes: [Builtin] = [
        Builtin("shape", [.required("x")], doc: "The shape as a tuple of numbers (() for a number).", differentiation: .inert, keepsViews: true) { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            if let shape = args[0].tensorShape { return .tuple(TupleValue(shape.map { .number(Double($0)) })) }
            switch args[0] {
            case .number: return .tuple(TupleValue([]))
            case let v: throw RuntimeError.badArgument("#1", to: "shape", expected: "number or tensor", got: v)
            }
        },
        Builtin("size", [.required("x")], doc: "The number of elements.", differentiation: .inert, keepsViews: true,
                direct: .one { (x: inout Value, _: Interpreter) throws(RuntimeError) -> Value? in try size(x) }) { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            try size(args[0])
        },
        Builtin("reshape", [.required("t"), .variadic("dims")], doc: "The same elements in a new shape; one dim may be -1 (a view until written).", differentiation: .reshape, keepsViews: true) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            var view: TensorView?, tensor: Tensor?
            if case .view(let v) = args[0] { view = v } else { tensor = try args.tensor(0) }
            let oldShape = view?.shape ?? tensor!.shape
            let count = oldShape.reduce(1, *)
            var dims = args.rest
            if dims.count == 1, case .tuple(let tup) = dims[0] { dims = tup.items }
            var shape: [Int] = []
            var unknown: Int?
            for (k, d) in dims.enumerated() {
                guard case .number(let x) = d else {
                    throw RuntimeError.badArgument("#\(k + 2)", to: "reshape", expected: "number", got: d)
                }
                if x == -1 {
                    guard unknown == nil else { throw RuntimeError("reshape: only one dimension can be -1") }
                    unknown = k
                    shape.append(-1)
                    continue
                }
                shape.append(try Arguments.size(x, limit: I.maxElements, position: "#\(k + 2)", function: "reshape", alone: false))
            }
            if let u = unknown {
                var others = shape
                others.remove(at: u)
                // Counted like any shape, so the product cannot overflow; 0 leaves -1 undefined, as in NumPy.
                let known = try TensorLimits.checkedCount(others, limit: I.maxElements)
                guard known > 0, count % known == 0 else {
                    throw RuntimeError("cannot reshape a tensor of shape \(Tensor.shapeText(oldShape)) into \(reshapeText(shape))")
                }
                shape[u] = count / known
            }
            guard try TensorLimits.checkedCount(shape, limit: I.maxElements) == count else {
                throw RuntimeError("cannot reshape a tensor of shape \(Tensor.shapeText(oldShape)) into \(reshapeText(shape))")
            }
            // Shape (): the language has no 0-d tensors, so the one element is a number (np.reshape(3, ())).
            if shape.isEmpty { return (view?.tensor() ?? tensor!).value }
            if let view { return view.reshaped(shape) }
            // A contiguous tensor shares its buffer with the result until one of them is written.
            return .tensor(Tensor(shape: shape, data: tensor!.data))
        },
        Builtin("transpose", [.required("t")], doc: "The tensor with its axes reversed (.T), as a view until written; a vector is its own transpose.", differentiation: .transpose, keepsViews: true) { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            if case .view(let v) = args[0] { return v.transposed() }
            return try args.tensor(0).transposedView()  // a number stays a number, as np.transpose(3)
        },
        Builtin("concat", [.variadic("tensors"), .label("axis", .number(0))], doc: "Joins tensors along an existing axis.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let parts = try tensorList(args)
            return .tensor(try Tensor.concatenate(parts, axis: try args.integer(1), limit: I.maxElements, function: "concat"))
        },
        Builtin("stack", [.variadic("tensors"), .label("axis", .number(0))], doc: "Joins tensors of one shape along a new axis.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let parts = try tensorList(args)
            guard let first = parts.first else { throw RuntimeError("'stack' needs at least one tensor") }
            for p in parts where p.shape != first.shape {
                throw RuntimeError("stack: all tensors must have one shape, got \(Tensor.shapeText(first.shape)) and \(Tensor.shapeText(p.shape))")
            }
            var axis = try args.integer(1)
            if axis < 0 { axis += first.rank + 1 }
            guard axis >= 0 && axis <= first.rank else {
                throw RuntimeError("axis \(try args.integer(1)) is out of bounds for stacking tensors of rank \(first.rank)")
            }
            let expanded = parts.map { p -> Tensor in
                var s = p.shape
                s.insert(1, at: axis)
                return Tensor(shape: s, data: p.data)
            }
            return .tensor(try Tensor.concatenate(expanded, axis: axis, limit: I.maxElements, function: "stack"))
        },
        Builtin("dot", [.required("a"), .required("b")], doc: "Inner product of two vectors (a number); matrix product otherwise.", differentiation: .dot) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            if case .number(let x) = args[0], case .number(let y) = args[1] { return .number(x * y) }
            return try I.matmul(.tensor(try args.tensor(0)), .tensor(try args.tensor(1)))
        },
        Builtin("matmul", [.required("a"), .required("b")], doc: "Matrix product, as the operator @.", differentiation: .matmul, keepsViews: true) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try I.matmul(args[0], args[1])
        },
    ]

    static func reshapeText(_ shape: [Int]) -> String { Tensor.shapeText(shape) }

    /// The tensors given as separate arguments or as one tuple.
    static func tensorList(_ args: Arguments) throws(RuntimeError) -> [Tensor] {
        var values = args.rest
        if values.count == 1, case .tuple(let t) = values[0] { values = t.items }
        var out: [Tensor] = []
        for (k, v) in values.enumerated() {
            switch v {
            case .tensor(let t): out.append(t)
            case .number(let x): out.append(Tensor(vector: [x]))
            default: throw RuntimeError.badArgument("#\(k + 1)", to: args.function, expected: "tensor", got: v)
            }
        }
        return out
    }
}

extension Tensor {
    static func concatenate(_ parts: [Tensor], axis requested: Int, limit: Int, function: String) throws(RuntimeError) -> Tensor {
        guard let first = parts.first else { throw RuntimeError("'\(function)' needs at least one tensor") }
        guard first.rank > 0 else { throw RuntimeError("'\(function)' cannot join numbers along an axis") }
        let axis = try first.normalizeAxis(requested, function: function)
        for p in parts {
            var a = p.shape, b = first.shape
            guard a.count == b.count else {
                throw RuntimeError("\(function): tensors of rank \(b.count) and \(a.count) cannot be joined")
            }
            a[axis] = 0; b[axis] = 0
            guard a == b else {
                throw RuntimeError("\(function): shapes \(shapeText(first.shape)) and \(shapeText(p.shape)) differ off axis \(axis)")
            }
        }
        var shape = first.shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        _ = try TensorLimits.checkedCount(shape, limit: limit)
        let outer = first.shape[..<axis].reduce(1, *)
        var data: [Double] = []
        data.reserveCapacity(shape.reduce(1, *))
        for o in 0..<outer {
            for p in parts {
                let chunk = p.shape[axis...].reduce(1, *)
                data.append(contentsOf: p.data[(o * chunk)..<((o + 1) * chunk)])
            }
        }
        return Tensor(shape: shape, data: data)
    }
}

extension Builtins {
    /// `size(x)`: its elements (the built-in's one rule, for its direct entry and its general path).
    static func size(_ x: Value) throws(RuntimeError) -> Value {
        if let shape = x.tensorShape { return .number(Double(shape.reduce(1, *))) }
        switch x {
        case .number: return .number(1)
        case let v: throw RuntimeError.badArgument("#1", to: "size", expected: "number or tensor", got: v)
        }
    }
}

// The entry points of differentiation: value and gradient of a scalar function at a tree by
// one recording and one backward pass, and central differences for checking it.

extension Interpreter {
    /// f(x, extra...) and its gradient with respect to the tree x.
    public func valueAndGradient(_ f: Value, _ x: Value, extra: [Value] = [],
                                 function: String = "grad", format: BinaryFormat? = nil) throws(RuntimeError) -> (value: Value, grad: Value) {
        guard autodiff.tape == nil else {
            throw RuntimeError("\(function): differentiating a function that itself calls grad is not supported")
        }
        try requireCallable(f, function)
        // Autocast rounds on the tape: the tape-free gradient computes in float64 only.
        if format == nil, let direct = straightLineGradient(f, x, extra) { return direct }
        let recorder = self.autodiff.recorder
        recorder.begin()
        recorder.rounding = format
        autodiff.tape = recorder
        defer {
            autodiff.tape = nil
            recorder.rounding = nil
            recorder.end()
        }
        var inputs: [Int] = []
        let traced = try traceLeaves(x, recorder, &inputs, function: function)
        let result: Value
        if let direct = try callClosureDirect(f, traced, extra[...]) {
            result = direct
        } else {
            result = try call(f, [traced] + extra)
        }
        let value = try primal(result).materialized
        switch value {
        case .number: break
        case .tensor(let t) where t.count == 1: break
        case .tensor(let t):
            throw RuntimeError("\(function): f must return a number or a one-element tensor, not a tensor of shape \(Tensor.shapeText(t.shape))")
        case .bool, .string, .tuple, .function, .object, .null, .traced, .view:
            throw RuntimeError("\(function): f must return a number or a one-element tensor, not \(value.kindWithArticle)")
        }
        guard case .traced(let r) = result else { return (value, try zerosLike(x)) }
        var adj = try backward(recorder, from: Int(r.node))
        var next = 0
        let grad = rebuild(x) { leaf in
            defer { next += 1 }
            return adj[inputs[next]] ?? zeroLeaf(leaf)
        }
        adj.removeAll(keepingCapacity: true)
        recorder.adjoints = adj
        return (value, grad)
    }

    /// grad of a user function that is straight-line arithmetic on elements of a vector, or on
    /// one number, without the tape (the same numbers); nil when the tape must run.
    private func straightLineGradient(_ f: Value, _ x: Value, _ extra: [Value]) -> (value: Value, grad: Value)? {
        guard usesNumericTier, extra.isEmpty, depth < Interpreter.maxCallDepth,
              case .function(let fn) = f, fn.kind == .closure else { return nil }
        let proto = unsafeDowncast(fn, to: Closure.self).proto
        if case .number(let v) = x {
            guard let code = NumericGradient.code(for: proto, count: 1, scalar: true, self),
                  let (value, derivative) = code.valueAndDerivative(v, self) else { return nil }
            return (.number(value), .number(derivative))
        }
        guard case .tensor(let t) = x, t.rank == 1,
              let code = NumericGradient.code(for: proto, count: t.count, scalar: false, self) else { return nil }
        guard let (value, grad) = t.data.withUnsafeBufferPointer({ code.valueAndGradient($0, self) }) else { return nil }
        return (.number(value), .tensor(Tensor(shape: t.shape, data: grad)))
    }

    /// (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for every element of the tree x (spec §14.5).
    public func numericGradient(_ f: Value, _ x: Value, h: Double, extra: [Value] = []) throws(RuntimeError) -> Value {
        try requireCallable(f, "numgrad")
        var leaves: [Tensor] = []
        var scalar: [Bool] = []
        try collect(x, &leaves, &scalar)
        var grads: [Value] = []
        for k in leaves.indices {
            var g = [Double](repeating: 0, count: leaves[k].count)
            for i in 0..<leaves[k].count {
                var plus = leaves, minus = leaves
                plus[k].data[i] += h
                minus[k].data[i] -= h
                let fp = try scalarValue(try call(f, [assemble(x, plus, scalar)] + extra))
                let fm = try scalarValue(try call(f, [assemble(x, minus, scalar)] + extra))
                g[i] = (fp - fm) / (2 * h)
            }
            grads.append(scalar[k] ? .number(g[0]) : .tensor(Tensor(shape: leaves[k].shape, data: g)))
        }
        var next = 0
        return rebuild(x) { _ in
            defer { next += 1 }
            return grads[next]
        }
    }

    private func requireCallable(_ f: Value, _ function: String) throws(RuntimeError) {
        switch f {
        case .function, .object: return
        case .number, .bool, .string, .tensor, .view, .tuple, .null, .traced:
            throw RuntimeError.badArgument("#1", to: function, expected: "function", got: f)
        }
    }

    private func scalarValue(_ v: Value) throws(RuntimeError) -> Double {
        switch v {
        case .number(let x): return x
        case .tensor(let t) where t.count == 1: return t.data[0]
        default: throw RuntimeError("numgrad: f must return a number or a one-element tensor, not \(v.kindWithArticle)")
        }
    }

    private func traceLeaves(_ x: Value, _ tape: Tape, _ inputs: inout [Int], function: String) throws(RuntimeError) -> Value {
        switch x {
        case .number, .tensor:
            let v = tape.input(x)
            inputs.append(tape.count - 1)
            return v
        case .tuple(let t):
            var items: [Value] = []
            for item in t.items { items.append(try traceLeaves(item, tape, &inputs, function: function)) }
            return .tuple(TupleValue(items, labels: t.labels))
        case .view:
            return try traceLeaves(x.materialized, tape, &inputs, function: function)
        case .bool, .string, .function, .object, .null, .traced:
            throw RuntimeError.badArgument("#2", to: function, expected: "number, tensor or tree", got: x)
        }
    }

    private func collect(_ x: Value, _ leaves: inout [Tensor], _ scalar: inout [Bool]) throws(RuntimeError) {
        switch x {
        case .number(let v): leaves.append(Tensor(vector: [v])); scalar.append(true)
        case .tensor(let t): leaves.append(t); scalar.append(false)
        case .view(let v): leaves.append(v.tensor()); scalar.append(false)
        case .tuple(let t): for item in t.items { try collect(item, &leaves, &scalar) }
        case .bool, .string, .function, .object, .null, .traced:
            throw RuntimeError.badArgument("#2", to: "numgrad", expected: "number, tensor or tree", got: x)
        }
    }

    private func assemble(_ x: Value, _ leaves: [Tensor], _ scalar: [Bool]) -> Value {
        var next = 0
        return rebuild(x) { _ in
            defer { next += 1 }
            return scalar[next] ? .number(leaves[next].data[0]) : .tensor(leaves[next])
        }
    }

    /// x with each number or tensor leaf replaced, in order.
    private func rebuild(_ x: Value, _ leaf: (Value) -> Value) -> Value {
        if case .tuple(let t) = x {
            return .tuple(TupleValue(t.items.map { rebuild($0, leaf) }, labels: t.labels))
        }
        return leaf(x)
    }

    private func zerosLike(_ x: Value) throws(RuntimeError) -> Value {
        rebuild(x) { zeroLeaf($0) }
    }

    private func zeroLeaf(_ leaf: Value) -> Value {
        if case .tensor(let t) = leaf { return .tensor(Tensor(repeating: 0, shape: t.shape)) }
        return .number(0)
    }
}

/// `grad(f)`: a function that returns the gradient of f at its argument.
final class GradientFunction: RuntimeObject {
    let f: Value
    let name: String
    /// `grad(f, dtype: "half")`: the autocast format of every gradient it computes.
    let format: BinaryFormat?

    init(_ f: Value, name: String, format: BinaryFormat? = nil) {
        self.f = f
        self.name = name
        self.format = format
    }

    override var kindName: String { "function" }
    override var summary: String { "<fn grad(\(name))>" }
    override var isCallable: Bool { true }

    override func call(_ args: inout Arguments, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        guard args.labelled.isEmpty, let x = args.positional.first else {
            throw RuntimeError("grad(\(name)) takes the point x and f's other arguments, by position")
        }
        return try interpreter.valueAndGradient(f, x, extra: Array(args.positional.dropFirst()), format: format).grad
    }
}

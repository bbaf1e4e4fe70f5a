// Creating tensors (spec §9.1, §14.3): zeros ones full eye linspace arange, with NumPy's algorithms.

extension Builtins {
    static let creation: [Builtin] = [
        Builtin("zeros", [.variadic("dims")], doc: "A tensor of zeros: zeros(2, 3) or zeros(shape(x)).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try filled(0, &args, I)
        },
        Builtin("ones", [.variadic("dims")], doc: "A tensor of ones: ones(2, 3).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try filled(1, &args, I)
        },
        Builtin("full", [.variadic("dims"), .label("value", .null)], doc: "A tensor filled with value: full(2, 3, value: 7).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            guard case .number(let v) = args[1] else {
                throw RuntimeError.badArgument("'value'", to: "full", expected: "number", got: args[1])
            }
            return try filled(v, &args, I)
        },
        Builtin("eye", [.required("n")], doc: "The n-by-n identity matrix.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let n = try args.size(0, limit: I.maxElements)
            _ = try TensorLimits.checkedCount([n, n], limit: I.maxElements)
            var t = Tensor(repeating: 0, shape: [n, n])
            for i in 0..<n { t.data[i * n + i] = 1 }
            return .tensor(t)
        },
        Builtin("linspace", [.required("start"), .required("stop"), .optional("num", .number(50))],
                doc: "num evenly spaced numbers from start to stop inclusive, as np.linspace.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let a = try args.number(0), b = try args.number(1), num = try args.size(2, limit: I.maxElements)
            return .tensor(Tensor(vector: try Tensor.generated(num, linspaceElement(a, b, num))))
        },
        Builtin("arange", [.required("start"), .optional("stop", .null), .optional("step", .number(1))],
                doc: "Numbers from start up to (not including) stop by step, as np.arange (arange(0, 1, 0.25)).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            var start = 0.0, stop = try args.number(0)
            if !args[1].isNull { start = stop; stop = try args.number(1) }
            let step = try args.number(2)
            guard step != 0, step.isFinite, start.isFinite, stop.isFinite else {
                throw RuntimeError.badArgumentValue(args.position(2), to: "arange", "step must be finite and non-zero, bounds finite")
            }
            // stop - start may overflow to inf (arange(-1e308, 1e308)): that length is too large too.
            let length = ((stop - start) / step).rounded(.up)
            guard length <= Double(I.maxElements) else {
                throw RuntimeError("arange of \(NumberFormat.repr(length)) values is too large (limit \(I.maxElements) elements; see --max-elements)")
            }
            let n = length > 0 ? Int(length) : 0
            // NumPy fills start + i*delta with delta = (start + step) - start.
            let delta = (start + step) - start
            return .tensor(Tensor(vector: try Tensor.generated(n) { i in i == 0 ? start : start + Double(i) * delta }))
        },
    ]

    /// `zeros(2, 3)`, `ones(shape(x))`; the empty shape `()` gives a number, as NumPy's 0-d
    /// array is one here (Tensor.value).
    static func filled(_ v: Double, _ args: inout Arguments, _ I: Interpreter) throws(RuntimeError) -> Value {
        if args.rest.count == 1, case .tuple(let t) = args.rest[0], t.count == 0 { return .number(v) }
        return .tensor(Tensor(repeating: v, shape: try requiredDims(&args, I)))
    }

    static func requiredDims(_ args: inout Arguments, _ I: Interpreter) throws(RuntimeError) -> [Int] {
        guard let shape = try args.dims(limit: I.maxElements) else {
            throw RuntimeError("missing argument 'dims' to '\(args.function)'")
        }
        return shape
    }

    /// np.linspace(a, b, num) with endpoint: arange(num) * step + a, the last value set to b.
    static func linspace(_ a: Double, _ b: Double, _ num: Int) -> [Double] {
        (0..<Swift.max(num, 0)).map(linspaceElement(a, b, num))
    }

    /// Element i of np.linspace(a, b, num), rounded as NumPy's chain of array operations rounds it.
    static func linspaceElement(_ a: Double, _ b: Double, _ num: Int) -> (Int) -> Double {
        let div = Double(num - 1)
        let delta = b - a
        let step = delta / div
        if num == 1 { return { _ in 0 * delta + a } }
        if step == 0 { return { i in i == num - 1 ? b : (Double(i) / div) * delta + a } }
        return { i in i == num - 1 ? b : Double(i) * step + a }
    }
}

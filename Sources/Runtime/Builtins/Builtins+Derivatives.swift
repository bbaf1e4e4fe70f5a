// Derivatives (spec §9.7): reverse-mode grad, value_and_grad, and numgrad for checking.

extension Builtins {
    static let derivatives: [Builtin] = [
        Builtin("grad", [.required("f"), .optional("x", .null), .variadic("args"), .label("dtype", .string("float64"))],
                doc: "The gradient of the scalar function f at the tree x (reverse mode); grad(f) is the gradient function.",
                // Inert so that a nested call reaches valueAndGradient, which says why it is refused.
                differentiation: .inert,
                // `g = grad(loss, w)` in a training loop, without arguments to bind: grad(f),
                // extra arguments and a dtype take the general path.
                direct: .two { (f: Value, x: Value, I: Interpreter) throws(RuntimeError) -> Value? in
                    if x.isNull { return nil }
                    return try I.valueAndGradient(f, x).grad
                }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let format = try BinaryFormat.named(try args.string(3), function: "grad", position: "'dtype'")
            if args[1].isNull {
                guard args.rest.isEmpty else { throw RuntimeError("grad: the point x cannot be nil") }
                return .object(GradientFunction(args[0], name: Interpreter.functionName(args[0]), format: format))
            }
            return try I.valueAndGradient(args[0], args[1], extra: args.rest, format: format).grad
        },
        Builtin("value_and_grad", [.required("f"), .required("x"), .variadic("args"), .label("dtype", .string("float64"))],
                doc: "(value: f(x), grad: the gradient of f at x) from one evaluation.", differentiation: .inert,
                // As grad's: `vg = value_and_grad(loss, w)` without arguments to bind.
                direct: .two { (f: Value, x: Value, I: Interpreter) throws(RuntimeError) -> Value? in
                    valueAndGradient(try I.valueAndGradient(f, x, function: "value_and_grad"))
                }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let format = try BinaryFormat.named(try args.string(3), function: "value_and_grad", position: "'dtype'")
            return valueAndGradient(try I.valueAndGradient(args[0], args[1], extra: args.rest, function: "value_and_grad", format: format))
        },
        Builtin("numgrad", [.required("f"), .required("x"), .variadic("args"), .label("h", .number(1e-5))],
                doc: "Central differences (f(x + h·eᵢ) − f(x − h·eᵢ))/2h at every element of x, for checking grad.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let h = try args.number(3)
            guard h > 0, h.isFinite else { throw RuntimeError.badArgumentValue("'h'", to: "numgrad", "h must be a positive number") }
            return try I.numericGradient(args[0], args[1], h: h, extra: args.rest)
        },
    ]
}

extension Builtins {
    /// value_and_grad's result: `(value: f(x), grad: ...)`, by its direct entry and its general path.
    static func valueAndGradient(_ r: (value: Value, grad: Value)) -> Value {
        .tuple(TupleValue(labelled: [("value", r.value), ("grad", r.grad)]))
    }
}

extension Interpreter {
    /// How a function value names itself in messages and summaries.
    static func functionName(_ f: Value) -> String {
        if case .function(let fn) = f { return fn.name }
        return f.kindName
    }
}

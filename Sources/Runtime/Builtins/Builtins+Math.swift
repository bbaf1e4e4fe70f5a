// Element-wise elementary functions (spec §9.1). Every one is computed through
// swift-numerics' RealModule here, so their accuracy has one owner.

import RealModule

extension Builtins {
    static let math: [Builtin] = [
        elementwise("abs", .unary(.abs), "Absolute value.") { Swift.abs($0) },
        elementwise("sign", .none, "-1, 0 or 1 by sign; nan stays nan.") { $0.isNaN ? .nan : ($0 > 0 ? 1 : ($0 < 0 ? -1 : 0)) },
        elementwise("sqrt", .unary(.sqrt), "Square root (nan below zero).") { Double.sqrt($0) },
        elementwise("exp", .unary(.exp), "e to the power x.") { Double.exp($0) },
        elementwise("log", .unary(.log), "Natural logarithm (-inf at 0, nan below).") { Double.log($0) },
        elementwise("log2", .unary(.log2), "Base-2 logarithm.") { Double.log2($0) },
        elementwise("log10", .unary(.log10), "Base-10 logarithm.") { Double.log10($0) },
        elementwise("sin", .unary(.sin), "Sine (radians).") { Double.sin($0) },
        elementwise("cos", .unary(.cos), "Cosine (radians).") { Double.cos($0) },
        elementwise("tan", .unary(.tan), "Tangent (radians).") { Double.tan($0) },
        elementwise("tanh", .unary(.tanh), "Hyperbolic tangent.") { Double.tanh($0) },
        elementwise("sigmoid", .unary(.sigmoid), "Logistic function 1/(1 + exp(-x)).") { 1 / (1 + Double.exp(-$0)) },
        elementwise("relu", .unary(.relu), "max(x, 0); nan stays nan.") { $0.isNaN ? $0 : ($0 > 0 ? $0 : 0) },
        elementwise("softplus", .unary(.softplus), "log(1 + exp(x)), computed without overflow.") { x in
            x > 0 ? x + Double.log(onePlus: Double.exp(-x)) : Double.log(onePlus: Double.exp(x))
        },
        elementwise("floor", .none, "Largest whole number <= x.") { $0.rounded(.down) },
        elementwise("ceil", .none, "Smallest whole number >= x.") { $0.rounded(.up) },
    ]

    /// An entry that maps numbers, tensors and trees element by element.
    static func elementwise(_ name: String, _ differentiation: Differentiation, _ doc: String,
                            _ f: @escaping @Sendable (Double) -> Double) -> Builtin {
        Builtin(name, [.required("x")], doc: doc, scalar: f, differentiation: differentiation) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try applyElementwise(name, args[0], I, f)
        }
    }

    static func applyElementwise(_ name: String, _ v: Value, _ I: Interpreter,
                                 _ f: (Double) -> Double) throws(RuntimeError) -> Value {
        switch v {
        case .number(let x): return .number(f(x))
        case .tensor(let t): return .tensor(t.map(f))
        case .view(let t): return .tensor(t.tensor().map(f))
        case .tuple(let t):
            return .tuple(try I.mapLeaves(t) { (leaf) throws(RuntimeError) in try applyElementwise(name, leaf, I, f) })
        case .bool, .string, .function, .object, .null, .traced:
            throw RuntimeError.badArgument("#1", to: name, expected: "number or tensor", got: v)
        }
    }
}

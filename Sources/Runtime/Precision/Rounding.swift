// Rounding a double to a narrower IEEE binary format in one correct rounding (spec §9.6):
// to nearest with ties to even, overflow to ±inf, subnormals kept, the sign of zero kept.

public struct BinaryFormat: Sendable {
    /// Explicit fraction bits (10 for half, 7 for bfloat16, 23 for float32).
    let fractionBits: Int
    /// The largest unbiased exponent of a finite value; the smallest normal one is 1 − emax.
    let emax: Int

    static let half = BinaryFormat(fractionBits: 10, emax: 15)
    static let bfloat16 = BinaryFormat(fractionBits: 7, emax: 127)
    static let float32 = BinaryFormat(fractionBits: 23, emax: 127)

    /// The nearest value of this format to x, as a double.
    func round(_ x: Double) -> Double {
        if x.isNaN || x.isInfinite || x == 0 { return x }
        let a = Swift.abs(x)
        let emin = 1 - emax
        let e = Swift.max(Int(a.exponent), emin)
        if e > emax { return x < 0 ? -.infinity : .infinity }
        // The spacing of representable values around a; scaling by a power of two is exact.
        let quantum = Double(sign: .plus, exponent: e - fractionBits, significand: 1)
        let r = (a / quantum).rounded(.toNearestOrEven) * quantum
        let limit = Double(sign: .plus, exponent: emax + 1, significand: 1)
        let result = r >= limit ? Double.infinity : r
        return x < 0 ? -result : result
    }
}

extension BinaryFormat {
    /// The format a `dtype:` names (spec §15.3); nil for float64, which rounds nothing.
    static func named(_ name: String, function: String, position: String) throws(RuntimeError) -> BinaryFormat? {
        switch name {
        case "float64": return nil
        case "float32": return .float32
        case "half", "float16": return .half
        case "bfloat16": return .bfloat16
        default:
            throw RuntimeError.badArgumentValue(position, to: function,
                                                "dtype must be \"float64\", \"float32\", \"half\" or \"bfloat16\", got \(Interpreter.quoted(name))")
        }
    }

    /// Every element of a number or tensor rounded (trees and other values unchanged).
    static func rounded(_ v: Value, _ format: BinaryFormat) -> Value {
        switch v {
        case .number(let x): return .number(format.round(x))
        case .tensor(let t): return .tensor(t.map { format.round($0) })
        case .view(let t): return .tensor(t.tensor().map { format.round($0) })
        case .tuple, .bool, .string, .function, .object, .null, .traced: return v
        }
    }
}

extension Builtins {
    static let precision: [Builtin] = [
        rounding("half", "Rounds every element to IEEE binary16 (one rounding, ties to even) and back to a double.", .half),
        rounding("bfloat16", "Rounds every element to bfloat16 (one correct rounding from the double).", .bfloat16),
        rounding("float32", "Rounds every element to IEEE binary32 and back to a double.", .float32),
    ]

    static func rounding(_ name: String, _ doc: String, _ format: BinaryFormat) -> Builtin {
        elementwise(name, .none, doc) { format.round($0) }
    }
}

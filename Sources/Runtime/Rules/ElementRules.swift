// The element-wise rules of the binary operators, written once. Every evaluator reads them:
// numbers, tensors, reused temporaries, in-place updates, fused expressions, the numeric tier,
// the tape and the tape-free gradient. A change here changes every path, so they agree to the
// bit (the evaluator-agreement tests drive all of them with the same generated expressions).
//
// `@` is not element-wise: it has its own rule (Tensor+LinearAlgebra.swift, Backward.swift).

import Parser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Arithmetic {
    // MARK: forward rules

    /// `x ^ y`. A square is `x * x`, correctly rounded, as NumPy and PyTorch compute `x ** 2`
    /// (libm's pow may differ from it in the last bit, about once in a thousand inputs).
    @inline(__always)
    static func power(_ x: Double, _ y: Double) -> Double {
        y == 2 ? x * x : pow(x, y)
    }

    /// NumPy's `remainder`: the result takes the divisor's sign; `x % 0` is nan.
    @inline(__always)
    static func remainder(_ x: Double, _ y: Double) -> Double {
        // Whole numbers below 2^53 (a counter, `n % 2`): the machine's integer remainder is
        // fmod's exact result (both are x - trunc(x / y) * y, exactly representable), at a
        // fraction of libm's cost (fmod was 40% of a Collatz loop). -0 % y gives 0, whose
        // sign the zero case below sets as fmod's -0 would be.
        if x.magnitude < 0x1p53 && y.magnitude < 0x1p53 && y != 0 {
            let xi = Int64(x), yi = Int64(y)
            if Double(xi) == x && Double(yi) == y {
                // A power of two (`n % 2`, the parity test most remainders are): the floored
                // remainder is the low bits, in two's complement for negative x too.
                if yi > 0 && yi & (yi - 1) == 0 { return Double(xi & (yi - 1)) }
                let q = xi % yi
                if q == 0 { return y < 0 ? -0.0 : 0.0 }
                return (y < 0) != (q < 0) ? Double(q + yi) : Double(q)
            }
        }
        var r = fmod(x, y)
        if y == 0 { return r }
        if r != 0 {
            if (y < 0) != (r < 0) { r += y }
        } else {
            r = y < 0 ? -0.0 : 0.0
        }
        return r
    }

    /// The rule of `op` on two numbers.
    @inline(__always)
    static func apply(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Double {
        switch op {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide: return x / y
        case .remainder: return remainder(x, y)
        case .power: return power(x, y)
        case .matmul: return x * y  // never reached: `@` on numbers is an error before this
        }
    }

    /// Calls `body` with the rule of `op` as a function of its own, so that a loop written once
    /// in `body` is specialised for each operator (the switch is outside the loop). Transparent:
    /// inlined before optimisation, so each case's closure reaches the loop as a known function.
    @_transparent
    static func withRule<R, E: Error>(_ op: BinaryOperator, _ body: ((Double, Double) -> Double) throws(E) -> R) throws(E) -> R {
        switch op {
        case .add: return try body { $0 + $1 }
        case .subtract: return try body { $0 - $1 }
        case .multiply: return try body { $0 * $1 }
        case .divide: return try body { $0 / $1 }
        case .remainder: return try body(remainder)
        case .power: return try body(power)
        case .matmul: return try body { $0 * $1 }  // never reached: callers take `@` apart first
        }
    }

    @inline(__always)
    static func compare(_ op: ComparisonOperator, _ x: Double, _ y: Double) -> Bool {
        switch op {
        case .equal: return x == y
        case .notEqual: return x != y
        case .less: return x < y
        case .lessEqual: return x <= y
        case .greater: return x > y
        case .greaterEqual: return x >= y
        }
    }

    // MARK: adjoints (PyTorch's autograd formulas, in its order of operations)

    /// Whether adjointLeft and adjointRight read x and y (those of + and - are g and -g).
    static func adjointsReadOperands(_ op: BinaryOperator) -> Bool {
        switch op {
        case .add, .subtract: return false
        case .multiply, .divide, .remainder, .power, .matmul: return true
        }
    }

    /// g · ∂(x op y)/∂x.
    @inline(__always)
    static func adjointLeft(_ op: BinaryOperator, _ g: Double, _ x: Double, _ y: Double) -> Double {
        switch op {
        case .add, .subtract, .remainder: return g
        case .multiply: return g * y
        case .divide: return g / y
        // x^2 is the common case: pow(x, 1) is x, so skipping it changes no bit.
        case .power: return y == 2 ? g * (y * x) : (y == 0 ? 0 : g * (y * pow(x, y - 1)))
        case .matmul: return g * y  // never reached: `@` has its own rule
        }
    }

    /// g · ∂(x op y)/∂y.
    @inline(__always)
    static func adjointRight(_ op: BinaryOperator, _ g: Double, _ x: Double, _ y: Double) -> Double {
        switch op {
        case .add: return g
        case .subtract: return -g
        case .multiply: return g * x
        case .divide: return -g * ((x / y) / y)
        case .remainder: return -g * (x / y).rounded(.down)
        case .power: return x == 0 && y >= 0 ? 0 : g * (power(x, y) * log(x))
        case .matmul: return g * x  // never reached: `@` has its own rule
        }
    }
}

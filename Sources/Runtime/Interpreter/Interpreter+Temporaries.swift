// Temporaries reused: in `b1*m + (1-b1)*g` the products are new tensors that nothing else
// holds, so the sum is written into one of them instead of a third allocation (NumPy allocates
// one per operator). Which operands may be temporaries is decided from the shape of the tree
// (an operator, a call); copy-on-write keeps this safe when the guess is wrong: a buffer that
// something else still holds is copied before it is written.

import Parser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Interpreter {
    /// `a op b` written into a's or b's buffer when that operand is a temporary of the result's
    /// shape; nil when the general path must run.
    func binaryReusing(_ op: BinaryOperator, _ a: inout Value, _ b: inout Value,
                       left: Bool, right: Bool) throws(RuntimeError) -> Value? {
        guard op != .matmul else { return nil }
        if left, case .tensor(var t) = a {
            switch b {
            case .number(let y):
                a = .null  // the enum's reference would make `t` look shared
                try t.data.withUnsafeMutableBufferPointer { (p) throws(RuntimeError) in try Interpreter.apply(op, p, y) }
                return .tensor(t)
            case .tensor(let u) where u.shape == t.shape:
                a = .null
                try t.data.withUnsafeMutableBufferPointer { (p) throws(RuntimeError) in
                    try u.data.withUnsafeBufferPointer { (q) throws(RuntimeError) in try Interpreter.apply(op, p, q, resultFirst: true) }
                }
                return .tensor(t)
            default: break
            }
        }
        if right, case .tensor(var u) = b {
            switch a {
            case .number(let x):
                b = .null
                try u.data.withUnsafeMutableBufferPointer { (p) throws(RuntimeError) in try Interpreter.apply(op, x, p) }
                return .tensor(u)
            case .tensor(let t) where t.shape == u.shape:
                b = .null
                try u.data.withUnsafeMutableBufferPointer { (p) throws(RuntimeError) in
                    try t.data.withUnsafeBufferPointer { (q) throws(RuntimeError) in try Interpreter.apply(op, p, q, resultFirst: false) }
                }
                return .tensor(u)
            default: break
            }
        }
        return nil
    }

    // The loops poll for interrupts between chunks (Interrupts.inChunks): an operator on a
    // quarter-billion elements is long enough for Ctrl-C and --max-seconds to matter.

    /// p[i] = p[i] op y.
    static func apply(_ op: BinaryOperator, _ p: UnsafeMutableBufferPointer<Double>, _ y: Double) throws(RuntimeError) {
        try Arithmetic.withRule(op) { (f) throws(RuntimeError) in try Interrupts.inChunks(p.count) { r in for i in r { p[i] = f(p[i], y) } } }
    }

    /// p[i] = x op p[i].
    static func apply(_ op: BinaryOperator, _ x: Double, _ p: UnsafeMutableBufferPointer<Double>) throws(RuntimeError) {
        try Arithmetic.withRule(op) { (f) throws(RuntimeError) in try Interrupts.inChunks(p.count) { r in for i in r { p[i] = f(x, p[i]) } } }
    }

    /// p[i] = p[i] op q[i] when p holds the left operand, else p[i] = q[i] op p[i].
    static func apply(_ op: BinaryOperator, _ p: UnsafeMutableBufferPointer<Double>, _ q: UnsafeBufferPointer<Double>,
                      resultFirst: Bool) throws(RuntimeError) {
        if resultFirst {
            try Arithmetic.withRule(op) { (f) throws(RuntimeError) in try Interrupts.inChunks(p.count) { r in for i in r { p[i] = f(p[i], q[i]) } } }
        } else {
            try Arithmetic.withRule(op) { (f) throws(RuntimeError) in try Interrupts.inChunks(p.count) { r in for i in r { p[i] = f(q[i], p[i]) } } }
        }
    }
}

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
                       left: Bool, right: Bool) -> Value? {
        guard op != .matmul else { return nil }
        if left, case .tensor(var t) = a {
            switch b {
            case .number(let y):
                a = .null  // the enum's reference would make `t` look shared
                t.data.withUnsafeMutableBufferPointer { p in Interpreter.apply(op, p, y) }
                return .tensor(t)
            case .tensor(let u) where u.shape == t.shape:
                a = .null
                t.data.withUnsafeMutableBufferPointer { p in
                    u.data.withUnsafeBufferPointer { q in Interpreter.apply(op, p, q, resultFirst: true) }
                }
                return .tensor(t)
            default: break
            }
        }
        if right, case .tensor(var u) = b {
            switch a {
            case .number(let x):
                b = .null
                u.data.withUnsafeMutableBufferPointer { p in Interpreter.apply(op, x, p) }
                return .tensor(u)
            case .tensor(let t) where t.shape == u.shape:
                b = .null
                u.data.withUnsafeMutableBufferPointer { p in
                    t.data.withUnsafeBufferPointer { q in Interpreter.apply(op, p, q, resultFirst: false) }
                }
                return .tensor(u)
            default: break
            }
        }
        return nil
    }

    /// p[i] = p[i] op y.
    static func apply(_ op: BinaryOperator, _ p: UnsafeMutableBufferPointer<Double>, _ y: Double) {
        Arithmetic.withRule(op) { f in for i in p.indices { p[i] = f(p[i], y) } }
    }

    /// p[i] = x op p[i].
    static func apply(_ op: BinaryOperator, _ x: Double, _ p: UnsafeMutableBufferPointer<Double>) {
        Arithmetic.withRule(op) { f in for i in p.indices { p[i] = f(x, p[i]) } }
    }

    /// p[i] = p[i] op q[i] when p holds the left operand, else p[i] = q[i] op p[i].
    static func apply(_ op: BinaryOperator, _ p: UnsafeMutableBufferPointer<Double>, _ q: UnsafeBufferPointer<Double>,
                      resultFirst: Bool) {
        if resultFirst {
            Arithmetic.withRule(op) { f in for i in p.indices { p[i] = f(p[i], q[i]) } }
        } else {
            Arithmetic.withRule(op) { f in for i in p.indices { p[i] = f(q[i], p[i]) } }
        }
    }
}

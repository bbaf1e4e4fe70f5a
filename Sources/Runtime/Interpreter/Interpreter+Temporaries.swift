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
        switch op {
        case .add: for i in p.indices { p[i] = p[i] + y }
        case .subtract: for i in p.indices { p[i] = p[i] - y }
        case .multiply: for i in p.indices { p[i] = p[i] * y }
        case .divide: for i in p.indices { p[i] = p[i] / y }
        case .remainder: for i in p.indices { p[i] = Arithmetic.remainder(p[i], y) }
        case .power:
            if y == 2 { for i in p.indices { p[i] = p[i] * p[i] } } else { for i in p.indices { p[i] = pow(p[i], y) } }
        case .matmul: break
        }
    }

    /// p[i] = x op p[i].
    static func apply(_ op: BinaryOperator, _ x: Double, _ p: UnsafeMutableBufferPointer<Double>) {
        switch op {
        case .add: for i in p.indices { p[i] = x + p[i] }
        case .subtract: for i in p.indices { p[i] = x - p[i] }
        case .multiply: for i in p.indices { p[i] = x * p[i] }
        case .divide: for i in p.indices { p[i] = x / p[i] }
        case .remainder: for i in p.indices { p[i] = Arithmetic.remainder(x, p[i]) }
        case .power: for i in p.indices { p[i] = pow(x, p[i]) }
        case .matmul: break
        }
    }

    /// p[i] = p[i] op q[i] when p holds the left operand, else p[i] = q[i] op p[i].
    static func apply(_ op: BinaryOperator, _ p: UnsafeMutableBufferPointer<Double>, _ q: UnsafeBufferPointer<Double>,
                      resultFirst: Bool) {
        if resultFirst {
            switch op {
            case .add: for i in p.indices { p[i] = p[i] + q[i] }
            case .subtract: for i in p.indices { p[i] = p[i] - q[i] }
            case .multiply: for i in p.indices { p[i] = p[i] * q[i] }
            case .divide: for i in p.indices { p[i] = p[i] / q[i] }
            case .remainder: for i in p.indices { p[i] = Arithmetic.remainder(p[i], q[i]) }
            case .power: for i in p.indices { p[i] = pow(p[i], q[i]) }
            case .matmul: break
            }
        } else {
            switch op {
            case .add: for i in p.indices { p[i] = q[i] + p[i] }
            case .subtract: for i in p.indices { p[i] = q[i] - p[i] }
            case .multiply: for i in p.indices { p[i] = q[i] * p[i] }
            case .divide: for i in p.indices { p[i] = q[i] / p[i] }
            case .remainder: for i in p.indices { p[i] = Arithmetic.remainder(q[i], p[i]) }
            case .power: for i in p.indices { p[i] = pow(q[i], p[i]) }
            case .matmul: break
            }
        }
    }
}

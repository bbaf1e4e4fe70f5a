// `w += g`, `w *= 0.5`, ...: when the variable holds the only reference to a tensor and the
// right side broadcasts to its shape, the update is written into the existing buffer.

import Parser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Interpreter {
    /// A variable's value (nil when unbound).
    func current(_ ref: VariableRef) -> Value? {
        switch ref {
        case .local(let slot): return stack[fp + slot]
        case .cell(let i): return frameCells[i].value
        case .global(let slot): return globals[slot]
        }
    }

    /// Moves a variable's value out, leaving nil, so the caller holds the only reference.
    func take(_ ref: VariableRef) -> Value? {
        switch ref {
        case .local(let slot):
            let v = stack[fp + slot]
            stack[fp + slot] = nil
            return v
        case .cell(let i):
            let v = frameCells[i].value
            frameCells[i].value = nil
            return v
        case .global(let slot):
            let v = globals[slot]
            setGlobal(slot, nil)
            return v
        }
    }

    /// `ref += suffix` on a string the variable holds alone: appended in place (amortised, as
    /// CPython does for `s += t`), under the same size limit as `+`; nil when the general path
    /// must run (which also reports the limit).
    func appendInPlace(_ ref: VariableRef, _ suffix: String) -> Value? {
        var old = take(ref)
        guard case .string(var s)? = old, (try? checkStringSize(s.utf8.count + suffix.utf8.count)) != nil else {
            if let old { store(ref, old) }
            return nil
        }
        old = nil  // the enum's reference would make `s` look shared and force a copy
        s += suffix
        let v = Value.string(s)
        store(ref, v)
        return v
    }

    /// The new value when `ref op= rhs` could be done in place, nil when the general path must run.
    func compoundInPlace(_ ref: VariableRef, _ op: BinaryOperator, _ rhs: Value) -> Value? {
        guard op != .matmul else { return nil }
        var old = take(ref)
        guard case .tensor(var t)? = old else {
            if let old { store(ref, old) }
            return nil
        }
        old = nil  // the enum's reference would make `t` look shared and force a copy
        switch rhs {
        case .number(let y):
            t.data.withUnsafeMutableBufferPointer { p in
                Arithmetic.withRule(op) { f in for i in p.indices { p[i] = f(p[i], y) } }
            }
        case .tensor(let u):
            guard let joint = try? Tensor.broadcastShape(t.shape, u.shape), joint == t.shape,
                  let full = try? u.broadcast(to: t.shape, limit: maxElements) else {
                store(ref, .tensor(t))
                return nil
            }
            full.data.withUnsafeBufferPointer { q in
                t.data.withUnsafeMutableBufferPointer { p in
                    Arithmetic.withRule(op) { f in for i in p.indices { p[i] = f(p[i], q[i]) } }
                }
            }
        case .view, .bool, .string, .tuple, .function, .object, .null, .traced:
            store(ref, .tensor(t))
            return nil
        }
        let v = Value.tensor(t)
        store(ref, v)
        return v
    }
}

extension Value {
    /// The address of a tensor's element buffer or a tuple's item buffer (nil for any other
    /// value): equal for two values exactly when they share that storage (every empty one
    /// shares Swift's empty buffer).
    var storageIdentity: UnsafeRawPointer? {
        switch self {
        case .tensor(let t): return t.bufferIdentity
        case .tuple(let t): return t.items.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        case .number, .bool, .string, .view, .function, .object, .null, .traced: return nil
        }
    }
}

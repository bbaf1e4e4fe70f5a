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
            // Still a name an error suggests when a call that took it fails after (`acc =
            // append(append(acc, k), acx)` at a script's top level).
            markLent(slot)
            return v
        }
    }

    /// The value at a reused place (nil when unbound, or when its path finds no item).
    func current(_ place: ReusedPlace) -> Value? {
        guard var v = current(place.variable) else { return nil }
        for key in place.path {
            guard case .tuple(let t) = v, let k = Self.position(in: t, key: self.key(key)) else { return nil }
            v = t.items[k]
        }
        return v
    }

    /// A key's value where the place is read.
    private func key(_ k: ReusedPlace.Key) -> Value? {
        switch k {
        case .constant(let v): return v
        case .local(let slot): return stack[fp + slot]
        case .global(let slot): return globals[slot]
        case .binary(let op, let a, let b):
            // The operator's rule on numbers, as `binary` gives it; anything else is left to
            // the general path.
            guard case .number(let x)? = key(a), case .number(let y)? = key(b) else { return nil }
            return .number(Arithmetic.apply(op, x, y))
        }
    }

    /// The item a key names in a tuple, by the index rule (a label; a whole number, negative
    /// from the end, in range); nil for anything else (the general path then reports it).
    private static func position(in t: TupleValue, key: Value?) -> Int? {
        switch key {
        case .string(let name)?:
            return t.index(of: name)
        case .number(let x)?:
            guard x == x.rounded(.towardZero), abs(x) < 0x1p53 else { return nil }
            let j = Int(x) < 0 ? Int(x) + t.count : Int(x)
            return j >= 0 && j < t.count ? j : nil
        case .bool?, .tensor?, .view?, .tuple?, .function?, .object?, .null?, .traced?, nil:
            return nil
        }
    }

    /// Moves the value at a reused place out, so the caller holds the only reference: the
    /// variable's, or the item its path names (nil left in its stead: the tuples around it stay,
    /// copied first only where something else shares them). Nil when the path finds no item.
    func take(_ place: ReusedPlace) -> Value? {
        if place.path.isEmpty { return take(place.variable) }
        return replace(place, with: .null)
    }

    /// `take(place)` when the item holds the storage `p` (Value.storageIdentity) — the copy
    /// a call was passed — in one walk; false, with everything as it was, otherwise.
    func takeItem(_ place: ReusedPlace, sharing p: UnsafeRawPointer) -> Bool {
        guard place.path.count == 1 else {
            guard current(place)?.storageIdentity == p else { return false }
            _ = take(place)
            return true
        }
        return replaceItem(place, sharing: p, with: .null) != nil
    }

    /// The item a place of one key names (`b[k]`, `s.xs`) replaced by `new` where the variable
    /// holds the tuple, when it holds the storage p (any item when p is nil); the old item, or
    /// nil (everything as it was) when there is none. Looked at in place and written in place:
    /// no copy of the tuple to look at the item, no array of keys (for `b[k] = append(b[k], x)`
    /// the general walk's two cost as much as the append).
    private func replaceItem(_ place: ReusedPlace, sharing p: UnsafeRawPointer?, with new: Value) -> Value? {
        let k = key(place.path[0])
        switch place.variable {
        case .local(let slot): return Self.replaceItem(&stack[fp + slot], k, sharing: p, with: new)
        // A global keeps its kind (a tuple before and after): no function is bound or unbound.
        case .global(let g): return withGlobal(g) { Self.replaceItem(&$0.pointee, k, sharing: p, with: new) }
        case .cell(let i): return Self.replaceItem(&frameCells[i].value, k, sharing: p, with: new)
        }
    }

    /// The tuple is taken out of `v` while its item changes, so that it is written in place.
    private static func replaceItem(_ v: inout Value?, _ key: Value?, sharing p: UnsafeRawPointer?,
                                    with new: Value) -> Value? {
        guard let k = item(of: v, key, sharing: p), case .tuple(var t)? = v.take() else { return nil }
        let old = t.items[k]
        t.items[k] = new
        v = .tuple(t)
        return old
    }

    /// The position of the item `key` names in the tuple `v` holds, when it holds storage p
    /// (or p is nil), looked at in place, nothing kept: the tuple stays held once.
    private static func item(of v: Value?, _ key: Value?, sharing p: UnsafeRawPointer?) -> Int? {
        switch v {
        case .tuple(let t)?:
            guard let k = position(in: t, key: key), p == nil || t.items[k].storageIdentity == p else { return nil }
            return k
        case .number?, .bool?, .string?, .tensor?, .view?, .function?, .object?, .null?, .traced?, nil:
            return nil
        }
    }

    /// Puts a value at a reused place (what `take` moved out, back).
    func store(_ place: ReusedPlace, _ value: Value) {
        if place.path.isEmpty { return store(place.variable, value) }
        _ = replace(place, with: value)
    }

    private func replace(_ place: ReusedPlace, with new: Value) -> Value? {
        if place.path.count == 1 { return replaceItem(place, sharing: nil, with: new) }
        let keys = place.path.map(key)  // read before the variable lets go (a key may be it)
        guard var whole = take(place.variable) else { return nil }
        let old = Self.replace(&whole, keys[...], with: new)
        store(place.variable, whole)
        return old
    }

    /// The item at `path` in `v` replaced by `new`, each tuple on the way taken out of its
    /// holder first so that it is written in place; the old item, or nil (v as it was) when
    /// the path finds none.
    private static func replace(_ v: inout Value, _ path: ArraySlice<Value?>, with new: Value) -> Value? {
        guard let key = path.first, case .tuple(var t) = v, let k = position(in: t, key: key) else { return nil }
        v = .null  // `t` alone holds the items now
        let old: Value?
        if path.count == 1 {
            old = t.items[k]
            t.items[k] = new
        } else {
            var inner = t.items[k]
            t.items[k] = .null
            old = replace(&inner, path.dropFirst(), with: new)
            t.items[k] = inner
        }
        v = .tuple(t)
        return old
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
    /// Whether a variable lending the value to a call helps the callee: a tuple's, a tensor's or
    /// a string's storage, held once, is grown or written in place (a number is a register's
    /// own).
    var isLendable: Bool {
        switch self {
        case .tensor, .tuple, .string: return true
        case .number, .bool, .view, .function, .object, .null, .traced: return false
        }
    }

    var storageIdentity: UnsafeRawPointer? {
        switch self {
        case .tensor(let t): return t.bufferIdentity
        case .tuple(let t): return t.items.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        case .number, .bool, .string, .view, .function, .object, .null, .traced: return nil
        }
    }
}

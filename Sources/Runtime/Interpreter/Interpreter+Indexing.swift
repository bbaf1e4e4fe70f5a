// Reading and updating through `[...]` and `.name`: tensors (NumPy indexing), tuples
// (by position, slice or label) and objects (fields).

import Lexer
import Parser

/// One step of an assignment path, as `update` walks it.
enum UpdateStep {
    case index
    case member(String)
}

/// An evaluated index position.
enum IndexKey {
    case value(Value)
    case slice(Double?, Double?, Double?)
}

extension Interpreter {
    /// A double used as an index goes through the one conversion (`WholeNumber`) first.
    func wholeIndex(_ x: Double) throws(RuntimeError) -> Int {
        do throws(WholeNumber.Failure) {
            return try WholeNumber.int(x)
        } catch {
            switch error {
            case .notWhole: throw RuntimeError("index \(NumberFormat.repr(x)) is not a whole number")
            case .tooLarge: throw RuntimeError("index \(NumberFormat.repr(x)) is out of range")
            }
        }
    }

    /// A slice's bound: a whole number, where one past ±2^53 stands for ±2^53, beyond every
    /// length, so that `s[0:1e300]` clamps as Python's and NumPy's slices clamp any integer.
    func sliceBound(_ x: Double) throws(RuntimeError) -> Int {
        if x.isFinite, x == x.rounded(), Swift.abs(x) > WholeNumber.maxMagnitude {
            return x < 0 ? -Int(WholeNumber.maxMagnitude) : Int(WholeNumber.maxMagnitude)
        }
        return try wholeIndex(x)
    }

    func tensorSpecs(_ keys: [IndexKey]) throws(RuntimeError) -> [IndexSpec] {
        var specs: [IndexSpec] = []
        for key in keys {
            switch key {
            case .slice(let a, let b, let c):
                specs.append(.slice(start: try a.map { (x) throws(RuntimeError) in try sliceBound(x) },
                                    stop: try b.map { (x) throws(RuntimeError) in try sliceBound(x) },
                                    step: try c.map { (x) throws(RuntimeError) in try sliceBound(x) }))
            case .value(.number(let x)):
                specs.append(.single(try wholeIndex(x)))
            case .value(.tensor(let t)) where t.rank == 1:
                var list: [Int] = []
                list.reserveCapacity(t.count)
                for x in t.data { list.append(try wholeIndex(x)) }
                specs.append(.take(list))
            case .value(let v):
                var e = RuntimeError("a tensor index must be a number, a slice or a 1-D tensor of whole numbers, not \(v.kindWithArticle)")
                if case .tensor = v { e.notes = ["hint: there are no boolean masks; use nonzero(mask) or where(...)"] }
                throw e
            }
        }
        return specs
    }

    func index(_ v: Value, _ keys: [IndexKey]) throws(RuntimeError) -> Value {
        switch v {
        case .traced(let r):
            return try tracedIndex(r, keys)
        case .tensor(let t):
            // Integers and slices give a view (NumPy's basic indexing); index lists a copy.
            let specs = try tensorSpecs(keys)
            if let v = try t.basicRead(specs) { return v }
            return try t.read(specs, limit: maxElements)
        case .view(let v):
            return try v.read(try tensorSpecs(keys))
        case .tuple(let tup):
            guard keys.count == 1 else { throw RuntimeError("a tuple takes one index, not \(keys.count)") }
            switch keys[0] {
            case .value(.string(let label)):
                return try tupleLabel(tup, label)
            case .value(.number(let x)):
                return tup.items[try tupleIndex(tup, x)]
            case .slice(let a, let b, let c):
                let (first, count, step) = try sliceBounds(a, b, c, length: tup.count)
                if step == 1 {
                    // `stack[0:len(stack) - 1]`, `t[mid:]`: the run of items copied at once (an
                    // array of positions and a closure per item made a tuple used as a stack
                    // 4x CPython's time, session 20's hunt r06); the whole tuple is itself.
                    if count == tup.count { return v }
                    let run = first..<(first + count)
                    return .tuple(TupleValue(Array(tup.items[run]), labels: tup.labels.map { TupleLabels(Array($0.names[run])) }))
                }
                let positions = Tensor.slicePositions((first, count, step))
                let labels = tup.labels.map { l in TupleLabels(positions.map { l.names[$0] }) }
                return .tuple(TupleValue(positions.map { tup.items[$0] }, labels: labels))
            case .value(let k):
                throw RuntimeError("a tuple index must be a number or a label string, not \(k.kindWithArticle)")
            }
        case .string(let s):
            guard keys.count == 1 else { throw RuntimeError("a string takes one index, not \(keys.count)") }
            switch keys[0] {
            case .value(.number(let x)):
                let i = try wholeIndex(x)
                if let ch = codePoint(s, at: i) { return .string(ch) }
                throw RuntimeError("index \(i) is out of range for axis 0 with size \(CodePoints.count(s))")
            case .slice(let a, let b, let c):
                // Code points first..<first+count by step, clamped as a tuple's slice is.
                let n = CodePoints.count(s)
                let (first, count, step) = try sliceBounds(a, b, c, length: n)
                if step == 1, CodePoints.isASCII(s) {
                    let u = s.utf8, from = u.index(u.startIndex, offsetBy: first)
                    return .string(String(Substring(u[from..<u.index(from, offsetBy: count)])))
                }
                let points = codePoints(of: s)
                var out = String.UnicodeScalarView()
                for k in Tensor.slicePositions((first, count, step)) { out.append(points[k]) }
                return .string(String(out))
            case .value(let k):
                throw RuntimeError("a string index must be a number or a slice, not \(k.kindWithArticle)")
            }
        case .number, .bool, .function, .object, .null:
            throw RuntimeError("cannot index \(v.kindWithArticle)")
        }
    }

    /// A slice's first position, count and step over `length` items (NumPy's rule, whole
    /// numbers only).
    private func sliceBounds(_ a: Double?, _ b: Double?, _ c: Double?, length: Int) throws(RuntimeError) -> (Int, Int, Int) {
        try Tensor.sliceBounds(start: try a.map { (x) throws(RuntimeError) in try sliceBound(x) },
                               stop: try b.map { (x) throws(RuntimeError) in try sliceBound(x) },
                               step: try c.map { (x) throws(RuntimeError) in try sliceBound(x) },
                               length: length)
    }

    /// `x = x[a:b]` or `x.a = x.a[a:b]` (IndexSite.reusing) with `v` the tuple the place holds:
    /// once the slice's bounds are found good, the place lets go of it (`base` is the frame of a
    /// local x) and the items outside the run are removed in place, so that popping a tuple used
    /// as a stack (`stack = stack[0:len(stack) - 1]`) costs one item, not a copy of the rest: the
    /// copy made such a loop quadratic (200,000 pops 0.8 s, session 21). Nil, with `v` and x as
    /// they were, where this does not apply (a step, the whole tuple, x holding another value):
    /// `index` then gives the slice, or the error, as always.
    func cutInPlace(_ v: inout Value, _ keys: [IndexKey], _ target: ReusedPlace, base: Int) throws(RuntimeError) -> Value? {
        guard keys.count == 1, case .slice(let a, let b, let c) = keys[0], case .tuple(var tup) = v else { return nil }
        let (first, count, step) = try sliceBounds(a, b, c, length: tup.count)
        guard step == 1, count < tup.count, let identity = v.storageIdentity else { return nil }
        if target.path.isEmpty, case .local(let slot) = target.variable {
            guard stack[base + slot]?.storageIdentity == identity else { return nil }
            stack[base + slot] = nil
        } else {
            guard current(target)?.storageIdentity == identity else { return nil }
            _ = take(target)
        }
        v = .null  // tup's items now held by tup alone (unless another value shares them)
        tup.items.removeSubrange((first + count)...)
        tup.items.removeSubrange(..<first)
        if let labels = tup.labels { tup.labels = TupleLabels(Array(labels.names[first..<(first + count)])) }
        return .tuple(tup)
    }

    func tupleIndex(_ tup: TupleValue, _ x: Double) throws(RuntimeError) -> Int {
        let i = try wholeIndex(x)
        let j = i < 0 ? i + tup.count : i
        guard j >= 0 && j < tup.count else {
            throw RuntimeError("index \(i) is out of range for a tuple of \(tup.count) element\(tup.count == 1 ? "" : "s")")
        }
        return j
    }

    func tupleLabel(_ tup: TupleValue, _ label: String) throws(RuntimeError) -> Value {
        if let v = tup[label] { return v }
        var e = RuntimeError("tuple has no label '\(label)'")
        let labels = tup.labels?.names.compactMap { $0 } ?? []
        // `t.append(x)`, `t.sum()`: a Python habit, which the habits table answers.
        if Habits.knowsMember(label, of: .value, isBuiltin: { Builtins.byName[$0] != nil }) {
            e.habit = .noMember(receiver: .value, name: label)
        } else if let s = nearestName(label, in: labels) {
            e.message += "; did you mean '\(s)'?"
        }
        if labels.isEmpty { e.notes = ["note: this tuple has no labels"] }
        throw e
    }

    func member(_ v: Value, _ name: String) throws(RuntimeError) -> Value {
        switch v {
        case .tuple(let tup):
            return try tupleLabel(tup, name)
        case .traced(let r):
            let p = try activeTape().primal(r)
            if name == "T", case .tensor = p {
                var args = Arguments(function: "transpose", positional: [v])
                try args.bind(Builtins.byName["transpose"]!.parameters)
                return try callTraced(Builtins.byName["transpose"]!, &args)
            }
            return try member(p, name)
        case .tensor, .view:
            let shape = v.tensorShape ?? []
            switch (name, v) {
            case ("shape", _): return .tuple(TupleValue(shape.map { .number(Double($0)) }))
            case ("size", _): return .number(Double(shape.reduce(1, *)))
            case ("ndim", _): return .number(Double(shape.count))
            case ("T", .view(let w)): return w.transposed()
            case ("T", .tensor(let t)): return t.transposedView()
            default:
                throw RuntimeError.noMember("a tensor", name, receiver: .value, members: ["shape", "size", "ndim", "T"])
            }
        case .object(let o):
            if let m = try o.member(name, interpreter: self) { return m }
            let receiver: Habits.Receiver = (o as? Namespace).map { .namespace($0.name) } ?? .object(o.kindName)
            throw RuntimeError.noMember(o.kindName, name, receiver: receiver, members: o.memberNames)
        case .number, .bool, .string, .function, .null:
            throw RuntimeError.noMember("\(v.kindWithArticle)", name, receiver: .value, members: [])
        }
    }

    /// Writes `rhs` (or `old op rhs`) at `path[k...]` inside `whole`; returns the new value
    /// at the end of the path (what the REPL shows).
    func update(_ whole: inout Value, path: [UpdateStep], keys: [[IndexKey]], at k: Int,
                op: BinaryOperator?, rhs: Value) throws(RuntimeError) -> Value {
        let last = k == path.count - 1
        switch path[k] {
        case .member(let name):
            switch whole {
            case .object(let o):
                guard last else {
                    var inner = try member(whole, name)
                    return try update(&inner, path: path, keys: keys, at: k + 1, op: op, rhs: rhs)
                }
                let new = try combine(op, { () throws(RuntimeError) in try member(whole, name) }, rhs)
                guard try o.setMember(name, new, interpreter: self) else {
                    throw RuntimeError("cannot assign to '\(name)' of \(o.kindName)")
                }
                return new
            case .tuple(var tup):
                guard let i = tup.index(of: name) else { _ = try tupleLabel(tup, name); return .null }
                whole = .null
                defer { whole = .tuple(tup) }
                if last { return try combineItem(&tup.items[i], op, rhs) }
                return try update(&tup.items[i], path: path, keys: keys, at: k + 1, op: op, rhs: rhs)
            case .tensor, .view:
                throw RuntimeError("a tensor's '\(name)' is read-only")
            case .traced:
                throw RuntimeError("a tensor's '\(name)' is read-only")
            case .number, .bool, .string, .function, .null:
                throw RuntimeError("\(whole.kindWithArticle) has no member '\(name)' to assign")
            }
        case .index:
            let key = keys[k]
            switch whole {
            case .tensor(var t):
                if last, let offset = Interpreter.elementOffset(t, key) {
                    // One element by whole numbers in range (`out[i] = v`, `C[i, j] += s`): read
                    // and written in place, without the selection machinery (which was three
                    // quarters of a sieve's inner loop). Anything else takes the general path.
                    let new = try combine(op, { .number(t.data[offset]) }, rhs)
                    if case .number(let x) = new {
                        whole = .null  // `t` alone holds the buffer now
                        t.data[offset] = x
                        whole = .tensor(t)
                        return new
                    }
                }
                let specs = try tensorSpecs(key)
                whole = .null
                defer { whole = .tensor(t) }
                if last {
                    let new = try combine(op, { () throws(RuntimeError) in try t.read(specs, limit: maxElements) }, rhs)
                    try t.write(specs, new, limit: maxElements)
                    return new
                }
                var inner = try t.read(specs, limit: maxElements)
                let shown = try update(&inner, path: path, keys: keys, at: k + 1, op: op, rhs: rhs)
                try t.write(specs, inner, limit: maxElements)
                return shown
            case .tuple(var tup):
                guard key.count == 1 else { throw RuntimeError("a tuple takes one index, not \(key.count)") }
                let i: Int
                switch key[0] {
                case .value(.number(let x)): i = try tupleIndex(tup, x)
                case .value(.string(let label)):
                    guard let j = tup.index(of: label) else { _ = try tupleLabel(tup, label); return .null }
                    i = j
                case .value, .slice:
                    throw RuntimeError("a tuple element is assigned by one number or label")
                }
                whole = .null
                defer { whole = .tuple(tup) }
                if last { return try combineItem(&tup.items[i], op, rhs) }
                return try update(&tup.items[i], path: path, keys: keys, at: k + 1, op: op, rhs: rhs)
            case .view(let v):
                // Writing into a view makes the variable a tensor of its own first.
                whole = .tensor(v.tensor())
                return try update(&whole, path: path, keys: keys, at: k, op: op, rhs: rhs)
            case .traced:
                throw RuntimeError.tracedAssignment
            case .number, .bool, .string, .function, .object, .null:
                throw RuntimeError("cannot assign into \(whole.kindWithArticle) by index")
            }
        }
    }

    /// The offset of the element a full index of whole numbers in range selects (negative ones
    /// counting from the end, as Tensor.normalize does); nil for anything else.
    @inline(__always)
    static func elementOffset(_ t: Tensor, _ key: [IndexKey]) -> Int? {
        guard key.count == t.shape.count, key.count > 0 else { return nil }
        var offset = 0
        for axis in 0..<key.count {
            guard case .value(.number(let x)) = key[axis], var i = WholeNumber.exactly(x) else { return nil }
            let size = t.shape[axis]
            if i < 0 { i += size }
            guard i >= 0 && i < size else { return nil }
            offset = offset * size + i
        }
        return offset
    }

    private func combine(_ op: BinaryOperator?, _ old: () throws(RuntimeError) -> Value,
                         _ rhs: Value) throws(RuntimeError) -> Value {
        guard let op else { return rhs }
        return try binary(op, try old(), rhs)
    }

    /// `item op= rhs` (or `= rhs`) of a tuple's item, the tuple held here alone: a string `+=` a
    /// string appends in place (amortised, as `s += t` of a variable does: `log.text += line`
    /// copied the whole text at each line), under `+`'s size rule; anything else by `binary`,
    /// the item left as it was when that fails.
    private func combineItem(_ item: inout Value, _ op: BinaryOperator?, _ rhs: Value) throws(RuntimeError) -> Value {
        if op == .add, case .string(var text) = item, case .string(let suffix) = rhs,
           (try? checkStringSize(text.utf8.count + suffix.utf8.count)) != nil {
            item = .null  // `text` alone holds the string now
            text += suffix
            item = .string(text)
            return item
        }
        let old = item
        item = try combine(op, { old }, rhs)
        return item
    }

    /// How many values `lo..<hi` (`lo...hi`) holds. A range made into a tensor obeys
    /// --max-elements; one a `for` walks allocates nothing, and only needs every value lo + k
    /// to be exact (at most 2^53 of them).
    func rangeCount(_ lo: Double, _ hi: Double, inclusive: Bool, allocates: Bool) throws(RuntimeError) -> Int {
        guard lo.isFinite && hi.isFinite else { throw RuntimeError("range bounds must be finite") }
        let count = Interpreter.rangeLength(lo, hi, inclusive: inclusive)
        if allocates {
            guard count <= Double(maxElements) else {
                throw RuntimeError("range of \(NumberFormat.repr(count)) values is too large (limit \(maxElements) elements; see --max-elements)")
            }
        } else {
            guard count <= Interpreter.longestLoop else {
                throw RuntimeError("a for loop over \(NumberFormat.repr(count)) values is too long (at most 2^53)")
            }
        }
        return Int(count)
    }

    /// How many values `lo..<hi` (`lo...hi`) holds, for finite bounds (the numeric tier's
    /// loops count with it too).
    static func rangeLength(_ lo: Double, _ hi: Double, inclusive: Bool) -> Double {
        let span = (hi - lo).rounded(.down)
        var count = hi < lo ? 0 : span + 1
        if !inclusive && count > 0 && lo + span == hi { count -= 1 }
        return count
    }

    /// The longest range a `for` walks: every lo + k stays exact.
    static let longestLoop = 9_007_199_254_740_992.0

    /// A range bound: a number or a one-element tensor.
    func rangeBound(_ v: Value, _ which: String) throws(RuntimeError) -> Double {
        switch v {
        case .number(let x): return x
        case .tensor(let t) where t.count == 1: return t.data[0]
        case .view(let t) where t.count == 1: return try rangeBound(v.materialized, which)
        case .bool, .string, .tensor, .view, .tuple, .function, .object, .null, .traced:
            throw RuntimeError("the \(which) bound of a range must be a number, not \(v.kindWithArticle)")
        }
    }
}

// Operators beyond two numbers: tensors under broadcasting, strings, tuples leaf by leaf,
// and the truth of conditions. The number-number case is inlined in the machine's instructions.

import Lexer
import Parser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Interpreter {
    /// The slow paths as the machine calls them: an error gets the site's location.
    func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, at range: SourceRange) throws(RuntimeError) -> Value {
        do { return try binary(op, a, b) } catch { throw error.at(range) }
    }

    func compare(_ op: ComparisonOperator, _ a: Value, _ b: Value, at range: SourceRange) throws(RuntimeError) -> Value {
        do { return try compare(op, a, b) } catch { throw error.at(range) }
    }

    /// The size rule of every string the program builds (`+`, `+=`, interpolation): its bytes
    /// count as elements, so doubling a string 40 times stops at the limit (print's line and
    /// `format`'s text are not kept, and are bounded by what they print).
    func checkStringSize(_ bytes: Int) throws(RuntimeError) {
        guard bytes <= maxElements else { throw RuntimeError.stringTooLarge(bytes, limit: maxElements) }
    }

    func binary(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(RuntimeError) -> Value {
        if op == .matmul { return try matmul(a, b) }
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(Arithmetic.apply(op, x, y))
        case (.tensor(let t), .tensor(let u)):
            return .tensor(try tensorBinary(op, t, u))
        case (.tensor(let t), .number(let y)):
            return .tensor(try Interpreter.tensorScalar(op, t, y))
        case (.number(let x), .tensor(let u)):
            return .tensor(try Interpreter.scalarTensor(op, x, u))
        case (.string(let s), .string(let t)) where op == .add:
            try checkStringSize(s.utf8.count + t.utf8.count)
            return .string(s + t)
        case (.tuple(let s), .tuple(let t)):
            return .tuple(try leafwise(s, t, "'\(op.rawValue)'") { (x, y) throws(RuntimeError) in try binary(op, x, y) })
        case (.tuple(let s), .number), (.tuple(let s), .tensor):
            return .tuple(try mapLeaves(s) { (x) throws(RuntimeError) in try binary(op, x, b) })
        case (.number, .tuple(let t)), (.tensor, .tuple(let t)):
            return .tuple(try mapLeaves(t) { (y) throws(RuntimeError) in try binary(op, a, y) })
        case (.traced, _), (_, .traced):
            return try tracedBinary(op, a, b)
        case (.view, _), (_, .view):
            return try binary(op, a.materialized, b.materialized)
        default:
            throw RuntimeError.operandError(op.rawValue, a, b)
        }
    }

    func tensorBinary(_ op: BinaryOperator, _ t: Tensor, _ u: Tensor) throws(RuntimeError) -> Tensor {
        if op == .matmul { return try Tensor.matmul(t, u, limit: maxElements) }
        return try Arithmetic.withRule(op) { (f) throws(RuntimeError) in try Tensor.zip(t, u, limit: maxElements, f) }
    }

    static func tensorScalar(_ op: BinaryOperator, _ t: Tensor, _ y: Double) throws(RuntimeError) -> Tensor {
        try Arithmetic.withRule(op) { (f) throws(RuntimeError) in try Tensor.zip(t, scalar: y, f) }
    }

    static func scalarTensor(_ op: BinaryOperator, _ x: Double, _ u: Tensor) throws(RuntimeError) -> Tensor {
        try Arithmetic.withRule(op) { (f) throws(RuntimeError) in try Tensor.zip(scalar: x, u, f) }
    }

    func matmul(_ a: Value, _ b: Value) throws(RuntimeError) -> Value {
        if case .traced = a { return try tracedBinary(.matmul, a, b) }
        if case .traced = b { return try tracedBinary(.matmul, a, b) }
        // A transposed matrix (a view) is read in place, as NumPy hands BLAS a transposed flag.
        func operand(_ v: Value) -> (Tensor, transposed: Bool)? {
            switch v {
            case .tensor(let t): return (t, false)
            case .view(let w): return w.transposedMatrix.map { ($0, true) } ?? (w.tensor(), false)
            case .number, .bool, .string, .tuple, .function, .object, .null, .traced: return nil
            }
        }
        guard let (t, ta) = operand(a), let (u, tb) = operand(b) else {
            throw RuntimeError("'@' needs two tensors, got \(a.kindName) and \(b.kindName)",
                               notes: ["hint: use '*' to multiply by a number"])
        }
        let r = try Tensor.matmul(t, u, limit: maxElements, transposingA: ta, transposingB: tb)
        return r.rank == 0 ? .number(r.data[0]) : .tensor(r)
    }

    func unary(_ op: UnaryOperator, _ v: Value) throws(RuntimeError) -> Value {
        switch v {
        case .number(let x): return .number(op == .negate ? -x : x)
        case .tensor(let t): return .tensor(op == .negate ? t.map { -$0 } : t)
        case .view(let v): return try unary(op, .tensor(v.tensor()))
        case .tuple(let t): return .tuple(try mapLeaves(t) { (x) throws(RuntimeError) in try unary(op, x) })
        case .traced(let r): return op == .negate ? try tracedNegate(r) : v
        case .bool, .string, .function, .object, .null:
            var e = RuntimeError("cannot apply unary '\(op.rawValue)' to \(v.kindWithArticle)")
            if case .bool = v { e.notes = ["hint: use 'not' to negate a bool"] }
            throw e
        }
    }

    func compare(_ op: ComparisonOperator, _ a: Value, _ b: Value) throws(RuntimeError) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .bool(Arithmetic.compare(op, x, y))
        case (.tensor(let t), .tensor(let u)):
            return .tensor(try Tensor.zip(t, u, limit: maxElements) { Arithmetic.compare(op, $0, $1) ? 1 : 0 })
        case (.tensor(let t), .number(let y)):
            return .tensor(try Tensor.zip(t, scalar: y) { Arithmetic.compare(op, $0, $1) ? 1 : 0 })
        case (.number(let x), .tensor(let u)):
            return .tensor(try Tensor.zip(scalar: x, u) { Arithmetic.compare(op, $0, $1) ? 1 : 0 })
        case (.string(let s), .string(let t)):
            return .bool(compareStrings(op, s, t))
        case (.traced, _), (_, .traced):
            // Comparisons read values only: `if x > 0` inside a differentiated function.
            return try compare(op, try primal(a), try primal(b))
        case (.view, _), (_, .view):
            return try compare(op, a.materialized, b.materialized)
        default:
            switch op {
            case .equal: return .bool(valuesEqual(a, b))
            case .notEqual: return .bool(!valuesEqual(a, b))
            case .less, .lessEqual, .greater, .greaterEqual:
                throw RuntimeError("cannot order \(a.kindWithArticle) and \(b.kindWithArticle) with '\(op.rawValue)'")
            }
        }
    }

    /// -1, 0 or 1 by Unicode code points: compared as UTF-8 bytes, whose order is the code
    /// points' order (UTF-8 was made so), one memcmp instead of decoding scalar by scalar.
    static func compareCodePoints(_ s: String, _ t: String) -> Int {
        // In place where the bytes are contiguous (native and small strings: every string the
        // language makes); copies of the strings (a retain and release each) only otherwise.
        if let c = s.utf8.withContiguousStorageIfAvailable({ a in
            t.utf8.withContiguousStorageIfAvailable { b in Interpreter.compareBytes(a, b) }
        }), let c { return c }
        var s = s, t = t
        return s.withUTF8 { a in t.withUTF8 { b in Interpreter.compareBytes(a, b) } }
    }

    /// A comparison of two strings by code points, as the general code and the numeric tier
    /// both run it.
    @inline(__always)
    func compareStrings(_ op: ComparisonOperator, _ s: String, _ t: String) -> Bool {
        switch op {
        case .equal: return Self.sameCodePoints(s, t)
        case .notEqual: return !Self.sameCodePoints(s, t)
        case .less, .lessEqual, .greater, .greaterEqual: return Arithmetic.compare(op, Double(Self.compareCodePoints(s, t)), 0)
        }
    }

    /// Whether s and t have the same code points (`==`, `!=`): compareCodePoints(s, t) == 0,
    /// with the answers it would give found sooner where they show: the same storage (or the
    /// same small string's bits) is equal, different byte counts are unequal (both O(1) for
    /// native and small strings); only strings of one length are compared byte by byte. The
    /// one rule of string equality: `==`, `expect_eq` (Swift's `==` takes canonically
    /// equivalent text as equal, "e\u{301}" == "é", which `expect_eq` did while `==` said
    /// false). Names, labels included, match as Swift strings do, so that two spellings of
    /// one identifier are one name, as Python's NFKC makes them.
    @inline(__always)
    static func sameCodePoints(_ s: String, _ t: String) -> Bool {
        if Interpreter.sameBits(s, t) { return true }
        // Two small strings hold their bytes in their bits, the unused ones zero: other bits are
        // other text (`ch == "("` failing in a character loop, with no count or byte read).
        if Interpreter.isSmall(s) && Interpreter.isSmall(t) { return false }
        let n = s.utf8.count
        guard n == t.utf8.count else { return false }
        // One byte each (`ch == "("` in a character loop): the bytes, with no buffer to borrow
        // (by the view's subscript: its `first` was a generic call, an eighth of such a loop).
        if n == 1 { return s.utf8[s.utf8.startIndex] == t.utf8[t.utf8.startIndex] }
        return compareCodePoints(s, t) == 0
    }

    /// Whether a string is small: its UTF-8 bytes (up to 15) held in its two words, the
    /// unused ones zero, as Swift makes every string it can (the discriminator's bit 61 of the
    /// second word, in the layout of the standard library's StringObject on 64-bit platforms).
    /// Unsafe only in reading the bits, as sameBits; on another layout, false (no shortcut).
    @inline(__always)
    static func isSmall(_ s: String) -> Bool {
        guard MemoryLayout<String>.size == 2 * MemoryLayout<UInt64>.size, MemoryLayout<Int>.size == 8 else { return false }
        return unsafeBitCast(s, to: (UInt64, UInt64).self).1 & (1 << 61) != 0
    }

    /// Whether two strings are the same bits: the same storage object with the same count and
    /// flags, or the same small string (its bytes held inline) — equal text either way. Unsafe
    /// only in reading a String as its two words (MemoryLayout checks the size; the bits are
    /// compared, never used as a pointer), as String's own == first does.
    @inline(__always)
    static func sameBits(_ s: String, _ t: String) -> Bool {
        guard MemoryLayout<String>.size == 2 * MemoryLayout<UInt64>.size else { return false }
        let a = unsafeBitCast(s, to: (UInt64, UInt64).self), b = unsafeBitCast(t, to: (UInt64, UInt64).self)
        return a == b
    }

    @inline(__always)
    private static func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = Swift.min(a.count, b.count)
        if n <= 16 {
            // Short strings (names, labels) byte by byte: memcmp's call costs more than this.
            for k in 0..<n where a[k] != b[k] { return a[k] < b[k] ? -1 : 1 }
        } else if let x = a.baseAddress, let y = b.baseAddress {
            let c = memcmp(x, y, n)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Structural equality: one bool for whole values (tuples, tensors of equal shape).
    func valuesEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return Self.sameCodePoints(x, y)
        case (.tensor(let t), .tensor(let u)): return t.shape == u.shape && t.data == u.data
        case (.view, _), (_, .view): return valuesEqual(a.materialized, b.materialized)
        case (.tuple(let s), .tuple(let t)):
            guard s.count == t.count else { return false }
            for i in 0..<s.count where s.label(at: i) != t.label(at: i) || !valuesEqual(s.items[i], t.items[i]) {
                return false
            }
            return true
        case (.function(let f), .function(let g)): return f === g
        case (.object(let o), .object(let p)): return o === p
        case (.null, .null): return true
        default: return false
        }
    }

    /// The truth of a condition (spec §14.2): bools, numbers (NaN is true), one-element tensors.
    func truth(_ v: Value, at range: SourceRange) throws(RuntimeError) -> Bool {
        switch v {
        case .bool(let b): return b
        case .number(let x): return x != 0
        case .tensor(let t) where t.count == 1: return t.data[0] != 0
        case .traced:
            do { return try truth(try primal(v), at: range) } catch { throw error.at(range) }
        case .view(let w) where w.count == 1:
            return try truth(v.materialized, at: range)
        case .tensor, .view, .string, .tuple, .function, .object, .null:
            throw RuntimeError.condition(v).at(range)
        }
    }

    /// Applies `f` to matching leaves of two tuples of identical structure.
    func leafwise(_ s: TupleValue, _ t: TupleValue, _ what: String,
                  _ f: (Value, Value) throws(RuntimeError) -> Value) throws(RuntimeError) -> TupleValue {
        guard s.count == t.count else {
            throw RuntimeError("cannot apply \(what) to tuples of \(s.count) and \(t.count) elements")
        }
        try checkInterrupt()
        var items: [Value] = []
        items.reserveCapacity(s.count)
        for i in 0..<s.count {
            guard s.label(at: i) == t.label(at: i) else {
                throw RuntimeError("cannot apply \(what) to tuples with different labels ('\(s.label(at: i) ?? "\(i)")' and '\(t.label(at: i) ?? "\(i)")')")
            }
            items.append(try f(s.items[i], t.items[i]))
        }
        return TupleValue(items, labels: s.labels)
    }

    func mapLeaves(_ s: TupleValue, _ f: (Value) throws(RuntimeError) -> Value) throws(RuntimeError) -> TupleValue {
        // Per tuple, so a tree nested by doubling (2^40 leaves) stops at Ctrl-C or --max-seconds.
        try checkInterrupt()
        var items: [Value] = []
        items.reserveCapacity(s.count)
        for v in s.items { items.append(try f(v)) }
        return TupleValue(items, labels: s.labels)
    }
}

// Value: everything a program computes. Numbers and bools are inline; strings, tensors and
// tuples are value types with copy-on-write storage; functions and objects are references.

public enum Value {
    case number(Double)
    case bool(Bool)
    case string(String)
    case tensor(Tensor)
    /// A strided window on a tensor (transpose, slices): see Tensor/TensorView.swift.
    case view(TensorView)
    case tuple(TupleValue)
    case function(Callable)
    case object(RuntimeObject)
    case null
    /// A number or tensor that `grad` is tracing: its primal value lives on the active tape.
    case traced(TracedRef)

    /// The kind's name as error messages write it: `(tensor expected, got string)`.
    public var kindName: String {
        switch self {
        case .number: return "number"
        case .bool: return "bool"
        case .string: return "string"
        case .tensor, .view: return "tensor"
        case .tuple: return "tuple"
        case .function: return "function"
        case .object(let o): return o.kindName
        case .null: return "nil"
        case .traced: return "traced value"
        }
    }

    /// The kind's name with its article, as messages write it: "a tensor", "an optimizer".
    public var kindWithArticle: String {
        let kind = kindName
        return (kind.first.map { "aeiou".contains($0) } == true ? "an " : "a ") + kind
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var isView: Bool {
        if case .view = self { return true }
        return false
    }

    /// A value on the tape of a running `grad`.
    var isTraced: Bool {
        if case .traced = self { return true }
        return false
    }
}

/// A tuple: fixed-size, elements optionally labelled. Labels are shared between tuples of one
/// shape (an optimizer's state, a returned record), so copying a labelled tuple is cheap.
public struct TupleValue {
    public var items: [Value]
    public var labels: TupleLabels?

    public init(_ items: [Value], labels: TupleLabels? = nil) {
        self.items = items
        self.labels = labels
    }

    /// A tuple whose elements are all labelled, in order.
    public init(labelled pairs: [(String, Value)]) {
        self.items = pairs.map(\.1)
        self.labels = TupleLabels(pairs.map { Optional($0.0) })
    }

    public var count: Int { items.count }

    public func label(at i: Int) -> String? { labels?.names[i] }

    public func index(of label: String) -> Int? { labels?.position(of: label) }

    public subscript(label: String) -> Value? {
        guard let i = index(of: label) else { return nil }
        return items[i]
    }
}

public final class TupleLabels: @unchecked Sendable {
    public let names: [String?]
    /// Read through `position(of:)`, the one lookup of a label.
    private let index: [String: Int]

    public init(_ names: [String?]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() {
            if let n { index[n] = i }
        }
        self.index = index
    }

    public var isEmpty: Bool { index.isEmpty }

    /// Where `label` is, as `index` says (the last item of that name). A few labels are
    /// scanned: comparing short strings is faster than hashing one (`counts[b] += 1`).
    @inline(__always)
    public func position(of label: String) -> Int? {
        guard names.count <= 8 else { return index[label] }
        var i = names.count
        while i > 0 {
            i -= 1
            if names[i] == label { return i }
        }
        return nil
    }
}

/// A mutable box for a variable that a closure captures (closures bind late, as in Python).
public final class Cell {
    /// Only the evaluator reads and writes it, never through overlapping accesses.
    @exclusivity(unchecked) public var value: Value?
    public init(_ value: Value?) { self.value = value }
}

/// Built-in stateful objects (optimizers, averagers, schedules, ...): references with fields
/// and methods. Subclasses override the members they have.
open class RuntimeObject {
    public init() {}

    /// What error messages call this object: "optimizer", "schedule", ...
    open var kindName: String { "object" }

    /// The one-line summary of spec §7.
    open var summary: String { "<\(kindName)>" }

    /// The class's member table rows (MemberTable), for completion, `:help` and the reference.
    open var members: [MemberInfo] { [] }

    /// Field names and method names.
    public final var memberNames: [String] { members.map(\.name) }

    /// Reads a field or returns a bound method; nil when there is no such member.
    open func member(_ name: String, interpreter: Interpreter) throws(RuntimeError) -> Value? { nil }

    /// `member` read at a site that always reads `name`, with the site's cache: an object whose
    /// members are rows of a table it consults first reads through `MemberTable.read(_:_:_:)`.
    func member(_ name: String, cache: MemberCache, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        try member(name, interpreter: interpreter)
    }

    /// Assigns a field; false when there is no assignable field of that name.
    open func setMember(_ name: String, _ value: Value, interpreter: Interpreter) throws(RuntimeError) -> Bool { false }

    /// Whether the object can be called like a function (a schedule: `s(epoch)`): a call of one
    /// that cannot fails before its arguments run, as a call of a number does.
    open var isCallable: Bool { false }

    /// Objects that can be called like functions (schedules: `s(epoch)`).
    open func call(_ args: inout Arguments, interpreter: Interpreter) throws(RuntimeError) -> Value? { nil }

    /// `o(x)`, one positional argument, without `Arguments`: what `call` gives for x, or nil to
    /// leave the call to `call` (which then reports what is wrong). A schedule takes a number.
    open func callDirect(_ x: Value, interpreter: Interpreter) throws(RuntimeError) -> Value? { nil }
}

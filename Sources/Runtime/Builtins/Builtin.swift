// The built-in table's entry type and argument binding. Every built-in is one `Builtin`:
// name, parameters with defaults, a one-line doc, and the implementation. `:help`,
// completion, the generated reference and argument binding all read these entries.

import Lexer

/// A default that can live in a static table (no references).
public enum DefaultValue: Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    /// A pair of numbers, such as PyTorch's `betas: (0.9, 0.999)`.
    case pair(Double, Double)
    /// A tuple of numbers where nil stands for None (Adafactor's `eps: (nil, 0.001)`, Muon's
    /// three `ns_coefficients`).
    case numbers([Double?])
    case null

    var value: Value {
        switch self {
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .pair(let a, let b): return .tuple(TupleValue([.number(a), .number(b)]))
        case .numbers(let xs): return .tuple(TupleValue(xs.map { $0.map { .number($0) } ?? .null }))
        case .null: return .null
        }
    }

    /// The default as source text (`0.1`, `"min"`, `nil`), for signatures and `:help`.
    public var text: String {
        switch self {
        case .number(let x): return NumberFormat.repr(x)
        case .string(let s): return Interpreter.quoted(s)
        case .bool(let b): return b ? "true" : "false"
        case .pair(let a, let b): return "(\(NumberFormat.repr(a)), \(NumberFormat.repr(b)))"
        case .numbers(let xs): return "(" + xs.map { $0.map { NumberFormat.repr($0) } ?? "nil" }.joined(separator: ", ") + ")"
        case .null: return "nil"
        }
    }
}

public struct BuiltinParameter: Sendable {
    public enum Kind: Sendable {
        /// Positional or labelled; required unless it has a default.
        case normal
        /// Collects the remaining positional arguments (`zeros(d...)`, `print(values...)`).
        case variadic
        /// Only by label (parameters after a variadic one).
        case labelOnly
        /// Collects labels that name no other parameter (`plot(sgd: l1, adam: l2)`), in order.
        case labelledRest
    }

    public let name: String
    public let kind: Kind
    public let defaultValue: DefaultValue?

    public static func required(_ name: String) -> BuiltinParameter {
        BuiltinParameter(name: name, kind: .normal, defaultValue: nil)
    }

    public static func optional(_ name: String, _ value: DefaultValue) -> BuiltinParameter {
        BuiltinParameter(name: name, kind: .normal, defaultValue: value)
    }

    public static func variadic(_ name: String) -> BuiltinParameter {
        BuiltinParameter(name: name, kind: .variadic, defaultValue: nil)
    }

    public static func label(_ name: String, _ value: DefaultValue) -> BuiltinParameter {
        BuiltinParameter(name: name, kind: .labelOnly, defaultValue: value)
    }

    public static func labelledRest(_ name: String) -> BuiltinParameter {
        BuiltinParameter(name: name, kind: .labelledRest, defaultValue: nil)
    }

    var signatureText: String {
        switch kind {
        case .variadic: return name + "..."
        case .labelledRest: return "name: " + name + "..."
        case .normal, .labelOnly:
            guard let d = defaultValue else { return name }
            return "\(name): \(d.text)"
        }
    }
}

/// How `grad` goes through a built-in (spec §9.7); the rules live in Autodiff/.
public enum Differentiation: Sendable, Equatable {
    /// Not differentiable: a traced argument is an error that names the built-in.
    case none
    /// Reads only values (shape, len, print, checks): traced arguments pass as their primals.
    case inert
    case unary(UnaryDerivative)
    case sum, mean, extremum, norm, dot, matmul, transpose, reshape, clip, select
    /// The built-in objectives: their hand-written gradients.
    case objective, bowl
    /// Computed with the language's own operators (`sc.scale(x)` is x times the scale), which
    /// record on the tape themselves: traced arguments pass through unchanged.
    case operators
}

public typealias BuiltinImpl = @Sendable (inout Arguments, Interpreter) throws(RuntimeError) -> Value

/// A built-in's entry for a call of exactly one or two positional arguments (three: a method's
/// receiver and two), none a view, with no tape running: the rule of `impl` without the
/// `Arguments` (its array and binding were most of a short built-in's call: `len(s)`,
/// `format(x, ".4f")`). It returns nil to leave the call to `impl` (an argument it does not take
/// this way, so `impl` gives the error exactly as it always did).
public enum DirectBuiltin: Sendable {
    /// The argument is the entry's to take (moved out, so a string built for the call is held
    /// once); when it declines, it leaves it in place.
    case one(@Sendable (inout Value, Interpreter) throws(RuntimeError) -> Value?)
    case two(@Sendable (Value, Value, Interpreter) throws(RuntimeError) -> Value?)
    /// `.two` whose first argument is the entry's to take when it returns a result (a
    /// `reusesArgument` built-in: `x = append(x, v)` lets go of x's value first, so the entry
    /// may grow it in place); when it declines or fails, it leaves it as it was.
    case growing(@Sendable (inout Value, Value, Interpreter) throws(RuntimeError) -> Value?)
    /// A method's receiver and two arguments (`opt.step(w, g)`).
    case three(@Sendable (Value, Value, Value, Interpreter) throws(RuntimeError) -> Value?)

    var arity: Int {
        switch self {
        case .one: return 1
        case .two, .growing: return 2
        case .three: return 3
        }
    }
}

public struct Builtin: Sendable {
    public let name: String
    public let parameters: [BuiltinParameter]
    public let doc: String
    public let impl: BuiltinImpl
    /// A fast path for a call with one number (element-wise math in scalar loops).
    public let scalar: (@Sendable (Double) -> Double)?
    /// Hints for labels of another convention (`rmsprop(alpha:)` points to torch.rmsprop).
    public let labelHints: [String: String]
    public let differentiation: Differentiation
    /// In `x = f(x, ...)`, f may write its result into x's tensor or tuple (which the assignment
    /// lets go of first): `w = opt.step(w, g)` then updates w in place, `xs = append(xs, v)`
    /// grows xs. Only for built-ins that run no user code.
    public let reusesArgument: Bool
    /// Takes views as they are (shape, size, len, reshape, transpose, matmul); every other built-in gets
    /// its tensors gathered in row-major order by argument binding.
    public let keepsViews: Bool
    /// The entry without `Arguments` for plain one- or two-argument calls (see DirectBuiltin).
    public let direct: DirectBuiltin?
    /// Whether `direct` is given views as they are (`len`, and `sum`, which adds a run of the
    /// base's buffer in place); every other entry declines a call with a view, which binding
    /// then gathers.
    public let directTakesViews: Bool

    public init(_ name: String, _ parameters: [BuiltinParameter], doc: String,
                scalar: (@Sendable (Double) -> Double)? = nil, labelHints: [String: String] = [:],
                differentiation: Differentiation = .none, reusesArgument: Bool = false,
                keepsViews: Bool = false, direct: DirectBuiltin? = nil, directTakesViews: Bool? = nil,
                impl: @escaping BuiltinImpl) {
        self.keepsViews = keepsViews
        self.direct = direct
        self.directTakesViews = directTakesViews ?? keepsViews
        self.name = name
        self.parameters = parameters
        self.doc = doc
        self.scalar = scalar
        self.labelHints = labelHints
        self.differentiation = differentiation
        self.reusesArgument = reusesArgument
        self.impl = impl
    }

    /// `clip(x, lo, hi)` as `:help` and the reference show it.
    public var signature: String {
        name + "(" + parameters.map(\.signatureText).joined(separator: ", ") + ")"
    }
}

/// The arguments of one call, bound to a built-in's parameters.
public struct Arguments {
    public let function: String
    public var positional: [Value]
    public var labelled: [(label: String, value: Value)]
    /// Bound values by parameter index (after `bind`). After bind's fast path they are read
    /// from `positional` and the defaults, and made into an array only when asked for whole.
    public var bound: [Value?] {
        get { direct ? directBound : storage }
        set {
            storage = newValue
            direct = false
        }
        _modify {
            if direct {
                storage = directBound
                direct = false
            }
            yield &storage
        }
    }
    private var storage: [Value?] = []
    /// bind's fast path (positional arguments only, each to the parameter of its position, every
    /// later parameter with a plain default or collecting the rest): parameter i's value is
    /// positional[i], or its default past the positional ones, so binding allocates nothing.
    private var direct = false
    /// Positions whose value `take` moved out (read as nil, as in `bound`), in the fast path.
    private var taken: UInt64 = 0
    /// The fast path of a built-in whose first parameter collects every positional argument
    /// (print): `rest` is `positional` itself, every later parameter its default.
    private var directRest = false
    /// Extra positional values taken by a variadic parameter.
    public var rest: [Value] = []
    /// Labels that name no parameter, kept by a `labelledRest` parameter.
    public var extraLabelled: [(label: String, value: Value)] = []
    var parameters: [BuiltinParameter] = []
    /// Which parameters were given by label (error messages then name the label).
    var byLabel: Set<Int> = []

    public init(function: String, positional: [Value], labelled: [(label: String, value: Value)] = []) {
        self.function = function
        self.positional = positional
        self.labelled = labelled
    }

    /// Matches positional then labelled arguments to `parameters`, filling defaults. Views are
    /// gathered into tensors first unless the built-in takes them as they are (`keepsViews`).
    /// `direct: false` always takes the general path (the tests compare the two).
    public mutating func bind(_ parameters: [BuiltinParameter], hints: [String: String] = [:],
                              keepsViews: Bool = false, direct allowed: Bool = true) throws(RuntimeError) {
        if !keepsViews { gatherViews() }
        self.parameters = parameters
        if allowed, labelled.isEmpty, Arguments.bindsDirectly(positional.count, parameters) {
            direct = true
            directRest = false
            taken = 0
            storage = []
            return
        }
        if allowed, labelled.isEmpty, Arguments.collectsDirectly(parameters) {
            // print(x, y): the general path appends each value to `rest` and fills an array of
            // defaults (a tenth of a loop printing one line per step).
            direct = true
            directRest = true
            taken = 0
            storage = []
            rest = positional
            return
        }
        direct = false
        storage = [Value?](repeating: nil, count: parameters.count)
        var next = 0
        for v in positional {
            while next < parameters.count, parameters[next].kind == .labelOnly || parameters[next].kind == .labelledRest { next += 1 }
            guard next < parameters.count else {
                let most = parameters.filter { $0.kind == .normal }.count
                throw RuntimeError("'\(function)' takes at most \(most) positional argument\(most == 1 ? "" : "s") (got \(positional.count))")
            }
            if parameters[next].kind == .variadic { rest.append(v); continue }
            storage[next] = v
            next += 1
        }
        for (label, v) in labelled {
            guard let i = parameters.firstIndex(where: { $0.name == label && $0.kind != .variadic && $0.kind != .labelledRest }) else {
                if parameters.contains(where: { $0.kind == .labelledRest }) {
                    extraLabelled.append((label, v))
                    continue
                }
                var e = RuntimeError("'\(function)' has no parameter '\(label)'")
                let names = parameters.map(\.name)
                if let hint = hints[label] {
                    e.notes = ["hint: " + hint]
                } else if let s = nearestName(label, in: names) ?? LabelHints.alias(label, in: names) {
                    e.message += "; did you mean '\(s)'?"
                }
                throw e
            }
            byLabel.insert(i)
            guard storage[i] == nil else { throw RuntimeError("argument '\(label)' given twice to '\(function)'") }
            storage[i] = v
        }
        for (i, p) in parameters.enumerated() where storage[i] == nil && p.kind != .variadic && p.kind != .labelledRest {
            guard let d = p.defaultValue else {
                throw RuntimeError("missing argument '\(p.name)' to '\(function)'")
            }
            storage[i] = d.value
        }
    }

    /// Whether `count` positional arguments bind one to one to the first parameters, with every
    /// later parameter taking a default that is a plain value (a number, string, bool or nil:
    /// made afresh at each read without a difference) or collecting the rest (left nil).
    static func bindsDirectly(_ count: Int, _ parameters: [BuiltinParameter]) -> Bool {
        guard count <= parameters.count else { return false }
        for i in parameters.indices {
            let p = parameters[i]
            if i < count {
                guard p.kind == .normal else { return false }
                continue
            }
            switch p.kind {
            case .variadic, .labelledRest: continue
            case .normal, .labelOnly:
                switch p.defaultValue {
                case .number?, .string?, .bool?, .null?: continue
                case .pair?, .numbers?, nil: return false
                }
            }
        }
        return true
    }

    /// Whether the first parameter collects the positional arguments and every later one is
    /// label-only with a plain default (or collects labels): with no labels given, each value
    /// goes to `rest` and each later parameter takes its default, as the general path binds them.
    static func collectsDirectly(_ parameters: [BuiltinParameter]) -> Bool {
        guard let first = parameters.first, first.kind == .variadic else { return false }
        for p in parameters.dropFirst() {
            switch p.kind {
            case .labelledRest: continue
            case .variadic, .normal: return false
            case .labelOnly:
                switch p.defaultValue {
                case .number?, .string?, .bool?, .null?: continue
                case .pair?, .numbers?, nil: return false
                }
            }
        }
        return true
    }

    /// The fast path's bound values as the general path stores them.
    private var directBound: [Value?] {
        var out: [Value?] = []
        out.reserveCapacity(parameters.count)
        for i in parameters.indices { out.append(directValue(i)) }
        return out
    }

    /// Parameter i's value in the fast path: nil for a parameter that collects the rest.
    @inline(__always)
    private func directValue(_ i: Int) -> Value? {
        if directRest { return i == 0 ? nil : parameters[i].defaultValue?.value }
        if i < positional.count { return i < 64 && taken & (1 << UInt64(i)) != 0 ? nil : positional[i] }
        let p = parameters[i]
        switch p.kind {
        case .variadic, .labelledRest: return nil
        case .normal, .labelOnly: return p.defaultValue?.value
        }
    }

    /// Moves parameter i's value out of the arguments, leaving nil, and lets go of the
    /// positional values binding shared it with: a tensor taken this way is held only by the
    /// caller when nothing else holds it (`w = opt.step(w, g)` updates w in place).
    public mutating func take(_ i: Int) -> Value? {
        if direct, !directRest, i < 64 {
            let v = directValue(i)
            if i < positional.count {
                positional[i] = .null
                taken |= 1 << UInt64(i)
            }
            return v
        }
        let v = bound[i]
        bound[i] = nil
        positional = []
        return v
    }

    private mutating func gatherViews() {
        for i in positional.indices { if case .view = positional[i] { positional[i] = positional[i].materialized } }
        for i in labelled.indices { if case .view = labelled[i].value { labelled[i].value = labelled[i].value.materialized } }
    }

    /// `#2` for a positional parameter, `'tol'` for a label-only one (for error messages).
    public func position(_ i: Int) -> String {
        guard parameters.indices.contains(i) else { return "#\(i + 1)" }
        return parameters[i].kind == .labelOnly || byLabel.contains(i) ? "'\(parameters[i].name)'" : "#\(i + 1)"
    }

    public subscript(i: Int) -> Value {
        if direct {
            precondition(i < parameters.count, "argument index out of range")
            return directValue(i) ?? .null
        }
        return storage[i] ?? .null
    }

    public func number(_ i: Int) throws(RuntimeError) -> Double {
        switch self[i] {
        case .number(let x): return x
        case .tensor(let t) where t.count == 1: return t.data[0]
        case let v: throw RuntimeError.badArgument(position(i), to: function, expected: "number", got: v)
        }
    }

    /// A whole number (a code, an axis, an epoch, a seed-free count) through the one checked
    /// conversion, `WholeNumber.int`.
    public func integer(_ i: Int) throws(RuntimeError) -> Int {
        let x = try number(i)
        do throws(WholeNumber.Failure) {
            return try WholeNumber.int(x)
        } catch {
            switch error {
            case .notWhole:
                throw RuntimeError.badArgumentValue(position(i), to: function, "whole number expected, got \(NumberFormat.repr(x))")
            case .tooLarge:
                throw RuntimeError.badArgumentValue(position(i), to: function, "\(NumberFormat.repr(x)) is out of range")
            }
        }
    }

    /// A number of elements to allocate: whole, >= 0 and within `limit` (--max-elements).
    public func size(_ i: Int, limit: Int) throws(RuntimeError) -> Int {
        try Arguments.size(try number(i), limit: limit, position: position(i), function: function)
    }

    /// The size rule for any double, named by its argument position for the message. With
    /// `alone: false` a dim of a shape is only converted: checkedCount then judges the shape.
    static func size(_ x: Double, limit: Int, position: String, function: String, alone: Bool = true) throws(RuntimeError) -> Int {
        let n: Int
        do throws(WholeNumber.Failure) {
            n = try WholeNumber.int(x)
        } catch {
            switch error {
            case .notWhole: n = -1
            case .tooLarge: n = x < 0 ? -1 : Int.max
            }
        }
        guard n >= 0, x == x.rounded() else {
            throw RuntimeError.badArgumentValue(position, to: function, "a size must be a whole number >= 0, got \(NumberFormat.repr(x))")
        }
        guard n <= (alone ? limit : Int(WholeNumber.maxMagnitude)) else { throw TensorLimits.tooLarge(size: x, limit: limit) }
        return n
    }

    public func bool(_ i: Int) throws(RuntimeError) -> Bool {
        guard case .bool(let b) = self[i] else {
            throw RuntimeError.badArgument(position(i), to: function, expected: "bool", got: self[i])
        }
        return b
    }

    public func string(_ i: Int) throws(RuntimeError) -> String {
        guard case .string(let s) = self[i] else {
            throw RuntimeError.badArgument(position(i), to: function, expected: "string", got: self[i])
        }
        return s
    }

    public func tensor(_ i: Int) throws(RuntimeError) -> Tensor {
        switch self[i] {
        case .tensor(let t): return t
        case .number(let x): return Tensor(shape: [], data: [x])
        case let v: throw RuntimeError.badArgument(position(i), to: function, expected: "tensor", got: v)
        }
    }

    public func callable(_ i: Int) throws(RuntimeError) -> Value {
        switch self[i] {
        case .function, .object: return self[i]
        case let v: throw RuntimeError.badArgument(position(i), to: function, expected: "function", got: v)
        }
    }
}

/// Labels people bring from other libraries, and the name optrepl uses for them.
enum LabelHints {
    static let aliases: [String: [String]] = [
        "learning_rate": ["lr"], "rate": ["lr"], "step_size": ["lr"],
        "epsilon": ["eps"], "decay": ["weight_decay", "decay_rate"], "beta_1": ["beta1"], "beta_2": ["beta2"],
        "momentum_decay": ["beta"],
    ]

    /// The first of `label`'s usual synonyms that `names` has.
    static func alias(_ label: String, in names: [String]) -> String? {
        aliases[label]?.first { names.contains($0) }
    }
}

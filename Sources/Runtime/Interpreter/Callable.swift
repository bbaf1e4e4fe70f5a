// Callables: user closures, built-in functions and bound methods, told apart by a tag so
// the call path needs no dynamic casts.

import Lexer

public class Callable {
    public enum Kind { case closure, builtin, method }
    public let kind: Kind
    public let name: String

    init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }
}

/// The compiled form of one `fn`: shared by every closure made from it.
public final class FunctionProto {
    public let name: String
    let file: SourceFile
    let headerRange: SourceRange
    let parameterNames: [String]
    /// `parameterNames.count`, kept as a number: a call compares it, and reading an array's
    /// count from the proto retained and released the array.
    let parameterCount: Int
    /// Stack slots: the parameters first, then the other uncaptured locals.
    let frameSize: Int
    /// For each captured local: its cell index; parameters that are captured are copied in.
    let cellCount: Int
    let capturedParameters: [(parameter: Int, cell: Int)]
    /// Where each captured free variable comes from in the defining frame.
    let captureSources: [CaptureSource]
    /// The numeric tier's code for this function, made at its first call (Numeric/).
    @exclusivity(unchecked) var numeric = NumericState.untried
    /// Its numeric code for calls from the general code with tensor arguments, whose elements
    /// and lengths the code reads: made at the first such call, for those parameters and ranks.
    @exclusivity(unchecked) var numericWithTensors = NumericState.untried
    /// Whether that code failed to compile with a tuple in registers (`.tuple`), which code
    /// that takes it as a list (`.list`: `xs[i]`, `len(xs)`) may still fit: one such request
    /// compiles it again (NumericCompiler.function(for:parameters:)).
    @exclusivity(unchecked) var tuplesInRegistersFailed = false
    /// How often that code was compiled again for the kinds of other arguments: a function
    /// called with kinds that keep changing is left to the general code after a few.
    @exclusivity(unchecked) var respecializations = 0
    static let mostRespecializations = 8
    /// Its gradient without the tape, made at its first `grad` (Numeric/NumericGradient.swift).
    @exclusivity(unchecked) var gradient = GradientState.untried

    /// The function as the resolver made it: what the numeric compilers compile from.
    let resolved: ResolvedFunction
    /// Its body compiled (Compiled/). nil only for the numeric tier's top-level loops
    /// (NumericCompiler.loop), which run as numeric code and are never called as closures.
    let chunk: Chunk?
    /// The registers of a call's frame: the locals, then the chunk's temporaries.
    let registerCount: Int

    init(resolved f: ResolvedFunction, chunk: Chunk?) {
        self.resolved = f
        self.name = f.name
        self.file = f.file
        self.headerRange = f.headerRange
        self.parameterNames = f.parameterNames
        self.parameterCount = f.parameterNames.count
        self.frameSize = f.frameSize
        self.cellCount = f.cellCount
        self.capturedParameters = f.capturedParameters
        self.captureSources = f.captureSources
        self.chunk = chunk
        self.registerCount = Swift.max(f.frameSize, chunk?.registerCount ?? 0)
        self.needsCellSetup = f.cellCount > 0 || !f.captureSources.isEmpty
        self.hasDefaults = f.defaults.contains { $0 != nil }
    }

    /// Whether a parameter has a default (a closure of one without keeps no array of nils).
    let hasDefaults: Bool

    /// What goes wrong binding a call's arguments (Interpreter.bindingError says it).
    enum BindingProblem: Error {
        case tooMany, unknownLabel(String), twice(String)
    }

    /// How a call of `positional` arguments and then `labels` binds them: for each parameter,
    /// the argument it takes (the positional ones first, then the labelled in their order), or
    /// nil for its default (which the closure called must have). The one rule of binding: the
    /// general path, the machine's binding kept per call site and the numeric compiler read it.
    func binding(positional: Int, labels: [String]) throws(BindingProblem) -> [Int?] {
        guard positional <= parameterCount else { throw .tooMany }
        var order: [Int?] = (0..<parameterCount).map { $0 < positional ? $0 : nil }
        for (j, label) in labels.enumerated() {
            guard let i = parameterNames.firstIndex(of: label) else { throw .unknownLabel(label) }
            guard order[i] == nil else { throw .twice(label) }
            order[i] = positional + j
        }
        return order
    }

    /// Whether a call sets up cells or captures (stored: every call reads it).
    let needsCellSetup: Bool

    /// Whether the numeric tier has declined this function for every kind of arguments it was
    /// called with (its calls then run in the general machine alone).
    var leftToGeneralCode: Bool {
        switch numeric {
        case .unsupported: break
        case .untried, .compiling, .ready: return false
        }
        switch numericWithTensors {
        case .unsupported: return true
        case .untried, .compiling, .ready: return false
        }
    }
}

enum CaptureSource {
    /// A captured local of the defining function (its cell index).
    case cell(Int)
    /// A variable the defining function itself captured (its capture index).
    case capture(Int)
}

public final class Closure: Callable {
    let proto: FunctionProto
    let captures: [Cell]
    /// Each parameter's default value, by position; empty when none has one.
    let defaults: [Value?]

    init(proto: FunctionProto, captures: [Cell], defaults: [Value?]) {
        self.proto = proto
        self.captures = captures
        self.defaults = defaults
        super.init(kind: .closure, name: proto.name)
    }
}

public final class BuiltinFunction: Callable {
    public let builtin: Builtin
    /// Copied out of the entry so a scalar call does not copy the whole entry.
    let scalar: (@Sendable (Double) -> Double)?
    /// The growing direct entry (`append`), copied out for `x = append(x, v)` (callGrowing).
    let growing: (@Sendable (inout Value, Value, Interpreter) throws(RuntimeError) -> Value?)?

    public init(_ builtin: Builtin) {
        self.builtin = builtin
        self.scalar = builtin.scalar
        switch builtin.direct {
        case .growing(let f)?: growing = f
        case .one?, .two?, .three?, nil: growing = nil
        }
        super.init(kind: .builtin, name: builtin.name)
    }
}

/// `receiver.method` as a value: a built-in entry whose implementation gets the receiver first.
public final class BoundMethod: Callable {
    /// Rebound only while nothing but a member site's cache holds it (MemberCache.bind): no
    /// value the program can see ever changes.
    @exclusivity(unchecked) public internal(set) var receiver: Value
    /// The entry, shared by every binding of the method: `a.update` once per step copied the
    /// whole entry (a dozen references to retain, and release again) into each.
    let entry: MethodEntry
    public var method: Builtin { entry.builtin }

    public convenience init(receiver: Value, method: Builtin) {
        self.init(receiver: receiver, entry: MethodEntry(method))
    }

    init(receiver: Value, entry: MethodEntry) {
        self.receiver = receiver
        self.entry = entry
        super.init(kind: .method, name: entry.builtin.name)
    }
}

/// A method's table entry, made once per member table row and shared by its bound methods.
final class MethodEntry: Sendable {
    let builtin: Builtin
    init(_ builtin: Builtin) { self.builtin = builtin }
}

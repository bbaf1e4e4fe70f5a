// RuntimeError: what evaluation throws (typed throws everywhere in the evaluator), and the
// catalogue of messages so every error reads in one tone.

import Lexer
import Parser

public struct RuntimeError: Error {
    public enum Kind: Equatable, Sendable {
        case error
        /// SIGINT (Ctrl-C) observed at a safe point.
        case interrupted
        /// `--max-seconds` ran out.
        case timeout
        /// `exit(code)` was called.
        case exit(Int32)
    }

    public var kind: Kind
    public var message: String
    public var notes: [String]
    /// Where it happened; filled in by the site (instruction, call) that catches an error without one.
    public var range: SourceRange?
    public var file: SourceFile?
    /// Call sites, innermost first. The last may wait for its site (`RuntimeError.pendingSite`):
    /// a closure a built-in called (`map`'s, `grad`'s f), which the error left, was called from
    /// the built-in's call site, which leavingCall writes in. (An entry rather than a field of
    /// its own: a larger error made every throwing call of the machine slower, by up to 10%.)
    public var callChain: [CallSite] = []

    /// The range of a call-chain entry whose call site is not known yet.
    static let pendingSite = SourceRange(start: -1, length: 0)
    /// An unknown name or member that may be a Python habit (Parser/Habits.swift); the
    /// diagnostic turns it into a hint with the user's code rewritten.
    public var habit: Habits.Cue?
    /// The for loops the error left in the function where it happened, outermost first: each
    /// statement's range and its variable's value then, as text (the name is read from the source).
    var loops: [(statement: SourceRange, value: String)] = []

    public init(_ message: String, notes: [String] = [], kind: Kind = .error) {
        self.kind = kind
        self.message = message
        self.notes = notes
    }

    /// Gives the error this location unless it already has one.
    func at(_ range: SourceRange) -> RuntimeError {
        var e = self
        if e.range == nil { e.range = range }
        return e
    }

    /// The error as it leaves the call of a built-in, a method or an object at `range` in `file`:
    /// that is where it is, unless it arose inside; and the closure the built-in called, if the
    /// error came out of one, was called from there.
    mutating func leavingCall(at range: SourceRange, in file: SourceFile) {
        if self.range == nil {
            self.range = range
            self.file = file
        }
        if let last = callChain.last, last.range == RuntimeError.pendingSite {
            callChain[callChain.count - 1] = CallSite(function: last.function, file: file, range: range)
        }
    }

    /// Attaches a location unless the error already has one.
    mutating func locate(_ range: SourceRange, in file: SourceFile) {
        if self.range == nil {
            self.range = range
            self.file = file
        } else if self.file == nil {
            self.file = file
        }
    }

    public var diagnostic: Diagnostic {
        var notes = self.notes
        if let habit, let file, let range,
           let advice = Habits.advice(habit, file: file, range: range, isBuiltin: { Builtins.byName[$0] != nil }) {
            notes.append("hint: " + advice)
        }
        // An entry whose call site no call claimed (a closure an object's member called) is left out.
        var d = Diagnostic(message, file: file, range: range ?? SourceRange(start: 0, length: 0),
                           notes: notes, callChain: callChain.filter { $0.range != RuntimeError.pendingSite })
        if let file {
            d.loopValues = loops.compactMap { loop in
                RuntimeError.loopVariable(file.slice(loop.statement)).map { "\($0) = \(loop.value)" }
            }
        }
        return d
    }
}

/// The message catalogue.
extension RuntimeError {
    /// The variable of a `for NAME in ...` statement's text.
    static func loopVariable(_ statement: String) -> String? {
        guard statement.hasPrefix("for") else { return nil }
        let name = statement.dropFirst(3).drop { $0 == " " || $0 == "\t" }.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
        return name.isEmpty ? nil : String(name)
    }

    /// Adds the loop around the error, when the error happened in this loop's own function.
    mutating func inLoop(_ statement: SourceRange, _ value: Value) {
        guard callChain.isEmpty && kind == .error else { return }
        // A row of a long tensor would fill the screen: its shape says which kind of row it is.
        var text = Interpreter.short(value)
        if text.count > 60, let shape = value.tensorShape { text = "a tensor of shape \(Tensor.shapeText(shape))" }
        loops.insert((statement, text), at: 0)
    }

    /// `candidates` are searched for a "did you mean" unless the name is a habit of the table.
    static func unknownName(_ name: String, candidates: @autoclosure () -> [String]) -> RuntimeError {
        var e = RuntimeError("unknown name '\(name)'")
        e.habit = .unknownName(name)
        if !Habits.knows(name), let s = nearestName(name, in: candidates()) { e.message += "; did you mean '\(s)'?" }
        return e
    }

    /// A member `receiver` lacks; "did you mean" among `members` unless a habit explains it.
    static func noMember(_ what: String, _ name: String, receiver: Habits.Receiver, members: [String]) -> RuntimeError {
        var e = RuntimeError("\(what) has no member '\(name)'")
        e.habit = .noMember(receiver: receiver, name: name)
        if !Habits.knowsMember(name, of: receiver, isBuiltin: { Builtins.byName[$0] != nil }), let s = nearestName(name, in: members) {
            e.message += "; did you mean '\(s)'?"
        }
        return e
    }

    static func stringTooLarge(_ bytes: Int, limit: Int) -> RuntimeError {
        RuntimeError("string of \(bytes) bytes is too large (limit \(limit) elements; see --max-elements)")
    }

    static func unassignedLocal(_ name: String) -> RuntimeError {
        RuntimeError("local variable '\(name)' is read before it is assigned",
                     notes: ["note: assigning '\(name)' anywhere in a function makes it local to that function"])
    }

    public static func badArgument(_ position: String, to function: String, expected: String, got: Value) -> RuntimeError {
        RuntimeError("bad argument \(position) to '\(function)' (\(expected) expected, got \(got.kindName))")
    }

    public static func badArgumentValue(_ position: String, to function: String, _ why: String) -> RuntimeError {
        RuntimeError("bad argument \(position) to '\(function)' (\(why))")
    }

    static func notCallable(_ v: Value) -> RuntimeError {
        RuntimeError("\(v.kindWithArticle) is not callable")
    }

    static func operandError(_ op: String, _ a: Value, _ b: Value) -> RuntimeError {
        var e = RuntimeError("cannot apply '\(op)' to \(a.kindName) and \(b.kindName)")
        if op == "+", case .string = a { e.notes = ["hint: write \"...\\(x)\" to put a value into a string"] }
        if op == "+", case .string = b { e.notes = ["hint: write \"\\(x)...\" to put a value into a string"] }
        if op == "%", case .string = a { e.notes = ["hint: " + Habits.percentFormatting] }
        if case .bool = a { e.notes = ["note: bools are not numbers"] } else if case .bool = b {
            e.notes = ["note: bools are not numbers"]
        }
        return e
    }

    static func condition(_ v: Value) -> RuntimeError {
        switch v {
        case .tensor(let t):
            return RuntimeError("the truth value of a tensor with \(t.count) elements is ambiguous",
                                notes: ["hint: use any(...) or all(...)"])
        case .view(let t):
            return condition(.tensor(t.tensor()))
        case .number, .bool, .string, .tuple, .function, .object, .null, .traced:
            return RuntimeError("a condition must be a bool, a number or a one-element tensor, not \(v.kindWithArticle)")
        }
    }

    static let recursionTooDeep = RuntimeError("recursion too deep (limit \(Interpreter.maxCallDepth))")
    static let interrupted = RuntimeError("interrupted", kind: .interrupted)
    static let timedOut = RuntimeError("time limit exceeded (--max-seconds)", kind: .timeout)
}

/// Names close to `name` by edit distance (for "did you mean"), nearest first.
public func nearestName(_ name: String, in candidates: some Sequence<String>) -> String? {
    let target = Array(name.unicodeScalars)
    let limit = Swift.max(1, Swift.min(3, target.count / 2))
    var best: (String, Int)?
    for c in candidates where c != name {
        let d = editDistance(target, Array(c.unicodeScalars))
        let sameLetters = c.lowercased() == name.lowercased()
        if (sameLetters || (d <= limit && d < target.count)) && (best == nil || d < best!.1 || (d == best!.1 && c < best!.0)) { best = (c, d) }
    }
    return best?.0
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = Swift.min(cur[j], prev2[j - 2] + 1)
            }
        }
        (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
}

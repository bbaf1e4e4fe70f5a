// Diagnostic: the one value type every phase uses to report a problem.
// Phases create and return these; only the executable's renderer prints them.

/// One entry of a runtime error's call chain: the function and where it was called.
public struct CallSite: Sendable {
    public var function: String
    public var file: SourceFile
    public var range: SourceRange

    public init(function: String, file: SourceFile, range: SourceRange) {
        self.function = function
        self.file = file
        self.range = range
    }
}

public struct Diagnostic: Error, Sendable {
    public enum Severity: String, Sendable { case error, warning, note }

    public var severity: Severity
    public var message: String
    public var file: SourceFile?
    public var range: SourceRange
    /// Extra lines printed after the snippet, e.g. `hint: ...`.
    public var notes: [String]
    /// Innermost call first.
    public var callChain: [CallSite]
    /// The loop variables around the error in its own function, outermost first (`i = 3`):
    /// which iteration failed. The renderer shows them as a note, the exercise runner as
    /// `line 52 (i = 3): ...`.
    public var loopValues: [String] = []

    public init(_ message: String, file: SourceFile?, range: SourceRange,
                severity: Severity = .error, notes: [String] = [], callChain: [CallSite] = []) {
        self.severity = severity
        self.message = message
        self.file = file
        self.range = range
        self.notes = notes
        self.callChain = callChain
    }

    /// `line:col` of the start, or nil when the diagnostic has no file.
    public var location: SourceLocation? { file?.location(of: range.start) }
}

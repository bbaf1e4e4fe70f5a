// Parser: tokens in, a Program (or "incomplete", or diagnostics) out.
// Recursive descent for statements, precedence climbing for expressions (Operators.swift).

import Lexer

/// The three outcomes the REPL and the script runner distinguish.
public enum ParseOutcome: Sendable {
    case complete(Program)
    /// Input ended inside an open construct; the diagnostic is what a script reports.
    case incomplete(Diagnostic)
    case failed([Diagnostic])
}

struct ParseError: Error {
    var diagnostic: Diagnostic
    /// The error is that input ended too early (the REPL reads another line).
    var atEndOfInput: Bool
}

public struct Parser {
    /// Deepest nesting of brackets, blocks and operands before a syntax error; keeps the
    /// recursive descent far from the native stack limit (10,000 open brackets must not crash).
    public static let maxNesting = 200
    /// Longest chain of infix operators in one expression (`1 + 1 + ... + 1`): the phases after
    /// the parser recurse once per operator, about 4 KB of stack each in a debug build.
    public static let maxChain = 50_000

    let file: SourceFile
    var tokens: [Token]
    var pos = 0
    /// One entry per open bracket: false inside ( and [ (newlines are skipped), true inside { }.
    var newlineContext: [Bool] = [true]
    var nesting = 0
    var functionDepth = 0
    var loopDepth = 0
    /// Parsing the tokens of a string interpolation: its end is not the end of input.
    var isInterpolation = false

    init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
    }

    /// Entry point: parse a whole unit.
    public static func parse(_ file: SourceFile) -> ParseOutcome {
        var parser = Parser(file: file, tokens: Lexer.tokenize(file))
        return parser.parseProgram()
    }

    mutating func parseProgram() -> ParseOutcome {
        var statements: [Stmt] = []
        var diagnostics: [Diagnostic] = []
        var silent: Set<Int> = []
        skipSeparators()
        while !isAtEnd {
            do {
                statements.append(try statement())
                if case .punct(.semicolon) = tokens[pos].kind { silent.insert(statements.count - 1) }
                try endOfStatement()
            } catch {
                if error.atEndOfInput && diagnostics.isEmpty {
                    return .incomplete(error.diagnostic)
                }
                diagnostics.append(error.diagnostic)
                newlineContext = [true]
                nesting = 0
                synchronize()
            }
            skipSeparators()
        }
        if !diagnostics.isEmpty { return .failed(diagnostics) }
        return .complete(Program(file: file, statements: statements, silent: silent))
    }

    // MARK: tokens

    var isAtEnd: Bool {
        if case .eof = current.kind { return true }
        return false
    }

    /// Index of the current token: newlines are skipped inside ( and [.
    var currentIndex: Int {
        var i = pos
        if newlineContext.last == false {
            while case .newline = tokens[i].kind { i += 1 }
        }
        return i
    }

    var current: Token { tokens[currentIndex] }

    mutating func advance() -> Token {
        let i = currentIndex
        pos = Swift.min(i + 1, tokens.count - 1)
        return tokens[i]
    }

    mutating func check(_ kind: TokenKind) -> Bool {
        sameKind(current.kind, kind)
    }

    mutating func match(_ kind: TokenKind) -> Bool {
        if check(kind) { _ = advance(); return true }
        return false
    }

    mutating func skipNewlines() {
        while case .newline = tokens[pos].kind { pos += 1 }
    }

    mutating func skipSeparators() {
        while true {
            switch tokens[pos].kind {
            case .newline, .punct(.semicolon): pos += 1
            default: return
            }
        }
    }

    /// Consumes `p` or fails with "expected 'p' <context>".
    @discardableResult
    mutating func expect(_ p: Punct, _ context: String, opener: Token? = nil) throws(ParseError) -> Token {
        if check(.punct(p)) { return advance() }
        if check(.keyword(.if)) {
            throw error(Habits.Syntax.conditionalExpression.message, at: current.range, hint: Habits.conditionalHint)
        }
        var message = "expected '\(p.rawValue)' \(context)"
        if let opener {
            let line = file.location(of: opener.range.start).line
            message += " (to close '\(file.slice(opener.range))' at line \(line))"
        }
        throw unexpected(message)
    }

    /// An error at the current token; at the end of input it is marked so the REPL reads on.
    mutating func unexpected(_ message: String, hint: String? = nil) -> ParseError {
        let t = current
        if case .error(let m, let h, let incomplete) = t.kind {
            return ParseError(diagnostic: Diagnostic(m, file: file, range: t.range, notes: h.map { ["hint: " + $0] } ?? []),
                              atEndOfInput: incomplete)
        }
        if case .eof = t.kind, !isInterpolation {
            return ParseError(diagnostic: Diagnostic("unexpected end of input; \(message)", file: file, range: endOfLastToken()),
                              atEndOfInput: true)
        }
        let found = describe(t)
        return ParseError(diagnostic: Diagnostic("\(message), found \(found)", file: file, range: t.range,
                                                 notes: hint.map { ["hint: " + $0] } ?? []),
                          atEndOfInput: false)
    }

    /// Just after the last token before the end of input: where "unexpected end" points.
    func endOfLastToken() -> SourceRange {
        var i = tokens.count - 2
        while i >= 0, case .newline = tokens[i].kind { i -= 1 }
        return SourceRange(start: i >= 0 ? tokens[i].range.end : 0, length: 1)
    }

    func error(_ message: String, at range: SourceRange, hint: String? = nil) -> ParseError {
        ParseError(diagnostic: Diagnostic(message, file: file, range: range, notes: hint.map { ["hint: " + $0] } ?? []),
                   atEndOfInput: false)
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .newline: return "end of line"
        case .eof: return "end of input"
        case .number, .identifier, .keyword, .punct, .string, .error:
            var text = file.slice(t.range)
            if text.count > 20 { text = String(text.prefix(20)) + "..." }
            return "'\(text)'"
        }
    }

    /// Counts one level of nesting; fails before the native stack could run out.
    mutating func enter() throws(ParseError) {
        nesting += 1
        if nesting > Parser.maxNesting {
            throw error("too deeply nested (limit \(Parser.maxNesting) levels of brackets, blocks or operators)",
                        at: current.range)
        }
    }

    mutating func leave() { nesting -= 1 }

    /// After an error: skip to the end of the statement (a newline or ';' outside brackets).
    /// Errors are caught only at the top level, where a '}' closes nothing and is skipped too.
    mutating func synchronize() {
        var depth = 0
        while true {
            let t = tokens[pos]
            switch t.kind {
            case .eof: return
            case .newline, .punct(.semicolon):
                if depth <= 0 { return }
            case .punct(.lParen), .punct(.lBracket), .punct(.lBrace): depth += 1
            case .punct(.rParen), .punct(.rBracket): depth = max(0, depth - 1)
            case .punct(.rBrace): depth = max(0, depth - 1)
            case .number, .string, .identifier, .keyword, .punct, .error: break
            }
            pos += 1
        }
    }

    /// A statement ends at a newline, ';', '}' or the end of input.
    mutating func endOfStatement() throws(ParseError) {
        switch tokens[pos].kind {
        case .newline, .punct(.semicolon), .punct(.rBrace), .eof: return
        // A block's closing brace ends its statement, so another may follow on the same line
        // (`if n < 2 { return n } return f(n - 1)`), as in Rust or JavaScript.
        case _ where pos > 0 && sameKind(tokens[pos - 1].kind, .punct(.rBrace)): return
        case .keyword(.if):
            throw error(Habits.Syntax.conditionalExpression.message, at: tokens[pos].range, hint: Habits.conditionalHint)
        case .number, .string, .identifier, .keyword, .punct, .error:
            throw unexpected("expected a new line or ';' after the statement")
        }
    }
}

/// Same kind of token; punctuation and keywords must also be the same one.
func sameKind(_ a: TokenKind, _ b: TokenKind) -> Bool {
    switch a {
    case .punct(let x): if case .punct(let y) = b { return x == y }
    case .keyword(let x): if case .keyword(let y) = b { return x == y }
    case .newline: if case .newline = b { return true }
    case .eof: if case .eof = b { return true }
    case .identifier: if case .identifier = b { return true }
    case .number: if case .number = b { return true }
    case .string: if case .string = b { return true }
    case .error: if case .error = b { return true }
    }
    return false
}

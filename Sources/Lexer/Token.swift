// Token: what the lexer hands the parser; every token knows its byte range.

public enum Keyword: String, Sendable, CaseIterable {
    case fn, `return`, `if`, `else`, `for`, `in`, `while`, `break`, `continue`
    case `true`, `false`, and, or, not, `nil`
}

/// Punctuation and operators, spelled as in source.
public enum Punct: String, Sendable, CaseIterable {
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", at = "@"
    case caret = "^", starStar = "**"
    case eqEq = "==", bangEq = "!=", less = "<", lessEq = "<=", greater = ">", greaterEq = ">="
    case assign = "=", plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
    case halfOpen = "..<", closed = "..."
    case dot = ".", comma = ",", colon = ":", semicolon = ";"
    case lParen = "(", rParen = ")", lBracket = "[", rBracket = "]", lBrace = "{", rBrace = "}"
}

/// One piece of a string literal: text, or the tokens of an interpolated `\(expr)`.
public enum StringPart: Sendable {
    case text(String)
    case interpolation([Token], SourceRange)
}

public enum TokenKind: Sendable {
    case number(Double)
    case string([StringPart])
    case identifier(String)
    case keyword(Keyword)
    case punct(Punct)
    case newline
    case eof
    /// A lexical error; the parser reports it as the statement's first error.
    /// `incomplete` marks a string still open at the end of input (the REPL reads on).
    case error(message: String, hint: String?, incomplete: Bool)
}

public struct Token: Sendable {
    public var kind: TokenKind
    public var range: SourceRange

    public init(_ kind: TokenKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

extension Token: CustomStringConvertible {
    /// A compact debug form used by the lexer tests.
    public var description: String {
        switch kind {
        case .number(let d): return "num(\(d))"
        case .string(let parts):
            let inner = parts.map { p -> String in
                switch p {
                case .text(let s): return s
                case .interpolation(let toks, _): return "\\(" + toks.map(\.description).joined(separator: " ") + ")"
                }
            }.joined()
            return "str(\(inner))"
        case .identifier(let s): return "id(\(s))"
        case .keyword(let k): return k.rawValue
        case .punct(let p): return p.rawValue
        case .newline: return "NL"
        case .eof: return "EOF"
        case .error(let m, _, _): return "error(\(m))"
        }
    }
}

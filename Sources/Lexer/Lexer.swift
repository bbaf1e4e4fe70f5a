// Lexer: UTF-8 bytes in, tokens out. Works on bytes and decodes scalars only inside
// identifiers and strings, where non-ASCII text is allowed.

public struct Lexer {
    public let file: SourceFile
    private let bytes: [UInt8]
    private var pos = 0

    public init(_ file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
        // A UTF-8 byte order mark (which some editors write first) is not part of the program,
        // as Python's and Lua's readers skip it.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
    }

    /// Entry point: the whole token stream, ending with `.eof`.
    public static func tokenize(_ file: SourceFile) -> [Token] {
        var lexer = Lexer(file)
        var tokens: [Token] = []
        while true {
            let t = lexer.next()
            tokens.append(t)
            if case .eof = t.kind { return tokens }
        }
    }

    private func peek(_ k: Int = 0) -> UInt8 {
        pos + k < bytes.count ? bytes[pos + k] : 0
    }

    private var atEnd: Bool { pos >= bytes.count }

    private func token(_ kind: TokenKind, from start: Int) -> Token {
        Token(kind, SourceRange(start: start, length: pos - start))
    }

    private func error(_ message: String, hint: String? = nil, from start: Int) -> Token {
        token(.error(message: message, hint: hint, incomplete: false), from: start)
    }

    /// The next token, skipping spaces and comments (newlines are tokens: the parser
    /// decides where they end a statement).
    public mutating func next() -> Token {
        skipTrivia()
        let start = pos
        guard !atEnd else { return Token(.eof, SourceRange(start: pos, length: 0)) }
        let c = peek()
        if c == UInt8(ascii: "\n") {
            pos += 1
            return token(.newline, from: start)
        }
        if isDigit(c) { return number() }
        if c == UInt8(ascii: "\"") { return string() }
        if c == UInt8(ascii: "_") || isASCIILetter(c) || c >= 0x80 { return identifierOrUnicode() }
        return punctuation()
    }

    private mutating func skipTrivia() {
        while !atEnd {
            let c = peek()
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                pos += 1
            } else if c == UInt8(ascii: "#") {
                while !atEnd && peek() != UInt8(ascii: "\n") { pos += 1 }
            } else {
                return
            }
        }
    }

    // MARK: numbers

    /// number := digits ('.' digits)? ([eE] [+-]? digits)?, with '_' only between digits.
    private mutating func number() -> Token {
        let start = pos
        var text = ""
        if let bad = digits(into: &text) { return bad }
        if peek() == UInt8(ascii: ".") && peek(1) != UInt8(ascii: ".") {
            if !isDigit(peek(1)) {
                pos += 1
                return error("expected digits after '.' in a number", hint: "write \(text).0", from: start)
            }
            pos += 1
            text.append(".")
            if let bad = digits(into: &text) { return bad }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            let signed = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")
            guard isDigit(peek(signed ? 2 : 1)) else {
                pos += signed ? 2 : 1
                return error("expected digits in the exponent of a number", hint: "write e.g. \(text)e-8", from: start)
            }
            text.append("e")
            pos += 1
            if signed { text.append(Character(UnicodeScalar(peek()))); pos += 1 }
            if let bad = digits(into: &text) { return bad }
        }
        if isASCIILetter(peek()) || peek() == UInt8(ascii: "_") {
            while isASCIILetter(peek()) || isDigit(peek()) || peek() == UInt8(ascii: "_") { pos += 1 }
            return error("a number cannot run into a name", hint: "put an operator between them, e.g. 2*x", from: start)
        }
        return token(.number(Double(text) ?? .nan), from: start)
    }

    /// Reads digits with '_' separators (only between digits) into `text`.
    private mutating func digits(into text: inout String) -> Token? {
        let start = pos
        while true {
            let c = peek()
            if isDigit(c) {
                text.append(Character(UnicodeScalar(c)))
                pos += 1
            } else if c == UInt8(ascii: "_") {
                guard pos > start, isDigit(bytes[pos - 1]), isDigit(peek(1)) else {
                    // Skip the rest of the number so one mistake gives one error.
                    while isDigit(peek()) || peek() == UInt8(ascii: "_") { pos += 1 }
                    return error("'_' in a number must stand between digits", hint: "write 1_000_000", from: start)
                }
                pos += 1
            } else {
                return nil
            }
        }
    }

    // MARK: identifiers

    private mutating func identifierOrUnicode() -> Token {
        let start = pos
        guard let (first, len) = decodeScalar(at: pos) else {
            pos += 1
            return error("invalid UTF-8 byte in source", from: start)
        }
        guard first == "_" || first.properties.isXIDStart else {
            pos += len
            return strayScalar(first, from: start)
        }
        pos += len
        while !atEnd, let (s, l) = decodeScalar(at: pos),
              s == "_" || s.properties.isXIDContinue || isSubscriptDigit(s) {
            pos += l
        }
        let name = String(decoding: bytes[start..<pos], as: UTF8.self)
        if let kw = Keyword(rawValue: name) { return token(.keyword(kw), from: start) }
        return token(.identifier(name), from: start)
    }

    private func strayScalar(_ s: Unicode.Scalar, from start: Int) -> Token {
        let shown = String(s)
        switch s.value {
        case 0x00B2: return error("unexpected character '²'", hint: "write x^2 for a square", from: start)
        case 0x00B3: return error("unexpected character '³'", hint: "write x^3 for a cube", from: start)
        case 0x2212: return error("unexpected character '−' (U+2212 MINUS SIGN)", hint: "use the ASCII '-'", from: start)
        case 0x00B7, 0x22C5: return error("unexpected character '\(shown)'", hint: "use '*' to multiply", from: start)
        case 0x00D7: return error("unexpected character '×'", hint: "use '*' to multiply, '@' for a matrix product", from: start)
        case 0x201C, 0x201D: return error("unexpected character '\(shown)'", hint: "strings use plain double quotes \"...\"", from: start)
        case 0x2190: return error("unexpected character '←'", hint: "assignment is written '='", from: start)
        default: return error("unexpected character '\(shown)'", from: start)
        }
    }

    /// Decodes the scalar at byte `i`; nil on malformed UTF-8.
    private func decodeScalar(at i: Int) -> (Unicode.Scalar, Int)? {
        let b0 = bytes[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let len: Int
        var value: UInt32
        switch b0 {
        case 0xC2...0xDF: len = 2; value = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: len = 3; value = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: len = 4; value = UInt32(b0 & 0x07)
        default: return nil
        }
        guard i + len <= bytes.count else { return nil }
        for k in 1..<len {
            let b = bytes[i + k]
            guard b & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b & 0x3F)
        }
        guard let s = Unicode.Scalar(value) else { return nil }
        // Reject overlong encodings.
        if (len == 3 && value < 0x800) || (len == 4 && value < 0x10000) { return nil }
        return (s, len)
    }

    // MARK: strings

    /// string := '"' (char | escape | '\(' expr ')')* '"'; a raw newline is part of the string.
    private mutating func string() -> Token {
        let start = pos
        pos += 1
        var parts: [StringPart] = []
        var buffer: [UInt8] = []
        func flush() {
            if !buffer.isEmpty {
                parts.append(.text(String(decoding: buffer, as: UTF8.self)))
                buffer.removeAll()
            }
        }
        while true {
            guard !atEnd else {
                return Token(.error(message: "unterminated string", hint: "close it with '\"'", incomplete: true),
                             SourceRange(start: start, length: 1))
            }
            let c = peek()
            if c == UInt8(ascii: "\"") {
                pos += 1
                flush()
                return token(.string(parts), from: start)
            }
            guard c == UInt8(ascii: "\\") else {
                buffer.append(c)
                pos += 1
                continue
            }
            let escapeStart = pos
            let e = peek(1)
            switch e {
            case UInt8(ascii: "n"): buffer.append(10); pos += 2
            case UInt8(ascii: "t"): buffer.append(9); pos += 2
            case UInt8(ascii: "\""): buffer.append(e); pos += 2
            case UInt8(ascii: "\\"): buffer.append(e); pos += 2
            case UInt8(ascii: "("):
                flush()
                pos += 2
                switch interpolation(stringStart: start) {
                case .success(let part): parts.append(part)
                case .failure(let f): return f.token
                }
            default:
                pos += e == 0 ? 1 : 2
                let shown = e == 0 ? "\\" : "\\" + String(decoding: [e], as: UTF8.self)
                // Skip to the closing quote so the rest of the line is not misread.
                while !atEnd && peek() != UInt8(ascii: "\"") && peek() != UInt8(ascii: "\n") { pos += 1 }
                if peek() == UInt8(ascii: "\"") { pos += 1 }
                return Token(.error(message: "unknown escape '\(shown)' in string",
                                    hint: "the escapes are \\n \\t \\\" \\\\ and \\(expr)", incomplete: false),
                             SourceRange(start: escapeStart, length: Swift.min(2, bytes.count - escapeStart)))
            }
        }
    }


    /// The tokens of `\(expr)` up to its closing ')'.
    private mutating func interpolation(stringStart: Int) -> Result<StringPart, LexFailureToken> {
        let exprStart = pos
        var depth = 0
        var tokens: [Token] = []
        while true {
            let t = next()
            switch t.kind {
            case .eof:
                return .failure(LexFailureToken(token: Token(
                    .error(message: "unterminated string", hint: "close the interpolation with ')' and the string with '\"'", incomplete: true),
                    SourceRange(start: stringStart, length: 1))))
            case .error: return .failure(LexFailureToken(token: t))
            case .punct(.lParen): depth += 1
            case .punct(.rParen):
                if depth == 0 {
                    tokens.append(Token(.eof, SourceRange(start: t.range.start, length: 0)))
                    return .success(.interpolation(tokens, SourceRange(start: exprStart, length: t.range.start - exprStart)))
                }
                depth -= 1
            default: break
            }
            tokens.append(t)
        }
    }

    // MARK: punctuation

    private mutating func punctuation() -> Token {
        let start = pos
        // Longest match first.
        for len in stride(from: 3, through: 1, by: -1) where pos + len <= bytes.count {
            let text = String(decoding: bytes[pos..<pos + len], as: UTF8.self)
            if let p = Punct(rawValue: text) {
                pos += len
                return token(.punct(p), from: start)
            }
            if let (message, hint) = Lexer.misspelledOperators[text] {
                pos += len
                return error(message, hint: hint, from: start)
            }
        }
        pos += 1
        let c = bytes[start]
        if c == UInt8(ascii: "'") {
            while !atEnd && peek() != UInt8(ascii: "'") && peek() != UInt8(ascii: "\n") { pos += 1 }
            if peek() == UInt8(ascii: "'") { pos += 1 }
            return error("strings use double quotes", hint: "write \"...\" instead of '...'", from: start)
        }
        if c < 0x20 || c == 0x7F {
            return error("unexpected control character (byte \(c))", from: start)
        }
        return error("unexpected character '\(String(decoding: [c], as: UTF8.self))'", from: start)
    }

    /// What to write for a conditional expression (`c ? a : b` here, `a if c else b` in the
    /// parser's habits).
    public static let conditionalHint = "write an if statement, if c { y = a } else { y = b }; element by element, where(c, a, b)"

    /// Operators from other languages, with the optrepl spelling.
    private static let misspelledOperators: [String: (String, String)] = [
        "//": ("there is no '//' operator", "write floor(a / b) for floor division"),
        "&&": ("there is no '&&' operator", "write 'and'"),
        "||": ("there is no '||' operator", "write 'or'"),
        "!": ("there is no '!' operator", "write 'not x', or '!=' for inequality"),
        "..": ("'..' is not an operator", "write a..<b (excluding b) or a...b (including b)"),
        "%=": ("there is no '%=' operator", "write x = x % y"),
        "^=": ("there is no '^=' operator", "write x = x ^ y"),
        "->": ("there is no '->' operator", "write fn f(x) = expr or fn f(x) { ... }"),
        "&": ("there is no '&' operator", "write 'and'"),
        "|": ("there is no '|' operator", "write 'or'"),
        "?": ("there is no '?:' operator", conditionalHint),
    ]
}

public struct LexFailureToken: Error { public let token: Token }

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
@inline(__always) func isASCIILetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
@inline(__always) func isSubscriptDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x2080 && s.value <= 0x2089 }

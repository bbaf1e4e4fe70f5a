// Where the parser meets a Python habit (Habits.swift holds the table): the checks run only at
// the points where the optrepl grammar would fail anyway, so valid programs never reach them.

import Lexer

extension Parser {
    /// `import numpy as np`, `from torch import optim`, `def f(x):`, `elif x:` at the start of
    /// a statement: the habit's error, or nil when the word starts an ordinary statement.
    mutating func pythonStatement(_ word: String, _ t: Token) -> ParseError? {
        let next = peekToken(1)
        guard case .identifier(let name) = next.kind else {
            if word == "elif", startsExpression(next) { return error(Habits.Syntax.elif.message, at: t.range) }
            return nil
        }
        switch word {
        case "import", "from":
            return error(Habits.Syntax.importStatement.message, at: t.range.through(restOfLine(from: currentIndex)),
                         hint: Habits.importHint)
        case "def":
            // def f(x, y): -> fn f(x, y) { ... }
            var parameters = ""
            if case .punct(.lParen) = peekKind(2), let close = matchingClose(currentIndex + 2) {
                parameters = file.slice(SourceRange(start: tokens[currentIndex + 2].range.end,
                                                    length: tokens[close].range.start - tokens[currentIndex + 2].range.end))
            }
            return error(Habits.Syntax.def.message, at: t.range,
                         hint: "write fn \(name)(\(parameters)) { ... }, or fn \(name)(\(parameters)) = expression for one expression")
        case "elif":
            return error(Habits.Syntax.elif.message, at: t.range)
        default:
            return nil
        }
    }

    /// `lambda x: x * 2` and `f"loss {loss:.3f}"` where an expression starts.
    mutating func pythonExpression(_ name: String, _ t: Token) -> ParseError? {
        let next = peekToken(1)
        switch (name, next.kind) {
        case ("lambda", .identifier), ("lambda", .punct(.colon)):
            // The parameters run to the ':', the body to a ',' or closing bracket outside brackets.
            var i = currentIndex + 1
            var parameters: [String] = []
            while i < tokens.count, case .identifier(let p) = tokens[i].kind {
                parameters.append(p)
                i += 1
                if case .punct(.comma) = tokens[i].kind { i += 1 }
            }
            guard case .punct(.colon) = tokens[i].kind else { return nil }
            let bodyStart = i + 1
            let bodyEnd = expressionEnd(from: bodyStart)
            let body = bodyEnd > bodyStart
                ? file.slice(tokens[bodyStart].range.through(tokens[bodyEnd - 1].range)) : "..."
            return error(Habits.Syntax.lambda.message, at: t.range,
                         hint: "write fn(\(parameters.joined(separator: ", "))) = \(body)")
        case ("f", .string), ("F", .string), ("rf", .string), ("fr", .string):
            guard next.range.start == t.range.end else { return nil }
            let literal = file.slice(next.range)
            let body = String(literal.dropFirst().dropLast())
            let rewritten = Habits.rewriteFString(body)
            var hint = "write \"\(rewritten.text)\""
            if rewritten.formats { hint += " (format(x, \".3f\") formats a number as Python's f\"{x:.3f}\" does)" }
            return error(Habits.Syntax.fString.message, at: t.range.through(next.range), hint: hint)
        default:
            return nil
        }
    }

    /// `x++` / `x--` at the end of a statement (the second '+' would start an operand that
    /// never comes).
    mutating func increment(_ left: Expr, _ opToken: Token) -> ParseError? {
        guard case .punct(let p) = opToken.kind, p == .plus || p == .minus,
              case .punct(let q) = tokens[currentIndex].kind, q == p,
              tokens[currentIndex].range.start == opToken.range.end else { return nil }
        switch tokens[currentIndex + 1].kind {
        case .newline, .eof, .punct(.semicolon), .punct(.rBrace):
            let op = p.rawValue + p.rawValue
            return error(Habits.Syntax.increment(op).message, at: opToken.range.through(tokens[currentIndex].range),
                         hint: "write \(file.slice(left.range)) \(p.rawValue)= 1")
        case .number, .string, .identifier, .keyword, .punct, .error:
            return nil
        }
    }

    /// `a, b` (a comma after a whole statement's expression starting at `start`): the tuple habit,
    /// or the unpacking one when an '=' follows on the line.
    mutating func bareTuple(from start: SourceRange) -> ParseError {
        let comma = tokens[currentIndex]
        let end = restOfLine(from: currentIndex)
        if let assign = assignmentInLine(from: currentIndex) {
            let names = Expr(.name(file.slice(start.through(tokens[assign - 1].range))),
                             start.through(tokens[assign - 1].range))
            return error(Habits.Syntax.unpacking.message, at: comma.range,
                         hint: unpackingHint(names: names, valueFrom: assign + 1))
        }
        return error(Habits.Syntax.bareTuple.message, at: comma.range,
                     hint: "write (\(file.slice(start.through(end))))")
    }

    /// `t = (1, 2)`, then one name each from it.
    func unpackingHint(names: Expr, valueFrom index: Int) -> String {
        var text = file.slice(names.range)
        if text.hasPrefix("(") && text.hasSuffix(")") { text = String(text.dropFirst().dropLast()) }
        let list = text.split(separator: ",").map { $0.trimmingSpaces }
        var value = "..."
        var i = index
        while i < tokens.count, case .newline = tokens[i].kind { i += 1 }
        if i < tokens.count, !isStatementEnd(tokens[i]) {
            value = file.slice(tokens[i].range.through(restOfLine(from: i)))
            if !(value.hasPrefix("(") && value.hasSuffix(")")) && value.contains(",") { value = "(\(value))" }
        }
        let parts = list.enumerated().map { "\($1) = t[\($0)]" }.joined(separator: "; ")
        return "write t = \(value), then \(parts)"
    }

    // MARK: token scans (raw tokens, brackets counted)

    func isStatementEnd(_ t: Token) -> Bool {
        switch t.kind {
        case .newline, .eof, .punct(.semicolon): return true
        case .number, .string, .identifier, .keyword, .punct, .error: return false
        }
    }

    /// What a scan of the statement's tokens meets at bracket depth 0.
    enum ScanStop { case closer, comma, assign }

    /// Walks the statement's tokens from `i`, counting brackets, to the first token at depth 0
    /// that is one of `stops` (an unmatched closer counts as at depth 0): its index, or the
    /// statement's end (a newline, ';' or the end of input).
    func scan(from i: Int, until stops: Set<ScanStop>) -> Int {
        var depth = 0
        var j = i
        while j < tokens.count, !isStatementEnd(tokens[j]) {
            switch tokens[j].kind {
            case .punct(.lParen), .punct(.lBracket), .punct(.lBrace): depth += 1
            case .punct(.rParen), .punct(.rBracket), .punct(.rBrace):
                if depth == 0 && stops.contains(.closer) { return j }
                depth -= 1
            case .punct(.comma) where depth == 0 && stops.contains(.comma): return j
            case .punct(.assign) where depth == 0 && stops.contains(.assign): return j
            case .number, .string, .identifier, .keyword, .punct, .newline, .eof, .error: break
            }
            j += 1
        }
        return j
    }

    /// The range of the last token of the statement that holds token `i` (to the line's end,
    /// a ';' or an unmatched closing bracket).
    func restOfLine(from i: Int) -> SourceRange {
        tokens[Swift.max(i, scan(from: i, until: [.closer]) - 1)].range
    }

    /// The index of an '=' outside brackets later in the statement, if any.
    func assignmentInLine(from i: Int) -> Int? {
        let j = scan(from: i, until: [.assign])
        return j < tokens.count && sameKind(tokens[j].kind, .punct(.assign)) ? j : nil
    }

    /// Where an expression starting at token `i` ends: the index of the first ',', closing bracket
    /// or statement end outside brackets.
    func expressionEnd(from i: Int) -> Int {
        scan(from: i, until: [.closer, .comma])
    }

    /// The index of the bracket that closes the one at `open`.
    func matchingClose(_ open: Int) -> Int? {
        var depth = 0
        for j in open..<tokens.count {
            switch tokens[j].kind {
            case .punct(.lParen), .punct(.lBracket), .punct(.lBrace): depth += 1
            case .punct(.rParen), .punct(.rBracket), .punct(.rBrace):
                depth -= 1
                if depth == 0 { return j }
            case .eof: return nil
            case .number, .string, .identifier, .keyword, .punct, .newline, .error: break
            }
        }
        return nil
    }

    func startsExpression(_ t: Token) -> Bool {
        switch t.kind {
        case .number, .string, .identifier, .keyword(.not), .keyword(.true), .keyword(.false), .punct(.lParen): return true
        case .keyword, .punct, .newline, .eof, .error: return false
        }
    }
}

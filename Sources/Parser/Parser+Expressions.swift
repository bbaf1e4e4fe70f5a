// Expressions: precedence climbing over the table in Operators.swift, then prefix,
// postfix and primary forms.

import Lexer

extension Parser {
    /// expression := operand (infix operand)*, binding by the precedence table.
    mutating func expression(_ minPrecedence: Int = Precedence.or) throws(ParseError) -> Expr {
        try enter()
        defer { leave() }
        var left = try prefix(minPrecedence)
        var operators = 0
        while let op = Infix(current.kind), op.precedence >= minPrecedence {
            let opToken = advance()
            // A chain `1 + 1 + ... + 1` is a left-deep tree that every later phase walks
            // recursively: past this length it is a syntax error, not a stack overflow.
            operators += 1
            if let habit = increment(left, opToken) { throw habit }
            guard operators <= Parser.maxChain else {
                throw error("an expression may chain at most \(Parser.maxChain) operators", at: opToken.range,
                            hint: "split it: s = a + b, then s = s + c, ...")
            }
            skipNewlines()
            let right = try expression(op.rightPrecedence)
            left = combine(op, left, right)
            if op.isNonAssociative, let next = Infix(current.kind), next.precedence == op.precedence {
                throw chainError(op, opToken, next)
            }
        }
        return left
    }

    func combine(_ op: Infix, _ left: Expr, _ right: Expr) -> Expr {
        let range = left.range.through(right.range)
        switch op {
        case .binary(let b): return Expr(.binary(b, left, right), range)
        case .comparison(let c): return Expr(.comparison(c, left, right), range)
        case .logical(let l): return Expr(.logical(l, left, right), range)
        case .range(let inclusive): return Expr(.range(left, right, inclusive: inclusive), range)
        }
    }

    mutating func chainError(_ op: Infix, _ opToken: Token, _ next: Infix) -> ParseError {
        let at = current.range
        if case .comparison = op {
            return error("comparisons cannot be chained", at: at,
                         hint: "write a < b and b < c")
        }
        return error("ranges cannot be chained", at: at, hint: "put parentheses around the inner range")
    }

    /// prefix := ('-' | '+') prefix | 'not' expression(not) | postfix
    mutating func prefix(_ minPrecedence: Int) throws(ParseError) -> Expr {
        let t = current
        switch t.kind {
        case .punct(.minus), .punct(.plus):
            _ = advance()
            try enter()
            defer { leave() }
            let operand = try expression(Precedence.prefix)
            let op: UnaryOperator = sameKind(t.kind, .punct(.minus)) ? .negate : .plus
            // Fold a negative literal so `-3` is one constant (and prints as the user wrote it).
            if op == .negate, case .number(let v) = operand.kind {
                return Expr(.number(-v), t.range.through(operand.range))
            }
            return Expr(.unary(op, operand), t.range.through(operand.range))
        case .keyword(.not):
            _ = advance()
            let operand = try expression(Precedence.not)
            return Expr(.not(operand), t.range.through(operand.range))
        case .number, .string, .identifier, .keyword, .punct, .newline, .eof, .error:
            return try postfix()
        }
    }

    /// postfix := primary ( '(' arguments ')' | '[' index ']' | '.' name )*
    mutating func postfix() throws(ParseError) -> Expr {
        var expr = try primary()
        var steps = 0
        while true {
            // Outside brackets, a call, index or member must start on the same line as what it applies to.
            let t = current
            // `f()()()...` and `x.a.a.a...` nest as deeply as an operator chain.
            steps += 1
            guard steps <= Parser.maxChain else {
                throw error("an expression may chain at most \(Parser.maxChain) calls, indexes and fields", at: t.range)
            }
            if case .punct(.lParen) = t.kind {
                _ = advance()
                let args = try arguments(closing: .rParen, opener: t, context: "after the arguments")
                let close = tokens[pos - 1]
                expr = Expr(.call(expr, args), expr.range.through(close.range))
            } else if case .punct(.lBracket) = t.kind {
                _ = advance()
                let items = try indexItems(opener: t)
                let close = tokens[pos - 1]
                expr = Expr(.index(expr, items), expr.range.through(close.range))
            } else if case .punct(.dot) = t.kind {
                _ = advance()
                let nameToken = current
                guard case .identifier(let name) = nameToken.kind else {
                    throw unexpected("expected a field or method name after '.'")
                }
                _ = advance()
                expr = Expr(.member(expr, name, nameRange: nameToken.range), expr.range.through(nameToken.range))
            } else {
                return expr
            }
        }
    }

    /// primary := number | string | name | true | false | nil | '(' ... ')' | '[' ... ']' | fn-literal
    mutating func primary() throws(ParseError) -> Expr {
        let t = current
        switch t.kind {
        case .number(let v):
            _ = advance()
            return Expr(.number(v), t.range)
        case .string(let parts):
            _ = advance()
            return Expr(.string(try stringSegments(parts)), t.range)
        case .identifier(let name):
            if let habit = pythonExpression(name, t) { throw habit }
            _ = advance()
            return Expr(.name(name), t.range)
        case .keyword(.true):
            _ = advance()
            return Expr(.bool(true), t.range)
        case .keyword(.false):
            _ = advance()
            return Expr(.bool(false), t.range)
        case .keyword(.nil):
            _ = advance()
            return Expr(.nilLiteral, t.range)
        case .keyword(.fn):
            _ = advance()
            let decl = try functionRest(name: nil, start: t)
            return Expr(.function(decl), t.range.through(tokens[pos - 1].range))
        case .punct(.lParen):
            _ = advance()
            return try parenthesised(opener: t)
        case .punct(.lBracket):
            _ = advance()
            return try tensorLiteral(opener: t)
        case .keyword, .punct, .newline, .eof, .error:
            throw unexpected("expected an expression")
        }
    }

    /// Sub-parses each `\(expr)` of a string literal.
    mutating func stringSegments(_ parts: [StringPart]) throws(ParseError) -> [StringSegment] {
        var segments: [StringSegment] = []
        for part in parts {
            switch part {
            case .text(let s):
                segments.append(.text(s))
            case .interpolation(let toks, let range):
                var sub = Parser(file: file, tokens: toks)
                sub.isInterpolation = true
                sub.newlineContext = [false]
                sub.nesting = nesting
                if sub.isAtEnd { throw error("empty interpolation '\\()'", at: range) }
                let e = try sub.expression()
                if !sub.isAtEnd { throw sub.unexpected("expected ')' to end the interpolation") }
                segments.append(.expr(e))
            }
        }
        return segments
    }

    /// '(' ')' is the empty tuple, '(' x ')' grouping, '(' x ',' ... ')' or '(' label ':' x ... ')' a tuple.
    mutating func parenthesised(opener: Token) throws(ParseError) -> Expr {
        newlineContext.append(false)
        defer { newlineContext.removeLast() }
        try enter()
        defer { leave() }
        if match(.punct(.rParen)) {
            return Expr(.tuple([]), opener.range.through(tokens[pos - 1].range))
        }
        let first = try argument(inTuple: true)
        if first.label == nil, match(.punct(.rParen)) {
            return first.value
        }
        var elements = [first]
        while match(.punct(.comma)) {
            if check(.punct(.rParen)) { break }
            elements.append(try argument(inTuple: true))
        }
        try expect(.rParen, "after the tuple's elements", opener: opener)
        try checkDuplicateLabels(elements)
        return Expr(.tuple(elements), opener.range.through(tokens[pos - 1].range))
    }

    /// '[' (expr (',' expr)* ','?)? ']'
    mutating func tensorLiteral(opener: Token) throws(ParseError) -> Expr {
        newlineContext.append(false)
        defer { newlineContext.removeLast() }
        try enter()
        defer { leave() }
        var elements: [Expr] = []
        while !check(.punct(.rBracket)) {
            elements.append(try expression())
            if check(.keyword(.for)) {
                throw error(Habits.Syntax.comprehension.message, at: current.range, hint: Habits.comprehensionHint)
            }
            if !match(.punct(.comma)) { break }
        }
        try expect(.rBracket, "after the tensor's elements", opener: opener)
        return Expr(.tensor(elements), opener.range.through(tokens[pos - 1].range))
    }

    /// arguments := (argument (',' argument)* ','?)? closing
    mutating func arguments(closing: Punct, opener: Token, context: String) throws(ParseError) -> [Argument] {
        newlineContext.append(false)
        defer { newlineContext.removeLast() }
        try enter()
        defer { leave() }
        var args: [Argument] = []
        var labelled = false  // (a flag, not a search per argument: 150,000 arguments parse in linear time)
        while !check(.punct(closing)) {
            let arg = try argument(inTuple: false)
            labelled = labelled || arg.label != nil
            if arg.label == nil, labelled {
                throw error("a positional argument cannot follow a labelled one", at: arg.value.range)
            }
            args.append(arg)
            if !match(.punct(.comma)) { break }
        }
        try expect(closing, context, opener: opener)
        try checkDuplicateLabels(args)
        return args
    }

    /// argument := (name ':')? expression; `name = value` gets a hint for the labelled form.
    mutating func argument(inTuple: Bool) throws(ParseError) -> Argument {
        let t = current
        if case .identifier(let name) = t.kind, case .punct(let p) = peekKind(1) {
            if p == .colon {
                _ = advance(); _ = advance()
                return Argument(label: name, labelRange: t.range, value: try expression())
            }
            if p == .assign {
                let valueStart = peekToken(2)
                throw error("labelled arguments are written '\(name): value', not '\(name) = value'",
                            at: t.range.through(peekToken(1).range),
                            hint: "write \(name): \(file.slice(valueStart.range))")
            }
        }
        return Argument(label: nil, labelRange: nil, value: try expression())
    }

    /// The kind of the token `k` places ahead, skipping newlines inside brackets.
    mutating func peekKind(_ k: Int) -> TokenKind { peekToken(k).kind }

    mutating func peekToken(_ k: Int) -> Token {
        var i = currentIndex
        var left = k
        while left > 0 && i < tokens.count - 1 {
            i += 1
            if newlineContext.last == false, case .newline = tokens[i].kind { continue }
            left -= 1
        }
        return tokens[i]
    }

    func checkDuplicateLabels(_ args: [Argument]) throws(ParseError) {
        var seen: Set<String> = []
        for a in args {
            guard let label = a.label, let range = a.labelRange else { continue }
            if !seen.insert(label).inserted {
                throw error("duplicate label '\(label)'", at: range)
            }
        }
    }

    /// index := item (',' item)* ']'; item := expr | expr? ':' expr? (':' expr?)?
    mutating func indexItems(opener: Token) throws(ParseError) -> [IndexItem] {
        newlineContext.append(false)
        defer { newlineContext.removeLast() }
        try enter()
        defer { leave() }
        var items: [IndexItem] = []
        repeat {
            if check(.punct(.rBracket)) { break }
            items.append(try indexItem())
        } while match(.punct(.comma))
        try expect(.rBracket, "after the index", opener: opener)
        if items.isEmpty { throw error("an index needs at least one position", at: opener.range.through(tokens[pos - 1].range)) }
        return items
    }

    mutating func indexItem() throws(ParseError) -> IndexItem {
        let start = current.range
        var lower: Expr?
        if !check(.punct(.colon)) {
            let e = try expression()
            if !check(.punct(.colon)) { return .single(e) }
            lower = e
        }
        _ = advance()  // ':'
        var upper: Expr?, step: Expr?
        if !isSliceEnd() { upper = try expression() }
        if match(.punct(.colon)) {
            if !isSliceEnd() { step = try expression() }
        }
        return .slice(lower: lower, upper: upper, step: step, range: start.through(tokens[pos - 1].range))
    }

    mutating func isSliceEnd() -> Bool {
        check(.punct(.colon)) || check(.punct(.comma)) || check(.punct(.rBracket))
    }
}

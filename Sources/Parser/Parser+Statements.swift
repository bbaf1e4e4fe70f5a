// Statements: assignments, functions, if / for / while, break / continue / return, blocks.

import Lexer

extension Parser {
    /// statement := fn-decl | if | for | while | break | continue | return | assignment | expression
    mutating func statement() throws(ParseError) -> Stmt {
        try enter()
        defer { leave() }
        let t = current
        switch t.kind {
        case .keyword(.fn):
            if case .identifier(let name) = peekKind(1) {
                _ = advance(); _ = advance()
                let decl = try functionRest(name: name, start: t)
                return Stmt(.function(decl), t.range.through(tokens[pos - 1].range))
            }
            return try expressionOrAssignment()
        case .keyword(.if): return try ifStatement()
        case .keyword(.for): return try forStatement()
        case .keyword(.while): return try whileStatement()
        case .keyword(.break), .keyword(.continue):
            _ = advance()
            guard loopDepth > 0 else {
                throw error("'\(file.slice(t.range))' outside a loop", at: t.range)
            }
            return Stmt(sameKind(t.kind, .keyword(.break)) ? .breakLoop : .continueLoop, t.range)
        case .keyword(.return):
            _ = advance()
            guard functionDepth > 0 else { throw error("'return' outside a function", at: t.range) }
            if atStatementEnd() { return Stmt(.returnValue(nil), t.range) }
            let value = try expression()
            if check(.punct(.comma)) { throw bareTuple(from: value.range) }
            return Stmt(.returnValue(value), t.range.through(value.range))
        case .keyword(.else):
            throw error("'else' without an 'if'", at: t.range)
        case .identifier(let word):
            if let habit = pythonStatement(word, t) { throw habit }
            return try expressionOrAssignment()
        case .number, .string, .keyword, .punct, .newline, .eof, .error:
            return try expressionOrAssignment()
        }
    }

    mutating func atStatementEnd() -> Bool {
        switch current.kind {
        case .newline, .eof, .punct(.semicolon), .punct(.rBrace): return true
        case .number, .string, .identifier, .keyword, .punct, .error: return false
        }
    }

    /// assignment := target ('=' | '+=' | '-=' | '*=' | '/=') expression
    mutating func expressionOrAssignment() throws(ParseError) -> Stmt {
        let expr = try expression()
        if check(.punct(.comma)) { throw bareTuple(from: expr.range) }
        guard case .punct(let p) = current.kind else { return Stmt(.expression(expr), expr.range) }
        let op: BinaryOperator?
        if p == .assign { op = nil } else if let c = compoundOperator(p) { op = c } else {
            return Stmt(.expression(expr), expr.range)
        }
        let opToken = advance()
        let target = try assignTarget(expr, opToken)
        skipNewlines()
        let value = try expression()
        if check(.punct(.comma)) { throw bareTuple(from: value.range) }
        return Stmt(.assign(target, op: op, value: value), expr.range.through(value.range))
    }

    /// Turns `x`, `w[0]`, `p.W`, `p.W[0]` into a target; anything else cannot be assigned.
    func assignTarget(_ expr: Expr, _ opToken: Token) throws(ParseError) -> AssignTarget {
        var path: [Accessor] = []
        var e = expr
        while true {
            switch e.kind {
            case .name(let name):
                return AssignTarget(name: name, nameRange: e.range, path: path.reversed(), range: expr.range)
            case .index(let base, let items):
                path.append(.index(items, e.range))
                e = base
            case .member(let base, let name, let nameRange):
                path.append(.member(name, nameRange))
                e = base
            case .comparison(.equal, _, _):
                throw error("cannot assign to a comparison", at: opToken.range)
            case .tuple where expr.range == e.range:
                throw error(Habits.Syntax.unpacking.message, at: expr.range,
                            hint: unpackingHint(names: expr, valueFrom: currentIndex))
            case .number, .string, .bool, .nilLiteral, .tensor, .tuple, .unary, .binary, .comparison,
                 .logical, .not, .range, .call, .function:
                let hint = sameKind(opToken.kind, .punct(.assign)) ? "use '==' to compare" : nil
                throw error("cannot assign to this expression", at: expr.range, hint: hint)
            }
        }
    }

    /// if := 'if' expr block ('else' 'if' expr block)* ('else' block)?; a newline before 'else' is skipped.
    mutating func ifStatement() throws(ParseError) -> Stmt {
        let start = advance()
        var branches: [(condition: Expr, body: [Stmt])] = []
        var elseBody: [Stmt]?
        branches.append((try expression(), try block("after the 'if' condition")))
        while true {
            let save = pos
            skipNewlines()
            guard match(.keyword(.else)) else { pos = save; break }
            if match(.keyword(.if)) {
                branches.append((try expression(), try block("after the 'else if' condition")))
            } else {
                elseBody = try block("after 'else'")
                break
            }
        }
        return Stmt(.ifElse(branches: branches, elseBody: elseBody), start.range.through(tokens[pos - 1].range))
    }

    /// for := 'for' name 'in' expr block
    mutating func forStatement() throws(ParseError) -> Stmt {
        let start = advance()
        let nameToken = current
        guard case .identifier(let name) = nameToken.kind else {
            throw unexpected("expected a loop variable name after 'for'")
        }
        _ = advance()
        if check(.punct(.comma)) {
            throw error(Habits.Syntax.forPair.message, at: current.range, hint: Habits.forPairHint)
        }
        guard match(.keyword(.in)) else { throw unexpected("expected 'in' after the loop variable") }
        let sequence = try expression()
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try block("after the 'for' sequence")
        return Stmt(.forIn(variable: name, variableRange: nameToken.range, sequence: sequence, body: body),
                    start.range.through(tokens[pos - 1].range))
    }

    /// while := 'while' expr block
    mutating func whileStatement() throws(ParseError) -> Stmt {
        let start = advance()
        let condition = try expression()
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try block("after the 'while' condition")
        return Stmt(.whileLoop(condition: condition, body: body), start.range.through(tokens[pos - 1].range))
    }

    /// block := '{' (statement (NL | ';'))* '}'; newlines end statements here even inside ( ).
    mutating func block(_ context: String) throws(ParseError) -> [Stmt] {
        let opener = current
        guard case .punct(.lBrace) = opener.kind else {
            if case .punct(.colon) = opener.kind {
                throw error(Habits.Syntax.colonBlock.message, at: opener.range, hint: Habits.colonBlockHint)
            }
            throw unexpected("expected '{' \(context)")
        }
        _ = advance()
        newlineContext.append(true)
        defer { newlineContext.removeLast() }
        try enter()
        defer { leave() }
        var body: [Stmt] = []
        skipSeparators()
        while !check(.punct(.rBrace)) {
            if isAtEnd { throw unexpected("expected '}'", hint: nil) }
            body.append(try statement())
            try endOfStatement()
            skipSeparators()
        }
        _ = advance()
        return body
    }

    /// After 'fn' [name]: '(' params ')' ('=' expr | block)
    mutating func functionRest(name: String?, start: Token) throws(ParseError) -> FunctionDecl {
        let open = current
        guard case .punct(.lParen) = open.kind else {
            throw unexpected(name == nil ? "expected '(' after 'fn'" : "expected '(' after the function name")
        }
        _ = advance()
        let parameters = try parameterList(opener: open)
        let header = start.range.through(tokens[pos - 1].range)
        let savedLoop = loopDepth
        loopDepth = 0
        functionDepth += 1
        defer { functionDepth -= 1; loopDepth = savedLoop }
        if match(.punct(.assign)) {
            skipNewlines()
            let value = try expression()
            return FunctionDecl(name: name, parameters: parameters,
                                body: [Stmt(.returnValue(value), value.range)], headerRange: header)
        }
        guard check(.punct(.lBrace)) else {
            throw unexpected("expected '=' or '{' after the parameter list")
        }
        let body = try block("")
        return FunctionDecl(name: name, parameters: parameters, body: body, headerRange: header)
    }

    /// params := (param (',' param)*)? ')'; param := name (':' default)?
    mutating func parameterList(opener: Token) throws(ParseError) -> [Parameter] {
        newlineContext.append(false)
        defer { newlineContext.removeLast() }
        var params: [Parameter] = []
        while !check(.punct(.rParen)) {
            let t = current
            guard case .identifier(let pname) = t.kind else { throw unexpected("expected a parameter name") }
            _ = advance()
            var defaultValue: Expr?
            if match(.punct(.colon)) {
                defaultValue = try expression()
            } else if check(.punct(.assign)) {
                throw error("parameter defaults are written '\(pname): value'", at: current.range,
                            hint: "write \(pname): ...")
            } else if params.contains(where: { $0.defaultValue != nil }) {
                throw error("parameter '\(pname)' without a default follows one with a default", at: t.range)
            }
            if params.contains(where: { $0.name == pname }) {
                throw error("duplicate parameter '\(pname)'", at: t.range)
            }
            params.append(Parameter(name: pname, range: t.range, defaultValue: defaultValue))
            if !match(.punct(.comma)) { break }
        }
        try expect(.rParen, "after the parameters", opener: opener)
        return params
    }
}

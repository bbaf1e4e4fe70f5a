// Resolver, the second pass: turns the AST into the resolved program (ResolvedProgram.swift),
// every name bound to a stack slot, a cell, a captured cell or a global slot.

import Lexer
import Parser

/// The function being resolved: where each of its names lives.
final class FunctionScope {
    let parent: FunctionScope?
    var slots: [String: Int] = [:]
    var cells: [String: Int] = [:]
    var captures: [String: Int] = [:]
    var captureSources: [CaptureSource] = []
    var frameSize = 0

    init(parent: FunctionScope?, info: FunctionScopeInfo, parameterCount: Int) {
        self.parent = parent
        var nextSlot = parameterCount
        for (k, name) in info.locals.enumerated() {
            let isCaptured = info.captured.contains(name)
            if isCaptured { cells[name] = cells.count }
            if k < parameterCount {
                slots[name] = k  // every parameter has a slot: arguments arrive there
            } else if !isCaptured {
                slots[name] = nextSlot
                nextSlot += 1
            }
        }
        frameSize = nextSlot
    }

    /// The capture index of free variable `name`, threading it through enclosing functions;
    /// nil when no enclosing function has it (then it is a global).
    func capture(_ name: String) -> Int? {
        if let i = captures[name] { return i }
        guard let parent else { return nil }
        let source: CaptureSource
        if let c = parent.cells[name] {
            source = .cell(c)
        } else if parent.slots[name] != nil {
            return nil  // unreachable by construction: a captured local is always a cell
        } else if let j = parent.capture(name) {
            source = .capture(j)
        } else {
            return nil
        }
        captures[name] = captureSources.count
        captureSources.append(source)
        return captureSources.count - 1
    }
}

final class Resolver {
    let interpreter: Interpreter
    let file: SourceFile
    var analysis = ScopeAnalysis()
    var scope: FunctionScope?

    init(interpreter: Interpreter, file: SourceFile) {
        self.interpreter = interpreter
        self.file = file
    }

    /// Entry point: the top-level statements, resolved (top-level names are globals).
    func resolveTopLevel(_ statements: [Stmt]) -> [ResolvedStmt] {
        analysis.analyseTopLevel(statements)
        return statements.map(statement)
    }

    // MARK: names

    func read(_ name: String, _ range: SourceRange) -> ResolvedExpr {
        ResolvedExpr(.read(place(name), name: name), range)
    }

    func place(_ name: String) -> Place {
        if let scope {
            if let c = scope.cells[name] { return .cell(c) }
            if let s = scope.slots[name] { return .local(s) }
            if let j = scope.capture(name) { return .capture(j) }
        }
        return .global(interpreter.globalSlot(name))
    }

    func variable(_ name: String) -> VariableRef {
        if let scope {
            if let c = scope.cells[name] { return .cell(c) }
            if let s = scope.slots[name] { return .local(s) }
        }
        return .global(interpreter.globalSlot(name))
    }

    // MARK: statements

    func block(_ statements: [Stmt], _ range: SourceRange) -> ResolvedBlock {
        ResolvedBlock(statements: statements.map(statement), range: range)
    }

    func statement(_ s: Stmt) -> ResolvedStmt {
        switch s.kind {
        case .expression(let e):
            return ResolvedStmt(.expression(expression(e)), s.range)
        case .assign(let target, let op, let value):
            let ref = variable(target.name)
            if target.path.isEmpty {
                let readNode = op == nil ? nil : read(target.name, target.nameRange)
                return ResolvedStmt(.assign(ref, op: op, read: readNode, value: expression(value)), s.range)
            }
            let path = target.path.map { step -> ResolvedPathStep in
                switch step {
                case .index(let items, let r): return .index(indexItems(items), r)
                case .member(let name, let r): return .member(name, r)
                }
            }
            return ResolvedStmt(.pathAssign(ref, read: read(target.name, target.nameRange), path: path, op: op,
                                            value: expression(value)), s.range)
        case .function(let decl):
            return ResolvedStmt(.function(variable(decl.name ?? ""), function(decl)), s.range)
        case .ifElse(let branches, let elseBody):
            var tail: ResolvedStmt? = elseBody.map { ResolvedStmt(.block(block($0, s.range)), s.range) }
            for branch in branches.reversed() {
                tail = ResolvedStmt(.ifElse(condition: expression(branch.condition), body: block(branch.body, s.range),
                                            elseBody: tail), s.range)
            }
            return tail!
        case .forIn(let name, _, let sequence, let body):
            return ResolvedStmt(.forIn(variable(name), sequence: expression(sequence), body: block(body, s.range)), s.range)
        case .whileLoop(let condition, let body):
            return ResolvedStmt(.whileLoop(condition: expression(condition), body: block(body, s.range)), s.range)
        case .breakLoop:
            return ResolvedStmt(.breakLoop, s.range)
        case .continueLoop:
            return ResolvedStmt(.continueLoop, s.range)
        case .returnValue(let e):
            return ResolvedStmt(.returnValue(e.map(expression)), s.range)
        }
    }

    func function(_ decl: FunctionDecl) -> ResolvedFunction {
        let info = analysis.functions[decl.headerRange.start] ?? FunctionScopeInfo()
        // Defaults are evaluated where the function is defined, so in the enclosing scope.
        let defaults = decl.parameters.map { p in p.defaultValue.map(expression) }
        let inner = FunctionScope(parent: scope, info: info, parameterCount: decl.parameters.count)
        let outer = scope
        scope = inner
        let body = block(decl.body, decl.headerRange)
        scope = outer
        let capturedParameters = decl.parameters.enumerated().compactMap { (k, p) -> (parameter: Int, cell: Int)? in
            inner.cells[p.name].map { (parameter: k, cell: $0) }
        }
        return ResolvedFunction(name: decl.name ?? "<anonymous>", file: file, headerRange: decl.headerRange,
                                parameterNames: decl.parameters.map(\.name), defaults: defaults,
                                frameSize: inner.frameSize, cellCount: inner.cells.count,
                                capturedParameters: capturedParameters, captureSources: inner.captureSources, body: body)
    }

    // MARK: expressions

    func expression(_ e: Expr) -> ResolvedExpr {
        ResolvedExpr(kind(e), e.range)
    }

    private func kind(_ e: Expr) -> ResolvedExprKind {
        switch e.kind {
        case .number(let x):
            return .constant(.number(x))
        case .string(let segments):
            let pieces = segments.map { seg -> ResolvedPiece in
                switch seg {
                case .text(let t): return .text(t)
                case .expr(let x): return .value(expression(x))
                }
            }
            if pieces.allSatisfy({ if case .text = $0 { return true } else { return false } }) {
                let text = pieces.map { p -> String in if case .text(let t) = p { return t } else { return "" } }.joined()
                return .constant(.string(text))
            }
            return .interpolation(pieces)
        case .bool(let b):
            return .constant(.bool(b))
        case .nilLiteral:
            return .constant(.null)
        case .name(let name):
            return .read(place(name), name: name)
        case .tensor(let elements):
            return .tensor(elements.map(expression))
        case .tuple(let args):
            let labels = args.contains { $0.label != nil } ? interpreter.labels(args.map(\.label)) : nil
            return .tuple(args.map { expression($0.value) }, labels: labels)
        case .unary(let op, let x):
            return .unary(op, expression(x))
        case .binary(let op, let a, let b):
            return .binary(op, expression(a), expression(b))
        case .comparison(let op, let a, let b):
            return .comparison(op, expression(a), expression(b))
        case .logical(let op, let a, let b):
            return .logical(op, expression(a), expression(b))
        case .not(let x):
            return .not(expression(x))
        case .range(let a, let b, let inclusive):
            return .range(expression(a), expression(b), inclusive: inclusive)
        case .call(let callee, let args):
            let positional = args.filter { $0.label == nil }
            let labelled = args.filter { $0.label != nil }
            return .call(callee: expression(callee), positional: positional.map { expression($0.value) },
                         labels: labelled.map { $0.label ?? "" }, labelled: labelled.map { expression($0.value) })
        case .index(let base, let items):
            return .index(expression(base), indexItems(items))
        case .member(let base, let name, let nameRange):
            return .member(expression(base), name: name, nameRange: nameRange)
        case .function(let decl):
            return .function(function(decl))
        }
    }

    func indexItems(_ items: [IndexItem]) -> [ResolvedIndexItem] {
        items.map { item in
            switch item {
            case .single(let e): return .single(expression(e))
            case .slice(let a, let b, let c, _): return .slice(a.map(expression), b.map(expression), c.map(expression))
            }
        }
    }
}

// Resolver, the second pass: turns the AST into executable nodes with every name bound to a
// stack slot, a cell, a captured cell or a global slot.

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

    /// Entry point: the top-level statements as nodes (top-level names are globals).
    func resolveTopLevel(_ statements: [Stmt]) -> [StmtNode] {
        analysis.analyseTopLevel(statements)
        return statements.map(statement)
    }

    // MARK: names

    func read(_ name: String, _ range: SourceRange) -> ExprNode {
        if let scope {
            if let c = scope.cells[name] { return CellNode(index: c, name: name, range: range) }
            if let s = scope.slots[name] { return LocalNode(slot: s, name: name, range: range) }
            if let j = scope.capture(name) { return CaptureNode(index: j, name: name, range: range) }
        }
        return GlobalNode(slot: interpreter.globalSlot(name), name: name, range: range)
    }

    func variable(_ name: String) -> VariableRef {
        if let scope {
            if let c = scope.cells[name] { return .cell(c) }
            if let s = scope.slots[name] { return .local(s) }
        }
        return .global(interpreter.globalSlot(name))
    }

    // MARK: statements

    func block(_ statements: [Stmt], _ range: SourceRange) -> BlockNode {
        BlockNode(statements.map(statement), range: range)
    }

    func statement(_ s: Stmt) -> StmtNode {
        switch s.kind {
        case .expression(let e):
            return ExpressionStmtNode(expression(e))
        case .assign(let target, let op, let value):
            let ref = variable(target.name)
            if target.path.isEmpty {
                let readNode = op == nil ? nil : read(target.name, target.nameRange)
                return AssignNode(target: ref, read: readNode, op: op, value: expression(value), range: s.range)
            }
            let path = target.path.map { step -> PathStep in
                switch step {
                case .index(let items, let r): return .index(indexItems(items), r)
                case .member(let name, let r): return .member(name, r)
                }
            }
            return PathAssignNode(target: ref, read: read(target.name, target.nameRange), path: path, op: op,
                                  value: expression(value), range: s.range)
        case .function(let decl):
            return FunctionDefNode(target: variable(decl.name ?? ""), proto: function(decl), range: s.range)
        case .ifElse(let branches, let elseBody):
            var tail: StmtNode? = elseBody.map { block($0, s.range) }
            for branch in branches.reversed() {
                tail = IfNode(condition: expression(branch.condition), body: block(branch.body, s.range),
                              elseBody: tail, range: s.range)
            }
            return tail!
        case .forIn(let name, _, let sequence, let body):
            return ForNode(variable: variable(name), sequence: expression(sequence), body: block(body, s.range), range: s.range)
        case .whileLoop(let condition, let body):
            return WhileNode(condition: expression(condition), body: block(body, s.range), range: s.range)
        case .breakLoop:
            return BreakNode(range: s.range)
        case .continueLoop:
            return ContinueNode(range: s.range)
        case .returnValue(let e):
            return ReturnNode(value: e.map(expression), range: s.range)
        }
    }

    func function(_ decl: FunctionDecl) -> FunctionProto {
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
        return FunctionProto(name: decl.name ?? "<anonymous>", file: file, headerRange: decl.headerRange,
                             parameterNames: decl.parameters.map(\.name), defaultNodes: defaults,
                             frameSize: inner.frameSize, cellCount: inner.cells.count,
                             capturedParameters: capturedParameters, captureSources: inner.captureSources, body: body)
    }

    // MARK: expressions

    /// An expression's node; an arithmetic root gets the plan to fuse it (Fusion.swift).
    func expression(_ e: Expr) -> ExprNode {
        let n = node(e)
        if let b = n as? BinaryNode { b.plan = FusionPlan.make(for: b) }
        if let b = n as? BinaryConstantNode { b.plan = FusionPlan.make(for: b) }
        return n
    }

    /// The node itself; operands of arithmetic are built with this, so the root's plan covers
    /// the whole arithmetic tree.
    func node(_ e: Expr) -> ExprNode {
        switch e.kind {
        case .number(let x):
            return ConstantNode(.number(x), range: e.range)
        case .string(let segments):
            let pieces = segments.map { seg -> InterpolationNode.Piece in
                switch seg {
                case .text(let t): return .text(t)
                case .expr(let x): return .value(expression(x))
                }
            }
            if pieces.allSatisfy({ if case .text = $0 { return true } else { return false } }) {
                let text = pieces.map { p -> String in if case .text(let t) = p { return t } else { return "" } }.joined()
                return ConstantNode(.string(text), range: e.range)
            }
            return InterpolationNode(pieces, range: e.range)
        case .bool(let b):
            return ConstantNode(.bool(b), range: e.range)
        case .nilLiteral:
            return ConstantNode(.null, range: e.range)
        case .name(let name):
            return read(name, e.range)
        case .tensor(let elements):
            return TensorLiteralNode(elements.map(expression), range: e.range)
        case .tuple(let args):
            let labels = args.contains { $0.label != nil } ? TupleLabels(args.map(\.label)) : nil
            return TupleLiteralNode(args.map { expression($0.value) }, labels: labels, range: e.range)
        case .unary(let op, let x):
            return UnaryNode(op, node(x), range: e.range)
        case .binary(.matmul, let a, let b):
            return MatmulNode(expression(a), expression(b), range: e.range)
        case .binary(let op, let a, let b):
            // Specialised shapes for the common cases of numeric loops (fewer node calls).
            let left = node(a)
            if case .number(let y) = b.kind {
                if let l = left as? LocalNode { return BinaryLocalConstantNode(op, l, y, range: e.range) }
                return BinaryConstantNode(op, left, y, range: e.range)
            }
            let right = node(b)
            if let l = left as? LocalNode, let r = right as? LocalNode { return BinaryLocalsNode(op, l, r, range: e.range) }
            return BinaryNode(op, left, right, range: e.range)
        case .comparison(let op, let a, let b):
            if case .number(let y) = b.kind { return ComparisonConstantNode(op, expression(a), y, range: e.range) }
            let left = expression(a), right = expression(b)
            if let l = left as? LocalNode, let r = right as? LocalNode { return ComparisonLocalsNode(op, l, r, range: e.range) }
            return ComparisonNode(op, left, right, range: e.range)
        case .logical(let op, let a, let b):
            return LogicalNode(op, expression(a), expression(b), range: e.range)
        case .not(let x):
            return NotNode(expression(x), range: e.range)
        case .range(let a, let b, let inclusive):
            return RangeNode(expression(a), expression(b), inclusive: inclusive, range: e.range)
        case .call(let callee, let args):
            let positional = args.filter { $0.label == nil }
            let labelled = args.filter { $0.label != nil }
            let single = positional.count == 1 && labelled.isEmpty
            return CallNode(callee: expression(callee), arguments: positional.map { single ? node($0.value) : expression($0.value) },
                            labels: labelled.map { $0.label ?? "" }, labelled: labelled.map { expression($0.value) },
                            file: file, range: e.range)
        case .index(let base, let items):
            return IndexNode(base: expression(base), items: indexItems(items), range: e.range)
        case .member(let base, let name, let nameRange):
            return MemberNode(base: expression(base), name: name, nameRange: nameRange, range: e.range)
        case .function(let decl):
            return FunctionNode(function(decl), range: e.range)
        }
    }

    func indexItems(_ items: [IndexItem]) -> [IndexNodeItem] {
        items.map { item in
            switch item {
            case .single(let e): return .single(expression(e))
            case .slice(let a, let b, let c, _): return .slice(a.map(expression), b.map(expression), c.map(expression))
            }
        }
    }
}

// The tree walker's nodes, built from the resolved program in one place. This is where the
// walker's speed specialisations are chosen (two locals, a literal on the right, ...) and where
// an arithmetic root gets the fusion planner's plan; the numeric compilers never see these
// shapes: they compile from the resolved program.

import Lexer
import Parser

struct WalkerBuilder {
    let file: SourceFile
    /// Whether the statements built are a function's body (else the top level, whose loops
    /// may run in the numeric tier: Numeric/NumericLoop.swift).
    var inFunction = false

    func statements(_ s: [ResolvedStmt]) -> [StmtNode] { s.map(statement) }

    func block(_ b: ResolvedBlock) -> BlockNode {
        BlockNode(b.statements.map(statement), range: b.range)
    }

    func statement(_ s: ResolvedStmt) -> StmtNode {
        switch s.kind {
        case .expression(let e):
            return ExpressionStmtNode(expression(e))
        case .assign(let target, let op, let read, let value):
            return AssignNode(target: target, read: read.map(expression), op: op, value: expression(value), range: s.range)
        case .pathAssign(let target, let read, let path, let op, let value):
            let steps = path.map { step -> PathStep in
                switch step {
                case .index(let items, let r): return .index(indexItems(items), r)
                case .member(let name, let r): return .member(name, r)
                }
            }
            return PathAssignNode(target: target, read: expression(read), path: steps, op: op, value: expression(value), range: s.range)
        case .function(let target, let f):
            return FunctionDefNode(target: target, proto: function(f), range: s.range)
        case .ifElse(let condition, let body, let elseBody):
            return IfNode(condition: expression(condition), body: block(body), elseBody: elseBody.map(statement), range: s.range)
        case .block(let b):
            return block(b)
        case .forIn(let variable, let sequence, let body):
            return topLevelLoop(ForNode(variable: variable, sequence: expression(sequence), body: block(body), range: s.range), s)
        case .whileLoop(let condition, let body):
            return topLevelLoop(WhileNode(condition: expression(condition), body: block(body), range: s.range), s)
        case .breakLoop:
            return BreakNode(range: s.range)
        case .continueLoop:
            return ContinueNode(range: s.range)
        case .returnValue(let e):
            return ReturnNode(value: e.map(expression), range: s.range)
        }
    }

    func function(_ f: ResolvedFunction) -> FunctionProto {
        var inner = self
        inner.inFunction = true
        return FunctionProto(resolved: f, defaultNodes: f.defaults.map { $0.map(expression) }, body: inner.block(f.body))
    }

    /// A loop at the top level gets the numeric tier's chance to run it.
    private func topLevelLoop(_ walker: StmtNode, _ s: ResolvedStmt) -> StmtNode {
        inFunction ? walker : TopLevelLoopNode(walker: walker, resolved: s, file: file)
    }

    /// An expression's node; an arithmetic root gets the plan to fuse it (Fusion.swift).
    func expression(_ e: ResolvedExpr) -> ExprNode {
        let n = node(e)
        if n is BinaryNode || n is BinaryConstantNode {
            let plan = FusionPlan.make(for: e, in: file)
            (n as? BinaryNode)?.plan = plan
            (n as? BinaryConstantNode)?.plan = plan
        }
        return n
    }

    /// The node itself; operands of arithmetic are built with this, so the root's plan covers
    /// the whole arithmetic tree.
    func node(_ e: ResolvedExpr) -> ExprNode {
        switch e.kind {
        case .constant(let v):
            return ConstantNode(v, range: e.range)
        case .interpolation(let pieces):
            return InterpolationNode(pieces.map { piece -> InterpolationNode.Piece in
                switch piece {
                case .text(let t): return .text(t)
                case .value(let x): return .value(expression(x))
                }
            }, range: e.range)
        case .read(let place, let name):
            switch place {
            case .local(let s): return LocalNode(slot: s, name: name, range: e.range)
            case .cell(let c): return CellNode(index: c, name: name, range: e.range)
            case .capture(let j): return CaptureNode(index: j, name: name, range: e.range)
            case .global(let g): return GlobalNode(slot: g, name: name, range: e.range)
            }
        case .tensor(let elements):
            return TensorLiteralNode(elements.map(expression), range: e.range)
        case .tuple(let elements, let labels):
            return TupleLiteralNode(elements.map(expression), labels: labels, range: e.range)
        case .unary(let op, let x):
            return UnaryNode(op, node(x), range: e.range)
        case .binary(.matmul, let a, let b):
            return MatmulNode(expression(a), expression(b), range: e.range)
        case .binary(let op, let a, let b):
            // Specialised shapes for the common cases of numeric loops (fewer node calls).
            let left = node(a)
            if case .constant(.number(let y)) = b.kind {
                if let l = left as? LocalNode { return BinaryLocalConstantNode(op, l, y, range: e.range) }
                return BinaryConstantNode(op, left, y, range: e.range)
            }
            let right = node(b)
            if let l = left as? LocalNode, let r = right as? LocalNode { return BinaryLocalsNode(op, l, r, range: e.range) }
            return BinaryNode(op, left, right, range: e.range)
        case .comparison(let op, let a, let b):
            if case .constant(.number(let y)) = b.kind { return ComparisonConstantNode(op, expression(a), y, range: e.range) }
            let left = expression(a), right = expression(b)
            if let l = left as? LocalNode, let r = right as? LocalNode { return ComparisonLocalsNode(op, l, r, range: e.range) }
            return ComparisonNode(op, left, right, range: e.range)
        case .logical(let op, let a, let b):
            return LogicalNode(op, expression(a), expression(b), range: e.range)
        case .not(let x):
            return NotNode(expression(x), range: e.range)
        case .range(let a, let b, let inclusive):
            return RangeNode(expression(a), expression(b), inclusive: inclusive, range: e.range)
        case .call(let callee, let positional, let labels, let labelled):
            let single = positional.count == 1 && labelled.isEmpty
            return CallNode(callee: expression(callee), arguments: positional.map { single ? node($0) : expression($0) },
                            labels: labels, labelled: labelled.map(expression), file: file, range: e.range)
        case .index(let base, let items):
            return IndexNode(base: expression(base), items: indexItems(items), range: e.range)
        case .member(let base, let name, let nameRange):
            return MemberNode(base: expression(base), name: name, nameRange: nameRange, range: e.range)
        case .function(let f):
            return FunctionNode(function(f), range: e.range)
        }
    }

    func indexItems(_ items: [ResolvedIndexItem]) -> [IndexNodeItem] {
        items.map { item in
            switch item {
            case .single(let e): return .single(expression(e))
            case .slice(let a, let b, let c): return .slice(a.map(expression), b.map(expression), c.map(expression))
            }
        }
    }
}

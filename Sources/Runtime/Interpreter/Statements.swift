// Statement nodes: assignment forms, control flow and blocks. `exec` returns how control
// leaves the statement, so break / continue / return need no exceptions.

import Lexer
import Parser

enum Flow {
    case normal, breakLoop, continueLoop, returned
}

class StmtNode {
    let range: SourceRange
    init(range: SourceRange) { self.range = range }
    func exec(_ I: Interpreter) throws(RuntimeError) -> Flow { fatalError("abstract") }
    /// Runs the statement and returns the value the REPL shows, if it shows one.
    func execShowing(_ I: Interpreter) throws(RuntimeError) -> Value? {
        _ = try exec(I)
        return nil
    }
}

final class BlockNode: StmtNode {
    let statements: ContiguousArray<StmtNode>
    init(_ statements: [StmtNode], range: SourceRange) {
        self.statements = ContiguousArray(statements)
        super.init(range: range)
    }
    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow {
        // An index loop: iterating the array would retain each element.
        var i = 0
        let n = statements.count
        while i < n {
            let flow = try statements[i].exec(I)
            if case .normal = flow {
                i += 1
                continue
            }
            return flow
        }
        return .normal
    }
}

final class ExpressionStmtNode: StmtNode {
    let expr: ExprNode
    init(_ expr: ExprNode) {
        self.expr = expr
        super.init(range: expr.range)
    }
    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow {
        _ = try expr.eval(I)
        return .normal
    }
    override func execShowing(_ I: Interpreter) throws(RuntimeError) -> Value? { try expr.eval(I) }
}

/// `x = value` and `x op= value`.
final class AssignNode: StmtNode {
    let target: VariableRef
    let read: ExprNode?
    let op: BinaryOperator?
    let value: ExprNode
    /// `x = f(...)`: the call, which may reuse x's buffer (see Builtin.reusesArgument).
    let call: CallNode?
    /// `w -= expression` with an arithmetic right side: one fused pass into w (Fusion.swift).
    let fused: FusionRoot?
    init(target: VariableRef, read: ExprNode?, op: BinaryOperator?, value: ExprNode, range: SourceRange) {
        self.target = target
        self.read = read
        self.op = op
        self.value = value
        self.call = op == nil ? value as? CallNode : nil
        self.fused = op == nil ? nil : value as? FusionRoot
        super.init(range: range)
    }

    @inline(__always)
    func compute(_ I: Interpreter) throws(RuntimeError) -> Value {
        guard let op, let read else {
            if let call { return try call.eval(I, reusing: target) }
            return try value.eval(I)
        }
        if let fused, fused.fusing, let plan = fused.plan, let v = try plan.compound(I, target, op) { return v }
        let old = try read.eval(I)
        let rhs = try value.eval(I)
        if case .number(let x) = old, case .number(let y) = rhs { return .number(Arithmetic.apply(op, x, y)) }
        if case .tensor = old {
            // Drop this copy first so the variable holds the buffer alone.
            _ = consume old
            if let updated = I.compoundInPlace(target, op, rhs) { return updated }
            return try I.binary(op, try read.eval(I), rhs, at: range)
        }
        if case .string = old, op == .add, case .string(let suffix) = rhs {
            // `line += "..."`: appended to the variable's own string, not copied each time.
            _ = consume old
            if let updated = I.appendInPlace(target, suffix) { return updated }
            return try I.binary(op, try read.eval(I), rhs, at: range)
        }
        return try I.binary(op, old, rhs, at: range)
    }

    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow {
        let v = try compute(I)
        if case .local(let slot) = target {
            I.stack[I.fp + slot] = v
        } else {
            I.store(target, v)
        }
        return .normal
    }
    override func execShowing(_ I: Interpreter) throws(RuntimeError) -> Value? {
        let v = try compute(I)
        I.store(target, v)
        return v
    }
}

/// One step of an assignment path: `[...]` or `.name`.
enum PathStep {
    case index([IndexNodeItem], SourceRange)
    case member(String, SourceRange)
}

/// `w[0] = v`, `p.W = v`, `p.W[0] += v`: the variable's value is taken out of its slot,
/// updated in place (so a uniquely held tensor is not copied) and put back.
final class PathAssignNode: StmtNode {
    let target: VariableRef
    let read: ExprNode
    let path: [PathStep]
    let op: BinaryOperator?
    let value: ExprNode
    init(target: VariableRef, read: ExprNode, path: [PathStep], op: BinaryOperator?, value: ExprNode, range: SourceRange) {
        self.target = target
        self.read = read
        self.path = path
        self.op = op
        self.value = value
        super.init(range: range)
    }

    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow {
        _ = try execShowing(I)
        return .normal
    }

    override func execShowing(_ I: Interpreter) throws(RuntimeError) -> Value? {
        // Stored into a tensor, a tuple or an object: a view is gathered first.
        let rhs = try value.eval(I).materialized
        var keys: [[IndexKey]] = []
        for step in path {
            switch step {
            case .index(let items, _): keys.append(try I.indexKeys(items))
            case .member: keys.append([])
            }
        }
        var whole = try read.eval(I)
        I.store(target, .null)  // park a placeholder so `whole` holds the only reference
        do {
            let steps = path.map { step -> UpdateStep in
                switch step {
                case .index: return .index
                case .member(let name, _): return .member(name)
                }
            }
            let shown = try I.update(&whole, path: steps, keys: keys, at: 0, op: op, rhs: rhs)
            I.store(target, whole)
            return shown
        } catch {
            I.store(target, whole)
            throw error.at(range)
        }
    }
}

final class FunctionDefNode: StmtNode {
    let target: VariableRef
    let proto: FunctionProto
    init(target: VariableRef, proto: FunctionProto, range: SourceRange) {
        self.target = target
        self.proto = proto
        super.init(range: range)
    }
    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow {
        I.store(target, .function(try I.makeClosure(proto)))
        return .normal
    }
}

/// `if c { ... } else ...`; an `else if` chain is a nested IfNode in `elseBody`.
final class IfNode: StmtNode {
    let condition: ExprNode
    let body: BlockNode
    let elseBody: StmtNode?
    init(condition: ExprNode, body: BlockNode, elseBody: StmtNode?, range: SourceRange) {
        self.condition = condition
        self.body = body
        self.elseBody = elseBody
        super.init(range: range)
    }
    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow {
        let v = try condition.eval(I)
        let yes: Bool
        if case .bool(let b) = v { yes = b } else { yes = try I.truth(v, at: condition.range) }
        if yes { return try body.exec(I) }
        guard let elseBody else { return .normal }
        return try elseBody.exec(I)
    }
}

final class WhileNode: StmtNode {
    let condition: ExprNode
    let body: BlockNode
    init(condition: ExprNode, body: BlockNode, range: SourceRange) {
        self.condition = condition
        self.body = body
        super.init(range: range)
    }
    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow {
        while true {
            let v = try condition.eval(I)
            let yes: Bool
            if case .bool(let b) = v { yes = b } else { yes = try I.truth(v, at: condition.range) }
            if !yes { return .normal }
            switch try body.exec(I) {
            case .normal, .continueLoop: break
            case .breakLoop: return .normal
            case .returned: return .returned
            }
            try I.checkInterrupt()
        }
    }
}

/// `for x in seq`: ranges and `range(...)` are walked without building a tensor.
final class ForNode: StmtNode {
    let variable: VariableRef
    let sequence: ExprNode
    let body: BlockNode
    init(variable: VariableRef, sequence: ExprNode, body: BlockNode, range: SourceRange) {
        self.variable = variable
        self.sequence = sequence
        self.body = body
        super.init(range: range)
    }

    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow {
        if let r = sequence as? RangeNode {
            let (lo, n): (Double, Int)
            do { (lo, n) = try r.bounds(I, allocates: false) } catch { throw error.at(r.range) }
            return try loop(I, count: n) { .number(lo + Double($0)) }
        }
        if let (start, step, n) = try I.rangeCall(sequence) {
            return try loop(I, count: n) { .number(start + Double($0) * step) }
        }
        let seq = try sequence.eval(I).materialized
        switch seq {
        case .tensor(let t):
            let data = t.data
            if t.rank <= 1 { return try loop(I, count: t.count) { .number(data[$0]) } }
            let rowShape = Array(t.shape.dropFirst())
            let rowSize = rowShape.reduce(1, *)
            return try loop(I, count: t.shape[0]) { k in
                .tensor(Tensor(shape: rowShape, data: Array(data[(k * rowSize)..<((k + 1) * rowSize)])))
            }
        case .tuple(let tup):
            return try loop(I, count: tup.count) { tup.items[$0] }
        case .string(let s):
            let chars = s.map { Value.string(String($0)) }
            return try loop(I, count: chars.count) { chars[$0] }
        case .number, .bool, .function, .object, .null, .traced, .view:
            throw RuntimeError("cannot iterate over a \(seq.kindName)",
                               notes: ["note: a for loop walks a range, a tensor's first axis, a tuple or a string"]).at(sequence.range)
        }
    }

    @inline(__always)
    private func loop(_ I: Interpreter, count: Int, _ element: (Int) -> Value) throws(RuntimeError) -> Flow {
        var k = 0
        while k < count {
            let value = element(k)
            I.store(variable, value)
            let flow: Flow
            do { flow = try body.exec(I) } catch {
                // Which iteration failed: the diagnostic names the loop variable's value.
                var e = error
                e.inLoop(range, value)
                throw e
            }
            switch flow {
            case .normal, .continueLoop: break
            case .breakLoop: return .normal
            case .returned: return .returned
            }
            try I.checkInterrupt()
            k += 1
        }
        return .normal
    }
}

final class BreakNode: StmtNode {
    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow { .breakLoop }
}

final class ContinueNode: StmtNode {
    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow { .continueLoop }
}

final class ReturnNode: StmtNode {
    let value: ExprNode?
    init(value: ExprNode?, range: SourceRange) {
        self.value = value
        super.init(range: range)
    }
    override func exec(_ I: Interpreter) throws(RuntimeError) -> Flow {
        I.returnValue = try value?.eval(I) ?? .null
        return .returned
    }
}

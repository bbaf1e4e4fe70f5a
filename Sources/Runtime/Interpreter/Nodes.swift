// Expression nodes of the resolved tree: names are already slots, operators already enums.
// Each node evaluates itself; the hot cases (numbers) are handled inline.

import Lexer
import Parser

class ExprNode {
    let range: SourceRange
    init(range: SourceRange) { self.range = range }
    func eval(_ I: Interpreter) throws(RuntimeError) -> Value { fatalError("abstract") }
    /// Whether the value is usually a tensor made for this node alone, which the operator
    /// using it may overwrite (see Interpreter+Temporaries.swift).
    var yieldsTemporary: Bool { false }
}

final class ConstantNode: ExprNode {
    let value: Value
    init(_ value: Value, range: SourceRange) {
        self.value = value
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value { value }
}

final class LocalNode: ExprNode {
    let slot: Int
    let name: String
    init(slot: Int, name: String, range: SourceRange) {
        self.slot = slot
        self.name = name
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        // Numbers are matched in place, which skips the general copy of a Value.
        if case .number(let x)? = I.stack[I.fp + slot] { return .number(x) }
        guard let v = I.stack[I.fp + slot] else { throw RuntimeError.unassignedLocal(name).at(range) }
        return v
    }
}

final class CellNode: ExprNode {
    let index: Int
    let name: String
    init(index: Int, name: String, range: SourceRange) {
        self.index = index
        self.name = name
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        guard let v = I.frameCells[index].value else { throw RuntimeError.unassignedLocal(name).at(range) }
        return v
    }
}

final class CaptureNode: ExprNode {
    let index: Int
    let name: String
    init(index: Int, name: String, range: SourceRange) {
        self.index = index
        self.name = name
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        guard let v = I.closureCaptures[index].value else {
            throw RuntimeError("variable '\(name)' of an enclosing function is read before it is assigned").at(range)
        }
        return v
    }
}

final class GlobalNode: ExprNode {
    let slot: Int
    let name: String
    init(slot: Int, name: String, range: SourceRange) {
        self.slot = slot
        self.name = name
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        guard let v = I.globals[slot] else {
            throw RuntimeError.unknownName(name, candidates: I.boundGlobalNames).at(range)
        }
        return v
    }
}

final class InterpolationNode: ExprNode {
    enum Piece { case text(String), value(ExprNode) }
    let pieces: [Piece]
    init(_ pieces: [Piece], range: SourceRange) {
        self.pieces = pieces
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        var s = ""
        for p in pieces {
            switch p {
            case .text(let t): s += t
            case .value(let n):
                let v = try n.eval(I)
                do { try I.checkPrintable(v) } catch { throw error.at(n.range) }
                s += I.str(v)
            }
        }
        return .string(s)
    }
}

final class TensorLiteralNode: ExprNode {
    let elements: [ExprNode]
    init(_ elements: [ExprNode], range: SourceRange) {
        self.elements = elements
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        var values: [Value] = []
        values.reserveCapacity(elements.count)
        for e in elements { values.append(try e.eval(I)) }
        do {
            if I.autodiff.tape != nil, values.contains(where: { $0.containsTraced }) { return try I.tracedStack(values) }
            return .tensor(try Tensor.stacking(values, limit: I.maxElements))
        } catch { throw error.at(range) }
    }
}

final class TupleLiteralNode: ExprNode {
    let elements: [ExprNode]
    let labels: TupleLabels?
    init(_ elements: [ExprNode], labels: TupleLabels?, range: SourceRange) {
        self.elements = elements
        self.labels = labels
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        var values: [Value] = []
        values.reserveCapacity(elements.count)
        // Tuples hold tensors, never views (trees go to optimizers and built-ins as they are).
        for e in elements { values.append(try e.eval(I).materialized) }
        return .tuple(TupleValue(values, labels: labels))
    }
}

final class UnaryNode: ExprNode {
    let op: UnaryOperator
    let operand: ExprNode
    init(_ op: UnaryOperator, _ operand: ExprNode, range: SourceRange) {
        self.op = op
        self.operand = operand
        super.init(range: range)
    }
    override var yieldsTemporary: Bool { op == .negate }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        var v = try operand.eval(I)
        if case .number(let x) = v {
            switch op {
            case .negate: return .number(-x)
            case .plus: return v
            }
        }
        if op == .negate, operand.yieldsTemporary, case .tensor(var t) = v {
            v = .null  // `t` alone holds the buffer now
            t.data.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = -p[i] } }
            return .tensor(t)
        }
        do {
            return try I.unary(op, v)
        } catch { throw error.at(range) }
    }
}

final class BinaryNode: ExprNode, FusionRoot {
    let op: BinaryOperator
    let left: ExprNode
    let right: ExprNode
    let reuseLeft: Bool, reuseRight: Bool
    /// Set by the resolver on the root of an arithmetic expression (Fusion.swift).
    var plan: FusionPlan? { didSet { state = plan == nil ? .plain : .undecided } }
    /// Whether the plan evaluates this root: decided at its first evaluation from the values,
    /// and a plain root that later produces a large tensor switches to fusing.
    @exclusivity(unchecked) var state = FusionState.plain
    var fusing: Bool { state == .fusing }
    init(_ op: BinaryOperator, _ left: ExprNode, _ right: ExprNode, range: SourceRange) {
        self.op = op
        self.left = left
        self.right = right
        reuseLeft = left.yieldsTemporary
        reuseRight = right.yieldsTemporary
        super.init(range: range)
    }
    override var yieldsTemporary: Bool { true }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        if state != .plain, let plan { return try plan.evaluate(I, &state) }
        let a = try left.eval(I)
        let b = try right.eval(I)
        if case .number(let x) = a, case .number(let y) = b {
            return .number(Arithmetic.apply(op, x, y))
        }
        return try general(a, b, I)
    }

    /// Kept out of `eval` so the number path stays free of the operands' ownership juggling.
    @inline(never)
    private func general(_ a: consuming Value, _ b: consuming Value, _ I: Interpreter) throws(RuntimeError) -> Value {
        var a = a, b = b
        let v: Value
        if reuseLeft || reuseRight, let r = try I.binaryReusing(op, &a, &b, left: reuseLeft, right: reuseRight) {
            v = r
        } else {
            v = try I.binary(op, a, b, at: range)
        }
        if plan != nil, FusionPlan.worthFusing(v) { state = .fusing }
        return v
    }
}

final class ComparisonNode: ExprNode {
    let op: ComparisonOperator
    let left: ExprNode
    let right: ExprNode
    init(_ op: ComparisonOperator, _ left: ExprNode, _ right: ExprNode, range: SourceRange) {
        self.op = op
        self.left = left
        self.right = right
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        let a = try left.eval(I)
        let b = try right.eval(I)
        if case .number(let x) = a, case .number(let y) = b {
            return .bool(Arithmetic.compare(op, x, y))
        }
        return try I.compare(op, a, b, at: range)
    }
}

final class LogicalNode: ExprNode {
    let op: LogicalOperator
    let left: ExprNode
    let right: ExprNode
    init(_ op: LogicalOperator, _ left: ExprNode, _ right: ExprNode, range: SourceRange) {
        self.op = op
        self.left = left
        self.right = right
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        let a = try I.truth(try left.eval(I), at: left.range)
        switch op {
        case .and: if !a { return .bool(false) }
        case .or: if a { return .bool(true) }
        }
        return .bool(try I.truth(try right.eval(I), at: right.range))
    }
}

final class NotNode: ExprNode {
    let operand: ExprNode
    init(_ operand: ExprNode, range: SourceRange) {
        self.operand = operand
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        .bool(!(try I.truth(try operand.eval(I), at: operand.range)))
    }
}

/// `a..<b` or `a...b` outside a `for`: a 1-D tensor.
final class RangeNode: ExprNode {
    let lower: ExprNode
    let upper: ExprNode
    let inclusive: Bool
    init(_ lower: ExprNode, _ upper: ExprNode, inclusive: Bool, range: SourceRange) {
        self.lower = lower
        self.upper = upper
        self.inclusive = inclusive
        super.init(range: range)
    }

    /// The bounds as numbers, and how many values the range holds (Interpreter.rangeCount).
    func bounds(_ I: Interpreter, allocates: Bool = true) throws(RuntimeError) -> (Double, Int) {
        let lo = try I.rangeBound(try lower.eval(I), "lower")
        let hi = try I.rangeBound(try upper.eval(I), "upper")
        return (lo, try I.rangeCount(lo, hi, inclusive: inclusive, allocates: allocates))
    }

    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        let (lo, n): (Double, Int)
        do { (lo, n) = try bounds(I) } catch { throw error.at(range) }
        return .tensor(Tensor(vector: (0..<n).map { lo + Double($0) }))
    }
}

final class FunctionNode: ExprNode {
    let proto: FunctionProto
    init(_ proto: FunctionProto, range: SourceRange) {
        self.proto = proto
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        .function(try I.makeClosure(proto))
    }
}

final class MatmulNode: ExprNode {
    let left: ExprNode
    let right: ExprNode
    init(_ left: ExprNode, _ right: ExprNode, range: SourceRange) {
        self.left = left
        self.right = right
        super.init(range: range)
    }
    override var yieldsTemporary: Bool { true }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        let a = try left.eval(I)
        let b = try right.eval(I)
        do {
            return try I.matmul(a, b)
        } catch { throw error.at(range) }
    }
}

/// `a op 2`: the common case of a literal right operand, without a node for it.
final class BinaryConstantNode: ExprNode, FusionRoot {
    let op: BinaryOperator
    let left: ExprNode
    let constant: Double
    var plan: FusionPlan? { didSet { state = plan == nil ? .plain : .undecided } }
    @exclusivity(unchecked) var state = FusionState.plain
    var fusing: Bool { state == .fusing }
    init(_ op: BinaryOperator, _ left: ExprNode, _ constant: Double, range: SourceRange) {
        self.op = op
        self.left = left
        self.constant = constant
        super.init(range: range)
    }
    override var yieldsTemporary: Bool { true }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        if state != .plain, let plan { return try plan.evaluate(I, &state) }
        let a = try left.eval(I)
        if case .number(let x) = a { return .number(Arithmetic.apply(op, x, constant)) }
        return try general(a, I)
    }

    @inline(never)
    private func general(_ a: consuming Value, _ I: Interpreter) throws(RuntimeError) -> Value {
        var a = a
        var v: Value?
        if left.yieldsTemporary {
            var b = Value.number(constant)
            v = try I.binaryReusing(op, &a, &b, left: true, right: false)
        }
        let result: Value
        if let v { result = v } else { result = try I.binary(op, a, .number(constant), at: range) }
        if plan != nil, FusionPlan.worthFusing(result) { state = .fusing }
        return result
    }
}

/// `a < 2`: a comparison with a literal right operand.
final class ComparisonConstantNode: ExprNode {
    let op: ComparisonOperator
    let left: ExprNode
    let constant: Double
    init(_ op: ComparisonOperator, _ left: ExprNode, _ constant: Double, range: SourceRange) {
        self.op = op
        self.left = left
        self.constant = constant
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        let a = try left.eval(I)
        if case .number(let x) = a { return .bool(Arithmetic.compare(op, x, constant)) }
        return try I.compare(op, a, .number(constant), at: range)
    }
}

/// `a op b` on two uncaptured locals: both operands read straight from the frame, no child
/// calls (the shape of most arithmetic in numeric loops: `b * v`, `s + v`).
final class BinaryLocalsNode: ExprNode {
    let op: BinaryOperator
    let left: LocalNode
    let right: LocalNode
    init(_ op: BinaryOperator, _ left: LocalNode, _ right: LocalNode, range: SourceRange) {
        self.op = op
        self.left = left
        self.right = right
        super.init(range: range)
    }
    override var yieldsTemporary: Bool { true }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        if case .number(let x)? = I.stack[I.fp + left.slot], case .number(let y)? = I.stack[I.fp + right.slot] {
            return .number(Arithmetic.apply(op, x, y))
        }
        let a = try left.eval(I), b = try right.eval(I)
        return try I.binary(op, a, b, at: range)
    }
}

/// `a op 2` with a an uncaptured local.
final class BinaryLocalConstantNode: ExprNode {
    let op: BinaryOperator
    let left: LocalNode
    let constant: Double
    init(_ op: BinaryOperator, _ left: LocalNode, _ constant: Double, range: SourceRange) {
        self.op = op
        self.left = left
        self.constant = constant
        super.init(range: range)
    }
    override var yieldsTemporary: Bool { true }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        if case .number(let x)? = I.stack[I.fp + left.slot] { return .number(Arithmetic.apply(op, x, constant)) }
        let a = try left.eval(I)
        return try I.binary(op, a, .number(constant), at: range)
    }
}

/// `a < b` on two uncaptured locals.
final class ComparisonLocalsNode: ExprNode {
    let op: ComparisonOperator
    let left: LocalNode
    let right: LocalNode
    init(_ op: ComparisonOperator, _ left: LocalNode, _ right: LocalNode, range: SourceRange) {
        self.op = op
        self.left = left
        self.right = right
        super.init(range: range)
    }
    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        if case .number(let x)? = I.stack[I.fp + left.slot], case .number(let y)? = I.stack[I.fp + right.slot] {
            return .bool(Arithmetic.compare(op, x, y))
        }
        let a = try left.eval(I), b = try right.eval(I)
        return try I.compare(op, a, b, at: range)
    }
}

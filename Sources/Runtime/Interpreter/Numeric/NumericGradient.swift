// `grad` of a straight-line function of a vector without the tape: `fn rosen(w) = (1 - w[0])^2
// + 100 * (w[1] - w[0]^2)^2` is a fixed list of scalar operations on elements of w, so the
// list is built once from the function's tree and each call runs it forward on doubles, then
// backward with the tape's own rules (Autodiff/Backward.swift) in the tape's order: the same
// operations on the same numbers, so value and gradient are the tape's bit for bit. Anything
// else (a statement that is not an assignment, a call, w used whole, an index that is not a
// constant in range) leaves the function to the tape.

import Parser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class NumericGradient {
    /// An operand: a number known when the function is compiled (the tape records no node for
    /// arithmetic on plain numbers either), or an operation's result.
    enum Operand {
        case constant(Double)
        case node(Int)
    }

    enum Operation {
        case element(offset: Int)
        case add, subtract, negate, multiply, divide, remainder, power
    }

    struct Node {
        var operation: Operation
        var a: Operand
        var b: Operand
    }

    /// The length of w this code was made for (indices are resolved against it).
    let count: Int
    private(set) var nodes: [Node] = []
    private(set) var output: Operand = .constant(0)
    // Scratch for one call: primal values, adjoints and which adjoints exist yet.
    private var primal: [Double] = [], adjoint: [Double] = [], present: [Bool] = []

    private init(count: Int) { self.count = count }

    /// The proto's gradient code for a w of `count` elements, made at the first request; nil
    /// when the function is not straight-line arithmetic on elements of its one parameter.
    static func code(for proto: FunctionProto, count: Int) -> NumericGradient? {
        switch proto.gradient {
        case .ready(let g): return g.count == count ? g : nil
        case .unsupported: return nil
        case .untried: break
        }
        let g = NumericGradient(count: count)
        guard proto.parameterNames.count == 1, !proto.needsCellSetup, proto.defaultNodes.allSatisfy({ $0 == nil }),
              let out = g.compile(proto.body) else {
            proto.gradient = .unsupported
            return nil
        }
        g.output = out
        g.primal = [Double](repeating: 0, count: g.nodes.count)
        g.adjoint = g.primal
        g.present = [Bool](repeating: false, count: g.nodes.count)
        proto.gradient = .ready(g)
        return g
    }

    // MARK: compiling

    private func compile(_ body: BlockNode) -> Operand? {
        var locals: [Int: Operand] = [:]
        for (k, s) in body.statements.enumerated() {
            if let r = s as? ReturnNode {
                guard k == body.statements.count - 1, let v = r.value else { return nil }
                return expression(v, locals)
            }
            guard let a = s as? AssignNode, case .local(let slot) = a.target, slot != 0,
                  var v = expression(a.value, locals) else { return nil }
            if let op = a.op {
                guard let old = locals[slot], let combined = binary(op, old, v) else { return nil }
                v = combined
            }
            locals[slot] = v
        }
        return nil  // no return: f gives nil, which grad reports
    }

    private func expression(_ n: ExprNode, _ locals: [Int: Operand]) -> Operand? {
        switch n {
        case let n as ConstantNode:
            guard case .number(let x) = n.value else { return nil }
            return .constant(x)
        case let n as LocalNode:
            return n.slot == 0 ? nil : locals[n.slot]
        case let n as IndexNode:
            guard let w = n.base as? LocalNode, w.slot == 0, n.items.count == 1, case .single(let i) = n.items[0],
                  case .constant(let x)? = expression(i, locals), x.isFinite, x == x.rounded(),
                  abs(x) < 9.0e15 else { return nil }
            let j = Int(x) < 0 ? Int(x) + count : Int(x)
            guard j >= 0 && j < count else { return nil }
            return add(.element(offset: j), .constant(0), .constant(0))
        case let n as UnaryNode:
            guard let v = expression(n.operand, locals) else { return nil }
            switch (n.op, v) {
            case (.plus, _): return v
            case (.negate, .constant(let x)): return .constant(-x)
            case (.negate, .node): return add(.negate, v, .constant(0))
            }
        case let n as BinaryNode:
            return operands(n.left, n.right, locals).flatMap { binary(n.op, $0.0, $0.1) }
        case let n as BinaryLocalsNode:
            return operands(n.left, n.right, locals).flatMap { binary(n.op, $0.0, $0.1) }
        case let n as BinaryConstantNode:
            return expression(n.left, locals).flatMap { binary(n.op, $0, .constant(n.constant)) }
        case let n as BinaryLocalConstantNode:
            return expression(n.left, locals).flatMap { binary(n.op, $0, .constant(n.constant)) }
        default:
            return nil
        }
    }

    private func operands(_ l: ExprNode, _ r: ExprNode, _ locals: [Int: Operand]) -> (Operand, Operand)? {
        guard let a = expression(l, locals), let b = expression(r, locals) else { return nil }
        return (a, b)
    }

    /// `a op b`: computed now on two constants (as plain numbers are, outside the tape).
    private func binary(_ op: BinaryOperator, _ a: Operand, _ b: Operand) -> Operand? {
        if case .constant(let x) = a, case .constant(let y) = b {
            guard op != .matmul else { return nil }
            return .constant(Arithmetic.apply(op, x, y))
        }
        switch op {
        case .add: return add(.add, a, b)
        case .subtract: return add(.subtract, a, b)
        case .multiply: return add(.multiply, a, b)
        case .divide: return add(.divide, a, b)
        case .remainder: return add(.remainder, a, b)
        case .power: return add(.power, a, b)
        case .matmul: return nil
        }
    }

    private func add(_ operation: Operation, _ a: Operand, _ b: Operand) -> Operand {
        nodes.append(Node(operation: operation, a: a, b: b))
        return .node(nodes.count - 1)
    }

    // MARK: running

    /// f(w) and its gradient, as the tape computes them.
    func valueAndGradient(_ w: UnsafeBufferPointer<Double>) -> (Double, [Double]) {
        @inline(__always) func value(_ o: Operand) -> Double {
            switch o {
            case .constant(let x): return x
            case .node(let k): return primal[k]
            }
        }
        for k in nodes.indices {
            let n = nodes[k]
            let p: Double
            switch n.operation {
            case .element(let offset): p = w[offset]
            case .add: p = value(n.a) + value(n.b)
            case .subtract: p = value(n.a) - value(n.b)
            case .negate: p = -value(n.a)
            case .multiply: p = value(n.a) * value(n.b)
            case .divide: p = value(n.a) / value(n.b)
            case .remainder: p = Arithmetic.remainder(value(n.a), value(n.b))
            case .power: p = pow(value(n.a), value(n.b))
            }
            primal[k] = p
        }
        guard case .node(let out) = output else {
            return (value(output), [Double](repeating: 0, count: count))
        }
        var grad = [Double](repeating: 0, count: count)
        var gradGiven = false
        for k in 0...out { present[k] = false }
        adjoint[out] = 1
        present[out] = true
        // An operand's adjoint: set by its first contribution, then added to (Backward.accumulate).
        func give(_ o: Operand, _ v: @autoclosure () -> Double) {
            guard case .node(let j) = o else { return }
            if present[j] {
                adjoint[j] = adjoint[j] + v()
            } else {
                adjoint[j] = v()
                present[j] = true
            }
        }
        for k in stride(from: out, through: 0, by: -1) where present[k] {
            let n = nodes[k], g = adjoint[k]
            switch n.operation {
            case .element(let offset):
                if gradGiven {
                    grad[offset] += g
                } else {
                    grad[offset] = g
                    gradGiven = true
                }
            case .add:
                give(n.a, g)
                give(n.b, g)
            case .subtract:
                give(n.a, g)
                give(n.b, -g)
            case .negate:
                give(n.a, -g)
            case .multiply:
                give(n.a, g * value(n.b))
                give(n.b, g * value(n.a))
            case .divide:
                let p = value(n.a), q = value(n.b)
                give(n.a, g / q)
                give(n.b, -g * ((p / q) / q))
            case .remainder:
                let p = value(n.a), q = value(n.b)
                give(n.a, g)
                give(n.b, -g * (p / q).rounded(.down))
            case .power:
                let p = value(n.a), e = value(n.b)
                give(n.a, e == 2 ? g * (e * p) : (e == 0 ? 0 : g * (e * pow(p, e - 1))))
                give(n.b, p == 0 && e >= 0 ? 0 : g * (pow(p, e) * log(p)))
            }
        }
        return (primal[out], grad)
    }
}

/// A proto's tape-free gradient: made at the first `grad` of it, or known not to fit.
enum GradientState {
    case untried
    case ready(NumericGradient)
    case unsupported
}

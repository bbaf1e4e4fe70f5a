// `grad` of a straight-line function of a vector without the tape: `fn rosen(w) = (1 - w[0])^2
// + 100 * (w[1] - w[0]^2)^2` is a fixed list of scalar operations on elements of w, so the
// list is built once from the function's tree and each call runs it forward on doubles, then
// backward with the tape's own rules (Autodiff/Backward.swift) in the tape's order: the same
// operations on the same numbers, so value and gradient are the tape's bit for bit. Calls of
// the element-wise built-ins with a derivative (sin, exp, tanh, ...) are operations too, read
// through their globals, which must still hold them when the code runs; global numbers (`lam`)
// are read at each call and, like the tape, given no adjoint. w used whole, tensor globals,
// a matrix global times a vector and the full `sum` and `mean` make vector operations
// (`mean((A @ w - y) ^ 2)`), run by NumericGradient+Vector.swift. Anything else (a statement
// that is not an assignment, another call, an index that is not a constant in range, shapes
// that broadcast other than a number against a vector) leaves the function to the tape.

import Parser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class NumericGradient {
    /// An operand: a number known when the function is compiled (the tape records no node for
    /// arithmetic on plain numbers either), a global number (read at each call), or an
    /// operation's result.
    enum Operand {
        case constant(Double)
        case global(Int)
        case node(Int)
        /// tensors[k]: a tensor global, read at each call (a vector, or the matrix of `@`).
        case tensor(Int)
        /// w itself, used whole (vector code only).
        case input
    }

    enum Operation {
        case element(offset: Int)
        /// An element-wise operator of the rule table (never `@`).
        case binary(BinaryOperator)
        case negate
        /// builtins[k]: a built-in with a derivative, applied to a (a number).
        case unary(Int)
        /// tensors[k] @ a: a matrix global times a vector.
        case matmul(Int)
        /// The full sum or mean of the vector a.
        case sum, mean
    }

    struct Node {
        var operation: Operation
        var a: Operand
        var b: Operand
        /// Whether it depends on w: the tape records only those; the others (`lam * 2` with lam
        /// a global) are plain numbers to it, which get no adjoint.
        var traced: Bool
        /// [] for a number, [n] for a vector.
        var shape: [Int]
    }

    /// The length of w this code was made for (indices are resolved against it).
    let count: Int
    /// Whether w is one number (`fn f(x) = (x - 3)^2`): each read of it is one leaf, as the
    /// tape's traced x is, so the adjoints add up in the tape's order.
    let scalar: Bool
    // A gradient run never re-enters itself: its state skips run-time exclusivity checks.
    @exclusivity(unchecked) private var leaf: Operand?
    /// Global slots read as numbers, and their values for the call running.
    @exclusivity(unchecked) private(set) var globalSlots: [Int] = []
    // The per-call scratch below is read and written element by element in the run's loops;
    // Swift checks exclusive access to a class's stored arrays at run time on every such access
    // (beginAccess was 8% of a grad + opt.step loop). A run never re-enters itself (the
    // built-ins it calls are functions of numbers), so the checks are off for them.
    /// The built-ins called, with the global slot each was read from.
    @exclusivity(unchecked) private(set) var builtins: [(slot: Int, function: BuiltinFunction, apply: @Sendable (Double) -> Double, derivative: UnaryDerivative)] = []
    /// The reductions called (sum, mean), with their global slots: checked as `builtins` are.
    @exclusivity(unchecked) private(set) var reductions: [(slot: Int, function: BuiltinFunction)] = []
    /// Tensor globals read, with the shape the code was made for (checked at each call).
    @exclusivity(unchecked) private(set) var tensors: [(slot: Int, shape: [Int])] = []
    /// Whether the code has vector operations (w whole, tensor globals): run by runVector.
    @exclusivity(unchecked) private(set) var usesVectors = false
    /// The vector code's layout and steps (NumericGradient+Vector.swift).
    @exclusivity(unchecked) var vector = VectorLayout()
    /// Every global the code reads: a loop that keeps one in a register cannot call it.
    var readSlots: [Int] { globalSlots + tensors.map(\.slot) + builtins.map(\.slot) + reductions.map(\.slot) }
    /// The interpreter's functionEpoch when those globals last held them.
    @exclusivity(unchecked) private var checkedEpoch = -1
    /// The proto that holds this code (and so outlives it).
    unowned let proto: FunctionProto
    /// The interpreter whose globals the built-ins are read from, while compiling only.
    private var compiling: Interpreter?
    @exclusivity(unchecked) private(set) var nodes: [Node] = []
    @exclusivity(unchecked) private(set) var output: Operand = .constant(0)
    /// Scalar code's layout (NumericGradient+Scalar.swift), and its steps in memory of their
    /// own, as the scratch is: a call reads them with no retain of an array.
    @exclusivity(unchecked) var scalarCode = ScalarLayout()
    @exclusivity(unchecked) var steps = UnsafeMutableBufferPointer<ScalarLayout.Step>(start: nil, count: 0)
    // Scratch for one call: primal values (nodes, constants, globals), adjoints; for vector
    // code, which adjoints exist yet and the contributions of a vector operation. The values
    // and adjoints are memory of their own, made by setScratch and freed with the code: an
    // array's withUnsafeMutableBufferPointer checked its uniqueness at every call (and made
    // a closure of the run), 4% of a grad + momentum step.
    @exclusivity(unchecked) private(set) var primal = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    @exclusivity(unchecked) private(set) var adjoint = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    @exclusivity(unchecked) var present: [Bool] = []
    @exclusivity(unchecked) var scratch: [Double] = []

    deinit {
        primal.deallocate()
        adjoint.deallocate()
        steps.deallocate()
    }

    /// Makes the scratch: `values` primal values (zeros, then `constants` at their places) and
    /// `adjoints` adjoints.
    func setScratch(values: Int, constants: [(slot: Int, value: Double)], adjoints: Int) {
        primal.deallocate()
        adjoint.deallocate()
        primal = .allocate(capacity: max(values, 1))
        primal.initialize(repeating: 0)
        for c in constants { primal[c.slot] = c.value }
        adjoint = .allocate(capacity: max(adjoints, 1))
        adjoint.initialize(repeating: 0)
    }

    private init(count: Int, scalar: Bool, proto: FunctionProto, interpreter: Interpreter) {
        self.count = count
        self.scalar = scalar
        self.proto = proto
        checkedEpoch = interpreter.functionEpoch
        compiling = interpreter
    }

    /// The proto's gradient code for a w of `count` elements, made at the first request; nil
    /// when the function is not straight-line arithmetic on elements of its one parameter.
    static func code(for proto: FunctionProto, count: Int, scalar: Bool, _ I: Interpreter) -> NumericGradient? {
        switch proto.gradient {
        case .ready(let g): return g.count == count && g.scalar == scalar && g.builtinsUnchanged(I) ? g : nil
        case .unsupported: return nil
        case .untried: break
        }
        let g = NumericGradient(count: count, scalar: scalar, proto: proto, interpreter: I)
        guard proto.parameterNames.count == 1, !proto.needsCellSetup, proto.resolved.defaults.allSatisfy({ $0 == nil }) else {
            proto.gradient = .unsupported
            return nil
        }
        let compiled = g.compile(proto.resolved.body)
        g.compiling = nil
        guard let out = compiled else {
            proto.gradient = .unsupported
            return nil
        }
        // f must give a number: the tape reports anything else.
        guard g.shape(out).isEmpty else {
            proto.gradient = .unsupported
            return nil
        }
        g.output = out
        if g.usesVectors { g.flattenVector() } else { g.flatten() }
        proto.gradient = .ready(g)
        return g
    }

    // MARK: compiling

    private func compile(_ body: ResolvedBlock) -> Operand? {
        var locals: [Int: Operand] = [:]
        for (k, s) in body.statements.enumerated() {
            switch s.kind {
            case .returnValue(let value):
                guard k == body.statements.count - 1, let value else { return nil }
                return expression(value, locals)
            case .assign(.local(let slot), let op, _, let value) where slot != 0:
                guard var v = expression(value, locals) else { return nil }
                if let op {
                    guard let old = locals[slot], let combined = binary(op, old, v) else { return nil }
                    v = combined
                }
                locals[slot] = v
            case .assign, .expression, .pathAssign, .function, .ifElse, .block, .forIn, .whileLoop, .breakLoop, .continueLoop:
                return nil
            }
        }
        return nil  // no return: f gives nil, which grad reports
    }

    private func expression(_ n: ResolvedExpr, _ locals: [Int: Operand]) -> Operand? {
        switch n.kind {
        case .constant(.number(let x)):
            return .constant(x)
        case .read(.local(let slot), _):
            guard slot == 0 else { return locals[slot] }
            guard scalar else {
                usesVectors = true
                return .input
            }
            if let leaf { return leaf }
            leaf = add(.element(offset: 0), .constant(0), .constant(0))
            return leaf
        case .read(.global(let slot), _):
            if case .tensor(let t)? = compiling?.variable(slot) { return tensor(slot, t) }
            guard case .number? = compiling?.variable(slot) else { return nil }
            if let k = globalSlots.firstIndex(of: slot) { return .global(k) }
            globalSlots.append(slot)
            return .global(globalSlots.count - 1)
        case .index(let base, let items):
            guard !scalar, case .read(.local(0), _) = base.kind, items.count == 1, case .single(let i) = items[0],
                  case .constant(let x)? = expression(i, locals), x.isFinite, x == x.rounded(),
                  abs(x) < 9.0e15 else { return nil }
            let j = Int(x) < 0 ? Int(x) + count : Int(x)
            guard j >= 0 && j < count else { return nil }
            return add(.element(offset: j), .constant(0), .constant(0))
        case .unary(let op, let operand):
            guard let v = expression(operand, locals) else { return nil }
            switch (op, v) {
            case (.plus, _): return v
            case (.negate, .constant(let x)): return .constant(-x)
            case (.negate, .node), (.negate, .global), (.negate, .input), (.negate, .tensor):
                guard shape(v).count <= 1 else { return nil }
                return add(.negate, v, .constant(0), shape: shape(v))
            }
        case .call(let callee, let positional, let labels, _):
            guard case .read(.global(let slot), _) = callee.kind, labels.isEmpty, positional.count == 1 else { return nil }
            return call(slot, positional[0], locals)
        case .binary(let op, let l, let r):
            guard let a = expression(l, locals), let b = expression(r, locals) else { return nil }
            return binary(op, a, b)
        case .constant, .read, .interpolation, .tensor, .tuple, .comparison, .logical, .not, .range, .member, .function:
            return nil
        }
    }

    /// A tensor global: a vector, or a matrix (which only `@` takes), read at each call.
    private func tensor(_ slot: Int, _ t: Tensor) -> Operand? {
        guard t.rank == 1 || t.rank == 2 else { return nil }
        usesVectors = true
        if let k = tensors.firstIndex(where: { $0.slot == slot }) { return .tensor(k) }
        tensors.append((slot, t.shape))
        return .tensor(tensors.count - 1)
    }

    /// An operand's shape: [] for a number, [n] for a vector, [m, n] for a matrix global.
    func shape(_ o: Operand) -> [Int] {
        switch o {
        case .constant, .global: return []
        case .node(let k): return nodes[k].shape
        case .tensor(let k): return tensors[k].shape
        case .input: return [count]
        }
    }

    /// sin(x) and the like: a built-in with a derivative, read from a global, on one number;
    /// or the full sum or mean of a vector.
    private func call(_ slot: Int, _ argument: ResolvedExpr, _ locals: [Int: Operand]) -> Operand? {
        guard case .function(let fn)? = compiling?.variable(slot), fn.kind == .builtin else { return nil }
        let b = unsafeDowncast(fn, to: BuiltinFunction.self)
        switch b.builtin.differentiation {
        case .sum, .mean:
            guard let x = expression(argument, locals), shape(x).count == 1 else { return nil }
            reductions.append((slot, b))
            return add(b.builtin.differentiation == .sum ? .sum : .mean, x, .constant(0))
        case .unary: break
        case .none, .inert, .extremum, .norm, .dot, .matmul, .transpose, .reshape, .clip, .select, .objective, .bowl, .operators:
            return nil
        }
        guard let apply = b.scalar, case .unary(let d) = b.builtin.differentiation,
              let x = expression(argument, locals), shape(x).isEmpty else { return nil }
        // On a plain number the built-in just computes (nothing is recorded).
        if case .constant(let v) = x { return .constant(apply(v)) }
        builtins.append((slot, b, apply, d))
        return add(.unary(builtins.count - 1), x, .constant(0))
    }

    /// Whether the globals of the built-ins called still hold them; if not, the code is
    /// made again at the next grad and this one leaves to the tape.
    @inline(__always)
    private func builtinsUnchanged(_ I: Interpreter) -> Bool {
        checkedEpoch == I.functionEpoch || builtinsStillHeld(I)
    }

    private func builtinsStillHeld(_ I: Interpreter) -> Bool {
        for e in builtins where !I.global(e.slot, holds: e.function) {
            proto.gradient = .untried
            return false
        }
        for e in reductions where !I.global(e.slot, holds: e.function) {
            proto.gradient = .untried
            return false
        }
        checkedEpoch = I.functionEpoch
        return true
    }

    /// `a op b`: computed now on two constants (as plain numbers are, outside the tape).
    /// Element-wise on a number and a vector, or two vectors of one length (no other
    /// broadcasting: the tape sums a broadcast axis in another order); `@` of a matrix global
    /// and a vector small enough for the plain product (Tensor.matmul's rule).
    private func binary(_ op: BinaryOperator, _ a: Operand, _ b: Operand) -> Operand? {
        if case .constant(let x) = a, case .constant(let y) = b {
            guard op != .matmul else { return nil }
            return .constant(Arithmetic.apply(op, x, y))
        }
        let sa = shape(a), sb = shape(b)
        switch op {
        case .add, .subtract, .multiply, .divide, .remainder, .power:
            guard sa.count <= 1, sb.count <= 1, sa.isEmpty || sb.isEmpty || sa == sb else { return nil }
            return add(.binary(op), a, b, shape: sa.isEmpty ? sb : sa)
        case .matmul:
            guard case .tensor(let k) = a, sa.count == 2, sb == [sa[1]], sa[0] * sa[1] <= BLAS.smallProduct else { return nil }
            return add(.matmul(k), b, .constant(0), shape: [sa[0]])
        }
    }

    private func add(_ operation: Operation, _ a: Operand, _ b: Operand, shape: [Int] = []) -> Operand {
        func traced(_ o: Operand) -> Bool {
            switch o {
            case .node(let k): return nodes[k].traced
            case .input: return true
            case .constant, .global, .tensor: return false
            }
        }
        let isElement: Bool = { if case .element = operation { return true } else { return false } }()
        nodes.append(Node(operation: operation, a: a, b: b, traced: isElement || traced(a) || traced(b), shape: shape))
        return .node(nodes.count - 1)
    }
}

/// A proto's tape-free gradient: made at the first `grad` of it, or known not to fit.
enum GradientState {
    case untried
    case ready(NumericGradient)
    case unsupported
}

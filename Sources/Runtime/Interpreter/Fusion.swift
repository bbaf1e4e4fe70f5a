// Fused element-wise expressions: `b1*m + (1-b1)*g` on large tensors is computed in one pass,
// block by block (numexpr's idea), instead of an array and a pass over memory per operator. Each
// element goes through the same IEEE operations in the same order as operator by operator, so
// the results are the same bits; only the memory traffic changes.
//
// The root operator of an arithmetic expression (built from operators, unary minus and calls of
// one argument) carries a FusionPlan (its chunk's FusionSite, Compiled/Chunk.swift). At its first
// evaluation the plan reads the leaves (variables and literals): numbers and tensors of one large
// shape, with an element-wise built-in wherever a call's callee is, run the block loop, and the
// root keeps fusing. Anything else (a leaf that cannot be read, a callee that is not such a
// built-in, a function where a number goes, small or mixed shapes) runs the operator-by-operator
// code that follows, which reads, calls and fails in the language's order, as if there were no
// plan; the root then evaluates itself that way from then on, paying one flag test (until it
// produces a large tensor, which makes it fuse). Reading the leaves first has no effect a program
// can see: a read runs no code, and one that fails is read again, in its turn, by that code.

import CKernels
import Lexer
import Parser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum FusionState { case plain, undecided, fusing }

final class FusionPlan {
    indirect enum Tree {
        case leaf(Int)
        case constant(Double)
        /// The operator, its operands and its scratch block.
        case binary(BinaryOperator, Tree, Tree, Int)
        case negate(Tree, Int)
        /// callee (a leaf), its argument and its scratch block.
        case call(Int, Tree, Int)
    }

    static let blockSize = 1024
    /// Below this many elements the operators' own loops are as fast.
    static let threshold = 1 << 14

    /// A leaf: a variable read (with its read's checks) or a literal.
    enum Leaf {
        case read(Place, ReadSite)
        case constant(Value)
    }

    let tree: Tree
    let leaves: [Leaf]
    /// Whether each leaf is a call's callee (an element-wise built-in, to fuse) or an operand
    /// (a number or a tensor).
    let callees: [Bool]
    let scratchCount: Int

    private init(tree: Tree, leaves: [Leaf], callees: [Bool], scratchCount: Int) {
        self.tree = tree
        self.leaves = leaves
        self.callees = callees
        self.scratchCount = scratchCount
    }

    /// The plan of an element-wise expression of two or more operations rooted at `e`.
    static func make(for e: ResolvedExpr) -> FusionPlan? {
        var planner = Planner()
        guard let tree = planner.build(e, root: true), planner.operations >= 2 else { return nil }
        return FusionPlan(tree: tree, leaves: planner.leaves, callees: planner.callees, scratchCount: planner.scratch)
    }

    private struct Planner {
        var leaves: [Leaf] = []
        var callees: [Bool] = []
        var scratch = 0, operations = 0

        mutating func leaf(_ e: ResolvedExpr, callee: Bool = false) -> Tree {
            callees.append(callee)
            switch e.kind {
            case .read(let place, let name): leaves.append(.read(place, ReadSite(name: name, range: e.range)))
            case .constant(let v): leaves.append(.constant(v))
            case .interpolation, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .call, .index,
                 .member, .function:
                leaves.append(.constant(.null))  // build() makes leaves of reads and literals only
            }
            return .leaf(leaves.count - 1)
        }

        mutating func next() -> Int {
            scratch += 1
            return scratch - 1
        }

        mutating func build(_ e: ResolvedExpr, root: Bool = false) -> Tree? {
            switch e.kind {
            case .binary(.matmul, _, _):
                return nil
            case .binary(let op, let l, let r):
                operations += 1
                if case .constant(.number(let y)) = r.kind {
                    guard let left = build(l) else { return nil }
                    return .binary(op, left, .constant(y), next())
                }
                guard let left = build(l), let right = build(r) else { return nil }
                return .binary(op, left, right, next())
            case .unary(.negate, let x):
                operations += 1
                guard let operand = build(x) else { return nil }
                return .negate(operand, next())
            case .unary(.plus, let x):
                return build(x)
            case .call(let callee, let positional, let labels, _) where positional.count == 1 && labels.isEmpty && callee.isRead:
                // Only an element-wise built-in fuses (fusableShape), so a global of another
                // name (`fib(n - 1) + fib(n - 2)`, a user's function) makes no plan: the root
                // would test it at every evaluation to find it plain. A local or a capture may
                // hold one passed in (`act(x * w + b)`).
                if case .read(.global, let name) = callee.kind, Builtins.byName[name]?.scalar == nil { return nil }
                operations += 1
                guard case .leaf(let k) = leaf(callee, callee: true), let x = build(positional[0]) else { return nil }
                return .call(k, x, next())
            case .read, .constant:
                // Leaves are reads of variables and literals only: reading them all before any
                // operator runs no code (the file's header).
                return root ? nil : leaf(e)
            case .interpolation, .tensor, .tuple, .comparison, .logical, .not, .range, .call, .index, .member, .function:
                // Anything else (a call, an index) keeps the expression on the ordinary path.
                return nil
            }
        }
    }

    /// The expression's value by one block loop when the leaves fit; nil otherwise (the
    /// operator-by-operator code runs). An undecided root becomes fusing or plain by what its
    /// leaves turned out to be.
    func evaluate(_ I: Interpreter, _ state: inout FusionState) -> Value? {
        guard let values = leafValues(I), let shape = fusableShape(values, I) else {
            if state == .undecided { state = .plain }
            return nil
        }
        state = .fusing
        return .tensor(run(values, shape))
    }

    /// The leaves' values, views gathered (once here, not by each operator that reads them);
    /// nil when one cannot be read (the operator-by-operator code reads it in its turn and says
    /// what is wrong).
    private func leafValues(_ I: Interpreter) -> [Value]? {
        var values: [Value] = []
        values.reserveCapacity(leaves.count)
        for leaf in leaves {
            do {
                values.append(try I.value(of: leaf).materialized)
            } catch {
                return nil
            }
        }
        return values
    }

    /// Whether a value the root produced the ordinary way makes fusing worth it from now on.
    static func worthFusing(_ v: Value) -> Bool {
        if case .tensor(let t) = v { return t.count >= threshold }
        return false
    }

    /// The common shape when every leaf is a number, a tensor of that shape (large enough) or an
    /// element-wise built-in in call position; nil otherwise.
    private func fusableShape(_ values: [Value], _ I: Interpreter) -> [Int]? {
        guard I.autodiff.tape == nil else { return nil }
        var shape: [Int]?
        for (v, callee) in zip(values, callees) {
            switch v {
            case .number where !callee: continue
            case .tensor(let t) where !callee:
                guard t.count >= FusionPlan.threshold, shape == nil || shape! == t.shape else { return nil }
                shape = t.shape
            case .function(let f) where callee:
                guard f.kind == .builtin, unsafeDowncast(f, to: BuiltinFunction.self).scalar != nil else { return nil }
            case .number, .tensor, .function, .view, .bool, .string, .tuple, .object, .null, .traced:
                // A number or tensor called, a function computed with: the operators say what is wrong.
                return nil
            }
        }
        return shape
    }

    // MARK: the block loop

    private enum Operand {
        case scalar(Double)
        case block(UnsafePointer<Double>)
    }

    private enum LeafOperand {
        case number(Double)
        case data(UnsafePointer<Double>)
        case function((Double) -> Double)
        /// sqrt, the common case, inline rather than through the table's closure.
        case squareRoot
    }

    /// `target op= expression` in one pass: the expression's blocks are combined straight into
    /// the target's buffer. nil when the operands do not fit (the caller takes the general path).
    func compound(_ I: Interpreter, _ target: VariableRef, _ op: BinaryOperator) throws(RuntimeError) -> Value? {
        guard op != .matmul, let values = leafValues(I), let shape = fusableShape(values, I),
              var old = I.take(target) else { return nil }
        guard case .tensor(var w) = old, w.shape == shape else {
            I.store(target, old)
            return nil
        }
        old = .null  // `w` alone holds the variable's buffer (a leaf may still share it: then it is copied)
        let leaves = leafOperands(values)
        var scratch = [Double](repeating: 0, count: (scratchCount + 1) * FusionPlan.blockSize)
        let n = w.count
        w.data.withUnsafeMutableBufferPointer { wp in
            scratch.withUnsafeMutableBufferPointer { s in
                let own = s.baseAddress! + scratchCount * FusionPlan.blockSize
                var start = 0
                while start < n {
                    let len = Swift.min(FusionPlan.blockSize, n - start)
                    let o = wp.baseAddress! + start
                    switch block(tree, leaves, start, len, s.baseAddress!, dest: own) {
                    case .scalar(let y): FusionPlan.apply(op, len, into: o) { i in (o[i], y) }
                    case .block(let q): FusionPlan.apply(op, len, into: o) { i in (o[i], q[i]) }
                    }
                    start += len
                }
            }
        }
        withExtendedLifetime(values) {}
        let v = Value.tensor(w)
        I.store(target, v)
        return v
    }

    private func leafOperands(_ values: [Value]) -> [LeafOperand] {
        var leaves: [LeafOperand] = []
        for v in values {
            switch v {
            case .number(let x): leaves.append(.number(x))
            case .tensor(let t): leaves.append(.data(t.data.withUnsafeBufferPointer { $0.baseAddress! }))
            case .function(let f) where f.name == "sqrt": leaves.append(.squareRoot)
            case .function(let f): leaves.append(.function(unsafeDowncast(f, to: BuiltinFunction.self).scalar!))
            case .bool, .string, .tuple, .object, .null, .traced, .view: leaves.append(.number(.nan))  // fusableShape let none through
            }
        }
        return leaves
    }

    private func run(_ values: [Value], _ shape: [Int]) -> Tensor {
        let n = shape.reduce(1, *)
        var scratch = [Double](repeating: 0, count: Swift.max(1, scratchCount) * FusionPlan.blockSize)
        // The tensors stay alive in `values` for the whole loop, so their buffers do not move.
        let leaves = leafOperands(values)
        let out = [Double](unsafeUninitializedCapacity: n) { buffer, count in
            scratch.withUnsafeMutableBufferPointer { s in
                var start = 0
                while start < n {
                    let len = Swift.min(FusionPlan.blockSize, n - start)
                    let result = block(tree, leaves, start, len, s.baseAddress!, dest: buffer.baseAddress! + start)
                    if case .scalar(let x) = result {
                        for i in 0..<len { buffer[start + i] = x }
                    }
                    start += len
                }
            }
            count = n
        }
        withExtendedLifetime(values) {}
        return Tensor(shape: shape, data: out)
    }

    /// One block of `t`: a scalar, or a pointer to `len` values (in `dest` for the root).
    private func block(_ t: Tree, _ leaves: [LeafOperand], _ start: Int, _ len: Int,
                       _ scratch: UnsafeMutablePointer<Double>, dest: UnsafeMutablePointer<Double>? = nil) -> Operand {
        switch t {
        case .leaf(let k):
            switch leaves[k] {
            case .number(let x): return .scalar(x)
            case .data(let p): return .block(p + start)
            case .function, .squareRoot: return .scalar(.nan)  // fusableShape lets none through
            }
        case .constant(let x):
            return .scalar(x)
        case .binary(let op, let l, let r, let slot):
            let a = block(l, leaves, start, len, scratch), b = block(r, leaves, start, len, scratch)
            let o = dest ?? scratch + slot * FusionPlan.blockSize
            switch (a, b) {
            case (.scalar(let x), .scalar(let y)):
                return .scalar(Arithmetic.apply(op, x, y))
            case (.block(let p), .scalar(let y)):
                // Arithmetic.power's square, vectorized.
                if op == .power, y == 2 {
                    optrepl_block(Int32(OPTREPL_SQUARE), len, p, 0, nil, 0, o)
                } else if let code = FusionPlan.vectorCode(op) {
                    optrepl_block(code, len, p, 0, nil, y, o)
                } else {
                    FusionPlan.apply(op, len, into: o) { i in (p[i], y) }
                }
            case (.scalar(let x), .block(let q)):
                if let code = FusionPlan.vectorCode(op) {
                    optrepl_block(code, len, nil, x, q, 0, o)
                } else {
                    FusionPlan.apply(op, len, into: o) { i in (x, q[i]) }
                }
            case (.block(let p), .block(let q)):
                if let code = FusionPlan.vectorCode(op) {
                    optrepl_block(code, len, p, 0, q, 0, o)
                } else {
                    FusionPlan.apply(op, len, into: o) { i in (p[i], q[i]) }
                }
            }
            return .block(UnsafePointer(o))
        case .negate(let x, let slot):
            let o = dest ?? scratch + slot * FusionPlan.blockSize
            switch block(x, leaves, start, len, scratch) {
            case .scalar(let v): return .scalar(-v)
            case .block(let p): optrepl_block(Int32(OPTREPL_NEGATE), len, p, 0, nil, 0, o)
            }
            return .block(UnsafePointer(o))
        case .call(let k, let x, let slot):
            let o = dest ?? scratch + slot * FusionPlan.blockSize
            let operand = block(x, leaves, start, len, scratch)
            switch (leaves[k], operand) {
            case (.squareRoot, .scalar(let v)): return .scalar(v.squareRoot())
            case (.squareRoot, .block(let p)): optrepl_block(Int32(OPTREPL_SQRT), len, p, 0, nil, 0, o)
            case (.function(let f), .scalar(let v)): return .scalar(f(v))
            case (.function(let f), .block(let p)): for i in 0..<len { o[i] = f(p[i]) }
            case (.number, _), (.data, _): return .scalar(.nan)  // fusableShape lets none through
            }
            return .block(UnsafePointer(o))
        }
    }

    /// The C kernel's code for the four operations it vectorizes.
    private static func vectorCode(_ op: BinaryOperator) -> Int32? {
        switch op {
        case .add: return Int32(OPTREPL_ADD)
        case .subtract: return Int32(OPTREPL_SUBTRACT)
        case .multiply: return Int32(OPTREPL_MULTIPLY)
        case .divide: return Int32(OPTREPL_DIVIDE)
        case .remainder, .power, .matmul: return nil
        }
    }

    @inline(__always)
    private static func apply(_ op: BinaryOperator, _ len: Int, into o: UnsafeMutablePointer<Double>,
                              _ operands: (Int) -> (Double, Double)) {
        Arithmetic.withRule(op) { f in for i in 0..<len { let (x, y) = operands(i); o[i] = f(x, y) } }
    }
}

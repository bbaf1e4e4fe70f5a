// The tape of reverse-mode differentiation: while `grad` evaluates f, every operation on a
// traced value appends one entry (what was done, to which entries, and its primal result).
// Walking the entries backwards then carries the adjoints from f's result to its inputs.

import Parser

/// A traced number or tensor as the program holds it: an entry of the active tape. Values
/// are small (no allocation per operation); the primal lives on the tape.
public struct TracedRef: Sendable {
    let node: Int32
    /// Which `grad` call recorded it: a value that escaped an earlier call is detected.
    let generation: UInt32
}

/// Element-wise functions with a derivative (spec §9.7), as PyTorch differentiates them.
public enum UnaryDerivative: Sendable {
    case abs, sqrt, exp, log, log2, log10, sin, cos, tan, tanh, sigmoid, relu, softplus
}

/// One recorded operation. Operands are entry numbers; -1 marks a constant whose value the
/// backward rule does not need.
enum TapeOp {
    /// A leaf of grad's x.
    case input
    /// A value that does not depend on x but that a rule reads (a factor of a product).
    case constant
    /// An element-wise operator of the rule table (ElementRules.swift); never `@`.
    case binary(BinaryOperator, Int, Int)
    case negate(Int)
    case matmul(Int, Int)
    case unary(Int, UnaryDerivative)
    case sum(Int, axis: Int?, keepdims: Bool)
    case mean(Int, axis: Int?, keepdims: Bool)
    /// max/min as a reduction: the gradient is shared evenly among the elements that tie.
    case extremum(Int, axis: Int?, keepdims: Bool)
    /// max/min of two arguments element by element: ties share the gradient half and half.
    case pairExtremum(Int, Int, max: Bool)
    case norm(Int, p: Double)
    case transpose(Int)
    case reshape(Int)
    /// Indexing and slicing: the flat offsets of the selected elements, in result order.
    case gather(Int, offsets: [Int])
    /// `w[i]` or `W[i, j]`: one element.
    case element(Int, offset: Int)
    /// A tensor built from parts (a literal `[a, b]`, a tree flattened for `norm`): each
    /// part's elements in order.
    case pieces([(node: Int, count: Int)])
    /// clip(x, lo, hi): the gradient passes where lo <= x <= hi.
    case clip(Int, lo: Tensor, hi: Tensor)
    /// where(cond, a, b).
    case select(Tensor, Int, Int)
    /// A built-in objective of a 2-vector, by its hand-written gradient.
    case objective(Int, Objective)
    /// bowl(w, scales): the gradient is scales·w.
    case bowl(Int, scales: Tensor)
}

final class Tape {
    // Only the evaluator touches a tape, never through overlapping accesses: no dynamic
    // exclusivity checks on the hot arrays.
    @exclusivity(unchecked) private(set) var generation: UInt32 = 0
    @exclusivity(unchecked) private(set) var ops: [TapeOp] = []
    @exclusivity(unchecked) private(set) var primals: [Value] = []
    /// Whether an entry depends on x: rules skip the adjoints of everything else.
    @exclusivity(unchecked) private(set) var needsGrad: [Bool] = []
    /// The backward pass's adjoints, kept between calls for their capacity.
    @exclusivity(unchecked) var adjoints: [Value?] = []
    /// Autocast (spec §15.3): every recorded result, input, constant and adjoint is rounded to
    /// this format once, as a half-precision kernel stores its output; nil in float64.
    var rounding: BinaryFormat?

    /// Starts a new recording, invalidating every traced value of the previous one.
    func begin() {
        generation &+= 1
        ops.removeAll(keepingCapacity: true)
        primals.removeAll(keepingCapacity: true)
        needsGrad.removeAll(keepingCapacity: true)
    }

    /// Drops the recording's values once the gradient is out (they may be large tensors).
    func end() {
        generation &+= 1
        adjoints.removeAll(keepingCapacity: true)
        ops.removeAll(keepingCapacity: true)
        primals.removeAll(keepingCapacity: true)
        needsGrad.removeAll(keepingCapacity: true)
    }

    var count: Int { ops.count }

    func primal(_ r: TracedRef) throws(RuntimeError) -> Value {
        guard r.generation == generation, Int(r.node) < primals.count else { throw RuntimeError.escapedTracer }
        return primals[Int(r.node)]
    }

    @inline(__always)
    func append(_ op: TapeOp, _ primal: Value, needsGrad: Bool) -> Int {
        ops.append(op)
        primals.append(primal)
        self.needsGrad.append(needsGrad)
        return ops.count - 1
    }

    /// Records `op` with its result. Only operations with a traced operand are recorded,
    /// and every traced value needs a gradient, so the result is traced too.
    @inline(__always)
    func record(_ op: TapeOp, _ primal: Value) -> Value {
        let id = append(op, rounded(primal.materialized), needsGrad: true)
        return .traced(TracedRef(node: Int32(id), generation: generation))
    }

    @inline(__always)
    func needs(_ k: Int) -> Bool { k >= 0 && needsGrad[k] }

    /// A new leaf of x.
    func input(_ primal: Value) -> Value {
        let id = append(.input, rounded(primal), needsGrad: true)
        return .traced(TracedRef(node: Int32(id), generation: generation))
    }

    /// The entry of an operand: its own for a traced value, a new constant entry otherwise.
    func entry(_ v: Value) throws(RuntimeError) -> (Value, Int) {
        if case .traced(let r) = v { return (try primal(r), Int(r.node)) }
        let v = rounded(v.materialized)  // the backward rules read constants as tensors
        return (v, append(.constant, v, needsGrad: false))
    }

    /// The entry of an operand whose value no rule needs when it is a constant.
    func entryOrNone(_ v: Value) throws(RuntimeError) -> (Value, Int) {
        if case .traced(let r) = v { return (try primal(r), Int(r.node)) }
        return (rounded(v.materialized), -1)
    }

    /// A number or tensor in the autocast format (unchanged in float64).
    @inline(__always)
    func rounded(_ v: Value) -> Value {
        guard let format = rounding else { return v }
        return BinaryFormat.rounded(v, format)
    }
}

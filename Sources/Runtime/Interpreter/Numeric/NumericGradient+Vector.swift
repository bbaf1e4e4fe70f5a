// The vector half of the tape-free gradient (NumericGradient.swift): code that uses w whole,
// tensor globals, `@` of a matrix global and a vector, and the full sum and mean
// (`mean((A @ w - y) ^ 2)`). Each node is a number or a vector in one buffer. The forward pass
// computes it with the rule the tensor operation runs (Arithmetic's, Tensor.plainProduct,
// Tensor.contiguousSum and contiguousMean); the backward pass gives each operand its adjoint
// as Backward.swift does, in the tape's order: an adjoint is set by its first contribution
// and added to after; a number operand of a vector result gets the pairwise sum of its
// contributions (the tape's unbroadcast); w's gradient takes the whole and element
// contributions in the order the tape's input entry receives them.

import Parser

/// The layout of vector code: where each node, global, tensor and w sit in `primal`, and the
/// steps that read them.
struct VectorLayout {
    /// Where an operand's adjoint goes: nowhere (constants, globals, untraced nodes), to a
    /// node's adjoint, or to w's gradient.
    enum Target: Equatable {
        case none
        case node(Int)
        case input
    }

    struct Step {
        enum Kind { case element, binary, negate, unary, matmul, sum, mean }
        var kind: Kind
        var op: BinaryOperator = .add
        /// element: the offset in w; unary: the built-in's index; matmul: the matrix's offset in `primal`.
        var index = 0
        /// The result's offset (in `primal` and `adjoint`), its elements, and whether it is a vector.
        var out = 0, width = 1
        var vector = false
        /// The operands' offsets, 1 for a vector and 0 for a number (element i of the result
        /// reads element i * stride); a's elements (sum, mean, the columns of `@`).
        var a = 0, aStride = 0, aWidth = 1
        var b = 0, bStride = 0
        var aTarget = Target.none, bTarget = Target.none
    }

    var steps: [Step] = []
    /// Each node's offset in `primal` (and in `adjoint`).
    var offsets: [Int] = []
    var globalBase = 0
    var tensorBases: [Int] = []
    var inputBase = 0
    var outputSlot = 0
    /// The most elements of any node or operand: the scratch's size, and what the tape's
    /// tensors would count against --max-elements.
    var widest = 0
}

extension NumericGradient {
    /// Lays out `primal` and the steps of vector code.
    func flattenVector() {
        var layout = VectorLayout()
        var size = 0
        for n in nodes {
            layout.offsets.append(size)
            size += n.shape.first ?? 1
        }
        let nodeArea = size
        layout.globalBase = size
        size += globalSlots.count
        for t in tensors {
            layout.tensorBases.append(size)
            size += t.shape.reduce(1, *)
        }
        layout.inputBase = size
        size += count
        var constants: [(slot: Int, value: Double)] = []
        func slot(_ o: Operand) -> Int {
            switch o {
            case .node(let k): return layout.offsets[k]
            case .global(let k): return layout.globalBase + k
            case .tensor(let k): return layout.tensorBases[k]
            case .input: return layout.inputBase
            case .constant(let x):
                constants.append((size, x))
                size += 1
                return size - 1
            }
        }
        func target(_ o: Operand) -> VectorLayout.Target {
            switch o {
            case .node(let k): return nodes[k].traced ? .node(k) : .none
            case .input: return .input
            case .constant, .global, .tensor: return .none
            }
        }
        layout.widest = count
        for n in nodes {
            var step = VectorLayout.Step(kind: .element)
            step.out = slot(.node(layout.steps.count))
            step.width = n.shape.first ?? 1
            step.vector = !n.shape.isEmpty
            step.a = slot(n.a)
            step.aStride = shape(n.a).isEmpty ? 0 : 1
            step.aWidth = shape(n.a).first ?? 1
            step.b = slot(n.b)
            step.bStride = shape(n.b).isEmpty ? 0 : 1
            step.aTarget = target(n.a)
            step.bTarget = target(n.b)
            switch n.operation {
            case .element(let offset): step.index = offset
            case .binary(let op): step.kind = .binary; step.op = op
            case .negate: step.kind = .negate
            case .unary(let k): step.kind = .unary; step.index = k
            case .matmul(let k): step.kind = .matmul; step.index = layout.tensorBases[k]
            case .sum: step.kind = .sum
            case .mean: step.kind = .mean
            }
            layout.widest = max(layout.widest, step.width, step.aWidth)
            layout.steps.append(step)
        }
        switch output {
        case .node, .constant, .global: layout.outputSlot = slot(output)
        case .tensor, .input: break  // f giving a vector is left to the tape (code(for:))
        }
        setScratch(values: size, constants: constants, adjoints: nodeArea)
        scratch = [Double](repeating: 0, count: layout.widest)
        present = [Bool](repeating: false, count: nodes.count)
        vector = layout
    }

    /// `run` for vector code: the globals and tensors read now, then the passes; nil when a
    /// global is no longer a number or a tensor of the shape the code was made for, or the
    /// tape's tensors would exceed --max-elements (the tape then runs and reports).
    func runVector(_ w: UnsafeBufferPointer<Double>, _ grad: UnsafeMutableBufferPointer<Double>, _ I: Interpreter) -> Double? {
        guard vector.widest <= I.maxElements else { return nil }
        for (k, slot) in globalSlots.enumerated() {
            guard case .number(let x)? = I.variable(slot) else { return nil }
            primal[vector.globalBase + k] = x
        }
        for (k, t) in tensors.enumerated() {
            guard case .tensor(let value)? = I.variable(t.slot), value.shape == t.shape else { return nil }
            let base = vector.tensorBases[k]
            value.data.withUnsafeBufferPointer { src in
                for i in src.indices { primal[base + i] = src[i] }
            }
        }
        let inputBase = vector.inputBase
        for i in 0..<count { primal[inputBase + i] = w[i] }
        let v = primal.baseAddress!
        return present.withUnsafeMutableBufferPointer { present in
            scratch.withUnsafeMutableBufferPointer { c in
                vector.steps.withUnsafeBufferPointer { steps in
                    forward(w, v, steps)
                    guard case .node(let out) = output, nodes[out].traced else { return v[vector.outputSlot] }
                    backward(from: out, grad, v, adjoint.baseAddress!, present, c.baseAddress!, steps)
                    return v[vector.outputSlot]
                }
            }
        }
    }

    private func forward(_ w: UnsafeBufferPointer<Double>, _ v: UnsafeMutablePointer<Double>,
                         _ steps: UnsafeBufferPointer<VectorLayout.Step>) {
        for s in steps {
            switch s.kind {
            case .element:
                v[s.out] = w[s.index]
            case .binary:
                for i in 0..<s.width { v[s.out + i] = Arithmetic.apply(s.op, v[s.a + i * s.aStride], v[s.b + i * s.bStride]) }
            case .negate:
                for i in 0..<s.width { v[s.out + i] = -v[s.a + i] }
            case .unary:
                v[s.out] = builtins[s.index].apply(v[s.a])
            case .matmul:
                for i in 0..<s.width { v[s.out + i] = 0 }
                Tensor.plainProduct(v + s.index, rowStride: s.aWidth, columnStride: 1, v + s.a, into: v + s.out,
                                    m: s.width, k: s.aWidth, n: 1)
            case .sum:
                v[s.out] = Tensor.contiguousSum(UnsafeBufferPointer(start: v + s.a, count: s.aWidth), 0, s.aWidth)
            case .mean:
                v[s.out] = Tensor.contiguousMean(UnsafeBufferPointer(start: v + s.a, count: s.aWidth))
            }
        }
    }

    /// The adjoints from the output (d output = 1) back to w, into `grad` (zeros).
    private func backward(from out: Int, _ grad: UnsafeMutableBufferPointer<Double>, _ v: UnsafeMutablePointer<Double>,
                          _ adjoint: UnsafeMutablePointer<Double>, _ present: UnsafeMutableBufferPointer<Bool>,
                          _ c: UnsafeMutablePointer<Double>, _ steps: UnsafeBufferPointer<VectorLayout.Step>) {
        for k in 0...out { present[k] = false }
        adjoint[steps[out].out] = 1
        present[out] = true
        var gradGiven = false
        /// Gives the n contributions in c to `target` (Backward.accumulate): a number operand
        /// of a vector result (`reduce`) gets their pairwise sum, as the tape's unbroadcast.
        func give(_ target: VectorLayout.Target, _ n: Int, reduce: Bool) {
            switch target {
            case .none:
                return
            case .input:
                if gradGiven {
                    for i in 0..<n { grad[i] += c[i] }
                } else {
                    for i in 0..<n { grad[i] = c[i] }
                    gradGiven = true
                }
            case .node(let j):
                let o = steps[j].out
                if reduce {
                    let x = Tensor.contiguousSum(UnsafeBufferPointer(start: c, count: n), 0, n)
                    adjoint[o] = present[j] ? adjoint[o] + x : x
                } else if present[j] {
                    for i in 0..<n { adjoint[o + i] += c[i] }
                } else {
                    for i in 0..<n { adjoint[o + i] = c[i] }
                }
                present[j] = true
            }
        }
        for k in stride(from: out, through: 0, by: -1) where present[k] {
            let s = steps[k], g = adjoint + s.out
            switch s.kind {
            case .element:
                if gradGiven {
                    grad[s.index] += g[0]
                } else {
                    grad[s.index] = g[0]
                    gradGiven = true
                }
            case .binary:
                if s.aTarget != .none {
                    for i in 0..<s.width { c[i] = Arithmetic.adjointLeft(s.op, g[i], v[s.a + i * s.aStride], v[s.b + i * s.bStride]) }
                    give(s.aTarget, s.width, reduce: s.vector && s.aStride == 0)
                }
                if s.bTarget != .none {
                    for i in 0..<s.width { c[i] = Arithmetic.adjointRight(s.op, g[i], v[s.a + i * s.aStride], v[s.b + i * s.bStride]) }
                    give(s.bTarget, s.width, reduce: s.vector && s.bStride == 0)
                }
            case .negate:
                for i in 0..<s.width { c[i] = -g[i] }
                give(s.aTarget, s.width, reduce: false)
            case .unary:
                c[0] = builtins[s.index].derivative.adjoint(g[0], x: v[s.a], out: v[s.out])
                give(s.aTarget, 1, reduce: false)
            case .matmul:
                // dB = Aᵀ G (Backward.matmulBackward): A's transpose read in place.
                for i in 0..<s.aWidth { c[i] = 0 }
                Tensor.plainProduct(v + s.index, rowStride: 1, columnStride: s.aWidth, g, into: c, m: s.aWidth, k: s.width, n: 1)
                give(s.aTarget, s.aWidth, reduce: false)
            case .sum:
                for i in 0..<s.aWidth { c[i] = g[0] }
                give(s.aTarget, s.aWidth, reduce: false)
            case .mean:
                let n = Double(s.aWidth)
                for i in 0..<s.aWidth { c[i] = Interpreter.meanAdjoint(g[0], over: n) }
                give(s.aTarget, s.aWidth, reduce: false)
            }
        }
    }
}

// Scalar code of the tape-free gradient (NumericGradient.swift): every node a number. Which
// adjoints the backward pass sets, adds to or skips depends on the code alone (an adjoint is
// set by its first contribution and added to by the next; a node that gets none passes
// nothing on), so it is worked out once here, in the tape's order, and a call runs the
// forward steps and then a straight list of backward steps. A call for the gradient alone
// (grad in a loop) computes only the values the backward rules read: `sin(3 * x)` needs
// 3 * x, whose cosine its rule takes, but not its own sine.

import Parser

/// The steps of scalar code: operands are indices into `primal`, which holds the nodes'
/// values, then the constants (written once), then the globals (written per call), so reading
/// an operand is one load, with no case to tell apart.
struct ScalarLayout {
    struct Step {
        enum Kind { case element, binary, negate, unary }
        var kind: Kind
        var op: BinaryOperator
        /// The element's offset in w, or the built-in's index in `builtins`.
        var index: Int
        /// The node's own index (its value's and adjoint's place), and its operands' places.
        var out: Int
        var a: Int
        var b: Int
        /// Whether a and b are nodes that get an adjoint (traced ones).
        var aTraced: Bool
        var bTraced: Bool
        /// Whether this step's contribution is the first a (or b) gets: it sets the adjoint
        /// rather than adding to it. For an element: the first contribution to the gradient.
        var aFirst = false
        var bFirst = false
    }

    // The three lists are built here and run from NumericGradient.steps.
    /// Every node in order: what a call for the value runs.
    var steps: [Step] = []
    /// The nodes whose values the backward rules read, and those they are computed from.
    var gradientSteps: [Step] = []
    /// The nodes that pass an adjoint on, from the output down.
    var backwardSteps: [Step] = []
    /// Where the three lists are in NumericGradient.steps, one after the other.
    var all = 0..<0, gradient = 0..<0, backward = 0..<0
    /// Where the globals' values start in `primal`, and where the output's value is.
    var globalBase = 0
    var outputSlot = 0
}

extension NumericGradient {
    /// Makes the steps and lays out `primal` from `nodes`.
    func flatten() {
        var layout = ScalarLayout()
        var constants: [Double] = []
        func slot(_ o: Operand) -> Int {
            switch o {
            case .node(let k): return k
            case .constant(let x):
                constants.append(x)
                return nodes.count + constants.count - 1
            case .global: return -1  // placed below, once the constants are counted
            case .tensor, .input: return -1  // vector code only (flattenVector)
            }
        }
        func traced(_ o: Operand) -> Bool {
            if case .node(let k) = o { return nodes[k].traced }
            return false
        }
        var globalOperands: [(step: Int, isA: Bool, k: Int)] = []
        for (i, n) in nodes.enumerated() {
            var step = ScalarLayout.Step(kind: .element, op: .add, index: 0, out: i, a: slot(n.a), b: slot(n.b),
                                         aTraced: traced(n.a), bTraced: traced(n.b))
            switch n.operation {
            case .element(let offset): step.index = offset
            case .binary(let op): step.kind = .binary; step.op = op
            case .negate: step.kind = .negate
            case .unary(let k): step.kind = .unary; step.index = k
            case .matmul, .sum, .mean: break  // vector code only (flattenVector)
            }
            if case .global(let k) = n.a { globalOperands.append((i, true, k)) }
            if case .global(let k) = n.b { globalOperands.append((i, false, k)) }
            layout.steps.append(step)
        }
        switch output {
        case .node(let k): layout.outputSlot = k
        case .constant(let x):
            constants.append(x)
            layout.outputSlot = nodes.count + constants.count - 1
        case .global, .tensor, .input: break
        }
        layout.globalBase = nodes.count + constants.count
        if case .global(let k) = output { layout.outputSlot = layout.globalBase + k }
        for (i, isA, k) in globalOperands {
            if isA { layout.steps[i].a = layout.globalBase + k } else { layout.steps[i].b = layout.globalBase + k }
        }
        if case .node(let out) = output, nodes[out].traced { planBackward(from: out, &layout) }
        setScratch(values: layout.globalBase + globalSlots.count,
                   constants: constants.enumerated().map { (nodes.count + $0.offset, $0.element) }, adjoints: nodes.count)
        layout.all = 0..<layout.steps.count
        layout.gradient = layout.all.upperBound..<(layout.all.upperBound + layout.gradientSteps.count)
        layout.backward = layout.gradient.upperBound..<(layout.gradient.upperBound + layout.backwardSteps.count)
        steps.deallocate()
        steps = .allocate(capacity: max(layout.backward.upperBound, 1))
        _ = steps.initialize(from: layout.steps + layout.gradientSteps + layout.backwardSteps)
        scalarCode = layout
    }

    /// The backward steps as the tape's pass meets them, and the values their rules read.
    private func planBackward(from out: Int, _ layout: inout ScalarLayout) {
        var present = [Bool](repeating: false, count: nodes.count)
        var needed = [Bool](repeating: false, count: nodes.count)
        present[out] = true
        var gradGiven = false
        func read(_ slot: Int) { if slot < nodes.count { needed[slot] = true } }
        func give(_ slot: Int) -> Bool {
            defer { present[slot] = true }
            return !present[slot]
        }
        for k in stride(from: out, through: 0, by: -1) where present[k] {
            var s = layout.steps[k]
            switch s.kind {
            case .element:
                s.aFirst = !gradGiven
                gradGiven = true
            case .binary:
                if Arithmetic.adjointsReadOperands(s.op) {
                    read(s.a)
                    read(s.b)
                }
                if s.aTraced { s.aFirst = give(s.a) }
                if s.bTraced { s.bFirst = give(s.b) }
            case .negate:
                if s.aTraced { s.aFirst = give(s.a) }
            case .unary:
                read(builtins[s.index].derivative.adjointReadsOutput ? k : s.a)
                if s.aTraced { s.aFirst = give(s.a) }
            }
            layout.backwardSteps.append(s)
        }
        // A needed value needs its operands' (always earlier nodes).
        for k in stride(from: nodes.count - 1, through: 0, by: -1) where needed[k] {
            let s = layout.steps[k]
            switch s.kind {
            case .element: break
            case .binary:
                read(s.a)
                read(s.b)
            case .negate, .unary: read(s.a)
            }
        }
        layout.gradientSteps = layout.steps.filter { needed[$0.out] }
    }

    // MARK: running

    /// f(w) and its gradient, as the tape computes them; nil when a global read is no longer
    /// a number (the tape then runs, and reports what it reports).
    func valueAndGradient(_ w: UnsafeBufferPointer<Double>, _ I: Interpreter) -> (Double, [Double])? {
        var grad = [Double](repeating: 0, count: count)
        guard let value = grad.withUnsafeMutableBufferPointer({ run(w, $0, I, value: true) }) else { return nil }
        return (value, grad)
    }

    /// f's gradient at w written into `grad` (w.count elements), as valueAndGradient computes
    /// it, with no array made; false when a global read is no longer a number.
    func gradient(at w: UnsafeBufferPointer<Double>, into grad: UnsafeMutableBufferPointer<Double>, _ I: Interpreter) -> Bool {
        grad.update(repeating: 0)
        return run(w, grad, I, value: false) != nil
    }

    /// f(x) and its derivative for a function of one number, with no array made per call.
    func valueAndDerivative(_ x: Double, _ I: Interpreter) -> (Double, Double)? {
        guard let (value, d) = scalarRun(x, I, value: true) else { return nil }
        return (value, d)
    }

    /// f's derivative at the number x, as valueAndDerivative computes it, without the value.
    func derivative(_ x: Double, _ I: Interpreter) -> Double? {
        scalarRun(x, I, value: false)?.derivative
    }

    private func scalarRun(_ x: Double, _ I: Interpreter, value: Bool) -> (value: Double, derivative: Double)? {
        var x = x, d = 0.0
        let v = withUnsafePointer(to: &x) { xp in
            withUnsafeMutablePointer(to: &d) { dp in
                run(UnsafeBufferPointer(start: xp, count: 1), UnsafeMutableBufferPointer(start: dp, count: 1), I, value: value)
            }
        }
        guard let v else { return nil }
        return (v, d)
    }

    /// Runs the code at w, writing the gradient into `grad` (zeros, `count` of them); without
    /// `value`, the number returned means nothing.
    private func run(_ w: UnsafeBufferPointer<Double>, _ grad: UnsafeMutableBufferPointer<Double>, _ I: Interpreter,
                     value: Bool) -> Double? {
        if usesVectors { return runVector(w, grad, I) }
        let base = scalarCode.globalBase
        for (k, slot) in globalSlots.enumerated() {
            guard case .number(let x)? = I.variable(slot) else { return nil }
            primal[base + k] = x
        }
        return run(w, grad, primal, adjoint, UnsafeBufferPointer(rebasing: steps[value ? scalarCode.all : scalarCode.gradient]),
                   UnsafeBufferPointer(rebasing: steps[scalarCode.backward]))
    }

    @inline(__always)
    private func run(_ w: UnsafeBufferPointer<Double>, _ grad: UnsafeMutableBufferPointer<Double>,
                     _ v: UnsafeMutableBufferPointer<Double>, _ adjoint: UnsafeMutableBufferPointer<Double>,
                     _ forward: UnsafeBufferPointer<ScalarLayout.Step>, _ backward: UnsafeBufferPointer<ScalarLayout.Step>) -> Double {
        for n in forward {
            switch n.kind {
            case .element: v[n.out] = w[n.index]
            case .binary: v[n.out] = Arithmetic.apply(n.op, v[n.a], v[n.b])
            case .negate: v[n.out] = -v[n.a]
            case .unary: v[n.out] = builtins[n.index].apply(v[n.a])
            }
        }
        if let output = backward.first { adjoint[output.out] = 1 }
        // An operand's adjoint: set by its first contribution, then added to (Backward.accumulate).
        @inline(__always) func give(_ j: Int, first: Bool, _ x: Double) {
            adjoint[j] = first ? x : adjoint[j] + x
        }
        for n in backward {
            let g = adjoint[n.out]
            switch n.kind {
            case .element:
                if n.aFirst { grad[n.index] = g } else { grad[n.index] += g }
            case .binary:
                let x = v[n.a], y = v[n.b]
                if n.aTraced { give(n.a, first: n.aFirst, Arithmetic.adjointLeft(n.op, g, x, y)) }
                if n.bTraced { give(n.b, first: n.bFirst, Arithmetic.adjointRight(n.op, g, x, y)) }
            case .negate:
                if n.aTraced { give(n.a, first: n.aFirst, -g) }
            case .unary:
                if n.aTraced { give(n.a, first: n.aFirst, builtins[n.index].derivative.adjoint(g, x: v[n.a], out: v[n.out])) }
            }
        }
        return v[scalarCode.outputSlot]
    }
}

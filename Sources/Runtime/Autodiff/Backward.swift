// The backward half of `grad`: adjoints flow from f's result to the inputs, entry by entry
// in reverse. Each rule is PyTorch's (spec §14.5), written in the same order of operations
// where that order decides the last bit.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Interpreter {
    /// The adjoint of every entry up to `output`, given d output = 1.
    func backward(_ tape: Tape, from output: Int) throws(RuntimeError) -> [Value?] {
        var adj = tape.adjoints
        tape.adjoints = []
        adj.removeAll(keepingCapacity: true)
        adj.append(contentsOf: repeatElement(nil, count: tape.count))
        switch tape.primals[output] {
        case .tensor(let t): adj[output] = .tensor(Tensor(repeating: 1, shape: t.shape))
        default: adj[output] = .number(1)
        }
        for i in stride(from: output, through: 0, by: -1) {
            guard let g = adj[i] else { continue }
            let op = tape.ops[i]
            if case .input = op { continue }
            adj[i] = nil  // interior adjoints are not needed once passed on
            try propagate(op, g, output: tape.primals[i], tape, &adj)
        }
        return adj
    }

    private func propagate(_ op: TapeOp, _ g: Value, output out: Value, _ tape: Tape,
                           _ adj: inout [Value?]) throws(RuntimeError) {
        func x(_ k: Int) -> Value { tape.primals[k] }
        func give(_ k: Int, _ v: @autoclosure () throws(RuntimeError) -> Value) throws(RuntimeError) {
            guard tape.needs(k) else { return }
            try accumulate(&adj, k, try v(), tape)
        }
        switch op {
        case .input, .constant:
            return
        // The table's adjoints of + and - (g and -g) read no operand, which may be a constant
        // left off the tape (-1): they are given without one, and g without a copy.
        case .binary(.add, let a, let b):
            try give(a, g)
            try give(b, g)
        case .binary(.subtract, let a, let b):
            try give(a, g)
            try give(b, try unary(.negate, g))
        // The other rows of the table, each zipping only the operands its rule reads (a constant
        // operand is not broadcast for a rule that ignores it); the unread one is passed as nan.
        case .binary(.multiply, let a, let b):
            try give(a, try zipped(g, x(b)) { g, q in Arithmetic.adjointLeft(.multiply, g, .nan, q) })
            try give(b, try zipped(g, x(a)) { g, p in Arithmetic.adjointRight(.multiply, g, p, .nan) })
        case .binary(.divide, let a, let b):
            try give(a, try zipped(g, x(b)) { g, q in Arithmetic.adjointLeft(.divide, g, .nan, q) })
            try give(b, try zipped(g, x(a), x(b)) { g, p, q in Arithmetic.adjointRight(.divide, g, p, q) })
        case .binary(.remainder, let a, let b):
            try give(a, g)
            try give(b, try zipped(g, x(a), x(b)) { g, p, q in Arithmetic.adjointRight(.remainder, g, p, q) })
        case .binary(.power, let a, let b):
            try give(a, try zipped(g, x(a), x(b)) { g, p, q in Arithmetic.adjointLeft(.power, g, p, q) })
            try give(b, try zipped(g, x(a), x(b)) { g, p, q in Arithmetic.adjointRight(.power, g, p, q) })
        case .binary(.matmul, let a, let b):
            try matmulBackward(g, x(a), x(b), a, b, tape, &adj)
        case .negate(let a):
            try give(a, try unary(.negate, g))
        case .matmul(let a, let b):
            try matmulBackward(g, x(a), x(b), a, b, tape, &adj)
        case .unary(let a, let d):
            try give(a, try unaryBackward(d, g, x(a), out))
        case .sum(let a, let axis, let keepdims):
            try give(a, try expand(g, to: x(a), axis: axis, keepdims: keepdims))
        case .mean(let a, let axis, let keepdims):
            let n = Double(axis.map { tensorShape(x(a))[$0] } ?? tensorCount(x(a)))
            try give(a, try zipped(try expand(g, to: x(a), axis: axis, keepdims: keepdims), .number(n), Interpreter.meanAdjoint))
        case .extremum(let a, let axis, let keepdims):
            try give(a, try extremumBackward(g, x(a), out, axis: axis, keepdims: keepdims))
        case .pairExtremum(let a, let b, let max):
            // Ties share the gradient half and half, as torch.maximum does.
            try give(a, try zipped(g, x(a), x(b)) { g, p, q in p == q ? g / 2 : ((p > q) == max ? g : 0) })
            try give(b, try zipped(g, x(b), x(a)) { g, p, q in p == q ? g / 2 : ((p > q) == max ? g : 0) })
        case .norm(let a, let p):
            try give(a, try normBackward(g, x(a), out, p))
        case .transpose(let a):
            guard case .tensor(let t) = g else { return try give(a, g) }
            try give(a, .tensor(t.transposed()))
        case .reshape(let a):
            try give(a, reshaped(g, like: x(a)))
        case .element(let a, let offset):
            guard case .number(let v) = g, tape.needs(a) else { return }
            if case .tensor(var t)? = adj[a] {
                adj[a] = nil  // uniquely owned: add in place
                t.data[offset] += v
                if let format = tape.rounding { t.data[offset] = format.round(t.data[offset]) }
                adj[a] = .tensor(t)
            } else {
                var data = [Double](repeating: 0, count: tensorCount(x(a)))
                data[offset] = v
                try give(a, shaped(data, like: x(a)))
            }
        case .gather(let a, let offsets):
            let flat = flatData(g)
            var data = [Double](repeating: 0, count: tensorCount(x(a)))
            for (k, o) in offsets.enumerated() { data[o] += flat[k] }
            try give(a, shaped(data, like: x(a)))
        case .pieces(let parts):
            let flat = flatData(g)
            var start = 0
            for (node, count) in parts {
                if node >= 0 { try give(node, shaped(Array(flat[start..<(start + count)]), like: x(node))) }
                start += count
            }
        case .clip(let a, let lo, let hi):
            try give(a, try zipped(g, x(a), .tensor(lo), .tensor(hi)) { g, v, l, h in v >= l && v <= h ? g : 0 })
        case .objective(let a, let objective):
            guard case .tensor(let w) = x(a), case .number(let s) = g else { return }
            try give(a, .tensor(Tensor(vector: objective.gradient(w.data).map { s * $0 })))
        case .bowl(let a, let scales):
            try give(a, try zipped(g, x(a), .tensor(scales)) { g, w, s in g * (s * w) })
        case .select(let cond, let a, let b):
            try give(a, try zipped(g, .tensor(cond)) { g, c in c != 0 ? g : 0 })
            try give(b, try zipped(g, .tensor(cond)) { g, c in c != 0 ? 0 : g })
        }
    }

    /// Each element's adjoint given the adjoint g of the mean of n elements (the tape-free
    /// gradient's rule too).
    @inline(__always)
    static func meanAdjoint(_ g: Double, over n: Double) -> Double { g / n }

    private func unaryBackward(_ d: UnaryDerivative, _ g: Value, _ x: Value, _ out: Value) throws(RuntimeError) -> Value {
        try zipped(g, x, out) { g, v, y in d.adjoint(g, x: v, out: y) }
    }

    /// A full max/min or one along an axis: the elements equal to the result share it evenly.
    private func extremumBackward(_ g: Value, _ x: Value, _ out: Value, axis: Int?,
                                  keepdims: Bool) throws(RuntimeError) -> Value {
        guard case .tensor(let t) = x else { return g }
        let outFull = try expand(out, to: x, axis: axis, keepdims: keepdims)
        let mask = try zipped(.tensor(t), outFull) { v, m in v == m || (v.isNaN && m.isNaN) ? 1 : 0 }
        let counts: Value
        if let axis, case .tensor(let mt) = mask {
            counts = try expand(.tensor(mt.sumAxis(axis, keepdims: true)), to: x, axis: axis, keepdims: true)
        } else {
            counts = .number(flatData(mask).reduce(0, +))
        }
        let gFull = try expand(g, to: x, axis: axis, keepdims: keepdims)
        return try zipped(gFull, mask, counts) { g, m, c in m != 0 ? g / c : 0 }
    }

    private func normBackward(_ g: Value, _ x: Value, _ out: Value, _ p: Double) throws(RuntimeError) -> Value {
        guard case .number(let n) = out else { return try zipped(g, x) { _, _ in 0 } }
        func sign(_ v: Double) -> Double { v > 0 ? 1 : (v < 0 ? -1 : 0) }
        if p == 1 { return try zipped(g, x) { g, v in g * sign(v) } }
        if p == 2 { return try zipped(g, x) { g, v in n == 0 ? 0 : g * v / n } }
        if p == .infinity {
            let count = flatData(x).filter { Swift.abs($0) == n }.count
            return try zipped(g, x) { g, v in Swift.abs(v) == n ? g * sign(v) / Double(count) : 0 }
        }
        return try zipped(g, x) { g, v in n == 0 ? 0 : g * v * pow(Swift.abs(v), p - 2) / pow(n, p - 1) }
    }

    /// C = A @ B with 1-D operands read as a row (A) or a column (B): dA = G Bᵀ, dB = Aᵀ G.
    private func matmulBackward(_ g: Value, _ a: Value, _ b: Value, _ ia: Int, _ ib: Int, _ tape: Tape,
                                _ adj: inout [Value?]) throws(RuntimeError) {
        guard case .tensor(let ta) = a, case .tensor(let tb) = b else { return }
        let m = ta.rank == 2 ? ta.shape[0] : 1, k = ta.shape[ta.rank - 1]
        let n = tb.rank == 2 ? tb.shape[1] : 1
        let a2 = Tensor(shape: [m, k], data: ta.data), b2 = Tensor(shape: [k, n], data: tb.data)
        let g2 = Tensor(shape: [m, n], data: flatData(g))
        if tape.needs(ia) {
            let da = try Tensor.matmul(g2, b2.transposed(), limit: maxElements)
            try accumulate(&adj, ia, .tensor(Tensor(shape: ta.shape, data: da.data)), tape)
        }
        if tape.needs(ib) {
            let db = try Tensor.matmul(a2.transposed(), g2, limit: maxElements)
            try accumulate(&adj, ib, .tensor(Tensor(shape: tb.shape, data: db.data)), tape)
        }
    }

    // MARK: Adjoint arithmetic

    /// Adds a contribution, first summing away the axes over which the input was broadcast.
    private func accumulate(_ adj: inout [Value?], _ k: Int, _ g: Value, _ tape: Tape) throws(RuntimeError) {
        // Autocast: the contribution as its kernel stores it, and the sum rounded again below.
        let reduced = tape.rounded(try unbroadcast(g, to: tape.primals[k]))
        guard var old = adj[k] else {
            adj[k] = reduced
            return
        }
        defer { if tape.rounding != nil, let sum = adj[k] { adj[k] = tape.rounded(sum) } }
        adj[k] = nil
        switch (old, reduced) {
        case (.tensor(var t), .tensor(let u)) where t.shape == u.shape:
            old = .null  // drop the enum's reference so `t` is uniquely owned and updates in place
            t.data.withUnsafeMutableBufferPointer { p in
                u.data.withUnsafeBufferPointer { q in for i in p.indices { p[i] += q[i] } }
            }
            adj[k] = .tensor(t)
        default:
            adj[k] = try binary(.add, old, reduced)
        }
    }

    private func unbroadcast(_ g: Value, to target: Value) throws(RuntimeError) -> Value {
        switch (g, target) {
        case (.tensor(let t), .number):
            return .number(t.total)
        case (.tensor(var t), .tensor(let x)) where t.shape != x.shape:
            while t.rank > x.rank { t = t.sumAxis(0, keepdims: false) }
            for axis in 0..<x.rank where x.shape[axis] == 1 && t.shape[axis] != 1 {
                t = t.sumAxis(axis, keepdims: true)
            }
            return .tensor(t)
        case (.number(let v), .tensor(let x)):
            return .tensor(Tensor(repeating: v, shape: x.shape))
        default:
            return g
        }
    }

    /// A reduction's adjoint spread back over the reduced axis (or every element).
    private func expand(_ g: Value, to x: Value, axis: Int?, keepdims: Bool) throws(RuntimeError) -> Value {
        guard case .tensor(let t) = x else { return .number(flatData(g)[0]) }
        var shape = t.shape
        if let axis { shape[axis] = 1 } else { shape = shape.map { _ in 1 } }
        let small = Tensor(shape: shape, data: flatData(g))
        return .tensor(try small.broadcast(to: t.shape, limit: maxElements))
    }

    /// f over the operands element by element, broadcast to their joint shape.
    private func zipped(_ a: Value, _ b: Value, _ f: (Double, Double) -> Double) throws(RuntimeError) -> Value {
        if case .number(let x) = a, case .number(let y) = b { return .number(f(x, y)) }
        let shape = try jointShape([a, b])
        let p = try filled(a, shape), q = try filled(b, shape)
        var out = [Double](repeating: 0, count: p.count)
        let pd = p.data, qd = q.data
        for i in out.indices { out[i] = f(pd[i], qd[i]) }
        return .tensor(Tensor(shape: shape, data: out))
    }

    private func zipped(_ a: Value, _ b: Value, _ c: Value,
                        _ f: (Double, Double, Double) -> Double) throws(RuntimeError) -> Value {
        if case .number(let x) = a, case .number(let y) = b, case .number(let z) = c { return .number(f(x, y, z)) }
        let shape = try jointShape([a, b, c])
        let p = try filled(a, shape), q = try filled(b, shape), r = try filled(c, shape)
        var out = [Double](repeating: 0, count: p.count)
        let pd = p.data, qd = q.data, rd = r.data
        for i in out.indices { out[i] = f(pd[i], qd[i], rd[i]) }
        return .tensor(Tensor(shape: shape, data: out))
    }

    private func zipped(_ a: Value, _ b: Value, _ c: Value, _ d: Value,
                        _ f: (Double, Double, Double, Double) -> Double) throws(RuntimeError) -> Value {
        let shape = try jointShape([a, b, c, d])
        let p = try filled(a, shape), q = try filled(b, shape), r = try filled(c, shape), s = try filled(d, shape)
        var out = [Double](repeating: 0, count: p.count)
        let pd = p.data, qd = q.data, rd = r.data, sd = s.data
        for i in out.indices { out[i] = f(pd[i], qd[i], rd[i], sd[i]) }
        if shape.isEmpty, case .number = a { return .number(out[0]) }
        return .tensor(Tensor(shape: shape, data: out))
    }

    private func jointShape(_ values: [Value]) throws(RuntimeError) -> [Int] {
        var shape: [Int] = []
        for v in values { if case .tensor(let t) = v { shape = try Tensor.broadcastShape(shape, t.shape) } }
        return shape
    }

    /// The operand's elements at `shape` (a view-free copy only when it must be broadcast).
    private func filled(_ v: Value, _ shape: [Int]) throws(RuntimeError) -> Tensor {
        if case .tensor(let t) = v { return try t.broadcast(to: shape, limit: maxElements) }
        if case .number(let x) = v { return Tensor(repeating: x, shape: shape) }  // no one-element array first
        return Tensor(repeating: flatData(v)[0], shape: shape)
    }

    private func flatData(_ v: Value) -> [Double] {
        switch v {
        case .number(let x): return [x]
        case .tensor(let t): return t.data
        default: return [0]
        }
    }

    private func tensorShape(_ v: Value) -> [Int] {
        if case .tensor(let t) = v { return t.shape }
        return []
    }

    private func tensorCount(_ v: Value) -> Int {
        if case .tensor(let t) = v { return t.count }
        return 1
    }

    private func shaped(_ data: [Double], like x: Value) -> Value {
        if case .tensor(let t) = x { return .tensor(Tensor(shape: t.shape, data: data)) }
        return .number(data.reduce(0, +))
    }

    private func reshaped(_ g: Value, like x: Value) -> Value {
        shaped(flatData(g), like: x)
    }
}

extension UnaryDerivative {
    /// The adjoint of x given the adjoint g of out = f(x): PyTorch's rule, in its order of
    /// operations (the tape applies it element by element, NumericGradient to numbers).
    @inline(__always)
    func adjoint(_ g: Double, x v: Double, out y: Double) -> Double {
        switch self {
        case .abs: return g * (v > 0 ? 1 : (v < 0 ? -1 : (v.isNaN ? v : 0)))
        case .sqrt: return g / (2 * y)
        case .exp: return g * y
        case .log: return g / v
        case .log2: return g / (v * 0.6931471805599453)
        case .log10: return g / (v * 2.302585092994046)
        case .sin: return g * libmCos(v)
        case .cos: return g * -libmSin(v)
        case .tan: return g * (1 + y * y)
        case .tanh: return g * (1 - y * y)
        case .sigmoid: return g * (1 - y) * y
        case .relu: return y > 0 ? g : 0
        case .softplus:
            // PyTorch's threshold 20: above it softplus is x and its slope 1.
            if v > 20 { return g }
            let z = libmExp(v)
            return g * z / (z + 1)
        }
    }
}

extension UnaryDerivative {
    /// Whether `adjoint` reads out (y) rather than x (v): each rule reads one of them, and the
    /// tape-free gradient computes only the values its rules read.
    var adjointReadsOutput: Bool {
        switch self {
        case .sqrt, .exp, .tan, .tanh, .sigmoid, .relu: return true
        case .abs, .log, .log2, .log10, .sin, .cos, .softplus: return false
        }
    }
}

// libm's functions under names that the cases of UnaryDerivative do not shadow.
private func libmSin(_ x: Double) -> Double { sin(x) }
private func libmCos(_ x: Double) -> Double { cos(x) }
private func libmExp(_ x: Double) -> Double { exp(x) }

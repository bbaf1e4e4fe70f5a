// The forward half of `grad`: operators, indexing, tensor literals and built-ins met with a
// traced operand compute their primal result the ordinary way (so traced and untraced runs
// agree bit for bit) and record what they did on the active tape.

import Parser

extension RuntimeError {
    static let escapedTracer = RuntimeError(
        "a value traced by grad was used after grad returned",
        notes: ["note: keep values computed from grad's argument inside the function being differentiated"])

    static let tracedAssignment = RuntimeError(
        "grad: assigning into the elements of a traced tensor is not differentiable",
        notes: ["hint: build the new tensor with [a, b, ...], concat or where(...) instead"])

    static func notDifferentiable(_ name: String) -> RuntimeError {
        RuntimeError("grad: '\(name)' is not differentiable",
                     notes: [differentiableNote])
    }

    /// "differentiable are ...", from the operators and the built-in table, so it names exactly
    /// what grad goes through.
    static let differentiableNote: String = {
        let operators = BinaryOperator.allCases.map(\.rawValue).joined(separator: " ")
        let builtins = Builtins.table.filter { b in
            switch b.differentiation {
            case .none, .inert: return false
            case .unary, .sum, .mean, .extremum, .norm, .dot, .matmul, .transpose, .reshape, .clip, .select, .objective, .bowl, .operators:
                return true
            }
        }.map(\.name)
        return "note: differentiable are \(operators), \(builtins.joined(separator: " ")), indexing and slicing"
    }()
}

extension Interpreter {
    /// The tape recording the current `grad` call.
    func activeTape() throws(RuntimeError) -> Tape {
        guard let tape = autodiff.tape else { throw RuntimeError.escapedTracer }
        return tape
    }

    /// A value with every traced number or tensor replaced by its primal (trees included).
    func primal(_ v: Value) throws(RuntimeError) -> Value {
        switch v {
        case .traced(let r): return try activeTape().primal(r)
        case .tuple(let t):
            guard t.items.contains(where: { $0.containsTraced }) else { return v }
            return .tuple(try mapLeaves(t) { (x) throws(RuntimeError) in try primal(x) })
        case .number, .bool, .string, .tensor, .view, .function, .object, .null: return v
        }
    }

    // MARK: Operators

    func tracedBinary(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(RuntimeError) -> Value {
        if case .tuple(let s) = a { return .tuple(try mapLeaves(s) { (x) throws(RuntimeError) in try binary(op, x, b) }) }
        if case .tuple(let t) = b { return .tuple(try mapLeaves(t) { (y) throws(RuntimeError) in try binary(op, a, y) }) }
        let tape = try activeTape()
        switch op {
        case .add, .subtract:
            // Their adjoints do not read the operands: a constant operand needs no entry.
            let (pa, ia) = try tape.entryOrNone(a)
            let (pb, ib) = try tape.entryOrNone(b)
            return tape.record(.binary(op, ia, ib), try binary(op, pa, pb))
        case .multiply, .divide, .remainder, .power:
            let (pa, ia) = try tape.entry(a)
            let (pb, ib) = try tape.entry(b)
            return tape.record(.binary(op, ia, ib), try binary(op, pa, pb))
        case .matmul:
            let (pa, ia) = try tape.entry(a)
            let (pb, ib) = try tape.entry(b)
            return tape.record(.matmul(ia, ib), try binary(op, pa, pb))
        }
    }

    func tracedNegate(_ r: TracedRef) throws(RuntimeError) -> Value {
        let tape = try activeTape()
        let p = try tape.primal(r)
        return tape.record(.negate(Int(r.node)), try unary(.negate, p))
    }

    /// `x[...]` on a traced tensor: the gradient flows back to the selected elements.
    func tracedIndex(_ r: TracedRef, _ keys: [IndexKey]) throws(RuntimeError) -> Value {
        let tape = try activeTape()
        let p = try tape.primal(r)
        guard case .tensor(let t) = p else { return try index(p, keys) }
        let specs = try tensorSpecs(keys)
        if specs.count == t.rank {
            // One element (the common `w[0]`): no selection arrays.
            var offset = 0
            var single = true
            for (axis, spec) in specs.enumerated() {
                guard case .single(let i) = spec else { single = false; break }
                offset = offset * t.shape[axis] + (try Tensor.normalize(i, axis: axis, size: t.shape[axis]))
            }
            if single { return tape.record(.element(Int(r.node), offset: offset), .number(t.data[offset])) }
        }
        let out = try t.read(specs)
        let offsets = t.offsets(try t.selections(specs))
        return tape.record(.gather(Int(r.node), offsets: offsets), out)
    }

    /// `[a, b, ...]` with traced elements: the gradient is cut back into the pieces. `flat`:
    /// the elements of every piece in order as one vector (a tree's leaves of any shapes, for
    /// `norm` and the reductions of a tree).
    func tracedStack(_ values: [Value], flat: Bool = false) throws(RuntimeError) -> Value {
        let tape = try activeTape()
        var primals: [Value] = []
        var pieces: [(node: Int, count: Int)] = []
        for v in values {
            let (p, id) = try tape.entryOrNone(v)
            primals.append(p)
            switch p {
            case .tensor(let t): pieces.append((id, t.count))
            case .view(let v): pieces.append((id, v.count))
            case .number, .bool, .string, .tuple, .function, .object, .null, .traced: pieces.append((id, 1))
            }
        }
        if flat {
            var data: [Double] = []
            for p in primals {
                switch p {
                case .tensor(let t): data.append(contentsOf: t.data)
                case .view(let v): data.append(contentsOf: v.tensor().data)
                case .number(let x): data.append(x)
                case .bool, .string, .tuple, .function, .object, .null, .traced:
                    throw RuntimeError.badArgument("#1", to: "grad", expected: "tree of numbers and tensors", got: p)
                }
            }
            return tape.record(.pieces(pieces), .tensor(Tensor(vector: data)))
        }
        let out = Value.tensor(try Tensor.stacking(primals, limit: maxElements))
        return tape.record(.pieces(pieces), out)
    }

    // MARK: Built-ins

    /// A built-in called with traced arguments (already bound), by its `differentiation`.
    func callTraced(_ b: Builtin, _ args: inout Arguments) throws(RuntimeError) -> Value {
        let tape = try activeTape()
        switch b.differentiation {
        case .none:
            throw RuntimeError.notDifferentiable(b.name)
        case .inert:
            try unwrap(&args)
            return try b.impl(&args, self)
        case .operators:
            return try b.impl(&args, self)
        case .unary(let d):
            return try leafByLeaf(b, &args, tape) { (x, id, out) in .unary(id, d) }
        case .sum, .mean, .extremum:
            if b.differentiation == .extremum, !args.rest.isEmpty { return try pairExtremum(b, args, tape) }
            // A tree reduces as the vector of all its leaves (Builtins.treeLeaves), traced as one.
            if case .tuple = args[0] { args.bound[0] = try tracedStack(try flatLeaves(args[0]), flat: true) }
            let (x, id) = try tape.entryOrNone(args[0])
            try unwrap(&args)
            let out = try b.impl(&args, self)
            // max/min put a variadic parameter before axis: find them by name.
            let axisSlot = b.parameters.firstIndex { $0.name == "axis" }!
            var axis: Int?
            if !args[axisSlot].isNull, case .tensor(let t) = x {
                axis = try t.normalizeAxis(try args.integer(axisSlot), function: b.name)
            }
            let keepdims = try args.bool(axisSlot + 1)
            switch b.differentiation {
            case .sum: return tape.record(.sum(id, axis: axis, keepdims: keepdims), out)
            case .mean: return tape.record(.mean(id, axis: axis, keepdims: keepdims), out)
            default: return tape.record(.extremum(id, axis: axis, keepdims: keepdims), out)
            }
        case .norm:
            var x = args[0]
            if case .tuple = x { x = try tracedStack(try flatLeaves(x), flat: true) }
            let (px, id) = try tape.entryOrNone(x)
            args.bound[0] = px
            try unwrap(&args)
            let out = try b.impl(&args, self)
            return tape.record(.norm(id, p: try args.number(1)), out)
        case .dot, .matmul:
            if b.differentiation == .dot, case .number = try primal(args[0]), case .number = try primal(args[1]) {
                return try binary(.multiply, args[0], args[1])
            }
            return try tracedBinary(.matmul, args[0], args[1])
        case .transpose, .reshape:
            let (_, id) = try tape.entryOrNone(args[0])
            try unwrap(&args)
            let out = try b.impl(&args, self)
            return tape.record(b.differentiation == .transpose ? .transpose(id) : .reshape(id), out)
        case .clip:
            guard args[3].isNull else { throw RuntimeError.notDifferentiable("clip(max_norm:)") }
            let lo: Tensor, hi: Tensor
            if !args[5].isNull {
                let c = try primal(args[5])
                guard case .number(let m) = c else { throw RuntimeError.badArgument("'max_value'", to: "clip", expected: "number", got: c) }
                lo = Tensor(shape: [], data: [-m])
                hi = Tensor(shape: [], data: [m])
            } else {
                lo = try tensorArgument(args, 1)
                hi = try tensorArgument(args, 2)
            }
            return try leafByLeaf(b, &args, tape) { (x, id, out) in .clip(id, lo: lo, hi: hi) }
        case .objective, .bowl:
            let (_, id) = try tape.entryOrNone(args[0])
            let scales = b.differentiation == .bowl ? try tensorArgument(args, 1) : nil
            try unwrap(&args)
            let out = try b.impl(&args, self)
            if let scales { return tape.record(.bowl(id, scales: scales), out) }
            guard let objective = Objectives.byName[b.name] else { throw RuntimeError.notDifferentiable(b.name) }
            return tape.record(.objective(id, objective), out)
        case .select:
            let cond = try tensorArgument(args, 0)
            let (_, ia) = try tape.entryOrNone(args[1])
            let (_, ib) = try tape.entryOrNone(args[2])
            try unwrap(&args)
            let out = try b.impl(&args, self)
            return tape.record(.select(cond, ia, ib), out)
        }
    }

    /// Element-wise built-ins map trees leaf by leaf; each traced leaf gets its own entry.
    private func leafByLeaf(_ b: Builtin, _ args: inout Arguments, _ tape: Tape,
                            _ op: (Value, Int, Value) -> TapeOp) throws(RuntimeError) -> Value {
        let x = args[0]
        if case .tuple(let t) = x {
            return .tuple(try mapLeaves(t) { (leaf) throws(RuntimeError) in
                var one = args
                one.bound[0] = leaf
                return try leafByLeaf(b, &one, tape, op)
            })
        }
        guard case .traced(let r) = x else {
            try unwrap(&args)
            return try b.impl(&args, self)
        }
        let px = try tape.primal(r)
        args.bound[0] = px
        try unwrap(&args)
        let out = try b.impl(&args, self)
        return tape.record(op(px, Int(r.node), out), out)
    }

    /// max(a, b, ...) / min(a, b, ...) element-wise, one pair at a time.
    private func pairExtremum(_ b: Builtin, _ args: Arguments, _ tape: Tape) throws(RuntimeError) -> Value {
        var acc = args[0]
        for v in args.rest {
            // Its backward rule reads both operands: a constant one goes on the tape too (left
            // off it, `max(w, 0)` read the tape at -1 and trapped).
            let traced = acc.isTraced || v.isTraced
            let (pa, ia) = traced ? try tape.entry(acc) : try tape.entryOrNone(acc)
            let (pb, ib) = traced ? try tape.entry(v) : try tape.entryOrNone(v)
            var pair = Arguments(function: b.name, positional: [pa, pb])
            try pair.bind(b.parameters)
            let out = try b.impl(&pair, self)
            acc = traced ? tape.record(.pairExtremum(ia, ib, max: b.name == "max"), out) : out
        }
        return acc
    }

    /// Replaces traced arguments by their primals.
    private func unwrap(_ args: inout Arguments) throws(RuntimeError) {
        for i in args.bound.indices { if let v = args.bound[i] { args.bound[i] = try primal(v) } }
        for i in args.rest.indices { args.rest[i] = try primal(args.rest[i]) }
    }

    private func tensorArgument(_ args: Arguments, _ i: Int) throws(RuntimeError) -> Tensor {
        switch try primal(args[i]) {
        case .number(let x): return Tensor(shape: [], data: [x])
        case .tensor(let t): return t
        case let v: throw RuntimeError.badArgument("#\(i + 1)", to: args.function, expected: "number or tensor", got: v)
        }
    }

    private func flatLeaves(_ v: Value) throws(RuntimeError) -> [Value] {
        guard case .tuple(let t) = v else { return [v] }
        var out: [Value] = []
        for item in t.items { out.append(contentsOf: try flatLeaves(item)) }
        return out
    }
}

extension Value {
    /// Whether a traced value is anywhere inside (trees included).
    var containsTraced: Bool {
        switch self {
        case .traced: return true
        case .tuple(let t): return t.items.contains { $0.containsTraced }
        case .number, .bool, .string, .tensor, .view, .function, .object, .null: return false
        }
    }
}

extension Arguments {
    var containsTraced: Bool {
        for v in bound where v?.containsTraced == true { return true }
        for v in rest where v.containsTraced { return true }
        return false
    }
}

// An optimizer object (spec §9.3): hyper-parameter fields, the step counter t (increased
// before each update, so the first step has t = 1), per-leaf state, step/reset methods.

public final class Optimizer: RuntimeObject {
    let rule: OptimizerRule
    var hyper: Hyper
    var t = 0
    /// Per leaf, per buffer; nil before the first step.
    var buffers: [[[Double]]]?
    /// The first step's parameters: later steps must have the same structure.
    var template: Value?

    init(rule: OptimizerRule, hyper: Hyper) {
        self.rule = rule
        self.hyper = hyper
    }

    public override var kindName: String { "optimizer" }

    /// `adam(lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-08) t=3`: every numeric
    /// hyper-parameter, the booleans that differ from their default, then t.
    public override var summary: String {
        var parts: [String] = []
        for (k, p) in rule.parameters.enumerated() {
            let v = hyper.values[k]
            if case .bool(let d)? = p.defaultValue {
                if (v != 0) != d { parts.append("\(p.name): \(v != 0)") }
            } else {
                parts.append("\(p.name): \(NumberFormat.repr(v))")
            }
        }
        return "\(rule.name)(\(parts.joined(separator: ", "))) t=\(t)"
    }

    public override var memberNames: [String] {
        rule.parameters.map(\.name) + ["t", "state", "step", "reset"]
    }

    public override func member(_ name: String, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        if let k = rule.parameters.firstIndex(where: { $0.name == name }) {
            if case .bool? = rule.parameters[k].defaultValue { return .bool(hyper.values[k] != 0) }
            return .number(hyper.values[k])
        }
        switch name {
        case "t": return .number(Double(t))
        case "state": return stateValue()
        case "step": return .function(BoundMethod(receiver: .object(self), method: Optimizer.stepMethod))
        case "reset": return .function(BoundMethod(receiver: .object(self), method: Optimizer.resetMethod))
        default: return nil
        }
    }

    public override func setMember(_ name: String, _ value: Value, interpreter: Interpreter) throws(RuntimeError) -> Bool {
        if name == "t" {
            guard case .number(let x) = value, x >= 0, x == x.rounded(), x < 9e15 else {
                throw RuntimeError("\(rule.name).t must be a whole number >= 0, got \(Interpreter.repr(value))")
            }
            t = Int(x)
            return true
        }
        guard let k = rule.parameters.firstIndex(where: { $0.name == name }) else { return false }
        hyper.values[k] = try Optimizer.check(value, rule.parameters[k], rule: rule, position: "'\(name)'")
        return true
    }

    /// A hyper-parameter value as a double, checked: no NaN, no negatives, factors below 1.
    static func check(_ v: Value, _ p: BuiltinParameter, rule: OptimizerRule, position: String) throws(RuntimeError) -> Double {
        if case .bool? = p.defaultValue {
            guard case .bool(let b) = v else {
                throw RuntimeError.badArgument(position, to: rule.name, expected: "bool", got: v)
            }
            return b ? 1 : 0
        }
        guard case .number(let x) = v else {
            throw RuntimeError.badArgument(position, to: rule.name, expected: "number", got: v)
        }
        guard !x.isNaN, x >= 0 else {
            throw RuntimeError.badArgumentValue(position, to: rule.name, "\(p.name) must be >= 0, got \(NumberFormat.repr(x))")
        }
        if rule.unitInterval.contains(p.name), !(x < 1) {
            throw RuntimeError.badArgumentValue(position, to: rule.name, "\(p.name) must be below 1, got \(NumberFormat.repr(x))")
        }
        return x
    }

    /// `opt.state`: a tree shaped like the parameters whose leaves are labelled tuples of buffers.
    func stateValue() -> Value {
        guard let buffers, let template else { return .null }
        let names = rule.buffers(hyper)
        let labels = TupleLabels(names.map { Optional($0) })
        var k = 0
        func build(_ v: Value) -> Value {
            switch v {
            case .tuple(let tup):
                return .tuple(TupleValue(tup.items.map(build), labels: tup.labels))
            case .number, .tensor:
                let leaf = buffers[k]
                let shape: [Int]? = { if case .tensor(let t) = v { return t.shape } else { return nil } }()
                k += 1
                return .tuple(TupleValue(leaf.map { b in shape.map { .tensor(Tensor(shape: $0, data: b)) } ?? .number(b[0]) },
                                         labels: labels))
            case .bool, .string, .function, .object, .null:
                return v
            }
        }
        return build(template)
    }

    /// One step on trees of equal structure; returns the new parameters.
    func step(_ params: Value, _ grads: Value) throws(RuntimeError) -> Value {
        if let m = Trees.mismatch(params, grads) {
            throw RuntimeError("\(rule.name).step: params and grads differ: \(m)")
        }
        if let template, let m = Trees.mismatch(template, params) {
            throw RuntimeError("\(rule.name).step: the tree differs from the first step's: \(m)")
        }
        let w = try Trees.leaves(params, function: "step", argument: "#1")
        let g = try Trees.leaves(grads, function: "step", argument: "#2")
        let names = rule.buffers(hyper)
        if buffers == nil {
            buffers = w.map { leaf in names.map { _ in [Double](repeating: 0, count: leaf.tensor.count) } }
            template = params
        }
        t += 1
        var out: [Tensor] = []
        out.reserveCapacity(w.count)
        for k in 0..<w.count {
            var data = w[k].tensor.data
            rule.update(&data, g[k].tensor.data, &buffers![k], t, hyper)
            out.append(Tensor(shape: w[k].tensor.shape, data: data))
        }
        return Trees.rebuild(params, out)
    }

    func reset() {
        t = 0
        buffers = nil
        template = nil
    }

    static let stepMethod = Builtin("step", [.required("self"), .required("params"), .required("grads")],
                                    doc: "One optimizer step: returns the updated parameters.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let opt = o as? Optimizer else { return .null }
        return try opt.step(args[1], args[2])
    }

    static let resetMethod = Builtin("reset", [.required("self")],
                                     doc: "Forgets the state and sets t back to 0.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let opt = o as? Optimizer else { return .null }
        opt.reset()
        return .null
    }
}

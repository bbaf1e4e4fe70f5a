// Drivers (spec §9.8, §14.4): minimize and stepper run an optimizer on an objective, on a
// reset copy of the optimizer (the object given is left untouched; the copy is r.opt / s.opt).

extension Optimizer {
    /// Runs `steps` steps on a single flat leaf: the drivers' hot loop. The buffers live in
    /// raw memory for the whole run and go back into `opt.state` at the end, so no tensor,
    /// tree or array is made per step. `observe` sees w after each step.
    func runFlat(_ w: inout [Double], steps: Int, interpreter I: Interpreter,
                 gradient: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void,
                 observe: (UnsafeBufferPointer<Double>) -> Void) throws(RuntimeError) {
        let n = w.count, rule = self.rule
        if buffers == nil {
            let h = hyper
            buffers = [rule.buffers(h).map { [Double](repeating: rule.initial($0, h), count: n) }]
            template = .tensor(Tensor(vector: w))
        }
        let schedule: Schedule? = {
            guard let k = rule.parameters.firstIndex(where: { $0.name == "lr" }), case .object(let o) = settings[k] else { return nil }
            return o as? Schedule
        }()
        let lrSlot = hyper.names.firstIndex(of: "lr")
        var h = hyper
        let raw = buffers![0].map { b -> UnsafeMutableBufferPointer<Double> in
            let p = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
            _ = p.initialize(from: b)
            return p
        }
        let g = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        g.initialize(repeating: 0)
        defer {
            buffers![0] = raw.map { Array($0) }
            for p in raw { p.deallocate() }
            g.deallocate()
        }
        try w.withUnsafeMutableBufferPointer { (wp) throws(RuntimeError) in
            for k in 0..<steps {
                if k & 1023 == 0 { try I.checkInterrupt() }
                if let schedule, let lrSlot { h.values[lrSlot] = try schedule.rate(t) }
                gradient(UnsafePointer(wp.baseAddress!), g.baseAddress!)
                t += 1
                rule.update(wp, UnsafeBufferPointer(g), raw, t, h)
                observe(UnsafeBufferPointer(wp))
            }
        }
    }
}

/// What a driver differentiates: a built-in objective with its hand-written gradient.
struct NativeObjective {
    let objective: Objective

    init(_ f: Value, function: String) throws(RuntimeError) {
        guard case .function(let fn) = f, fn.kind == .builtin, let o = Objectives.byName[fn.name] else {
            throw RuntimeError("\(function): the objective must be a built-in objective (rosenbrock, beale, himmelblau, booth, saddle, monkey_saddle) until grad exists",
                               notes: ["note: user functions need reverse-mode grad, which is not built yet"])
        }
        objective = o
    }
}

extension Builtins {
    static let drivers: [Builtin] = [
        Builtin("minimize", [.required("f"), .required("w0"), .required("opt"), .label("steps", .number(100))],
                doc: "Runs opt on f from w0: (w:, path: [steps+1, dim], loss: [steps+1], opt:).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let f = try NativeObjective(args[0], function: "minimize")
            var w = try twoVector(args, 1)
            let opt = try driverOptimizer(args[2], "minimize")
            let steps = try args.integer(3)
            guard steps >= 0 else { throw RuntimeError.badArgumentValue("'steps'", to: "minimize", "steps must be >= 0") }
            _ = try TensorLimits.checkedCount([steps + 1, 2], limit: I.maxElements)
            var path = w, loss = [f.objective.value(w)]
            path.reserveCapacity(2 * (steps + 1))
            loss.reserveCapacity(steps + 1)
            let o = f.objective
            try opt.runFlat(&w, steps: steps, interpreter: I, gradient: o.gradientInto) { p in
                path.append(contentsOf: p)
                loss.append(o.valueAt(p.baseAddress!))
            }
            return .tuple(TupleValue(labelled: [("w", .tensor(Tensor(vector: w))), ("path", .tensor(Tensor(shape: [steps + 1, 2], data: path))),
                                                ("loss", .tensor(Tensor(vector: loss))), ("opt", .object(opt))]))
        },
        Builtin("stepper", [.required("f"), .required("w0"), .required("opt")],
                doc: "An object for stepping by hand: s.step(), s.step(k), s.w, s.t, s.loss, s.path, s.losses, s.opt.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            let f = try NativeObjective(args[0], function: "stepper")
            return .object(Stepper(objective: f.objective, w0: try twoVector(args, 1), opt: try driverOptimizer(args[2], "stepper")))
        },
    ]

    static func driverOptimizer(_ v: Value, _ function: String) throws(RuntimeError) -> Optimizer {
        guard case .object(let o) = v, let opt = o as? Optimizer else {
            throw RuntimeError.badArgument("#3", to: function, expected: "optimizer", got: v)
        }
        return opt.resetCopy()
    }
}

/// `stepper(f, w0, opt)`: the state of a run that the user advances by hand.
public final class Stepper: RuntimeObject {
    let objective: Objective
    let opt: Optimizer
    var w: [Double]
    var path: [Double]
    var losses: [Double]

    init(objective: Objective, w0: [Double], opt: Optimizer) {
        self.objective = objective
        self.opt = opt
        self.w = w0
        self.path = w0
        self.losses = [objective.value(w0)]
    }

    public override var kindName: String { "stepper" }
    public override var summary: String {
        "stepper(\(objective.name), \(opt.rule.name)) t=\(opt.t) loss=\(NumberFormat.repr(losses.last!)) w=\(Interpreter.repr(.tensor(Tensor(vector: w))))"
    }
    public override var memberNames: [String] { ["w", "t", "loss", "path", "losses", "opt", "step"] }

    public override func member(_ name: String, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        switch name {
        case "w": return .tensor(Tensor(vector: w))
        case "t": return .number(Double(opt.t))
        case "loss": return .number(losses.last!)
        case "path": return .tensor(Tensor(shape: [losses.count, w.count], data: path))
        case "losses": return .tensor(Tensor(vector: losses))
        case "opt": return .object(opt)
        case "step": return .function(BoundMethod(receiver: .object(self), method: Stepper.stepMethod))
        default: return nil
        }
    }

    static let stepMethod = Builtin("step", [.required("self"), .optional("k", .number(1))],
                                    doc: "Advances k steps (default 1) and returns the current w.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let s = o as? Stepper else { return .null }
        let k = try args.integer(1)
        guard k >= 0 else { throw RuntimeError.badArgumentValue("#1", to: "step", "k must be >= 0") }
        let objective = s.objective
        var w = s.w
        try s.opt.runFlat(&w, steps: k, interpreter: I, gradient: objective.gradientInto) { p in
            s.path.append(contentsOf: p)
            s.losses.append(objective.valueAt(p.baseAddress!))
        }
        s.w = w
        return .tensor(Tensor(vector: s.w))
    }
}

// Drivers (spec §9.8, §14.4): minimize and stepper run an optimizer on an objective, on a
// reset copy of the optimizer (the object given is left untouched; the copy is r.opt / s.opt).

extension Optimizer {
    /// One step on a single flat leaf held as a plain array: the drivers' hot loop, with no
    /// tree walking and no tensor values per step.
    func stepFlat(_ w: inout [Double], _ g: [Double]) throws(RuntimeError) {
        let rule = self.rule
        if buffers == nil {
            let h = hyper, n = w.count
            buffers = [rule.buffers(h).map { [Double](repeating: rule.initial($0, h), count: n) }]
            template = .tensor(Tensor(vector: w))
        }
        var h = hyper
        if let k = rule.parameters.firstIndex(where: { $0.name == "lr" }), case .object(let o) = settings[k],
           let schedule = o as? Schedule {
            h.values[h.names.firstIndex(of: "lr")!] = try schedule.rate(t)
        }
        t += 1
        var leafBuffers = buffers![0]
        buffers![0] = []
        let t = self.t
        w.withUnsafeMutableBufferPointer { wp in
            g.withUnsafeBufferPointer { gp in
                Optimizer.withPointers(&leafBuffers) { bp in rule.update(wp, gp, bp, t, h) }
            }
        }
        buffers![0] = leafBuffers
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
            for k in 0..<steps {
                if k & 1023 == 0 { try I.checkInterrupt() }
                try opt.stepFlat(&w, f.objective.gradient(w))
                path += w
                loss.append(f.objective.value(w))
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
        for i in 0..<k {
            if i & 1023 == 0 { try I.checkInterrupt() }
            try s.opt.stepFlat(&s.w, s.objective.gradient(s.w))
            s.path += s.w
            s.losses.append(s.objective.value(s.w))
        }
        return .tensor(Tensor(vector: s.w))
    }
}

// Drivers (spec §9.8, §14.4): minimize and stepper run an optimizer on an objective, on a
// reset copy of the optimizer (the object given is left untouched; the copy is r.opt / s.opt).

import CKernels

extension Optimizer {
    /// Runs `steps` steps on a single flat leaf: the drivers' hot loop. The buffers live in
    /// raw memory for the whole run and go back into `opt.state` at the end, so no tensor,
    /// tree or array is made per step. `observe` sees w after each step.
    @inline(__always)
    func runFlat(_ w: inout [Double], steps: Int, interpreter I: Interpreter, label: String, objective: DriverObjective? = nil,
                 gradient: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) throws(RuntimeError) -> Void,
                 observe: (UnsafeBufferPointer<Double>) throws(RuntimeError) -> Void) throws(RuntimeError) {
        let n = w.count, rule = self.rule
        // The leaf's own shape (muon needs a matrix, adafactor factors one); a number is 0-d.
        let shape = objective.map { $0.shape ?? [] } ?? [n]
        try checkDriven(shape: shape, label: label)
        if rule.needsClosure {
            guard let objective else {
                throw RuntimeError("\(rule.name) needs the objective to re-evaluate it: run it with minimize(f, w0, opt) or stepper(f, w0, opt)")
            }
            return try runClosure(&w, steps: steps, objective: objective, interpreter: I, label: label, observe: observe)
        }
        let schedule = lrSchedule
        var h = hyper
        if buffers == nil {
            // With the first step's scheduled values: a momentum a cycling schedule switches on
            // needs its buffer from the start.
            try schedule?.apply(to: &h, step: t)
            let h = h
            buffers = [rule.bufferLayout(h, shape: shape).map { [Double](repeating: rule.initial($0.name, h), count: $0.shape.reduce(1, *)) }]
            template = .tensor(Tensor(vector: w))
        }
        let raw = buffers![0].map { b -> UnsafeMutableBufferPointer<Double> in
            // Each buffer at its own length: nadam's and asgd's running scalars, adafactor's
            // row and column factors are not w's length (with w empty they are longer).
            let p = UnsafeMutableBufferPointer<Double>.allocate(capacity: b.count)
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
        var kernel = rule.kernel(h, shape: shape)
        try w.withUnsafeMutableBufferPointer { (wp) throws(RuntimeError) in
            I.channel.progress?(label, 0, steps)
            defer { I.channel.progress?(label, steps, steps) }
            for k in 0..<steps {
                if k & 1023 == 0 {
                    try I.checkInterrupt()
                    if k > 0 { I.channel.progress?(label, k, steps) }
                }
                if let schedule {
                    try schedule.apply(to: &h, step: t)
                    kernel = rule.kernel(h, shape: shape)
                }
                try gradient(UnsafePointer(wp.baseAddress!), g.baseAddress!)
                t += 1
                kernel(wp, UnsafeBufferPointer(g), raw, t)
                try observe(UnsafeBufferPointer(wp))
            }
        }
    }
}

/// What a driver runs on: a built-in objective passed directly, by its hand-written gradient
/// (no interpretation per step), or any scalar function of w through `grad`.
struct DriverObjective {
    enum Kind {
        case native(Objective)
        case function(Value)
    }

    let kind: Kind
    /// w's shape as f receives it: a number, or a tensor of this shape.
    let shape: [Int]?
    let w0: [Double]
    let name: String
    /// Autocast (spec §15.3): f's forward and backward passes rounded to this format; the
    /// optimizer stays float64 (master weights). A built-in objective then runs through grad.
    var format: BinaryFormat?

    init(_ f: Value, _ w0: Value, function: String, interpreter I: Interpreter, format: BinaryFormat? = nil) throws(RuntimeError) {
        self.format = format
        if format == nil, case .function(let fn) = f, fn.kind == .builtin, let o = Objectives.byName[fn.name] {
            guard case .tensor(let t) = w0, t.shape == [2] else {
                throw RuntimeError.badArgument("#2", to: function, expected: "2-vector", got: w0)
            }
            kind = .native(o)
            shape = [2]
            self.w0 = t.data
            name = o.name
            return
        }
        switch f {
        case .function, .object: break
        case .number, .bool, .string, .tensor, .view, .tuple, .null, .traced:
            throw RuntimeError.badArgument("#1", to: function, expected: "function", got: f)
        }
        switch w0.materialized {
        case .number(let x): shape = nil; self.w0 = [x]
        case .tensor(let t): shape = t.shape; self.w0 = t.data
        case .view, .bool, .string, .tuple, .function, .object, .null, .traced:
            throw RuntimeError.badArgument("#2", to: function, expected: "number or tensor", got: w0)
        }
        kind = .function(f)
        name = Interpreter.functionName(f)
    }

    var dim: Int { w0.count }

    func point(_ w: UnsafeBufferPointer<Double>) -> Value {
        guard let shape else { return .number(w[0]) }
        return .tensor(Tensor(shape: shape, data: Array(w)))
    }

    @inline(__always)
    func value(_ w: UnsafeBufferPointer<Double>, _ I: Interpreter) throws(RuntimeError) -> Double {
        switch kind {
        case .native(let o): return o.valueAt(w.baseAddress!)
        case .function(let f):
            let result = format == nil ? try I.call(f, [point(w)]) : try I.valueAndGradient(f, point(w), format: format).value
            switch result {
            case .number(let x): return x
            case .tensor(let t) where t.count == 1: return t.data[0]
            case let v: throw RuntimeError("the objective must return a number or a one-element tensor, not \(v.kindWithArticle)")
            }
        }
    }

    @inline(__always)
    func gradient(_ w: UnsafePointer<Double>, _ g: UnsafeMutablePointer<Double>, _ I: Interpreter) throws(RuntimeError) {
        switch kind {
        case .native(let o): o.gradientInto(w, g)
        case .function(let f):
            let grad = try I.valueAndGradient(f, point(UnsafeBufferPointer(start: w, count: dim)), format: format).grad
            switch grad {
            case .number(let x): g[0] = x
            case .tensor(let t): for i in 0..<dim { g[i] = t.data[i] }
            default: break
            }
        }
    }
}

extension Builtins {
    static let drivers: [Builtin] = [
        Builtin("minimize", [.required("f"), .required("w0"), .required("opt"), .label("steps", .number(100)),
                             .label("dtype", .string("float64"))],
                doc: "Runs opt on f from w0: (w:, path: [steps+1, dim], loss: [steps+1], opt:).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let format = try BinaryFormat.named(try args.string(4), function: "minimize", position: "'dtype'")
            let f = try DriverObjective(args[0], args[1], function: "minimize", interpreter: I, format: format)
            let opt = try driverOptimizer(args[2], "minimize")
            let steps = try args.integer(3)
            guard steps >= 0 else { throw RuntimeError.badArgumentValue("'steps'", to: "minimize", "steps must be >= 0") }
            _ = try TensorLimits.checkedCount([steps + 1, f.dim], limit: I.maxElements)
            var w = f.w0
            var path = w, loss = [try w.withUnsafeBufferPointer { (p) throws(RuntimeError) in try f.value(p, I) }]
            if case .native(let o) = f.kind, !opt.rule.needsClosure {
                if let failure = minimizeNative(o, opt, &w, steps: steps, path: &path, loss: &loss, I) {
                    if failure.kind == .interrupted { I.channel.partialResult = minimizeResult(f, path, loss, opt) }
                    throw failure
                }
                return minimizeResult(f, path, loss, opt)
            }
            path.reserveCapacity(f.dim * (steps + 1))
            loss.reserveCapacity(steps + 1)
            do throws(RuntimeError) {
                try opt.runFlat(&w, steps: steps, interpreter: I, label: "minimize", objective: f, gradient: { (w, g) throws(RuntimeError) in try f.gradient(w, g, I) }) { (p) throws(RuntimeError) in
                    // The loss first: an interrupt inside f leaves path and loss the same length.
                    let l = try f.value(p, I)
                    for x in p { path.append(x) }
                    loss.append(l)
                }
            } catch {
                // Ctrl-C keeps what was computed: the run so far, as `ans` in the REPL.
                if error.kind == .interrupted { I.channel.partialResult = minimizeResult(f, path, loss, opt) }
                throw error
            }
            return minimizeResult(f, path, loss, opt)
        },
        Builtin("stepper", [.required("f"), .required("w0"), .required("opt"), .label("dtype", .string("float64"))],
                doc: "An object for stepping by hand: s.step(), s.step(k), s.w, s.t, s.loss, s.path, s.losses, s.opt.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let format = try BinaryFormat.named(try args.string(3), function: "stepper", position: "'dtype'")
            let f = try DriverObjective(args[0], args[1], function: "stepper", interpreter: I, format: format)
            return .object(try Stepper(objective: f, opt: try driverOptimizer(args[2], "stepper"), interpreter: I))
        },
    ]

    /// minimize on a built-in objective: its two functions held in locals for the whole run,
    /// so the loop calls them directly, and rows written straight into the result's buffers
    /// while a second thread faults their pages in ahead of the writes. Returns the error that
    /// stopped the run, if one did (path and loss then hold the steps done).
    private static func minimizeNative(_ o: Objective, _ opt: Optimizer, _ w: inout [Double], steps: Int,
                                       path: inout [Double], loss: inout [Double], _ I: Interpreter) -> RuntimeError? {
        let value = o.f, gradient = o.df
        let first = (path[0], path[1], loss[0])
        var rows = 1
        var failure: RuntimeError?
        path = [Double](unsafeUninitializedCapacity: 2 * (steps + 1)) { pb, pathCount in
            loss = [Double](unsafeUninitializedCapacity: steps + 1) { lb, lossCount in
                (pb[0], pb[1], lb[0]) = first
                let pending = [optrepl_prefault_start(pb.baseAddress, UInt(pb.count * 8)),
                               optrepl_prefault_start(lb.baseAddress, UInt(lb.count * 8))]
                defer { for job in pending { optrepl_prefault_join(job) } }
                do throws(RuntimeError) {
                    try opt.runFlat(&w, steps: steps, interpreter: I, label: "minimize", gradient: { (w, g) in
                        (g[0], g[1]) = gradient(w[0], w[1])
                    }) { (p) in
                        pb[2 * rows] = p[0]
                        pb[2 * rows + 1] = p[1]
                        lb[rows] = value(p[0], p[1])
                        rows += 1
                    }
                } catch {
                    failure = error
                }
                lossCount = rows
            }
            pathCount = 2 * rows
        }
        return failure
    }

    static func minimizeResult(_ f: DriverObjective, _ path: [Double], _ loss: [Double], _ opt: Optimizer) -> Value {
        // w is the last recorded row: after Ctrl-C the optimizer may be one step past the path.
        let final = Array(path.suffix(f.dim)).withUnsafeBufferPointer { f.point($0) }
        return .tuple(TupleValue(labelled: [("w", final), ("path", .tensor(Tensor(shape: [loss.count, f.dim], data: path))),
                                            ("loss", .tensor(Tensor(vector: loss))), ("opt", .object(opt))]))
    }

    static func driverOptimizer(_ v: Value, _ function: String) throws(RuntimeError) -> Optimizer {
        guard case .object(let o) = v, let opt = o as? Optimizer else {
            throw RuntimeError.badArgument("#3", to: function, expected: "optimizer", got: v)
        }
        return opt.resetCopy()
    }
}

/// `stepper(f, w0, opt)`: the state of a run that the user advances by hand.
public final class Stepper: RuntimeObject {
    let objective: DriverObjective
    let opt: Optimizer
    var w: [Double]
    var path: [Double]
    var losses: [Double]

    init(objective: DriverObjective, opt: Optimizer, interpreter I: Interpreter) throws(RuntimeError) {
        self.objective = objective
        self.opt = opt
        self.w = objective.w0
        self.path = objective.w0
        self.losses = [try objective.w0.withUnsafeBufferPointer { (p) throws(RuntimeError) in try objective.value(p, I) }]
    }

    var current: Value { w.withUnsafeBufferPointer { objective.point($0) } }

    public override var kindName: String { "stepper" }
    public override var summary: String {
        "stepper(\(objective.name), \(opt.rule.name)) t=\(opt.t) loss=\(NumberFormat.repr(losses.last!)) w=\(Interpreter.repr(current))"
    }
    public override var members: [MemberInfo] { Stepper.table.infos }

    static let table = MemberTable<Stepper>([
        .field("w", "the current point", { $0.current }),
        .field("t", "steps taken (the optimizer's t)", { .number(Double($0.opt.t)) }),
        .field("loss", "f at the current point", { .number($0.losses.last!) }),
        .field("path", "every point so far, one row per step (the start first)", { s in .tensor(Tensor(shape: [s.losses.count, s.w.count], data: s.path)) }),
        .field("losses", "f at every point of the path", { .tensor(Tensor(vector: $0.losses)) }),
        .field("opt", "the optimizer it steps with", { .object($0.opt) }),
        .method(stepMethod),
    ])

    public override func member(_ name: String, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        Stepper.table.read(self, name)
    }

    override func member(_ name: String, cache: MemberCache, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        Stepper.table.read(self, name, cache)
    }

    static let stepMethod = Builtin("step", [.required("self"), .optional("k", .number(1))],
                                    doc: "Advances k steps (default 1) and returns the current w.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let s = o as? Stepper else { return .null }
        let k = try args.integer(1)
        guard k >= 0 else { throw RuntimeError.badArgumentValue("#1", to: "step", "k must be >= 0") }
        let objective = s.objective
        let before = s.w
        var w = s.w
        do throws(RuntimeError) {
            try s.opt.runFlat(&w, steps: k, interpreter: I, label: "step", objective: objective, gradient: { (w, g) throws(RuntimeError) in try objective.gradient(w, g, I) }) { (p) throws(RuntimeError) in
                let l = try objective.value(p, I)
                s.path.append(contentsOf: p)
                s.losses.append(l)
            }
        } catch {
            // Every finished step is kept, even when Ctrl-C stops the rest.
            s.w = w
            throw error
        }
        s.w = w
        let current = s.current
        I.hint(current, {
            let size = zip(w, before).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            // One row for the call: after several steps it says so, and |Δw| is the whole move.
            let steps = k == 1 ? "" : "  (\(k) steps)"
            return "t=\(s.opt.t)  loss=\(NumberFormat.cFormat("%.6g", s.losses.last!))  w=\(Interpreter.short(current))  |Δw|=\(NumberFormat.cFormat("%.3g", size))" + steps
        }())
        return current
    }
}

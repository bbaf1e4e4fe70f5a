// `schedule(KIND, ...)` (spec §9.4, §15.2): one table entry; each kind's row below lists its
// positional parameters and its labelled ones with defaults, and only those are accepted for
// that kind. `:help schedule`, completion after `schedule("` and the reference read the rows.

extension Builtins {
    /// One schedule kind: its parameters in order (positional, then labelled with defaults),
    /// the PyTorch scheduler it replays (nil for the course's formulas) and a one-line doc.
    public struct ScheduleSpec: Sendable {
        public let positional: [String]
        public let labelled: [(String, DefaultValue)]
        public let torch: String?
        public let doc: String
    }

    /// Every kind, in the order `:help schedule` lists them.
    public static let scheduleKinds: [(kind: String, spec: ScheduleSpec)] = Schedule.Kind.allCases.map { ($0.rawValue, scheduleSpecs[$0]!) }

    static let scheduleSpecs: [Schedule.Kind: ScheduleSpec] = [
        .constant: ScheduleSpec(positional: ["lr"], labelled: [("factor", .number(1.0 / 3)), ("total_iters", .number(5))], torch: "ConstantLR",
                                doc: "lr at every epoch; with factor: or total_iters: given, ConstantLR: lr·factor until epoch total_iters, then lr"),
        .inverse_time: ScheduleSpec(positional: ["lr", "decay_rate"], labelled: [], torch: nil, doc: "lr / (1 + decay_rate·e)"),
        .staircase: ScheduleSpec(positional: ["lr", "decay_rate", "interval"], labelled: [], torch: nil,
                                 doc: "lr / (1 + decay_rate·floor(e / interval))"),
        .step: ScheduleSpec(positional: ["lr", "step_size"], labelled: [("gamma", .number(0.1))], torch: "StepLR",
                            doc: "lr·gamma^floor(e / step_size)"),
        .multistep: ScheduleSpec(positional: ["lr", "milestones"], labelled: [("gamma", .number(0.1))], torch: "MultiStepLR",
                                 doc: "lr·gamma^(number of milestones <= e)"),
        .exponential: ScheduleSpec(positional: ["lr", "gamma"], labelled: [], torch: "ExponentialLR", doc: "lr·gamma^e"),
        .cosine: ScheduleSpec(positional: ["lr", "t_max"], labelled: [("eta_min", .number(0))], torch: "CosineAnnealingLR",
                              doc: "half a cosine from lr down to eta_min over t_max epochs (PyTorch's recursive form: it climbs back by 2·t_max)"),
        .cosine_restarts: ScheduleSpec(positional: ["lr", "t_0"], labelled: [("t_mult", .number(1)), ("eta_min", .number(0))],
                                       torch: "CosineAnnealingWarmRestarts", doc: "cosine from lr to eta_min, restarting after t_0 epochs, each period t_mult times longer"),
        .linear: ScheduleSpec(positional: ["lr"], labelled: [("start_factor", .number(1.0 / 3)), ("end_factor", .number(1)), ("total_iters", .number(5))],
                              torch: "LinearLR", doc: "the factor moves linearly from start_factor to end_factor over total_iters epochs"),
        .onecycle: ScheduleSpec(positional: ["max_lr", "total_steps"],
                                labelled: [("pct_start", .number(0.3)), ("div_factor", .number(25)), ("final_div_factor", .number(1e4)),
                                           ("base_momentum", .number(0.85)), ("max_momentum", .number(0.95)), ("cycle_momentum", .bool(true))],
                                torch: "OneCycleLR", doc: "up from max_lr/div_factor to max_lr, then down (cosine); as lr: it cycles the optimizer's momentum or beta1"),
        .warmup_cosine: ScheduleSpec(positional: ["lr", "warmup", "total"], labelled: [("eta_min", .number(0))], torch: nil,
                                     doc: "linear warm-up to lr over warmup epochs, then a cosine down to eta_min at total"),
        .plateau: ScheduleSpec(positional: ["lr"], labelled: [("factor", .number(0.1)), ("patience", .number(10)),
                                                              ("threshold", .number(1e-4)), ("mode", .string("min")),
                                                              ("cooldown", .number(0)), ("min_lr", .number(0)), ("eps", .number(1e-8))],
                               torch: "ReduceLROnPlateau", doc: "lr times factor after patience epochs without improvement: s.step(metric), s.lr"),
        .lambda: ScheduleSpec(positional: ["lr", "f"], labelled: [], torch: "LambdaLR", doc: "lr·f(e), f a function of the epoch"),
        .multiplicative: ScheduleSpec(positional: ["lr", "f"], labelled: [], torch: "MultiplicativeLR", doc: "lr·f(1)·f(2)···f(e)"),
        .polynomial: ScheduleSpec(positional: ["lr"], labelled: [("total_iters", .number(5)), ("power", .number(1))], torch: "PolynomialLR",
                                  doc: "lr·(1 − min(e, total_iters)/total_iters)^power"),
        .cyclic: ScheduleSpec(positional: ["base_lr", "max_lr"],
                              labelled: [("step_size_up", .number(2000)), ("step_size_down", .null), ("mode", .string("triangular")),
                                         ("gamma", .number(1)), ("base_momentum", .number(0.8)), ("max_momentum", .number(0.9)),
                                         ("cycle_momentum", .bool(true))],
                              torch: "CyclicLR", doc: "triangles between base_lr and max_lr (mode triangular, triangular2 or exp_range); as lr: it cycles the momentum"),
        .sequential: ScheduleSpec(positional: ["schedules", "milestones"], labelled: [], torch: "SequentialLR",
                                  doc: "schedules (s1, s2, ...) one after another, switching at the milestones"),
        .chained: ScheduleSpec(positional: ["schedules"], labelled: [], torch: "ChainedScheduler",
                               doc: "schedules (s1, s2, ...) stepped in turn on one lr, their factors multiplying"),
    ]

    /// Every name any kind takes, so that binding accepts them; each kind then checks its own.
    static let scheduleLabels: [String] = {
        var names: [String] = []
        for kind in Schedule.Kind.allCases {
            let spec = scheduleSpecs[kind]!
            for n in spec.positional + spec.labelled.map(\.0) where !names.contains(n) { names.append(n) }
        }
        return names
    }()

    static let schedules: [Builtin] = [
        Builtin("schedule", [.required("kind"), .variadic("args")] + scheduleLabels.map { .label($0, .null) },
                doc: "A learning-rate schedule: s(epoch), s.table(range); plateau steps with s.step(metric).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let name = try args.string(0)
            guard let kind = Schedule.Kind(rawValue: name), let spec = scheduleSpecs[kind] else {
                var e = RuntimeError("unknown schedule kind \(Interpreter.quoted(name))")
                if let s = nearestName(name, in: Schedule.Kind.allCases.map(\.rawValue)) { e.message += "; did you mean \"\(s)\"?" }
                e.notes = ["note: the kinds are " + Schedule.Kind.allCases.map(\.rawValue).joined(separator: ", ")]
                throw e
            }
            let parameters = try scheduleParameters(&args, kind, spec)
            try ArgumentChecks.schedule(kind, parameters)
            return .object(Schedule(kind: kind, parameters: parameters, interpreter: kind == .lambda || kind == .multiplicative ? I : nil))
        },
    ]

    static func scheduleParameters(_ args: inout Arguments, _ kind: Schedule.Kind, _ spec: ScheduleSpec) throws(RuntimeError) -> [(String, Value)] {
        let allowed = spec.positional + spec.labelled.map(\.0)
        for (label, _) in args.labelled where !allowed.contains(label) {
            var e = RuntimeError("schedule \"\(kind.rawValue)\" has no parameter '\(label)'")
            if let s = nearestName(label, in: allowed) { e.message += "; did you mean '\(s)'?" }
            throw e
        }
        guard args.rest.count <= spec.positional.count else {
            throw RuntimeError("schedule \"\(kind.rawValue)\" takes \(spec.positional.count) positional argument\(spec.positional.count == 1 ? "" : "s") after the kind (\(spec.positional.joined(separator: ", "))), got \(args.rest.count)")
        }
        var out: [(String, Value)] = []
        for (k, name) in spec.positional.enumerated() {
            let given = k < args.rest.count ? args.rest[k] : args.labelled.first { $0.label == name }?.value
            guard let value = given else { throw RuntimeError("missing argument '\(name)' to schedule \"\(kind.rawValue)\"") }
            out.append((name, try scheduleValue(value, name, kind)))
        }
        // "constant" stays the course's constant unless ConstantLR's factor: or total_iters: is given.
        if kind == .constant && args.labelled.isEmpty { return out }
        for (name, def) in spec.labelled {
            let value = args.labelled.first { $0.label == name }?.value ?? def.value
            out.append((name, try scheduleValue(value, name, kind)))
        }
        return out
    }

    /// Numbers must be finite and >= 0 (whole where they count steps); milestones a list; modes
    /// one of the kind's; f a function; schedules a tuple of schedules.
    static func scheduleValue(_ v: Value, _ name: String, _ kind: Schedule.Kind) throws(RuntimeError) -> Value {
        let whole: Set<String> = ["interval", "step_size", "t_max", "t_0", "t_mult", "total_iters", "total_steps", "warmup", "total",
                                  "patience", "cooldown", "step_size_up", "step_size_down"]
        let modes = kind == .plateau ? ["min", "max"] : ["triangular", "triangular2", "exp_range"]
        switch (name, v) {
        case ("mode", .string(let s)) where modes.contains(s): return v
        case ("mode", _):
            let quoted = modes.map { "\"\($0)\"" }
            throw RuntimeError("schedule \"\(kind.rawValue)\": mode must be " + quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!)
        case ("milestones", .tensor(let t)): return .tensor(t)
        case ("milestones", .tuple(let t)):
            var xs: [Double] = []
            for item in t.items {
                guard case .number(let x) = item else {
                    throw RuntimeError("schedule \"\(kind.rawValue)\": milestones must be numbers, got \(item.kindWithArticle)")
                }
                xs.append(x)
            }
            return .tensor(Tensor(vector: xs))
        case ("f", .function): return v
        case ("f", _): throw RuntimeError("schedule \"\(kind.rawValue)\": f must be a function of the epoch, got \(v.kindWithArticle)")
        case ("schedules", _): return try subSchedules(v, kind)
        case ("cycle_momentum", .bool): return v
        case ("step_size_down", .null): return v
        case (_, .number(let x)):
            guard x.isFinite, x >= 0 else {
                throw RuntimeError("schedule \"\(kind.rawValue)\": \(name) must be a finite number >= 0, got \(NumberFormat.repr(x))")
            }
            // Counts go through the one conversion, so Schedule.count reads them as exact Ints
            // and 2·t_max and the like cannot overflow.
            if whole.contains(name) {
                let least = name == "patience" || name == "cooldown" ? 0 : 1
                guard let n = WholeNumber.exactly(x), n >= least else {
                    throw RuntimeError("schedule \"\(kind.rawValue)\": \(name) must be a whole number from \(least) to 2^53, got \(NumberFormat.repr(x))")
                }
            }
            return v
        default:
            let expected = name == "cycle_momentum" ? "a bool" : "a number"
            throw RuntimeError("schedule \"\(kind.rawValue)\": \(name) must be \(expected), got \(v.kindWithArticle)")
        }
    }

    /// The parts of a sequential or chained schedule: a tuple of schedules that PyTorch can
    /// compose (each with an lr, none plateau, onecycle, cyclic or itself composite).
    static func subSchedules(_ v: Value, _ kind: Schedule.Kind) throws(RuntimeError) -> Value {
        guard case .tuple(let t) = v, t.count >= 1 else {
            throw RuntimeError("schedule \"\(kind.rawValue)\" takes a tuple of schedules, such as (schedule(\"linear\", 0.1), schedule(\"cosine\", 0.1, 10))")
        }
        for (k, item) in t.items.enumerated() {
            guard case .object(let o) = item, let s = o as? Schedule else {
                throw RuntimeError("schedule \"\(kind.rawValue)\": schedules[\(k)] is \(item.kindWithArticle), not a schedule")
            }
            switch s.kind {
            case .plateau, .onecycle, .cyclic, .sequential, .chained:
                throw RuntimeError("schedule \"\(kind.rawValue)\": schedules[\(k)] is \"\(s.kind.rawValue)\", which cannot be part of it"
                                   + (s.kind == .plateau ? " (PyTorch: it requires the metric when calling step)" : ""))
            case .constant, .inverse_time, .staircase, .step, .multistep, .exponential, .cosine, .cosine_restarts,
                 .linear, .warmup_cosine, .lambda, .multiplicative, .polynomial:
                break
            }
        }
        return .tuple(TupleValue(t.items))
    }
}

// `schedule(KIND, ...)` (spec §9.4): one table entry; each kind's positional parameters and
// labelled ones with defaults are listed here, and only those are accepted for that kind.

extension Builtins {
    struct ScheduleSpec {
        let positional: [String]
        let labelled: [(String, DefaultValue)]
    }

    static let scheduleSpecs: [Schedule.Kind: ScheduleSpec] = [
        .constant: ScheduleSpec(positional: ["lr"], labelled: []),
        .inverse_time: ScheduleSpec(positional: ["lr", "decay_rate"], labelled: []),
        .staircase: ScheduleSpec(positional: ["lr", "decay_rate", "interval"], labelled: []),
        .step: ScheduleSpec(positional: ["lr", "step_size"], labelled: [("gamma", .number(0.1))]),
        .multistep: ScheduleSpec(positional: ["lr", "milestones"], labelled: [("gamma", .number(0.1))]),
        .exponential: ScheduleSpec(positional: ["lr", "gamma"], labelled: []),
        .cosine: ScheduleSpec(positional: ["lr", "t_max"], labelled: [("eta_min", .number(0))]),
        .cosine_restarts: ScheduleSpec(positional: ["lr", "t_0"], labelled: [("t_mult", .number(1)), ("eta_min", .number(0))]),
        .linear: ScheduleSpec(positional: ["lr"], labelled: [("start_factor", .number(1.0 / 3)), ("end_factor", .number(1)),
                                                             ("total_iters", .number(5))]),
        .onecycle: ScheduleSpec(positional: ["max_lr", "total_steps"],
                                labelled: [("pct_start", .number(0.3)), ("div_factor", .number(25)), ("final_div_factor", .number(1e4))]),
        .warmup_cosine: ScheduleSpec(positional: ["lr", "warmup", "total"], labelled: [("eta_min", .number(0))]),
        .plateau: ScheduleSpec(positional: ["lr"], labelled: [("factor", .number(0.1)), ("patience", .number(10)),
                                                              ("threshold", .number(1e-4)), ("mode", .string("min")),
                                                              ("cooldown", .number(0)), ("min_lr", .number(0)), ("eps", .number(1e-8))]),
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
                doc: "A learning-rate schedule: s(epoch), s.table(range); plateau steps with s.step(metric).") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            let name = try args.string(0)
            guard let kind = Schedule.Kind(rawValue: name), let spec = scheduleSpecs[kind] else {
                var e = RuntimeError("unknown schedule kind \(Interpreter.quoted(name))")
                if let s = nearestName(name, in: Schedule.Kind.allCases.map(\.rawValue)) { e.message += "; did you mean \"\(s)\"?" }
                e.notes = ["note: the kinds are " + Schedule.Kind.allCases.map(\.rawValue).joined(separator: ", ")]
                throw e
            }
            return .object(Schedule(kind: kind, parameters: try scheduleParameters(&args, kind, spec)))
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
        for (name, def) in spec.labelled {
            let value = args.labelled.first { $0.label == name }?.value ?? def.value
            out.append((name, try scheduleValue(value, name, kind)))
        }
        return out
    }

    /// Numbers must be finite and >= 0 (whole where they count steps); milestones a list; mode "min" or "max".
    static func scheduleValue(_ v: Value, _ name: String, _ kind: Schedule.Kind) throws(RuntimeError) -> Value {
        let whole: Set<String> = ["interval", "step_size", "t_max", "t_0", "t_mult", "total_iters", "total_steps", "warmup", "total", "patience", "cooldown"]
        switch (name, v) {
        case ("mode", .string(let s)) where s == "min" || s == "max": return v
        case ("mode", _): throw RuntimeError("schedule \"plateau\": mode must be \"min\" or \"max\"")
        case ("milestones", .tensor(let t)): return .tensor(t)
        case ("milestones", .tuple(let t)):
            var xs: [Double] = []
            for item in t.items { guard case .number(let x) = item else { break }; xs.append(x) }
            return .tensor(Tensor(vector: xs))
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
            throw RuntimeError("schedule \"\(kind.rawValue)\": \(name) must be a number, got a \(v.kindName)")
        }
    }
}

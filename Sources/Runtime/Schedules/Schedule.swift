// Learning-rate schedules (spec §9.4, §14.4). `s(e)` is the rate at epoch e (from 0); the
// PyTorch kinds replay PyTorch's own recursive updates, so their rounding is PyTorch's.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class Schedule: RuntimeObject {
    enum Kind: String, CaseIterable {
        case constant, inverse_time, staircase, step, multistep, exponential, cosine, cosine_restarts
        case linear, onecycle, warmup_cosine, plateau
        case lambda, multiplicative, polynomial, cyclic, sequential, chained
    }

    let kind: Kind
    /// Parameter names and values, in the order of the kind's row in Builtins.scheduleSpecs.
    let parameters: [(String, Value)]
    /// ReduceLROnPlateau's running state.
    var plateau: PlateauState?
    /// The last replay of a PyTorch kind (TorchSchedules.swift): later epochs continue from it.
    var lastReplay: TorchReplay?
    /// This schedule from other base lrs (parameter groups), by the lr's bits.
    var rebased: [UInt64: Schedule] = [:]
    /// The session whose function a lambda or multiplicative schedule calls (its closure lives
    /// in that interpreter's frames); weak, as the interpreter owns the schedule.
    weak var interpreter: Interpreter?
    /// A cosine schedule's lr, t_max, eta_min and t_max as a count (zeros for the other kinds):
    /// its replay reads them at every step.
    @exclusivity(unchecked) private(set) var cosineParameters: (lr: Double, tMax: Double, etaMin: Double, period: Int) = (0, 0, 0, 0)
    /// The last cos(π·x/t_max) a cosine replay computed, and its x (NaN: none yet). A step
    /// needs it at x and x − 1, and the step before computed it at x − 1.
    @exclusivity(unchecked) private var lastCosine = (x: Double.nan, value: 0.0)

    init(kind: Kind, parameters: [(String, Value)], interpreter: Interpreter? = nil) {
        self.kind = kind
        self.parameters = parameters
        self.interpreter = interpreter
        if kind == .plateau { plateau = PlateauState(lr: parameters[0].1.asDouble) }
        super.init()
        if kind == .cosine { cosineParameters = (number("lr"), number("t_max"), number("eta_min"), count("t_max")) }
    }

    /// cos(π·x/t_max), as the cosine replay computes it; the last one is remembered.
    @inline(__always)
    func annealingCosine(_ x: Double, _ tMax: Double) -> Double {
        if x == lastCosine.x { return lastCosine.value }
        let c = cos(Double.pi * x / tMax)
        lastCosine = (x, c)
        return c
    }

    /// The parameter `name` (given or defaulted, so present), as a number. Read in place: a
    /// `first` copied the pair out (a retain and release of its name and value), a tenth of
    /// `s(t)` for the formula kinds, which read two or three parameters per call.
    func number(_ name: String) -> Double {
        for i in parameters.indices where parameters[i].0 == name {
            if case .number(let x) = parameters[i].1 { return x }
            return .nan
        }
        preconditionFailure("schedule \(kind.rawValue) has no parameter \(name)")
    }

    func string(_ name: String) -> String {
        if case .string(let s)? = parameters.first(where: { $0.0 == name })?.1 { return s }
        return ""
    }

    func flag(_ name: String) -> Bool {
        if case .bool(let b)? = parameters.first(where: { $0.0 == name })?.1 { return b }
        return false
    }

    /// `"constant"` with factor: or total_iters: given is PyTorch's ConstantLR (spec §15.2).
    var isConstantLR: Bool { kind == .constant && parameters.contains { $0.0 == "factor" } }

    /// A step-counting parameter (step_size, t_max, patience, ...) as an Int: the constructor
    /// let it through `WholeNumber` (whole, at most 2^53), so the conversion is exact.
    func count(_ name: String) -> Int { WholeNumber.exactly(number(name)) ?? Int(WholeNumber.maxMagnitude) }

    public override var kindName: String { "schedule" }

    public override var summary: String {
        "schedule(\"\(kind.rawValue)\", " + parameters.map { "\($0.0): \(Interpreter.repr($0.1))" }.joined(separator: ", ") + ")"
            + (plateau.map { " lr=\(NumberFormat.repr($0.lr))" } ?? "")
    }

    /// The kind's parameters (fields), then the table of its family: a plateau schedule's
    /// running state and `step`, the momentum of the cycling kinds, or every kind's `table`.
    public override var members: [MemberInfo] {
        let own = Schedule.rows(for: kind)
        return parameters.filter { p in !own.rows.contains { $0.info.name == p.0 } }
            .map { MemberInfo(name: $0.0, kind: .field, doc: "the parameter given to schedule(\"\(kind.rawValue)\", ...)", signature: $0.0) }
            + own.infos
    }

    static func rows(for kind: Kind) -> MemberTable<Schedule> {
        switch kind {
        case .plateau: return plateauTable
        case .onecycle, .cyclic: return cyclingTable
        case .constant, .inverse_time, .staircase, .step, .multistep, .exponential, .cosine, .cosine_restarts,
             .linear, .warmup_cosine, .lambda, .multiplicative, .polynomial, .sequential, .chained:
            return epochTable
        }
    }

    static let epochTable = MemberTable<Schedule>([.method(tableMethod)])

    static let cyclingTable = MemberTable<Schedule>([.method(tableMethod), .method(momentumMethod)])

    static let plateauTable = MemberTable<Schedule>([
        .field("lr", "the current learning rate (reduced by factor after patience bad epochs)", { .number($0.plateau!.lr) }),
        .field("best", "the best metric seen", { .number($0.plateau!.best) }),
        .field("bad_epochs", "epochs since the metric last improved", { .number(Double($0.plateau!.badEpochs)) }),
        .field("cooldown_left", "epochs of cooldown left after a reduction", { .number(Double($0.plateau!.cooldownLeft)) }),
        .method(stepMethod),
    ])

    public override func member(_ name: String, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        if let v = Schedule.rows(for: kind).read(self, name) { return v }
        return parameters.first { $0.0 == name }?.1
    }

    override func member(_ name: String, cache: MemberCache, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        if let v = Schedule.rows(for: kind).read(self, name, cache) { return v }
        return parameters.first { $0.0 == name }?.1
    }

    static let callParameters: [BuiltinParameter] = [.required("epoch")]

    public override var isCallable: Bool { true }

    public override func call(_ args: inout Arguments, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        try args.bind(Schedule.callParameters)
        return .number(try rate(try args.integer(0)))
    }

    /// `s(t)` with t a whole number, as `call` binds and converts it (anything else is left to `call`).
    public override func callDirect(_ x: Value, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        guard case .number(let e) = x, let k = WholeNumber.exactly(e) else { return nil }
        return .number(try rate(k))
    }

    /// The learning rate at epoch e (e ≥ 0): after e calls of PyTorch's scheduler.step().
    func rate(_ e: Int) throws(RuntimeError) -> Double {
        guard e >= 0 else { throw RuntimeError("a schedule's epoch must be a whole number >= 0, got \(e)") }
        switch kind {
        case .constant where !isConstantLR: return try closedRate(e)
        case .inverse_time, .staircase, .warmup_cosine: return try closedRate(e)
        case .lambda: return try getLR(number("lr"), ReplayState(epoch: e), initial: false)
        case .onecycle: return try CyclingSchedules.onecycle(self, e).lr
        case .cyclic: return CyclingSchedules.cyclic(self, e).lr
        case .plateau:
            throw RuntimeError("a plateau schedule has no rate by epoch: call s.step(metric) and read s.lr")
        case .linear, .polynomial, .constant:
            // The lr stops changing after total_iters: no need to replay further.
            return try replay(to: Swift.min(e, count("total_iters"))).lr
        case .multistep:
            // In doubles first: a milestone may be any number (1e300 does not fit an Int).
            let last = Swift.max(milestones.filter(\.isFinite).max() ?? 0, 0)
            return try replay(to: last >= Double(e) ? e : Int(last)).lr
        case .step, .exponential, .cosine, .cosine_restarts, .multiplicative, .sequential, .chained:
            return try replay(to: e).lr
        }
    }

    /// The momentum (or beta1) a cycling schedule sets at epoch e; nil for the other kinds and
    /// with cycle_momentum: false.
    func momentum(_ e: Int) throws(RuntimeError) -> Double? {
        guard flag("cycle_momentum") else { return nil }
        switch kind {
        case .onecycle: return try CyclingSchedules.onecycle(self, e).momentum
        case .cyclic: return CyclingSchedules.cyclic(self, e).momentum
        case .constant, .inverse_time, .staircase, .step, .multistep, .exponential, .cosine, .cosine_restarts,
             .linear, .warmup_cosine, .plateau, .lambda, .multiplicative, .polynomial, .sequential, .chained:
            return nil
        }
    }

    /// The kinds that are formulas of the epoch (spec §9.4), not PyTorch schedulers.
    func closedRate(_ e: Int) throws(RuntimeError) -> Double {
        let x = Double(e)
        switch kind {
        case .inverse_time: return number("lr") / (1 + number("decay_rate") * x)
        case .staircase: return number("lr") / (1 + number("decay_rate") * (x / number("interval")).rounded(.down))
        case .warmup_cosine:
            let lr = number("lr"), warmup = number("warmup"), total = number("total"), etaMin = number("eta_min")
            if x < warmup { return lr * x / warmup }
            if x <= total { return etaMin + (lr - etaMin) * (1 + cos(Double.pi * (x - warmup) / (total - warmup))) / 2 }
            return etaMin
        case .constant, .step, .multistep, .exponential, .cosine, .cosine_restarts, .linear, .onecycle, .plateau,
             .lambda, .multiplicative, .polynomial, .cyclic, .sequential, .chained:
            return number("lr")
        }
    }

    /// Epochs as the tensor `table` and `momentum` take them: a range, a tensor or a number.
    static func epochs(_ args: Arguments, _ I: Interpreter, _ f: (Int) throws(RuntimeError) -> Double) throws(RuntimeError) -> Value {
        let epochs = try args.tensor(1)
        var out: [Double] = []
        for x in epochs.data {
            out.append(try f(try I.wholeIndex(x)))
        }
        return .tensor(Tensor(shape: epochs.rank == 0 ? [1] : epochs.shape, data: out))
    }

    static let tableMethod = Builtin("table", [.required("self"), .required("epochs")],
                                     doc: "The rates at the given epochs, as a tensor.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let s = o as? Schedule else { return .null }
        return try epochs(args, I) { (e) throws(RuntimeError) in try s.rate(e) }
    }

    static let momentumMethod = Builtin("momentum", [.required("self"), .required("epochs")],
                                        doc: "The momentum (beta1) it sets at the given epochs when it is an optimizer's lr, as a tensor.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let s = o as? Schedule else { return .null }
        guard s.flag("cycle_momentum") else {
            throw RuntimeError("schedule \"\(s.kind.rawValue)\" was made with cycle_momentum: false: it sets no momentum")
        }
        return try epochs(args, I) { (e) throws(RuntimeError) in try s.momentum(e) ?? .nan }
    }

    static let stepMethod = Builtin("step", [.required("self"), .required("metric")],
                                    doc: "Feeds one epoch's metric to a plateau schedule; returns the new lr.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let s = o as? Schedule, var state = s.plateau else { return .null }
        state.step(try args.number(1), s)
        s.plateau = state
        return .number(state.lr)
    }
}

/// ReduceLROnPlateau (relative threshold): best, bad epochs, cooldown, min_lr and eps.
struct PlateauState {
    var lr: Double
    var best = Double.nan
    var badEpochs = 0
    var cooldownLeft = 0

    init(lr: Double) { self.lr = lr }

    mutating func step(_ metric: Double, _ s: Schedule) {
        let maximize = s.parameters.first { $0.0 == "mode" }.map { if case .string("max") = $0.1 { return true } else { return false } } ?? false
        let threshold = s.number("threshold")
        if best.isNaN { best = maximize ? -.infinity : .infinity }
        let better = maximize ? metric > best * (threshold + 1) : metric < best * (1 - threshold)
        if better {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownLeft > 0 {
            cooldownLeft -= 1
            badEpochs = 0
        }
        if badEpochs > s.count("patience") {
            let newLr = Swift.max(lr * s.number("factor"), s.number("min_lr"))
            if lr - newLr > s.number("eps") { lr = newLr }
            cooldownLeft = s.count("cooldown")
            badEpochs = 0
        }
    }
}

extension Value {
    var asDouble: Double {
        if case .number(let x) = self { return x }
        return .nan
    }
}

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
    }

    let kind: Kind
    /// Parameter names and values, in the order of the table in spec §9.4.
    let parameters: [(String, Value)]
    /// ReduceLROnPlateau's running state.
    var plateau: PlateauState?

    init(kind: Kind, parameters: [(String, Value)]) {
        self.kind = kind
        self.parameters = parameters
        if kind == .plateau { plateau = PlateauState(lr: parameters[0].1.asDouble) }
    }

    func number(_ name: String) -> Double { parameters.first { $0.0 == name }!.1.asDouble }

    /// A step-counting parameter (step_size, t_max, patience, ...) as an Int: the constructor
    /// let it through `WholeNumber` (whole, at most 2^53), so the conversion is exact.
    func count(_ name: String) -> Int { WholeNumber.exactly(number(name)) ?? Int(WholeNumber.maxMagnitude) }

    public override var kindName: String { "schedule" }

    public override var summary: String {
        "schedule(\"\(kind.rawValue)\", " + parameters.map { "\($0.0): \(Interpreter.repr($0.1))" }.joined(separator: ", ") + ")"
            + (plateau.map { " lr=\(NumberFormat.repr($0.lr))" } ?? "")
    }

    /// The kind's parameters (fields), then the table of its family: a plateau schedule's
    /// running state and `step`, or every other kind's `table`.
    public override var members: [MemberInfo] {
        let own = Schedule.rows(for: kind)
        return parameters.filter { p in !own.rows.contains { $0.info.name == p.0 } }
            .map { MemberInfo(name: $0.0, kind: .field, doc: "the parameter given to schedule(\"\(kind.rawValue)\", ...)", signature: $0.0) }
            + own.infos
    }

    static func rows(for kind: Kind) -> MemberTable<Schedule> { kind == .plateau ? plateauTable : epochTable }

    static let epochTable = MemberTable<Schedule>([.method(tableMethod)])

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

    public override func call(_ args: inout Arguments, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        try args.bind([.required("epoch")])
        return .number(try rate(try args.integer(0)))
    }

    /// The learning rate at epoch e (e ≥ 0).
    func rate(_ e: Int) throws(RuntimeError) -> Double {
        guard e >= 0 else { throw RuntimeError("a schedule's epoch must be a whole number >= 0, got \(e)") }
        switch kind {
        case .constant: return number("lr")
        case .inverse_time: return number("lr") / (1 + number("decay_rate") * Double(e))
        case .staircase:
            return number("lr") / (1 + number("decay_rate") * (Double(e) / number("interval")).rounded(.down))
        case .step: return try TorchSchedules.step(self, e)
        case .multistep: return try TorchSchedules.multistep(self, e)
        case .exponential: return try TorchSchedules.exponential(self, e)
        case .cosine: return try TorchSchedules.cosine(self, e)
        case .cosine_restarts: return try TorchSchedules.cosineRestarts(self, e)
        case .linear: return try TorchSchedules.linear(self, e)
        case .onecycle: return try TorchSchedules.onecycle(self, e)
        case .warmup_cosine:
            let lr = number("lr"), warmup = number("warmup"), total = number("total"), etaMin = number("eta_min")
            let x = Double(e)
            if x < warmup { return lr * x / warmup }
            if x <= total { return etaMin + (lr - etaMin) * (1 + cos(Double.pi * (x - warmup) / (total - warmup))) / 2 }
            return etaMin
        case .plateau:
            throw RuntimeError("a plateau schedule has no rate by epoch: call s.step(metric) and read s.lr")
        }
    }

    static let tableMethod = Builtin("table", [.required("self"), .required("epochs")],
                                     doc: "The rates at the given epochs, as a tensor.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let s = o as? Schedule else { return .null }
        let epochs = try args.tensor(1)
        var out: [Double] = []
        for x in epochs.data {
            out.append(try s.rate(try I.wholeIndex(x)))
        }
        return .tensor(Tensor(shape: epochs.rank == 0 ? [1] : epochs.shape, data: out))
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

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

    public override var kindName: String { "schedule" }

    public override var summary: String {
        "schedule(\"\(kind.rawValue)\", " + parameters.map { "\($0.0): \(Interpreter.repr($0.1))" }.joined(separator: ", ") + ")"
            + (plateau.map { " lr=\(NumberFormat.repr($0.lr))" } ?? "")
    }

    public override var memberNames: [String] {
        parameters.map(\.0) + (kind == .plateau ? ["lr", "best", "bad_epochs", "cooldown_left", "step"] : ["table"])
    }

    public override func member(_ name: String, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        // A plateau's lr is its current rate, not the starting one.
        if plateau == nil || name != "lr", let p = parameters.first(where: { $0.0 == name }) { return p.1 }
        if let plateau {
            switch name {
            case "lr": return .number(plateau.lr)
            case "best": return .number(plateau.best)
            case "bad_epochs": return .number(Double(plateau.badEpochs))
            case "cooldown_left": return .number(Double(plateau.cooldownLeft))
            case "step": return .function(BoundMethod(receiver: .object(self), method: Schedule.stepMethod))
            default: return nil
            }
        }
        if name == "table" { return .function(BoundMethod(receiver: .object(self), method: Schedule.tableMethod)) }
        return nil
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
        case .step: return TorchSchedules.step(self, e)
        case .multistep: return TorchSchedules.multistep(self, e)
        case .exponential: return TorchSchedules.exponential(self, e)
        case .cosine: return TorchSchedules.cosine(self, e)
        case .cosine_restarts: return TorchSchedules.cosineRestarts(self, e)
        case .linear: return TorchSchedules.linear(self, e)
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
        if badEpochs > Int(s.number("patience")) {
            let newLr = Swift.max(lr * s.number("factor"), s.number("min_lr"))
            if lr - newLr > s.number("eps") { lr = newLr }
            cooldownLeft = Int(s.number("cooldown"))
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

// PyTorch's argument checks (spec §15.2), in one table: what PyTorch's constructors reject is
// an error here too, with PyTorch's own reason in the message. Optimizer constructors and
// field assignments, and schedule(KIND, ...), call these before building anything.

enum ArgumentChecks {
    /// One hyper-parameter rule: the values PyTorch accepts and its ValueError's text.
    struct Rule: Sendable {
        let accepts: @Sendable (Double) -> Bool
        let reason: @Sendable (Double) -> String
    }

    static func py(_ x: Double) -> String { NumberFormat.pythonRepr(x) }

    /// `not 0.0 <= x` in PyTorch's constructors (so NaN is rejected too).
    static func nonNegative(_ message: String) -> Rule { Rule(accepts: { 0 <= $0 }, reason: { message + py($0) }) }

    /// By parameter name, for every torch optimizer that has it (torch.optim's texts, 2.x).
    static let optimizerRules: [String: Rule] = [
        "lr": nonNegative("Invalid learning rate: "),
        "eps": nonNegative("Invalid epsilon value: "),
        "momentum": nonNegative("Invalid momentum value: "),
        "weight_decay": nonNegative("Invalid weight_decay value: "),
        "alpha": nonNegative("Invalid alpha value: "),
        "lr_decay": nonNegative("Invalid lr_decay value: "),
        "momentum_decay": nonNegative("Invalid momentum_decay value: "),
        "initial_accumulator_value": nonNegative("Invalid initial_accumulator_value value: "),
        "rho": Rule(accepts: { 0 <= $0 && $0 <= 1 }, reason: { "Invalid rho value: " + py($0) }),
        "betas.0": Rule(accepts: { 0 <= $0 && $0 < 1 }, reason: { "Invalid beta parameter at index 0: " + py($0) }),
        "betas.1": Rule(accepts: { 0 <= $0 && $0 < 1 }, reason: { "Invalid beta parameter at index 1: " + py($0) }),
        "lambd": nonNegative("Invalid lambd value: "),
    ]

    /// Where one optimizer words it differently ("rule.parameter"): Adafactor's and Muon's texts.
    /// (Pairs a rule checks as a whole, rprop's etas and adafactor's eps, stay in its `checks`.)
    static let ruleSpecific: [String: Rule] = [
        "torch.adafactor.lr": nonNegative("Learning rate should be >= 0 but is: "),
        "torch.adafactor.d": Rule(accepts: { $0 >= 1 }, reason: { "Clipping threshold d should be >= 1 but is: " + py($0) }),
        "torch.adafactor.weight_decay": nonNegative("weight_decay should be >= 0 but is: "),
        "torch.muon.lr": nonNegative("Learning rate should be >= 0 but is: "),
        "torch.muon.momentum": nonNegative("momentum should be >= 0 but is: "),
        "torch.muon.weight_decay": nonNegative("weight decay should be >= 0 but is: "),
    ]

    static func rule(_ optimizer: String, _ name: String) -> Rule? { ruleSpecific["\(optimizer).\(name)"] ?? optimizerRules[name] }

    /// One parameter value of a `torch.*` optimizer (a number, or the items of a pair such as
    /// betas). The course forms reject the same values with their own words (Optimizer.check).
    static func optimizerParameter(_ rule: String, _ name: String, _ v: Value, position: String) throws(RuntimeError) {
        guard rule.hasPrefix("torch.") else { return }
        switch v {
        case .number(let x):
            if let r = self.rule(rule, name), !r.accepts(x) { throw RuntimeError.badArgumentValue(position, to: rule, r.reason(x)) }
        case .tuple(let t):
            for (k, item) in t.items.enumerated() {
                if case .number(let x) = item, let r = self.rule(rule, "\(name).\(k)"), !r.accepts(x) {
                    throw RuntimeError.badArgumentValue(position, to: rule, r.reason(x))
                }
            }
        case .bool, .string, .tensor, .view, .function, .object, .null, .traced:
            break
        }
    }

    /// Checks across parameters, once each one passed: PyTorch SGD's nesterov rule, and a
    /// cycling schedule as lr needs a momentum or beta1 to cycle (OneCycleLR's, CyclicLR's rule).
    static func optimizer(_ rule: String, _ names: [String], _ settings: [Value]) throws(RuntimeError) {
        func value(_ name: String) -> Value? { names.firstIndex(of: name).map { settings[$0] } }
        if case .object(let o)? = value("lr"), let s = o as? Schedule, s.flag("cycle_momentum"),
           Schedule.momentumSlot(names.map { $0 == "betas" ? "betas.0" : $0 }) == nil {
            throw RuntimeError("'\(rule)': schedule \"\(s.kind.rawValue)\" as lr cycles the momentum, and \(rule) has neither momentum nor betas (PyTorch: optimizer must support momentum or beta1 with `cycle_momentum` option enabled); give the schedule cycle_momentum: false")
        }
        if case .bool(true)? = value("nesterov") {
            let momentum: Double = { if case .number(let m)? = value("momentum") { return m }; return 1 }()
            let dampening: Double = { if case .number(let d)? = value("dampening") { return d }; return 0 }()
            if momentum <= 0 || dampening != 0 {
                throw RuntimeError("'\(rule)': Nesterov momentum requires a momentum and zero dampening (PyTorch's rule: nesterov: true needs momentum > 0 and dampening: 0)")
            }
        }
    }

    /// np.random.uniform: hi − lo must be finite (NumPy's OverflowError), so no bound may be
    /// inf or nan.
    static func uniform(_ lo: Double, _ hi: Double) throws(RuntimeError) {
        guard (hi - lo).isFinite else {
            throw RuntimeError.badArgumentValue(lo.isFinite ? "#2" : "#1", to: "uniform",
                                                "hi - lo must be finite, got lo \(NumberFormat.repr(lo)) and hi \(NumberFormat.repr(hi)) (NumPy: Range exceeds valid bounds)")
        }
    }

    /// schedule(KIND, ...): the rules of PyTorch's scheduler constructors (after each value
    /// passed `Builtins.scheduleValue`).
    static func schedule(_ kind: Schedule.Kind, _ parameters: [(String, Value)]) throws(RuntimeError) {
        func number(_ name: String) -> Double? {
            if case .number(let x)? = parameters.first(where: { $0.0 == name })?.1 { return x }
            return nil
        }
        func fail(_ reason: String) -> RuntimeError { RuntimeError("schedule \"\(kind.rawValue)\": \(reason)") }
        switch kind {
        case .linear:
            if let s = number("start_factor"), !(s > 0 && s <= 1) {
                throw fail("start_factor must be in (0, 1], got \(NumberFormat.repr(s)) (PyTorch: Starting multiplicative factor expected to be greater than 0 and less or equal to 1.)")
            }
            if let e = number("end_factor"), !(e >= 0 && e <= 1) {
                throw fail("end_factor must be in [0, 1], got \(NumberFormat.repr(e)) (PyTorch: Ending multiplicative factor expected to be between 0 and 1.)")
            }
        case .constant:
            if let f = number("factor") {
                guard f <= 1 else {
                    throw fail("factor must be in [0, 1], got \(NumberFormat.repr(f)) (PyTorch: Constant multiplicative factor expected to be between 0 and 1.)")
                }
                // PyTorch accepts 0 but then divides by it at epoch total_iters (ZeroDivisionError).
                guard f > 0 else { throw fail("factor must be > 0: PyTorch's ConstantLR divides the lr by it at epoch total_iters") }
            }
        case .plateau:
            if let f = number("factor"), !(f < 1) { throw fail("factor must be below 1, got \(NumberFormat.repr(f)) (PyTorch: Factor should be < 1.0.)") }
        case .onecycle:
            if let p = number("pct_start"), !(p <= 1) {
                throw fail("pct_start must be in [0, 1], got \(NumberFormat.repr(p)) (PyTorch: Expected float between 0 and 1 pct_start, but got \(py(p)))")
            }
            // A phase of length 0 makes PyTorch divide by zero (ZeroDivisionError) when it gets there.
            if let p = number("pct_start"), let total = number("total_steps"), p * total - 1 == 0 || p * total - 1 == total - 1 {
                throw fail("pct_start·total_steps − 1 is \(NumberFormat.repr(p * total - 1)), which leaves a phase of no length (PyTorch: ZeroDivisionError: float division by zero)")
            }
        case .sequential:
            try sequential(parameters, fail)
        case .inverse_time, .staircase, .step, .multistep, .exponential, .cosine, .cosine_restarts, .warmup_cosine,
             .lambda, .multiplicative, .polynomial, .cyclic, .chained:
            break
        }
        if kind == .sequential || kind == .chained { try sharedLR(parameters, fail) }
    }

    /// SequentialLR: one milestone fewer than schedules.
    private static func sequential(_ parameters: [(String, Value)], _ fail: (String) -> RuntimeError) throws(RuntimeError) {
        guard case .tuple(let parts)? = parameters.first(where: { $0.0 == "schedules" })?.1,
              case .tensor(let m)? = parameters.first(where: { $0.0 == "milestones" })?.1 else { return }
        guard m.count == parts.count - 1 else {
            throw fail("\(parts.count) schedules need \(parts.count - 1) milestone\(parts.count == 2 ? "" : "s"), got \(m.count) (PyTorch: Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers \(parts.count) and the number of milestones to be equal to \(m.count))")
        }
        for x in m.data where WholeNumber.exactly(x) == nil || x < 0 {
            throw fail("milestones must be whole numbers >= 0, got \(NumberFormat.repr(x))")
        }
    }

    /// The parts of a sequential or chained schedule share one base lr, as PyTorch's
    /// schedulers of one optimizer share its initial_lr.
    private static func sharedLR(_ parameters: [(String, Value)], _ fail: (String) -> RuntimeError) throws(RuntimeError) {
        guard case .tuple(let parts)? = parameters.first(where: { $0.0 == "schedules" })?.1 else { return }
        var lrs: [Double] = []
        for item in parts.items {
            if case .object(let o) = item, let s = o as? Schedule { lrs.append(s.number("lr")) }
        }
        if let first = lrs.first, let k = lrs.firstIndex(where: { $0 != first }) {
            throw fail("every schedule must have the same lr (PyTorch's schedulers of one optimizer share its initial_lr): schedules[0] has \(NumberFormat.repr(first)), schedules[\(k)] has \(NumberFormat.repr(lrs[k]))")
        }
    }
}

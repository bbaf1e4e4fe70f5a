// PyTorch's GradScaler rule (spec §9.6, §14.4): scale the loss, unscale the gradients and
// remember whether any is non-finite, skip the step then, back off or grow the scale.

public final class GradScaler: RuntimeObject {
    let growthFactor: Double, backoffFactor: Double, growthInterval: Int
    let initScale: Double
    var scale: Double
    var growthTracker = 0
    var skipped = 0
    /// Set by unscale (explicit or implicit) since the last update: were non-finite values found?
    var foundNonFinite: Bool?
    var unscaledExplicitly = false
    var stepped = false

    init(initScale: Double, growthFactor: Double, backoffFactor: Double, growthInterval: Int) {
        self.initScale = initScale
        self.scale = GradScaler.float32(initScale)
        self.growthFactor = growthFactor
        self.backoffFactor = backoffFactor
        self.growthInterval = growthInterval
    }

    public override var kindName: String { "grad scaler" }
    public override var summary: String {
        "grad_scaler(init_scale: \(NumberFormat.repr(initScale)), growth_factor: \(NumberFormat.repr(growthFactor)), "
            + "backoff_factor: \(NumberFormat.repr(backoffFactor)), growth_interval: \(growthInterval)) "
            + "scale=\(NumberFormat.repr(scale)) skipped=\(skipped)"
    }
    public override var members: [MemberInfo] { GradScaler.table.infos }

    static let table = MemberTable<GradScaler>(
        [.field("skipped", "how many steps were skipped for non-finite gradients", { .number(Double($0.skipped)) })]
            + ["scale", "unscale", "step", "update", "get_scale"].map { .method(GradScaler.methods[$0]!) })

    public override func member(_ name: String, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        GradScaler.table.read(self, name)
    }

    override func member(_ name: String, cache: MemberCache, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        GradScaler.table.read(self, name, cache)
    }

    /// Divides every leaf by the scale and records whether anything is non-finite.
    func unscale(_ grads: Value) throws(RuntimeError) -> Value {
        guard foundNonFinite == nil else {
            throw RuntimeError("grad_scaler.unscale was already called since the last update (as in PyTorch, once per step)")
        }
        let leaves = try Trees.leaves(grads, function: "unscale", argument: "#1")
        foundNonFinite = leaves.contains { $0.tensor.data.contains { !$0.isFinite } }
        // As PyTorch: times the reciprocal, computed in double and stored as float32.
        let inverse = GradScaler.float32(1 / scale)
        return Trees.rebuild(grads, leaves.map { leaf in leaf.tensor.map { $0 * inverse } })
    }

    func step(_ opt: Optimizer, _ params: Value, _ grads: Value) throws(RuntimeError) -> Value {
        guard !stepped else { throw RuntimeError("grad_scaler.step was already called since the last update") }
        let g = foundNonFinite == nil ? try unscale(grads) : grads
        stepped = true
        if foundNonFinite == true {
            skipped += 1
            return params
        }
        return try opt.step(params, g)
    }

    func update() throws(RuntimeError) {
        guard let found = foundNonFinite else {
            throw RuntimeError("grad_scaler.update: nothing was recorded since the last update (call unscale or step first)")
        }
        // PyTorch keeps the scale in a float32 tensor (_amp_update_scale_): each product is
        // rounded to float32, and a growth that would overflow it is not taken (2^127 stays).
        if found {
            scale = GradScaler.float32(scale * backoffFactor)
            growthTracker = 0
        } else {
            growthTracker += 1
            if growthTracker == growthInterval {
                let grown = GradScaler.float32(scale * growthFactor)
                if grown.isFinite { scale = grown }
                growthTracker = 0
            }
        }
        foundNonFinite = nil
        stepped = false
    }

    /// The scale's format in PyTorch: float32.
    static func float32(_ x: Double) -> Double { Double(Float(x)) }

    static func receiver(_ args: Arguments) -> GradScaler? {
        guard case .object(let o) = args[0] else { return nil }
        return o as? GradScaler
    }

    static let methods: [String: Builtin] = [
        "scale": Builtin("scale", [.required("self"), .required("x")], doc: "x times the current scale (a tree); differentiable, so scaler.scale(loss).backward() reads grad(fn(p) = sc.scale(loss(p)), params).",
                         differentiation: .operators) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            guard let sc = receiver(args) else { return .null }
            return try I.binary(.multiply, args[1], .number(sc.scale))
        },
        "unscale": Builtin("unscale", [.required("self"), .required("grads")], doc: "grads divided by the scale; remembers non-finite values.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            guard let sc = receiver(args) else { return .null }
            return try sc.unscale(args[1])
        },
        "step": Builtin("step", [.required("self"), .required("opt"), .required("params"), .required("grads")],
                        doc: "opt.step on the unscaled grads, or params unchanged when they held inf or nan.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            guard let sc = receiver(args) else { return .null }
            guard case .object(let o) = args[1], let opt = o as? Optimizer else {
                throw RuntimeError.badArgument("#1", to: "step", expected: "optimizer", got: args[1])
            }
            return try sc.step(opt, args[2], args[3])
        },
        "update": Builtin("update", [.required("self")], doc: "Backs off after a skipped step; grows after growth_interval good ones.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            try receiver(args)?.update()
            return .null
        },
        "get_scale": Builtin("get_scale", [.required("self")], doc: "The current scale.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            .number(receiver(args)?.scale ?? .nan)
        },
    ]
}

extension Builtins {
    static let scalers: [Builtin] = [
        Builtin("grad_scaler", [.optional("init_scale", .number(65536)), .optional("growth_factor", .number(2)),
                                .optional("backoff_factor", .number(0.5)), .optional("growth_interval", .number(2000))],
                doc: "A gradient scaler with PyTorch GradScaler's rule (mixed precision).") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            let initScale = try args.number(0), growth = try args.number(1), backoff = try args.number(2)
            let interval = try args.integer(3)
            guard initScale > 0, GradScaler.float32(initScale).isFinite, GradScaler.float32(initScale) > 0 else {
                throw RuntimeError.badArgumentValue(args.position(0), to: "grad_scaler", "init_scale must be > 0 and finite as a float32 (PyTorch keeps the scale in float32)")
            }
            guard growth > 1 else { throw RuntimeError.badArgumentValue(args.position(1), to: "grad_scaler", "growth_factor must be > 1") }
            guard backoff > 0, backoff < 1 else { throw RuntimeError.badArgumentValue(args.position(2), to: "grad_scaler", "backoff_factor must be in (0, 1)") }
            guard interval >= 1 else { throw RuntimeError.badArgumentValue(args.position(3), to: "grad_scaler", "growth_interval must be >= 1") }
            return .object(GradScaler(initScale: initScale, growthFactor: growth, backoffFactor: backoff, growthInterval: interval))
        },
    ]
}

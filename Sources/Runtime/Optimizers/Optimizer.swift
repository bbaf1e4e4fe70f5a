// An optimizer object (spec §9.3): hyper-parameter fields, the step counter t (increased
// before each update, so the first step has t = 1), per-leaf state, step/reset methods.

public final class Optimizer: RuntimeObject {
    let rule: OptimizerRule
    // A step never re-enters its own optimizer (the runtime runs on one thread): the state a
    // step reads and writes is exempt from run-time exclusivity checks (4% of grad_scalar;
    // settings and template are read by every step's checks).
    /// The checked value of each constructor parameter, in order.
    @exclusivity(unchecked) var settings: [Value] {
        didSet {
            hyper = Hyper(parameters: rule.parameters, values: settings)
            lastKernel = nil
        }
    }
    @exclusivity(unchecked) private(set) var hyper: Hyper
    @exclusivity(unchecked) var t = 0
    /// Per leaf, per buffer; nil before the first step.
    @exclusivity(unchecked) var buffers: [[[Double]]]?
    /// The first step's parameters: later steps must have the same structure.
    @exclusivity(unchecked) var template: Value?
    /// torch.lbfgs's state (LBFGS.swift): history over the flat parameters, not per-leaf buffers.
    var lbfgs: LBFGSState?

    /// Where `groups:` is among the parameters (found once: every step asks).
    let groupsSlot: Int?

    /// Whether a parameter is named `step` (none is): it would be read before the method.
    private let stepIsParameter: Bool
    /// Where `lr` is among the parameters (every step asks whether it holds a schedule).
    private let lrSlot: Int?

    /// The kernel made last, with the hyper-parameter values and leaf shape it was made for: a
    /// step with the same values (no schedule, no field set since) reuses it instead of reading
    /// the values by name again and allocating a new closure (a fifth of a scalar step).
    @exclusivity(unchecked) private var lastKernel: (values: [Double], shape: [Int], kernel: LeafKernel)?
    /// The pointers handed to a kernel, kept from step to step so a step allocates no array.
    @exclusivity(unchecked) private var pointerScratch: [UnsafeMutableBufferPointer<Double>] = []

    init(rule: OptimizerRule, settings: [Value]) {
        self.rule = rule
        self.settings = settings
        self.hyper = Hyper(parameters: rule.parameters, values: settings)
        self.groupsSlot = rule.parameters.firstIndex { $0.name == "groups" }
        self.stepIsParameter = rule.parameters.contains { $0.name == "step" }
        self.lrSlot = rule.parameters.firstIndex { $0.name == "lr" }
    }

    public override var kindName: String { "optimizer" }

    /// `adam(lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-08) t=3`: every numeric
    /// hyper-parameter, the booleans that differ from their default, then t.
    public override var summary: String {
        var parts: [String] = []
        for (k, p) in rule.parameters.enumerated() {
            if p.name == "groups", case .null = settings[k] { continue }
            if case .bool(let d)? = p.defaultValue {
                if case .bool(let b) = settings[k], b != d { parts.append("\(p.name): \(b)") }
            } else {
                parts.append("\(p.name): \(Interpreter.repr(settings[k]))")
            }
        }
        return "\(rule.name)(\(parts.joined(separator: ", "))) t=\(t)"
    }

    /// The constructor's parameters (settable fields, read from `settings`), then the rows every
    /// optimizer has.
    public override var members: [MemberInfo] { ObjectClasses.members(ofObjectsMadeBy: rule.name) ?? Optimizer.table.infos }

    static let table = MemberTable<Optimizer>([
        .field("t", "steps taken; the first step has t = 1", { .number(Double($0.t)) },
               set: { (o, value) throws(RuntimeError) in
                   guard case .number(let x) = value, x >= 0, x == x.rounded(), x < 9e15 else {
                       throw RuntimeError("\(o.rule.name).t must be a whole number >= 0, got \(Interpreter.repr(value))")
                   }
                   o.t = Int(x)
               }),
        .field("state", "the buffers of every leaf, a tree shaped like the parameters (nil before the first step)",
               { $0.stateValue() }),
        .method(stepMethod),
        .method(resetMethod),
        .method(torchMethod),
        .method(explainMethod),
    ])

    public override func member(_ name: String, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        // `opt.step` in a training loop: no scan of the parameters' names, no table lookup.
        if name == "step", !stepIsParameter { return .function(BoundMethod(receiver: .object(self), entry: Optimizer.stepEntry)) }
        if let k = rule.parameters.firstIndex(where: { $0.name == name }) { return settings[k] }
        return Optimizer.table.read(self, name)
    }

    /// `member` at a site: the same order (step, the parameters, the table), with the step
    /// method bound through the site's cache (no bound method allocated per step).
    override func member(_ name: String, cache: MemberCache, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        if name == "step", !stepIsParameter { return cache.bind(self, Optimizer.stepEntry) }
        if let k = rule.parameters.firstIndex(where: { $0.name == name }) { return settings[k] }
        return Optimizer.table.read(self, name, cache)
    }

    public override func setMember(_ name: String, _ value: Value, interpreter: Interpreter) throws(RuntimeError) -> Bool {
        guard let k = rule.parameters.firstIndex(where: { $0.name == name }) else {
            return try Optimizer.table.write(self, name, value)
        }
        try ArgumentChecks.optimizerParameter(rule.name, name, value, position: "'\(name)'")
        var changed = settings
        changed[k] = try Optimizer.check(value, rule.parameters[k], rule: rule, position: "'\(name)'")
        try ArgumentChecks.optimizer(rule.name, rule.parameters.map(\.name), changed)
        settings = changed
        return true
    }

    /// A hyper-parameter value, checked: no NaN, no negatives, averaging factors below 1.
    static func check(_ v: Value, _ p: BuiltinParameter, rule: OptimizerRule, position: String) throws(RuntimeError) -> Value {
        if let custom = rule.checks[p.name] { return try custom(v, position) }
        switch p.defaultValue {
        case .bool?:
            guard case .bool = v else { throw RuntimeError.badArgument(position, to: rule.name, expected: "bool", got: v) }
            return v
        case .numbers(let d)?:
            // Rules with such a parameter check it in `checks`; this keeps the count and the numbers.
            guard case .tuple(let t) = v, t.count == d.count else {
                throw RuntimeError.badArgument(position, to: rule.name, expected: "\(d.count) numbers", got: v)
            }
            for item in t.items { if case .null = item { continue }; _ = try number(item, p.name, unit: false, rule: rule, position: position) }
            return .tuple(TupleValue(t.items))
        case .pair?:
            guard case .tuple(let t) = v, t.count == 2 else {
                throw RuntimeError.badArgument(position, to: rule.name, expected: "pair of numbers", got: v)
            }
            for item in t.items { _ = try number(item, p.name, unit: true, rule: rule, position: position) }
            return .tuple(TupleValue(t.items))
        case .number?, .string?, .null?, nil:
            if p.name == "lr", case .object(let o) = v, let schedule = o as? Schedule {
                guard schedule.kind != .plateau else {
                    throw RuntimeError.badArgumentValue(position, to: rule.name, "a plateau schedule cannot be lr: step it with s.step(metric) and set opt.lr = s.lr")
                }
                return v
            }
            return .number(try number(v, p.name, unit: rule.unitInterval.contains(p.name), rule: rule, position: position))
        }
    }

    private static func number(_ v: Value, _ name: String, unit: Bool, rule: OptimizerRule, position: String) throws(RuntimeError) -> Double {
        guard case .number(let x) = v else { throw RuntimeError.badArgument(position, to: rule.name, expected: "number", got: v) }
        guard !x.isNaN else { throw RuntimeError.badArgumentValue(position, to: rule.name, "\(name) cannot be nan") }
        guard x >= 0 else {
            throw RuntimeError.badArgumentValue(position, to: rule.name, "\(name) must be >= 0, got \(NumberFormat.repr(x))")
        }
        if unit, !(x < 1) {
            throw RuntimeError.badArgumentValue(position, to: rule.name, "\(name) must be below 1, got \(NumberFormat.repr(x))")
        }
        return x
    }

    /// `opt.state`: a tree shaped like the parameters whose leaves are labelled tuples of buffers.
    func stateValue() -> Value {
        if rule.needsClosure { return lbfgs?.value ?? .null }
        guard let buffers, let template else { return .null }
        let h = withCycledMomentum(hyper)
        let hypers = leafHypers()
        var k = 0
        func build(_ v: Value) -> Value {
            switch v {
            case .tuple(let tup):
                return .tuple(TupleValue(tup.items.map(build), labels: tup.labels))
            case .number, .tensor, .view:
                let leaf = buffers[k]
                let shape = v.tensorShape
                let layout = rule.bufferLayout(hypers?[k] ?? h, shape: shape ?? [])
                k += 1
                let labels = TupleLabels(layout.map { Optional($0.name) })
                // A 0-d buffer (asgd's eta) is a number, as PyTorch's 0-d tensors print as one.
                return .tuple(TupleValue(zip(leaf, layout).map { b, l in
                    shape != nil && !l.shape.isEmpty ? .tensor(Tensor(shape: l.shape, data: b)) : .number(b[0])
                }, labels: labels))
            case .bool, .string, .function, .object, .null, .traced:
                return v
            }
        }
        return build(template)
    }

    /// One step on trees of equal structure; returns the new parameters.
    func step(_ params: Value, _ grads: Value) throws(RuntimeError) -> Value {
        if let m = Trees.mismatch(params, grads) {
            throw RuntimeError("\(rule.name).step: params and grads differ: \(m)")
        }
        if let template, let m = Trees.mismatch(template, params) {
            throw RuntimeError("\(rule.name).step: the parameters differ from the first step's: \(m)",
                               notes: ["hint: the optimizer keeps buffers shaped like the first step's parameters; call opt.reset() to start over with new ones"])
        }
        let w = try Trees.leaves(params, function: "step", argument: "#1")
        let g = try Trees.leaves(grads, function: "step", argument: "#2")
        if rule.needsClosure {
            throw RuntimeError("\(rule.name) needs the objective to re-evaluate it: run it with minimize(f, w0, opt) or stepper(f, w0, opt), which give it the closure of PyTorch's step(closure)")
        }
        if let requirement = rule.leafRequirement {
            for leaf in w { if let m = requirement(leaf.tensor.shape) { throw RuntimeError("\(rule.name).step: " + m + (leaf.path.isEmpty ? "" : " (leaf \(leaf.path))")) } }
        }
        let h = try nextStepHyper()
        // Parameter groups: each leaf steps with its group's hyper-parameters.
        let groups = hasGroups ? parameterGroups : []
        let groupOf = groups.isEmpty ? [] : try groupOfLeaves(w, groups)
        var groupHypers: [Hyper] = []
        for g in groups { groupHypers.append(try groupHyper(g, stepHyper: h, step: t)) }
        let leafHyper = { (k: Int) -> Hyper in groups.isEmpty ? h : groupOf[k].map { groupHypers[$0] } ?? h }
        if buffers == nil {
            // With this step's lr: asgd's eta and rprop's step_size start from it, as in PyTorch.
            buffers = w.indices.map { k in
                let h = leafHyper(k)
                return rule.bufferLayout(h, shape: w[k].tensor.shape).map {
                    [Double](repeating: rule.initial($0.name, h), count: $0.shape.reduce(1, *))
                }
            }
            template = params
        }
        t += 1
        var out: [Tensor] = []
        out.reserveCapacity(w.count)
        // Made once per step unless it depends on the leaf's shape: a thousand leaves must not
        // read the hyper-parameters a thousand times.
        let shared = rule.shapedUpdate == nil && groups.isEmpty ? kernel(h, shape: []) : nil
        for k in 0..<w.count {
            let kernel = shared ?? (groups.isEmpty ? self.kernel(h, shape: w[k].tensor.shape)
                                                   : rule.kernel(leafHyper(k), shape: w[k].tensor.shape))
            var data = w[k].tensor.data
            data.withUnsafeMutableBufferPointer { wp in
                g[k].tensor.data.withUnsafeBufferPointer { gp in run(kernel, leaf: k, wp, gp) }
            }
            out.append(Tensor(shape: w[k].tensor.shape, data: data))
        }
        return Trees.rebuild(params, out)
    }

    /// A schedule given as lr, if any.
    var lrSchedule: Schedule? {
        guard let k = lrSlot, case .object(let o) = settings[k] else { return nil }
        return o as? Schedule
    }

    /// The hyper-parameters the next step uses: with a schedule as lr, the step with counter t
    /// uses sched(t − 1) (and a cycling schedule's momentum or beta1 at that epoch).
    func nextStepHyper() throws(RuntimeError) -> Hyper {
        var h = hyper
        if let schedule = lrSchedule { try schedule.apply(to: &h, step: t) }
        return h
    }

    /// The kernel of this step when it is on a single tensor of the first step's shape, with
    /// `t` advanced; nil when the general path must run. Everything that can fail happens here,
    /// before any buffer is written.
    func inPlaceKernel(_ params: Value, _ g: Tensor) throws(RuntimeError) -> LeafKernel? {
        guard case .tensor(let w) = params, w.shape == g.shape else { return nil }
        return try inPlaceKernel(shape: w.shape)
    }

    /// inPlaceKernel for parameters and gradient of `shape`.
    func inPlaceKernel(shape: [Int]) throws(RuntimeError) -> LeafKernel? {
        guard !hasGroups, buffers != nil, case .tensor(let first)? = template, first.shape == shape else { return nil }
        let h = try nextStepHyper()
        t += 1
        return kernel(h, shape: shape)
    }

    /// The kernel of this step when params and grads are numbers and the first step's
    /// parameters were a number too, with `t` advanced; nil when the general path must run
    /// (which then gives its errors). The same kernel on the same numbers as the general path,
    /// without the leaves, tensors and tree it builds around them.
    func scalarKernel(_ params: Value, _ grads: Value) throws(RuntimeError) -> LeafKernel? {
        guard case .number = params, case .number = grads, case .number? = template, buffers?.count == 1,
              !rule.needsClosure, rule.leafRequirement == nil, !hasGroups else { return nil }
        // With no schedule the values are `hyper`, unchanged since the last kernel was made (a
        // setting clears it): that kernel is the one `kernel` would find, without the copy and
        // the comparison of the values once per step.
        if lrSchedule == nil, let last = lastKernel, last.shape.isEmpty {
            t += 1
            return last.kernel
        }
        let h = try nextStepHyper()
        t += 1
        return kernel(h, shape: [])
    }

    /// The kernel the next steps of numbers run while nothing changes the hyper-parameters:
    /// the one the last step of numbers made (nil before one, and with a schedule, whose values
    /// change every step). A compiled loop, where nothing else touches the optimizer, runs it
    /// through `repeatStep` instead of looking it up again at every step.
    /// The rule's scalar form, made from the same hyper-parameters, when it has one.
    var steadyScalarKernel: SteadyKernel? {
        guard lrSchedule == nil, case .number? = template, let last = lastKernel, last.shape.isEmpty,
              last.values.count == hyper.values.count,
              zip(last.values, hyper.values).allSatisfy({ $0.bitPattern == $1.bitPattern }) else { return nil }
        if rule.shapedUpdate == nil, let scalar = rule.scalarUpdate { return .scalar(scalar(hyper)) }
        return .leaf(last.kernel)
    }

    /// A step of numbers with `kernel` (steadyScalarKernel): what step(number:) does with it.
    func repeatStep(_ kernel: SteadyKernel, _ w: inout Double, _ g: Double) {
        t += 1
        switch kernel {
        case .scalar(let k): apply(k, &w, g)
        case .leaf(let k): apply(k, &w, g)
        }
    }

    /// Runs a scalar kernel on the number leaf's buffers (one number each), read and written
    /// back in place.
    private func apply(_ kernel: ScalarKernel, _ w: inout Double, _ g: Double) {
        let t = self.t
        buffers![0].withUnsafeMutableBufferPointer { b in
            let n = b.count
            var s = (n > 0 ? b[0][0] : 0, n > 1 ? b[1][0] : 0, n > 2 ? b[2][0] : 0)
            kernel(&w, g, &s, t)
            if n > 0 { b[0][0] = s.0 }
            if n > 1 { b[1][0] = s.1 }
            if n > 2 { b[2][0] = s.2 }
        }
    }

    /// `opt.step(w, g)` on two numbers: the step method's rule for them, which a compiled
    /// top-level loop (NumericCompiler) also calls directly.
    func step(number w: Double, _ g: Double, _ I: Interpreter) throws(RuntimeError) -> Value {
        if !I.channel.trace, let kernel = try scalarKernel(.number(w), .number(g)) {
            var w = w
            apply(kernel, &w, g)
            return .number(w)
        }
        let result = try step(.number(w), .number(g))
        if I.channel.trace { I.host.output(traceText(before: .number(w), grads: .number(g), after: result)) }
        return result
    }

    /// Whether `step(number:)` (width nil) or `step(vector:)` of `width` elements can neither
    /// fail nor give anything but a number or such a vector: the state is fresh or was made by
    /// steps of the same kind, and nothing the step reads can throw (no parameter groups, no lr
    /// schedule, no closure or shape requirement). A compiled loop steps such an optimizer
    /// itself: an effect it could not take back if it gave up later.
    func stepsSafely(width: Int?) -> Bool {
        guard !hasGroups, lrSchedule == nil, !rule.needsClosure, rule.leafRequirement == nil else { return false }
        switch template {
        case nil: return buffers == nil
        case .number?: return width == nil && buffers?.count == 1
        case .tensor(let t)?:
            guard let width else { return false }
            return t.shape == [width] && buffers?.count == 1
        case .bool?, .string?, .view?, .tuple?, .function?, .object?, .null?, .traced?: return false
        }
    }

    /// `opt.step(w, g)` on two vectors of w.count elements, in place in w: the step method's
    /// rule for tensors (the same kernel on the same numbers), for a compiled loop that keeps
    /// w's elements in registers. False when the result is not such a vector (never, for an
    /// optimizer that `stepsSafely`).
    func step(vector w: UnsafeMutableBufferPointer<Double>, _ g: UnsafeBufferPointer<Double>, _ I: Interpreter) throws(RuntimeError) -> Bool {
        let shape = [w.count]
        if !I.channel.trace, let kernel = try inPlaceKernel(shape: shape) {
            run(kernel, leaf: 0, w, g)
            return true
        }
        let params = Value.tensor(Tensor(shape: shape, data: Array(w))), grads = Value.tensor(Tensor(shape: shape, data: Array(g)))
        let result = try step(params, grads)
        if I.channel.trace { I.host.output(traceText(before: params, grads: grads, after: result)) }
        guard case .tensor(let t) = result, t.count == w.count else { return false }
        for k in w.indices { w[k] = t.data[k] }
        return true
    }

    /// Runs a kernel on one tensor leaf: in its buffer when nothing else holds it, else on a copy.
    func apply(_ kernel: LeafKernel, _ w: inout Tensor, _ g: Tensor) {
        w.data.withUnsafeMutableBufferPointer { wp in
            g.data.withUnsafeBufferPointer { gp in run(kernel, leaf: 0, wp, gp) }
        }
    }

    /// Runs a kernel on one number (`scalarKernel`'s step).
    func apply(_ kernel: LeafKernel, _ w: inout Double, _ g: Double) {
        var g = g
        withUnsafeMutablePointer(to: &w) { wp in
            withUnsafeMutablePointer(to: &g) { gp in
                run(kernel, leaf: 0, UnsafeMutableBufferPointer(start: wp, count: 1), UnsafeBufferPointer(start: gp, count: 1))
            }
        }
    }

    /// The kernel for these hyper-parameters and leaf shape: the last one made when the values
    /// are the same bits (a kernel reads only them; none keeps state of its own).
    func kernel(_ h: Hyper, shape: [Int]) -> LeafKernel {
        if let last = lastKernel, last.shape == shape, last.values.count == h.values.count,
           zip(last.values, h.values).allSatisfy({ $0.bitPattern == $1.bitPattern }) {
            return last.kernel
        }
        let k = rule.kernel(h, shape: shape)
        lastKernel = (h.values, shape, k)
        return k
    }

    /// Runs a kernel with t on leaf k's buffers, written in place (copied first only when
    /// something else holds them, as `opt.state`'s tensors may), with no array made per call.
    private func run(_ kernel: LeafKernel, leaf k: Int, _ wp: UnsafeMutableBufferPointer<Double>, _ gp: UnsafeBufferPointer<Double>) {
        let t = self.t
        var scratch = pointerScratch
        pointerScratch = []  // held alone, so its slots are written in place
        buffers![k].withUnsafeMutableBufferPointer { b in
            // One slot per buffer, written by index: a rule's leaves all keep the same number
            // of buffers, so after the first step nothing is appended or removed.
            if scratch.count != b.count { scratch = Array(repeating: UnsafeMutableBufferPointer(start: nil, count: 0), count: b.count) }
            switch b.count {
            case 0:
                kernel(wp, gp, scratch, t)
            case 1:
                b[0].withUnsafeMutableBufferPointer { p0 in
                    scratch[0] = p0
                    kernel(wp, gp, scratch, t)
                }
            case 2:
                b[0].withUnsafeMutableBufferPointer { p0 in
                    b[1].withUnsafeMutableBufferPointer { p1 in
                        scratch[0] = p0
                        scratch[1] = p1
                        kernel(wp, gp, scratch, t)
                    }
                }
            default:
                // Three buffers at most (no rule keeps more).
                b[0].withUnsafeMutableBufferPointer { p0 in
                    b[1].withUnsafeMutableBufferPointer { p1 in
                        b[2].withUnsafeMutableBufferPointer { p2 in
                            scratch[0] = p0
                            scratch[1] = p1
                            scratch[2] = p2
                            kernel(wp, gp, scratch, t)
                        }
                    }
                }
            }
        }
        pointerScratch = scratch
    }

    func reset() {
        t = 0
        buffers = nil
        template = nil
        lbfgs = nil
    }

    static let stepEntry = MethodEntry(stepMethod)

    static let stepMethod = Builtin("step", [.required("self"), .required("params"), .required("grads")],
                                    doc: "One optimizer step: returns the updated parameters.",
                                    reusesArgument: true,
                                    // `opt.step(w, g)` on two numbers once per step: no arguments to bind.
                                    direct: .three { (receiver: Value, w: Value, g: Value, I: Interpreter) throws(RuntimeError) -> Value? in
                                        guard case .object(let o) = receiver, let opt = o as? Optimizer,
                                              case .number(let w) = w, case .number(let g) = g else { return nil }
                                        return try opt.step(number: w, g, I)
                                    }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let opt = o as? Optimizer else { return .null }
        if case .number(let w) = args[1], case .number(let g) = args[2] { return try opt.step(number: w, g, I) }
        if !I.channel.trace, case .tensor(let g) = args[2], let kernel = try opt.inPlaceKernel(args[1], g),
           case .tensor(var w)? = args.take(1) {
            // Moved out of the arguments: when the caller let go of it too (`w = opt.step(w, g)`),
            // the tensor is ours alone and the step writes into its buffer.
            opt.apply(kernel, &w, g)
            return .tensor(w)
        }
        let result = try opt.step(args[1], args[2])
        if I.channel.trace { I.host.output(opt.traceText(before: args[1], grads: args[2], after: result)) }
        return result
    }

    static let torchMethod = Builtin("torch", [.required("self")],
                                     doc: "The equivalent PyTorch constructor call, or nil.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let opt = o as? Optimizer else { return .null }
        return opt.rule.torchEquivalent(opt.hyper).map { .string(opt.torchGroupsText($0)) } ?? .null
    }

    /// The update formulas with this object's values, and the other convention's equivalent.
    public var explanation: String { Explanations.text(self) }

    static let explainMethod = Builtin("explain", [.required("self")],
                                       doc: "Prints the update formulas with this object's values, and the equivalent in the other convention.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let opt = o as? Optimizer else { return .null }
        I.host.output(TextWrap.wrap(opt.explanation, width: I.host.lineWidth))
        return .null
    }

    static let resetMethod = Builtin("reset", [.required("self")],
                                     doc: "Forgets the state and sets t back to 0.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let opt = o as? Optimizer else { return .null }
        opt.reset()
        return .null
    }
}

// What defines one optimizer: its constructor's parameters, the buffers it keeps per leaf and
// the update of one leaf. Optimizer objects (Optimizer.swift) run any rule on any tree.

/// The hyper-parameters of one optimizer object, read by name in the update kernels. A pair
/// parameter (`betas`) is read as `betas.0` and `betas.1`; a bool as 0 or 1.
public struct Hyper {
    let names: [String]
    var values: [Double]

    func callAsFunction(_ name: String) -> Double {
        values[names.firstIndex(of: name)!]
    }

    func flag(_ name: String) -> Bool { self(name) != 0 }

    /// Flattens checked parameter values (numbers, bools, pairs) for the kernels.
    init(parameters: [BuiltinParameter], values: [Value]) {
        var names: [String] = [], numbers: [Double] = []
        for (p, v) in zip(parameters, values) {
            // Parameter groups are read per leaf (ParameterGroups.swift), not by the kernels.
            if p.name == "groups" { continue }
            switch v {
            case .number(let x): names.append(p.name); numbers.append(x)
            case .bool(let b): names.append(p.name); numbers.append(b ? 1 : 0)
            case .tuple(let t):
                for (k, item) in t.items.enumerated() {
                    names.append("\(p.name).\(k)")
                    if case .number(let x) = item { numbers.append(x) } else { numbers.append(.nan) }
                }
            case .object:
                // A schedule as lr: its value is filled in per step.
                names.append(p.name); numbers.append(.nan)
            case .string:
                // A choice such as lbfgs's line_search_fn: "strong_wolfe" reads as 1 (present).
                names.append(p.name); numbers.append(1)
            case .tensor, .view, .function, .null, .traced:
                continue
            }
        }
        self.names = names
        self.values = numbers
    }
}

/// One leaf's update, one fused pass over raw buffers: `w` and the buffers change in place;
/// `t` is already increased.
public typealias LeafKernel = (_ w: UnsafeMutableBufferPointer<Double>, _ g: UnsafeBufferPointer<Double>,
                               _ buffers: [UnsafeMutableBufferPointer<Double>], _ t: Int) -> Void

/// One number's update, by the same element function as the rule's LeafKernel: w and the
/// leaf's buffers (one number each, at most three: `state.0` is the first) change in place;
/// `t` is already increased. A compiled loop's steady steps of numbers run it without the
/// buffer pointers a LeafKernel takes.
public typealias ScalarKernel = (_ w: inout Double, _ g: Double, _ state: inout (Double, Double, Double), _ t: Int) -> Void

/// What the steady steps of numbers run (Optimizer.steadyScalarKernel): the rule's scalar
/// form when it has one, else its leaf kernel.
enum SteadyKernel {
    case scalar(ScalarKernel)
    case leaf(LeafKernel)
}

/// Reads the hyper-parameters once (by name: a lookup per step cost W3 a third of its time)
/// and returns the kernel that applies them.
public typealias LeafUpdate = @Sendable (_ h: Hyper) -> LeafKernel

public struct OptimizerRule: Sendable {
    public let name: String
    /// `var`: the torch rules gain `groups:` from one place (TorchOptimizers.withGroups).
    public var parameters: [BuiltinParameter]
    public let doc: String
    /// The buffers kept per leaf, given the hyper-parameters (rmsprop keeps `b` only with momentum).
    let buffers: @Sendable (Hyper) -> [String]
    let update: LeafUpdate
    /// `update` for a leaf that is one number, through the same element function; nil: such
    /// a leaf runs `update`.
    var scalarUpdate: (@Sendable (Hyper) -> ScalarKernel)? = nil
    /// Parameters that must lie in [0, 1) (averaging factors).
    let unitInterval: Set<String>
    /// The value a buffer starts from (Adagrad's initial accumulator); zero otherwise.
    var initial: @Sendable (String, Hyper) -> Double = { _, _ in 0 }
    /// Labels of the other convention (PyTorch's `alpha` on the course's rmsprop, ...), with
    /// the hint that points to the right name or constructor.
    var foreignLabels: [String: String] = [:]
    /// The equivalent PyTorch constructor call, or nil when there is none.
    var torchEquivalent: @Sendable (Hyper) -> String? = { _ in nil }
    /// Buffers whose names or shapes follow the leaf's shape (adafactor keeps row_var and col_var
    /// for a matrix, variance for a vector; asgd's eta and mu are 0-d as in PyTorch); nil: every
    /// buffer of `buffers` has the leaf's shape.
    var leafBuffers: (@Sendable (Hyper, [Int]) -> [(name: String, shape: [Int])])? = nil
    /// A kernel that needs the leaf's shape (adafactor's row and column means, muon's matrix
    /// products); nil: `update` serves every leaf.
    var shapedUpdate: (@Sendable (Hyper, [Int]) -> LeafKernel)? = nil
    /// Checks of parameters beyond the common ones (rprop's etas above 1, adafactor's eps with a
    /// nil first item); each returns the checked value.
    var checks: [String: @Sendable (Value, String) throws(RuntimeError) -> Value] = [:]
    /// A rule run through a closure (lbfgs): `step(params, grads)` is refused, the drivers call it.
    var needsClosure = false
    /// What a leaf must be for this rule (muon: a matrix), as the error to give otherwise.
    var leafRequirement: (@Sendable ([Int]) -> String?)? = nil

    /// Each buffer's name and shape for a leaf of this shape.
    func bufferLayout(_ h: Hyper, shape: [Int]) -> [(name: String, shape: [Int])] {
        leafBuffers?(h, shape) ?? buffers(h).map { ($0, shape) }
    }

    /// The kernel for a leaf of this shape.
    func kernel(_ h: Hyper, shape: [Int]) -> LeafKernel {
        shapedUpdate?(h, shape) ?? update(h)
    }
}

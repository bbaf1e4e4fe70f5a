// What defines one optimizer: its constructor's parameters, the buffers it keeps per leaf and
// the update of one leaf. Optimizer objects (Optimizer.swift) run any rule on any tree.

/// The hyper-parameters of one optimizer object, read by name in the update kernels.
public struct Hyper {
    let names: [String]
    var values: [Double]

    func callAsFunction(_ name: String) -> Double {
        values[names.firstIndex(of: name)!]
    }

    func flag(_ name: String) -> Bool { self(name) != 0 }
}

/// One leaf's update: `w` and its buffers change in place; `t` is already increased.
public typealias LeafUpdate = @Sendable (_ w: inout [Double], _ g: [Double], _ buffers: inout [[Double]], _ t: Int, _ h: Hyper) -> Void

public struct OptimizerRule: Sendable {
    public let name: String
    public let parameters: [BuiltinParameter]
    public let doc: String
    /// The buffers kept per leaf, given the hyper-parameters (rmsprop keeps `b` only with momentum).
    let buffers: @Sendable (Hyper) -> [String]
    let update: LeafUpdate
    /// Parameters that must lie in [0, 1) (averaging factors).
    let unitInterval: Set<String>
}

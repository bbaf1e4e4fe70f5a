// Data sets and mini-batches (spec §9.9): moons blobs spiral minibatches.

extension Builtins {
    static let data: [Builtin] = [
        Builtin("moons", [.label("n", .number(300)), .label("noise", .number(0.2)), .label("seed", .number(3))],
                doc: "Two interleaving half circles, as scikit-learn's make_moons: (X: [n, 2], y: [n]).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let n = try count(&args, 0, I)
            let noise = try args.number(1)
            guard noise >= 0 else { throw RuntimeError.badArgumentValue("'noise'", to: "moons", "noise must be >= 0") }
            return labelled(Datasets.moons(n: n, noise: noise, seed: try seedValue(&args, 2)))
        },
        Builtin("blobs", [.label("n", .number(100)), .label("centers", .number(3)), .label("std", .number(1)), .label("seed", .number(0))],
                doc: "Gaussian clusters in 2-D, as scikit-learn's make_blobs: (X: [n, 2], y: [n]).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let n = try count(&args, 0, I)
            let c = try args.integer(1)
            guard c >= 1 else { throw RuntimeError.badArgumentValue("'centers'", to: "blobs", "centers must be >= 1") }
            // The centres are drawn as a (centers, 2) tensor: held to the element limit first.
            _ = try TensorLimits.checkedCount([c, 2], limit: I.maxElements)
            let sd = try args.number(2)
            guard sd >= 0 else { throw RuntimeError.badArgumentValue("'std'", to: "blobs", "std must be >= 0") }
            return labelled(Datasets.blobs(n: n, centers: c, std: sd, seed: try seedValue(&args, 3)))
        },
        Builtin("spiral", [.label("n", .number(100)), .label("classes", .number(3)), .label("noise", .number(0.2)), .label("seed", .number(0))],
                doc: "Spiral arms (cs231n): n points per class, (X: [n*classes, 2], y).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let n = try count(&args, 0, I)
            let k = try args.integer(1)
            guard k >= 1 else { throw RuntimeError.badArgumentValue("'classes'", to: "spiral", "classes must be >= 1") }
            _ = try TensorLimits.checkedCount([k, n, 2], limit: I.maxElements)
            return labelled(Datasets.spiral(n: n, classes: k, noise: try args.number(2), seed: try seedValue(&args, 3)))
        },
        Builtin("minibatches", [.required("X"), .required("y"), .label("size", .number(64)), .label("seed", .number(0))],
                doc: "Shuffled mini-batches as the course's random_mini_batches: a tuple of (X:, y:).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let X = try args.tensor(0), y = try args.tensor(1)
            let size = try args.integer(2)
            guard size >= 1 else { throw RuntimeError.badArgumentValue("'size'", to: "minibatches", "size must be >= 1") }
            guard X.rank >= 1, y.rank >= 1, X.shape[0] == y.shape[0] else {
                throw RuntimeError("minibatches: X and y must have the same number of rows, got shapes \(Tensor.shapeText(X.shape)) and \(Tensor.shapeText(y.shape))")
            }
            var rng = LegacyRandom(seed: try seedValue(&args, 3))
            let n = X.shape[0]
            let perm = shuffled(Tensor(vector: (0..<n).map(Double.init)), &rng).data.map { Int($0) }
            var batches: [Value] = []
            var start = 0
            while start < n {
                let idx = Array(perm[start..<Swift.min(start + size, n)])
                batches.append(labelled((X.rows(idx), y.rows(idx))))
                start += size
            }
            return .tuple(TupleValue(batches))
        },
    ]

    static func count(_ args: inout Arguments, _ i: Int, _ I: Interpreter) throws(RuntimeError) -> Int {
        let n = try args.integer(i)
        guard n >= 0 else { throw RuntimeError.badArgumentValue(args.position(i), to: args.function, "n must be >= 0") }
        _ = try TensorLimits.checkedCount([n, 2], limit: I.maxElements)
        return n
    }

    static let xyLabels = TupleLabels(["X", "y"])

    static func labelled(_ pair: (Tensor, Tensor)) -> Value {
        .tuple(TupleValue([.tensor(pair.0), .tensor(pair.1)], labels: xyLabels))
    }
}

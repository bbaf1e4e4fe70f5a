// Random numbers (spec §9.9, §14.6): NumPy's legacy RandomState, bit for bit after seed(n).

extension Builtins {
    static let random: [Builtin] = [
        Builtin("seed", [.required("n")], doc: "Seeds the random numbers as np.random.seed(n) does (0 <= n < 2^32).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            I.host.random = LegacyRandom(seed: try seedValue(&args, 0))
            return .null
        },
        Builtin("rand", [.variadic("dims")], doc: "Uniform numbers in [0, 1), as np.random.rand(d...).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try drawing(&args, I) { $0.double() }
        },
        Builtin("randn", [.variadic("dims")], doc: "Standard normal numbers, as np.random.randn(d...).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try drawing(&args, I) { $0.gauss() }
        },
        Builtin("normal", [.required("mean"), .required("std"), .variadic("dims")],
                doc: "Normal numbers mean + std*gauss, as np.random.normal(mean, std, size).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let mu = try args.number(0), sd = try args.number(1)
            guard sd >= 0 else { throw RuntimeError.badArgumentValue("#2", to: "normal", "std must be >= 0") }
            return try drawing(&args, I) { mu + sd * $0.gauss() }
        },
        Builtin("uniform", [.required("lo"), .required("hi"), .variadic("dims")],
                doc: "Uniform numbers lo + (hi - lo)*u, as np.random.uniform(lo, hi, size).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let lo = try args.number(0), hi = try args.number(1)
            try ArgumentChecks.uniform(lo, hi)
            return try drawing(&args, I) { lo + (hi - lo) * $0.double() }
        },
        Builtin("randint", [.required("lo"), .required("hi"), .variadic("dims")],
                doc: "Whole numbers in [lo, hi), as np.random.randint(lo, hi, size).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let lo = try args.integer(0), hi = try args.integer(1)
            guard hi > lo else { throw RuntimeError.badArgumentValue("#2", to: "randint", "hi must be greater than lo") }
            let span = UInt64(hi - lo - 1)
            guard span <= 0xFFFF_FFFF else { throw RuntimeError.badArgumentValue("#2", to: "randint", "hi - lo must be at most 2^32") }
            return try drawing(&args, I) { Double(lo + Int($0.interval(span))) }
        },
        Builtin("permutation", [.required("n")], doc: "A shuffled arange(n) (or a shuffled copy of a tensor), as np.random.permutation.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            if case .tensor(let t) = args[0] { return .tensor(shuffled(t, &I.host.random)) }
            let n = try args.size(0, limit: I.maxElements)
            return .tensor(shuffled(Tensor(vector: (0..<n).map(Double.init)), &I.host.random))
        },
        Builtin("shuffle", [.required("t")], doc: "A copy of t with its rows shuffled, consuming the stream as np.random.shuffle.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            // A number has no rows to shuffle (np.random.shuffle(3) is a TypeError).
            guard case .tensor(let t) = args[0] else {
                throw RuntimeError.badArgument("#1", to: "shuffle", expected: "tensor", got: args[0])
            }
            return .tensor(shuffled(t, &I.host.random))
        },
    ]

    /// Fills the requested dims from a local copy of the stream (no per-draw access to the
    /// interpreter's field), then stores the advanced stream back.
    static func drawing(_ args: inout Arguments, _ I: Interpreter,
                        _ draw: (inout LegacyRandom) -> Double) throws(RuntimeError) -> Value {
        let dims = try args.dims(limit: I.maxElements)
        var rng = I.host.random
        defer { I.host.random = rng }
        return try Tensor.filled(dims) { draw(&rng) }
    }

    static func seedValue(_ args: inout Arguments, _ i: Int) throws(RuntimeError) -> UInt32 {
        let x = try args.number(i)
        guard x.isFinite, x == x.rounded(), x >= 0, x <= 4_294_967_295 else {
            throw RuntimeError.badArgumentValue(args.position(i), to: args.function, "a seed is a whole number in 0...2^32-1")
        }
        return UInt32(x)
    }

    /// Fisher-Yates from the end over the first axis, as NumPy's legacy shuffle.
    static func shuffled(_ t: Tensor, _ rng: inout LegacyRandom) -> Tensor {
        var out = t
        guard let n = t.shape.first, n > 1 else { return out }
        let row = t.count / n
        for i in stride(from: n - 1, through: 1, by: -1) {
            let j = Int(rng.interval(UInt64(i)))
            if i == j { continue }
            for k in 0..<row { out.data.swapAt(i * row + k, j * row + k) }
        }
        return out
    }
}

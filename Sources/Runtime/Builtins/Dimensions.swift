// Reading sizes from arguments: dims as separate numbers or one tuple (`zeros(2, 3)`,
// `zeros(shape(x))`), each checked to be a whole, non-negative number before it becomes an Int.

extension Arguments {
    /// The dims given as the variadic rest; nil when none were given (a scalar result).
    func dims(limit: Int) throws(RuntimeError) -> [Int]? {
        var values = rest
        if values.count == 1, case .tuple(let t) = values[0] { values = t.items }
        // No dims, or the empty shape `()`: a number, as NumPy's 0-d result is one here.
        if values.isEmpty { return nil }
        var shape: [Int] = []
        for (k, v) in values.enumerated() {
            guard case .number(let x) = v else {
                throw RuntimeError.badArgument("#\(k + 1 + firstRestPosition)", to: function, expected: "number", got: v)
            }
            shape.append(try Arguments.size(x, limit: limit, position: "#\(k + 1 + firstRestPosition)", function: function, alone: false))
        }
        _ = try TensorLimits.checkedCount(shape, limit: limit)
        return shape
    }

    /// How many parameters come before the variadic one (for argument numbers in messages).
    private var firstRestPosition: Int {
        parameters.firstIndex { $0.kind == .variadic } ?? 0
    }
}

extension Tensor {
    /// A tensor of `shape` filled by `f` in row-major order, or a number when `shape` is nil.
    static func filled(_ shape: [Int]?, _ f: () -> Double) throws(RuntimeError) -> Value {
        guard let shape else { return .number(f()) }
        let n = shape.reduce(1, *)  // checked by dims(limit:)
        return .tensor(Tensor(shape: shape, data: try generated(n) { _ in f() }))
    }
}

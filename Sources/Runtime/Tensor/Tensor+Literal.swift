// Building tensors from literal elements: `[1, 2]`, `[[1, 2], [3, 4]]`, `[a, b]` of tensors.

extension Tensor {
    /// Stacks numbers, or tensors of one shape, along a new first axis.
    static func stacking(_ values: [Value], limit: Int) throws(RuntimeError) -> Tensor {
        if values.isEmpty { return Tensor(shape: [0], data: []) }
        var data: [Double] = []
        var rowShape: [Int]?
        for (k, v) in values.enumerated() {
            switch v.materialized {
            case .number(let x):
                guard rowShape == nil || rowShape == [] else { throw mixed(k) }
                rowShape = []
                data.append(x)
            case .tensor(let t):
                if let rowShape, rowShape != t.shape {
                    if rowShape == [] { throw mixed(k) }
                    throw RuntimeError("tensor literal rows have different shapes: \(shapeText(rowShape)) and \(shapeText(t.shape))")
                }
                rowShape = t.shape
                // Held to the limit as the rows come, not only once they are all in.
                guard data.count + t.count <= limit else { throw TensorLimits.tooLarge([values.count] + t.shape, limit: limit) }
                data.append(contentsOf: t.data)
            case .bool, .string, .tuple, .function, .object, .null, .traced, .view:
                var e = RuntimeError("a tensor literal holds numbers or tensors, not \(v.kindWithArticle) (element \(k))")
                if case .bool = v { e.notes = ["hint: bools are not numbers; write 1 or 0"] }
                throw e
            }
        }
        let shape = [values.count] + (rowShape ?? [])
        _ = try TensorLimits.checkedCount(shape, limit: limit)
        return Tensor(shape: shape, data: data)
    }

    private static func mixed(_ k: Int) -> RuntimeError {
        RuntimeError("a tensor literal cannot mix numbers and tensors (element \(k))")
    }
}

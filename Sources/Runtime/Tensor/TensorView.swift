// Views: what `transpose`, `.T`, `reshape` of a view and basic indexing (integers and slices)
// return, as NumPy does. A view shares its base tensor's buffer and reads it through an
// offset and strides, so making one costs O(rank), whatever the size.
//
// Values keep their semantics: the base is a copy-on-write copy of the tensor it was taken
// from, so writing that tensor afterwards copies it and leaves the view as it was, and writing
// into a view (`x = m.T; x[0, 1] = 5`) first makes x a tensor of its own. A view therefore
// lives only in variables and expressions: anything that needs the elements in row-major
// order (operators, built-ins other than shape/size/reshape/transpose, tuples, printing)
// gathers them once with `tensor()`. Contiguous tensors, the common case everywhere, never
// pay for any of this: their `data` stays a plain stored array.

public final class TensorView {
    public let base: Tensor
    public let offset: Int
    public let shape: [Int]
    public let strides: [Int]

    init(base: Tensor, offset: Int, shape: [Int], strides: [Int]) {
        self.base = base
        self.offset = offset
        self.shape = shape
        self.strides = strides
    }

    public var rank: Int { shape.count }
    public var count: Int { shape.reduce(1, *) }

    /// Whether the elements lie in row-major order without gaps (a run of the base buffer).
    var isContiguous: Bool { strides == Tensor.strides(for: shape) || count <= 1 }

    /// The elements gathered into a tensor of their own. A view that is one run of the
    /// buffer from its start is the base itself in another shape (no copy).
    public func tensor() -> Tensor {
        let n = count
        if isContiguous {
            if offset == 0 && n == base.count { return Tensor(shape: shape, data: base.data) }
            return Tensor(shape: shape, data: Array(base.data[offset..<(offset + n)]))
        }
        var out = [Double](repeating: 0, count: n)
        guard n > 0 else { return Tensor(shape: shape, data: out) }
        let r = rank
        let innerSize = shape[r - 1], innerStride = strides[r - 1]
        base.data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                // An odometer over the outer axes; the innermost axis is a strided run.
                var index = [Int](repeating: 0, count: r)
                var start = offset
                var k = 0
                while k < n {
                    var p = start
                    for _ in 0..<innerSize {
                        dst[k] = src[p]
                        p += innerStride
                        k += 1
                    }
                    var axis = r - 2
                    while axis >= 0 {
                        index[axis] += 1
                        start += strides[axis]
                        if index[axis] < shape[axis] { break }
                        start -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return Tensor(shape: shape, data: out)
    }

    /// The matrix whose transpose this view is, exactly (`m.T` of a contiguous matrix), for
    /// products that read it transposed in place.
    public var transposedMatrix: Tensor? {
        guard rank == 2, base.rank == 2, offset == 0, shape == [base.shape[1], base.shape[0]],
              strides == [1, base.shape[1]] else { return nil }
        return base
    }

    /// The axes reversed: the same elements, strides reversed.
    public func transposed() -> Value {
        guard rank >= 2 else { return .view(self) }
        return .view(TensorView(base: base, offset: offset, shape: shape.reversed(), strides: strides.reversed()))
    }

    /// The same elements in a new shape (the count already checked): another view when the
    /// elements are contiguous, else a gathered copy (as NumPy copies a transposed matrix).
    public func reshaped(_ newShape: [Int]) -> Value {
        guard isContiguous else { return .tensor(Tensor(shape: newShape, data: tensor().data)) }
        return .view(TensorView(base: base, offset: offset, shape: newShape, strides: Tensor.strides(for: newShape)))
    }

    /// `v[...]` with integers and slices: a number when every axis is fixed, else a view of
    /// the view. Index lists (`.take`) gather a tensor, as NumPy's advanced indexing copies.
    public func read(_ specs: [IndexSpec]) throws(RuntimeError) -> Value {
        try Tensor.basicIndex(base: base, offset: offset, shape: shape, strides: strides, specs)
    }
}

extension Tensor {
    /// `t.T`: a view with the axes reversed (a vector is its own transpose).
    public func transposedView() -> Value {
        guard rank >= 2 else { return value }
        return .view(TensorView(base: self, offset: 0, shape: shape.reversed(), strides: strides.reversed()))
    }

    /// `t[...]` with integers and slices only: a view (or a number); nil when an index list
    /// needs a gathered copy.
    public func basicRead(_ specs: [IndexSpec]) throws(RuntimeError) -> Value? {
        var elements = specs.count == rank
        for s in specs {
            switch s {
            case .take: return nil
            case .slice: elements = false
            case .single: break
            }
        }
        // One element (`m[i, j]` in a loop): read's direct offset, no strides array.
        if elements { return try read(specs) }
        return try Tensor.basicIndex(base: self, offset: 0, shape: shape, strides: strides, specs)
    }

    /// NumPy's basic indexing on any strided layout: an integer fixes an axis, a slice keeps
    /// it with a new start, length and stride.
    static func basicIndex(base: Tensor, offset: Int, shape: [Int], strides: [Int],
                           _ specs: [IndexSpec]) throws(RuntimeError) -> Value {
        guard specs.count <= shape.count else {
            throw RuntimeError("too many indices for a tensor of rank \(shape.count) (got \(specs.count))")
        }
        var start = offset
        var newShape: [Int] = [], newStrides: [Int] = []
        for axis in 0..<shape.count {
            let size = shape[axis], stride = strides[axis]
            guard axis < specs.count else {
                newShape.append(size)
                newStrides.append(stride)
                continue
            }
            switch specs[axis] {
            case .single(let i):
                start += try normalize(i, axis: axis, size: size) * stride
            case .slice(let a, let b, let c):
                let (first, count, step) = try sliceBounds(start: a, stop: b, step: c, length: size)
                if count > 0 { start += first * stride }
                newShape.append(count)
                // With one position or none the step is never taken (and c·stride may overflow).
                newStrides.append(count > 1 ? step * stride : stride)
            case .take:
                let view = TensorView(base: base, offset: offset, shape: shape, strides: strides)
                return try view.tensor().read(specs)
            }
        }
        if newShape.isEmpty { return .number(base.data[start]) }
        return .view(TensorView(base: base, offset: start, shape: newShape, strides: newStrides))
    }
}

extension Value {
    /// A view gathered into a tensor; every other value as it is.
    @inline(__always)
    public var materialized: Value {
        if case .view(let v) = self { return .tensor(v.tensor()) }
        return self
    }

    /// The shape of a tensor or a view; nil for any other value.
    public var tensorShape: [Int]? {
        switch self {
        case .tensor(let t): return t.shape
        case .view(let v): return v.shape
        case .number, .bool, .string, .tuple, .function, .object, .null, .traced: return nil
        }
    }
}

// Indexing: integers (negative from the end), Python/NumPy slices that clamp, and 1-D
// tensors of whole numbers (NumPy's take along that axis), for reading and writing.

/// One position of an index expression, already converted from values.
public enum IndexSpec {
    case single(Int)
    case slice(start: Int?, stop: Int?, step: Int?)
    case take([Int])
}

/// An index spec resolved against one axis: the positions it selects, and whether the axis stays.
struct AxisSelection {
    var positions: [Int]
    var keepsAxis: Bool
}

extension Tensor {
    /// Python's slice.indices(length): the positions a slice selects.
    static func sliceIndices(start: Int?, stop: Int?, step: Int?, length: Int) throws(RuntimeError) -> [Int] {
        slicePositions(try sliceBounds(start: start, stop: stop, step: step, length: length))
    }

    /// The positions of a slice's bounds (sliceBounds), in order.
    static func slicePositions(_ bounds: (first: Int, count: Int, step: Int)) -> [Int] {
        bounds.count > 0 ? Array(stride(from: bounds.first, to: bounds.first + bounds.count * bounds.step, by: bounds.step)) : []
    }

    /// Python's slice.indices(length) as the first position, the count and the step: what a
    /// view needs, without an array of the positions (a slice in a recursion made one per call).
    @inline(__always)
    static func sliceBounds(start: Int?, stop: Int?, step: Int?, length: Int) throws(RuntimeError) -> (first: Int, count: Int, step: Int) {
        let step = step ?? 1
        guard step != 0 else { throw RuntimeError("slice step cannot be zero") }
        func clamp(_ v: Int?, _ def: Int, lo: Int, hi: Int) -> Int {
            guard var v else { return def }
            if v < 0 { v += length }
            return Swift.min(Swift.max(v, lo), hi)
        }
        // The count as stride(from:to:by:) would give it, divided as magnitudes (the distance is
        // at most the length, so nothing overflows whatever the step).
        if step > 0 {
            let lo = clamp(start, 0, lo: 0, hi: length)
            let hi = clamp(stop, length, lo: 0, hi: length)
            return (lo, lo < hi ? Int(UInt(hi - lo - 1) / step.magnitude) + 1 : 0, step)
        }
        let lo = clamp(start, length - 1, lo: -1, hi: length - 1)
        let hi = clamp(stop, -1, lo: -1, hi: length - 1)
        return (lo, lo > hi ? Int(UInt(lo - hi - 1) / step.magnitude) + 1 : 0, step)
    }

    static func normalize(_ i: Int, axis: Int, size: Int) throws(RuntimeError) -> Int {
        let j = i < 0 ? i + size : i
        guard j >= 0 && j < size else {
            throw RuntimeError("index \(i) is out of range for axis \(axis) with size \(size)")
        }
        return j
    }

    func selections(_ specs: [IndexSpec]) throws(RuntimeError) -> [AxisSelection] {
        guard specs.count <= rank else {
            throw RuntimeError("too many indices for a tensor of rank \(rank) (got \(specs.count))")
        }
        var out: [AxisSelection] = []
        for axis in 0..<rank {
            let size = shape[axis]
            guard axis < specs.count else {
                out.append(AxisSelection(positions: Array(0..<size), keepsAxis: true))
                continue
            }
            switch specs[axis] {
            case .single(let i):
                out.append(AxisSelection(positions: [try Tensor.normalize(i, axis: axis, size: size)], keepsAxis: false))
            case .slice(let a, let b, let c):
                out.append(AxisSelection(positions: try Tensor.sliceIndices(start: a, stop: b, step: c, length: size),
                                         keepsAxis: true))
            case .take(let list):
                var positions: [Int] = []
                positions.reserveCapacity(list.count)
                for i in list { positions.append(try Tensor.normalize(i, axis: axis, size: size)) }
                out.append(AxisSelection(positions: positions, keepsAxis: true))
            }
        }
        return out
    }

    /// Flat offsets of the selected elements, in row-major order of the result.
    func offsets(_ sel: [AxisSelection]) -> [Int] {
        offsets(sel) { () throws(Never) in }
    }

    /// The offsets, calling `poll` now and then: an index list can select a quarter-billion
    /// elements. The caller has checked the result's count against the limit.
    func offsets<E: Error>(_ sel: [AxisSelection], poll: () throws(E) -> Void) throws(E) -> [Int] {
        let st = strides
        var offsets = [0]
        for (axis, s) in sel.enumerated() {
            var next: [Int] = []
            next.reserveCapacity(offsets.count * s.positions.count)
            for (k, base) in offsets.enumerated() {
                if k & (Interrupts.stride - 1) == 0 { try poll() }
                for p in s.positions { next.append(base + p * st[axis]) }
            }
            offsets = next
        }
        return offsets
    }

    /// The selection's result shape, and its offsets once the count is within `limit`.
    func checkedSelection(_ specs: [IndexSpec], limit: Int) throws(RuntimeError) -> (shape: [Int], offsets: [Int]) {
        let sel = try selections(specs)
        let resultShape = sel.filter(\.keepsAxis).map(\.positions.count)
        // An index list may repeat positions: the result can outgrow the tensor.
        _ = try TensorLimits.checkedCount(sel.map(\.positions.count), limit: limit)
        return (resultShape, try offsets(sel) { () throws(RuntimeError) in try Interrupts.poll() })
    }

    /// `t[...]`: a number when every axis is fixed by an integer, else a tensor of at most
    /// `limit` elements (--max-elements).
    public func read(_ specs: [IndexSpec], limit: Int = TensorLimits.defaultMaxElements) throws(RuntimeError) -> Value {
        // Fast path: a full integer index.
        if specs.count == rank, rank <= 2 {
            var offset = 0
            var simple = true
            for (axis, spec) in specs.enumerated() {
                guard case .single(let i) = spec else { simple = false; break }
                offset = offset * shape[axis] + (try Tensor.normalize(i, axis: axis, size: shape[axis]))
            }
            if simple { return .number(data[offset]) }
        }
        let (resultShape, offs) = try checkedSelection(specs, limit: limit)
        if resultShape.isEmpty { return .number(data[offs[0]]) }
        let gathered = try data.withUnsafeBufferPointer { (d) throws(RuntimeError) -> [Double] in
            try Tensor.generated(offs.count) { d[offs[$0]] }
        }
        return .tensor(Tensor(shape: resultShape, data: gathered))
    }

    /// `t[...] = value`, the value broadcast to the selection's shape.
    public mutating func write(_ specs: [IndexSpec], _ value: Value, limit: Int) throws(RuntimeError) {
        let (resultShape, offs) = try checkedSelection(specs, limit: limit)
        switch value {
        case .number(let x):
            for o in offs { data[o] = x }
        case .tensor(let t):
            let filled = try t.broadcast(to: resultShape, limit: limit)
            for (k, o) in offs.enumerated() { data[o] = filled.data[k] }
        case .view(let v):
            try write(specs, .tensor(v.tensor()), limit: limit)
        case .bool, .string, .tuple, .function, .object, .null, .traced:
            throw RuntimeError("cannot store \(value.kindWithArticle) in a tensor (number or tensor expected)")
        }
    }
}

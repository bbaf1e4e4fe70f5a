// Broadcasting: NumPy's rule for combining two shapes, and the element-wise kernels that
// walk two tensors under it (fast paths for equal shapes and scalars).

extension Tensor {
    /// NumPy's broadcast shape, or the spec's error naming both shapes.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) throws(RuntimeError) -> [Int] {
        // Equal shapes, or a number's (), broadcast to the other shape as it is: no new array
        // (each costs the runtime a metadata lookup; the tape asks at every adjoint).
        if a == b || b.isEmpty { return a }
        if a.isEmpty { return b }
        let n = Swift.max(a.count, b.count)
        var out = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                throw RuntimeError("cannot broadcast shapes \(shapeText(a)) and \(shapeText(b))")
            }
        }
        return out
    }

    /// Strides of `shape` seen as `target` (0 along broadcast axes).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(for: shape)
        let offset = target.count - shape.count
        return (0..<target.count).map { i in
            i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
        }
    }

    /// `f` applied element by element under broadcasting.
    @inline(__always)
    public static func zip(_ a: Tensor, _ b: Tensor, limit: Int,
                           _ f: (Double, Double) -> Double) throws(RuntimeError) -> Tensor {
        if a.shape == b.shape {
            var out = [Double](repeating: 0, count: a.count)
            // In chunks, polling for interrupts between them.
            var start = 0
            while start < out.count {
                try Interrupts.poll()
                let end = Swift.min(out.count, start + Interrupts.stride)
                a.data.withUnsafeBufferPointer { pa in
                    b.data.withUnsafeBufferPointer { pb in
                        out.withUnsafeMutableBufferPointer { po in
                            for i in start..<end { po[i] = f(pa[i], pb[i]) }
                        }
                    }
                }
                start = end
            }
            return Tensor(shape: a.shape, data: out)
        }
        if b.count == 1 && b.rank <= a.rank {
            let y = b.data[0]
            return Tensor(shape: a.shape, data: a.data.map { f($0, y) })
        }
        if a.count == 1 && a.rank <= b.rank {
            let x = a.data[0]
            return Tensor(shape: b.shape, data: b.data.map { f(x, $0) })
        }
        let shape = try broadcastShape(a.shape, b.shape)
        let n = try TensorLimits.checkedCount(shape, limit: limit)
        let sa = broadcastStrides(a.shape, to: shape)
        let sb = broadcastStrides(b.shape, to: shape)
        var out = [Double](repeating: 0, count: n)
        var index = [Int](repeating: 0, count: shape.count)
        var ia = 0, ib = 0
        let ad = a.data, bd = b.data
        for k in 0..<n {
            try Interrupts.poll(every: k)
            out[k] = f(ad[ia], bd[ib])
            // Odometer increment over the output index.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                ia += sa[axis]
                ib += sb[axis]
                if index[axis] < shape[axis] { break }
                ia -= sa[axis] * shape[axis]
                ib -= sb[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return Tensor(shape: shape, data: out)
    }

    /// `f(t, x)` for a scalar x.
    @inline(__always)
    public static func zip(_ a: Tensor, scalar y: Double, _ f: (Double, Double) -> Double) throws(RuntimeError) -> Tensor {
        var out = [Double](repeating: 0, count: a.count)
        try a.data.withUnsafeBufferPointer { (pa) throws(RuntimeError) in
            try out.withUnsafeMutableBufferPointer { (po) throws(RuntimeError) in
                try Interrupts.inChunks(po.count) { r in for i in r { po[i] = f(pa[i], y) } }
            }
        }
        return Tensor(shape: a.shape, data: out)
    }

    @inline(__always)
    public static func zip(scalar x: Double, _ b: Tensor, _ f: (Double, Double) -> Double) throws(RuntimeError) -> Tensor {
        var out = [Double](repeating: 0, count: b.count)
        try b.data.withUnsafeBufferPointer { (pb) throws(RuntimeError) in
            try out.withUnsafeMutableBufferPointer { (po) throws(RuntimeError) in
                try Interrupts.inChunks(po.count) { r in for i in r { po[i] = f(x, pb[i]) } }
            }
        }
        return Tensor(shape: b.shape, data: out)
    }

    /// This tensor's elements repeated to fill `target` (which it must broadcast to).
    public func broadcast(to target: [Int], limit: Int) throws(RuntimeError) -> Tensor {
        if shape == target { return self }
        let joint = try Tensor.broadcastShape(shape, target)
        guard joint == target else {
            throw RuntimeError("cannot broadcast shapes \(Tensor.shapeText(shape)) and \(Tensor.shapeText(target))")
        }
        let zero = Tensor(repeating: 0, shape: target)
        return try Tensor.zip(zero, self, limit: limit) { _, y in y }
    }
}

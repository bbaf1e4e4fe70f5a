// Reductions along an axis or over everything, with NumPy's summation order: a contiguous
// add-reduction is pairwise (checked against NumPy 2.4 bit for bit); other axes add in order.

extension Tensor {
    /// NumPy's pairwise summation (blocks of 8 accumulators up to 128 elements, then halves).
    static func pairwiseSum(_ a: UnsafeBufferPointer<Double>, _ start: Int, _ n: Int) -> Double {
        if n < 8 {
            var res = 0.0
            for i in 0..<n { res += a[start + i] }
            return res
        }
        if n <= 128 {
            var r = (a[start], a[start + 1], a[start + 2], a[start + 3], a[start + 4], a[start + 5], a[start + 6], a[start + 7])
            var i = 8
            while i < n - n % 8 {
                r.0 += a[start + i]; r.1 += a[start + i + 1]; r.2 += a[start + i + 2]; r.3 += a[start + i + 3]
                r.4 += a[start + i + 4]; r.5 += a[start + i + 5]; r.6 += a[start + i + 6]; r.7 += a[start + i + 7]
                i += 8
            }
            var res = ((r.0 + r.1) + (r.2 + r.3)) + ((r.4 + r.5) + (r.6 + r.7))
            while i < n { res += a[start + i]; i += 1 }
            return res
        }
        var n2 = n / 2
        n2 -= n2 % 8
        return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2)
    }

    /// np.add.reduce of a contiguous run.
    static func contiguousSum(_ a: UnsafeBufferPointer<Double>, _ start: Int, _ n: Int) -> Double {
        pairwiseSum(a, start, n)
    }

    /// Splits the shape around `axis`: (outer count, axis length, inner count).
    func split(axis: Int) -> (Int, Int, Int) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }

    /// A NumPy axis (negative counts from the end) checked against the rank.
    func normalizeAxis(_ axis: Int, function: String) throws(RuntimeError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < rank else {
            throw RuntimeError("axis \(axis) is out of bounds for a tensor of rank \(rank) in '\(function)'")
        }
        return a
    }

    /// The axis of a ufunc-style reduction, or nil when a number (rank 0) is reduced whole:
    /// NumPy's `add.reduce` and its kin accept axis 0 and -1 of a 0-d input (np.sum(3, axis=0)
    /// is 3), though np.mean and other functions refuse them (`normalizeAxis`).
    func reductionAxis(_ axis: Int, function: String) throws(RuntimeError) -> Int? {
        if rank == 0 && (axis == 0 || axis == -1) { return nil }
        return try normalizeAxis(axis, function: function)
    }

    /// Folds along `axis` in order: out = first; out = f(out, next) for the rest.
    func foldAxis(_ axis: Int, keepdims: Bool, _ f: (Double, Double) -> Double) -> Tensor {
        let (outer, n, inner) = split(axis: axis)
        var out = [Double](repeating: 0, count: outer * inner)
        data.withUnsafeBufferPointer { a in
            for o in 0..<outer {
                for i in 0..<inner {
                    var acc = n > 0 ? a[o * n * inner + i] : 0
                    if n > 1 { for k in 1..<n { acc = f(acc, a[(o * n + k) * inner + i]) } }
                    out[o * inner + i] = acc
                }
            }
        }
        return Tensor(shape: reducedShape(axis, keepdims), data: out)
    }

    /// Sum along an axis: pairwise when the axis is the last (contiguous) one, as NumPy.
    func sumAxis(_ axis: Int, keepdims: Bool) -> Tensor {
        let (outer, n, inner) = split(axis: axis)
        guard inner == 1 else { return foldAxis(axis, keepdims: keepdims, +) }
        var out = [Double](repeating: 0, count: outer)
        data.withUnsafeBufferPointer { a in
            for o in 0..<outer { out[o] = Tensor.contiguousSum(a, o * n, n) }
        }
        return Tensor(shape: reducedShape(axis, keepdims), data: out)
    }

    func reducedShape(_ axis: Int, _ keepdims: Bool) -> [Int] {
        var s = shape
        if keepdims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// The mean of every element (nan for none): `mean`'s rule, which the tape-free gradient
    /// also runs.
    static func contiguousMean(_ a: UnsafeBufferPointer<Double>) -> Double {
        a.count == 0 ? .nan : contiguousSum(a, 0, a.count) / Double(a.count)
    }

    /// The sum of every element (NumPy's order for a contiguous array).
    var total: Double {
        data.withUnsafeBufferPointer { Tensor.contiguousSum($0, 0, $0.count) }
    }

    /// Index of the first extreme value along the flat data (the first NaN wins, as NumPy).
    static func argExtreme(_ a: ArraySlice<Double>, _ better: (Double, Double) -> Bool) -> Int {
        var best = a.startIndex
        for i in a.indices {
            if a[i].isNaN { return i - a.startIndex }
            if better(a[i], a[best]) { best = i }
        }
        return best - a.startIndex
    }
}

/// NaN-propagating minimum and maximum, np.minimum / np.maximum to the bit: a NaN operand itself
/// (the first, when both are), its sign and payload kept; of two equal numbers the second, so
/// min(0, -0.0) is -0.0 and min(-0.0, 0) is 0 (Swift.min, like Python's builtin, keeps the
/// first); a reduction folding them gives np.min's and np.max's zero.
@inline(__always) func nanMin(_ a: Double, _ b: Double) -> Double { a < b || a.isNaN ? a : b }
@inline(__always) func nanMax(_ a: Double, _ b: Double) -> Double { a > b || a.isNaN ? a : b }

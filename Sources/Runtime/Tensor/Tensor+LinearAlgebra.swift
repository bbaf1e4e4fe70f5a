// Matrix products (OpenBLAS's dgemm when it is installed, as NumPy uses; a plain loop
// otherwise) and transposition.

extension Tensor {
    /// Reverses the axes (a 1-D tensor is its own transpose).
    public func transposed() -> Tensor {
        guard rank >= 2 else { return self }
        let newShape = Array(shape.reversed())
        let oldStrides = strides
        let n = count
        var out = [Double](repeating: 0, count: n)
        if rank == 2 {
            let r = shape[0], c = shape[1]
            data.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<r { for j in 0..<c { dst[j * r + i] = src[i * c + j] } }
                }
            }
            return Tensor(shape: newShape, data: out)
        }
        var index = [Int](repeating: 0, count: rank)
        for k in 0..<n {
            var offset = 0
            for a in 0..<rank { offset += index[a] * oldStrides[rank - 1 - a] }
            out[k] = data[offset]
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < newShape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return Tensor(shape: newShape, data: out)
    }

    /// NumPy's `matmul` for 1-D and 2-D operands (a 0-d result has shape []). A flag says the
    /// operand is the transpose of the matrix given (`m.T @ x` without gathering m.T): OpenBLAS
    /// reads it transposed; a small product gathers it for the plain loop.
    public static func matmul(_ a: Tensor, _ b: Tensor, limit: Int,
                              transposingA: Bool = false, transposingB: Bool = false) throws(RuntimeError) -> Tensor {
        let aShape = transposingA ? Array(a.shape.reversed()) : a.shape
        let bShape = transposingB ? Array(b.shape.reversed()) : b.shape
        guard a.rank >= 1, b.rank >= 1, a.rank <= 2, b.rank <= 2 else {
            throw RuntimeError("'@' needs 1-D or 2-D tensors, got shapes \(shapeText(aShape)) and \(shapeText(bShape))")
        }
        let m = a.rank == 2 ? aShape[0] : 1
        let k = aShape[a.rank - 1]
        let kb = bShape[0]
        let n = b.rank == 2 ? bShape[1] : 1
        guard k == kb else {
            throw RuntimeError("matmul: shapes \(shapeText(aShape)) and \(shapeText(bShape)) do not align (\(k) != \(kb))")
        }
        var outShape: [Int] = []
        if a.rank == 2 { outShape.append(m) }
        if b.rank == 2 { outShape.append(n) }
        _ = try TensorLimits.checkedCount(outShape, limit: limit)
        var out = [Double](repeating: 0, count: m * n)
        guard m > 0, n > 0, k > 0 else { return Tensor(shape: outShape, data: out) }
        guard Swift.max(m, n, k) <= Int(Int32.max) else {
            throw RuntimeError("matmul: a dimension above 2^31 - 1 is beyond BLAS")
        }
        // Small products run the plain loop: its bits are the same on every machine (OpenBLAS's
        // kernels, picked per CPU, round differently), and a call into OpenBLAS costs more than
        // the arithmetic of a layer of the course's network. Transposed operands are gathered for it.
        let dgemm = m * n * k > BLAS.smallProduct ? BLAS.dgemm : nil
        if dgemm == nil && (transposingA || transposingB) {
            return try matmul(transposingA ? a.transposed() : a, transposingB ? b.transposed() : b, limit: limit)
        }
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    if let dgemm {
                        // Leading dimensions are the row lengths of the matrices as stored.
                        dgemm(BLAS.rowMajor, transposingA ? BLAS.transpose : BLAS.noTranspose,
                              transposingB ? BLAS.transpose : BLAS.noTranspose, Int32(m), Int32(n), Int32(k),
                              1.0, pa.baseAddress, Int32(transposingA ? m : k), pb.baseAddress, Int32(transposingB ? k : n),
                              0.0, po.baseAddress, Int32(n))
                        return
                    }
                    plainProduct(pa.baseAddress!, rowStride: k, columnStride: 1, pb.baseAddress!, into: po.baseAddress!, m: m, k: k, n: n)
                }
            }
        }
        return Tensor(shape: outShape, data: out)
    }

    /// The plain loop of a small product: out (m×n, zeros) += a (m×k) @ b (k×n, row-major),
    /// with a's element (i, p) at a[i * rowStride + p * columnStride], so a transpose is read
    /// in place. i-p-j order: the inner loop runs along rows of b and of the output. The
    /// tape-free gradient (NumericGradient+Vector.swift) runs `@` and its adjoint through it.
    @inline(__always)
    static func plainProduct(_ a: UnsafePointer<Double>, rowStride: Int, columnStride: Int, _ b: UnsafePointer<Double>,
                             into out: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int) {
        for i in 0..<m {
            for p in 0..<k {
                let x = a[i * rowStride + p * columnStride]
                for j in 0..<n { out[i * n + j] += x * b[p * n + j] }
            }
        }
    }
}

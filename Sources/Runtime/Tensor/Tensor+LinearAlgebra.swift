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

    /// NumPy's `matmul` for 1-D and 2-D operands (a 0-d result has shape []).
    public static func matmul(_ a: Tensor, _ b: Tensor, limit: Int) throws(RuntimeError) -> Tensor {
        guard a.rank >= 1, b.rank >= 1, a.rank <= 2, b.rank <= 2 else {
            throw RuntimeError("'@' needs 1-D or 2-D tensors, got shapes \(shapeText(a.shape)) and \(shapeText(b.shape))")
        }
        let m = a.rank == 2 ? a.shape[0] : 1
        let k = a.shape[a.rank - 1]
        let kb = b.shape[0]
        let n = b.rank == 2 ? b.shape[1] : 1
        guard k == kb else {
            throw RuntimeError("matmul: shapes \(shapeText(a.shape)) and \(shapeText(b.shape)) do not align (\(k) != \(kb))")
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
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    // Small products run the plain loop: its bits are the same on every machine
                    // (OpenBLAS's kernels, picked per CPU, round differently), and a call into
                    // OpenBLAS costs more than the arithmetic of a layer of the course's network.
                    if m * n * k > BLAS.smallProduct, let dgemm = BLAS.dgemm {
                        dgemm(BLAS.rowMajor, BLAS.noTranspose, BLAS.noTranspose, Int32(m), Int32(n), Int32(k),
                              1.0, pa.baseAddress, Int32(k), pb.baseAddress, Int32(n), 0.0, po.baseAddress, Int32(n))
                        return
                    }
                    // i-p-j order: the inner loop runs along rows of b and of the output.
                    for i in 0..<m {
                        for p in 0..<k {
                            let x = pa[i * k + p]
                            for j in 0..<n { po[i * n + j] += x * pb[p * n + j] }
                        }
                    }
                }
            }
        }
        return Tensor(shape: outShape, data: out)
    }
}

// CSV as np.loadtxt / np.savetxt with ',': numbers only, no header; loading gives 2-D,
// saving writes every number as `repr` (so the text reads back exactly).

enum CSV {
    static func decode(_ bytes: [UInt8], path: String, limit: Int) throws(RuntimeError) -> Tensor {
        let text = String(decoding: bytes, as: UTF8.self)
        var rows: [[Double]] = []
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if line.trimmingSpaces.isEmpty { continue }
            var row: [Double] = []
            for field in line.split(separator: ",", omittingEmptySubsequences: false) {
                guard let x = Builtins.parseNumber(String(field)) else {
                    throw RuntimeError("'\(path)' line \(k + 1): cannot read \(Interpreter.quoted(field.trimmingSpaces)) as a number")
                }
                row.append(x)
            }
            if let first = rows.first, first.count != row.count {
                throw RuntimeError("'\(path)' line \(k + 1): \(row.count) columns where earlier lines have \(first.count)")
            }
            rows.append(row)
        }
        let shape = [rows.count, rows.first?.count ?? 0]
        _ = try TensorLimits.checkedCount(shape, limit: limit)
        return Tensor(shape: shape, data: rows.flatMap { $0 })
    }

    static func encode(_ t: Tensor) throws(RuntimeError) -> [UInt8] {
        guard t.rank <= 2 else { throw RuntimeError("save_csv writes 1-D or 2-D tensors, got shape \(Tensor.shapeText(t.shape))") }
        let columns = t.rank == 2 ? t.shape[1] : 1
        var out = ""
        for (k, x) in t.data.enumerated() {
            out += NumberFormat.repr(x)
            out += (k + 1) % columns == 0 ? "\n" : ","
        }
        return Array(out.utf8)
    }
}

// NumPy's .npy format: magic, version, a little header dict (descr, fortran_order, shape),
// then the raw elements. Loading converts any numeric dtype to float64; saving writes
// version 1.0, '<f8', C order, the header padded to a multiple of 64 bytes as NumPy does.
// A 0-d array decodes to shape [] (the built-in turns it into a number). Loading is streamed
// from a FileIO.Reader: the header is checked (magic, version, a dict with descr, fortran_order
// True/False and a shape of whole numbers, at most 1 MiB), the element count is checked against
// the limit overflow-safely, and only then is the tensor allocated and filled chunk by chunk.

enum NPY {
    static func encode(_ t: Tensor) -> [UInt8] {
        let shape = t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let len = UInt16(header.utf8.count)
        out += [UInt8(len & 0xFF), UInt8(len >> 8)]
        out += Array(header.utf8)
        out.reserveCapacity(out.count + 8 * t.count)
        for x in t.data {
            let bits = x.bitPattern.littleEndian
            for k in 0..<8 { out.append(UInt8((bits >> (8 * UInt64(k))) & 0xFF)) }
        }
        return out
    }

    /// The longest header read (NumPy writes a few hundred bytes; version 2's length field
    /// could announce 4 GiB).
    static let maxHeaderLength = 1 << 20

    static func decode(_ reader: FileIO.Reader, limit: Int) throws(RuntimeError) -> Tensor {
        let path = reader.path
        func bad(_ why: String) -> RuntimeError { RuntimeError("'\(path)' is not a valid .npy file: \(why)") }
        let preamble = try reader.read(exactly: 10)
        guard preamble.count == 10, preamble[0] == 0x93, Array(preamble[1..<6]) == Array("NUMPY".utf8) else { throw bad("no NUMPY magic") }
        let major = preamble[6]
        let headerLength: Int
        switch major {
        case 1:
            headerLength = Int(preamble[8]) | Int(preamble[9]) << 8
        case 2, 3:
            let rest = try reader.read(exactly: 2)
            guard rest.count == 2 else { throw bad("truncated header") }
            let field = Array(preamble[8..<10]) + rest
            headerLength = (0..<4).reduce(0) { $0 | Int(field[$1]) << (8 * $1) }
        default:
            throw bad("unsupported version \(major)")
        }
        guard headerLength <= maxHeaderLength else { throw bad("a header of \(headerLength) bytes is too long") }
        let headerBytes = try reader.read(exactly: headerLength)
        guard headerBytes.count == headerLength else { throw bad("truncated header") }
        let header = String(decoding: headerBytes, as: UTF8.self).trimmingSpaces
        guard header.hasPrefix("{"), header.hasSuffix("}") else { throw bad("the header is not a dict") }
        guard let descr = field(header, "descr"), let order = field(header, "fortran_order"),
              let shapeText = field(header, "shape") else { throw bad("header lacks descr, fortran_order or shape") }
        let dtype = try DType(descr, bad)
        let fortran: Bool
        switch order {
        case "True": fortran = true
        case "False": fortran = false
        default: throw bad("fortran_order is \(order), not True or False")
        }
        let shape = try parseShape(shapeText, bad)
        let n = try TensorLimits.checkedCount(shape, limit: limit)
        let (byteCount, overflow) = n.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else { throw bad("shape \(shapeText) is too large") }
        var data = [Double](repeating: 0, count: n)
        var filled = 0
        var pending: [UInt8] = []
        while filled < n {
            let chunk = try reader.read(max: Swift.min(FileIO.chunkSize, byteCount - filled * dtype.size))
            guard !chunk.isEmpty else { throw bad("data is shorter than the shape says") }
            pending += chunk
            let whole = pending.count / dtype.size
            for i in 0..<whole { data[filled + i] = dtype.read(pending, i * dtype.size) }
            filled += whole
            pending.removeFirst(whole * dtype.size)
        }
        if fortran && shape.count > 1 {
            // Fortran order: the data is the transpose's C order.
            return Tensor(shape: Array(shape.reversed()), data: data).transposed()
        }
        return Tensor(shape: shape, data: data)
    }

    /// `(2, 3)`, `(4,)` or `()`: whole numbers of at most 18 digits, a trailing comma allowed.
    private static func parseShape(_ text: String, _ bad: (String) -> RuntimeError) throws(RuntimeError) -> [Int] {
        guard text.hasPrefix("("), text.hasSuffix(")") else { throw bad("bad shape \(text)") }
        let parts = text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false).map(\.trimmingSpaces)
        var shape: [Int] = []
        for (k, s) in parts.enumerated() {
            if s.isEmpty && k == parts.count - 1 && (k > 0 || parts.count == 1) { continue }
            guard s.count <= 18, !s.isEmpty, s.allSatisfy({ $0 >= "0" && $0 <= "9" }), let d = Int(s) else { throw bad("bad shape \(text)") }
            shape.append(d)
        }
        guard shape.count <= 32 else { throw bad("bad shape \(text) (more than 32 dimensions)") }
        return shape
    }

    /// The text of `'key': value` in the header dict (value up to the next top-level comma).
    private static func field(_ header: String, _ key: String) -> String? {
        guard let r = header.firstRange(of: "'\(key)':") else { return nil }
        var depth = 0
        var out = ""
        for c in header[r.upperBound...] {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if (c == "," && depth == 0) || c == "}" { break }
            out.append(c)
        }
        return out.trimmingSpaces
    }

    /// A numeric dtype: byte order, kind (f, i, u, b) and size.
    struct DType {
        let little: Bool
        let kind: Character
        let size: Int

        init(_ quoted: String, _ bad: (String) -> RuntimeError) throws(RuntimeError) {
            let chars = Array(quoted)
            guard chars.count >= 2, chars.first == chars.last, chars.first == "'" || chars.first == "\"" else {
                throw bad("unsupported dtype \(quoted) (numeric dtypes only)")
            }
            let descr = String(chars.dropFirst().dropLast())
            let code = Array(descr)
            guard code.count >= 3, code.count <= 4, "<>|=".contains(code[0]),
                  let size = Int(String(code[2...])) else { throw bad("unsupported dtype \(descr) (numeric dtypes only)") }
            little = code[0] != ">"
            kind = code[1]
            self.size = size
            let ok: Bool
            switch kind {
            case "f": ok = size == 4 || size == 8 || size == 2
            case "i", "u": ok = [1, 2, 4, 8].contains(size)
            case "b": ok = size == 1
            default: ok = false
            }
            guard ok else { throw bad("unsupported dtype \(descr) (numeric dtypes only)") }
        }

        func read(_ bytes: [UInt8], _ at: Int) -> Double {
            var bits: UInt64 = 0
            for k in 0..<size {
                let b = UInt64(bytes[at + (little ? k : size - 1 - k)])
                bits |= b << (8 * UInt64(k))
            }
            switch (kind, size) {
            case ("f", 8): return Double(bitPattern: bits)
            case ("f", 4): return Double(Float(bitPattern: UInt32(bits)))
            case ("f", 2): return Double(Float16Bits.toFloat(UInt16(bits)))
            case ("i", _):
                let shift = UInt64(64 - 8 * size)
                return Double(Int64(bitPattern: bits << shift) >> Int64(shift))
            default: return Double(bits)
            }
        }
    }
}

/// binary16 bits to a Float, without relying on the platform's Float16.
enum Float16Bits {
    static func toFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F), fraction = Float(h & 0x3FF)
        if exponent == 0 { return sign * fraction * Float(1.0 / 16_777_216.0) }
        if exponent == 31 { return fraction == 0 ? sign * .infinity : .nan }
        var scale: Float = 1
        for _ in 0..<abs(exponent - 15) { scale *= 2 }
        return sign * (1 + fraction / 1024) * (exponent >= 15 ? scale : 1 / scale)
    }
}

extension Substring {
    var trimmingSpaces: String { String(self).trimmingSpaces }
}

// NumPy's .npy format: magic, version, a little header dict (descr, fortran_order, shape),
// then the raw elements. Loading converts any numeric dtype to float64; saving writes
// version 1.0, '<f8', C order, the header padded to a multiple of 64 bytes as NumPy does.
// A 0-d array decodes to shape [] (the built-in turns it into a number).

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

    static func decode(_ bytes: [UInt8], path: String, limit: Int) throws(RuntimeError) -> Tensor {
        func bad(_ why: String) -> RuntimeError { RuntimeError("'\(path)' is not a valid .npy file: \(why)") }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else { throw bad("no NUMPY magic") }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw bad("truncated header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw bad("unsupported version \(major)")
        }
        guard headerStart + headerLength <= bytes.count else { throw bad("truncated header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = field(header, "descr"), let order = field(header, "fortran_order"),
              let shapeText = field(header, "shape") else { throw bad("header lacks descr, fortran_order or shape") }
        let dtype = try DType(descr.trimmingQuotes, bad)
        var shape: [Int] = []
        for part in shapeText.dropFirst().dropLast().split(separator: ",") {
            let s = part.trimmingSpaces
            if s.isEmpty { continue }
            guard let d = Int(s), d >= 0 else { throw bad("bad shape \(shapeText)") }
            shape.append(d)
        }
        let n = try TensorLimits.checkedCount(shape, limit: limit)
        let dataStart = headerStart + headerLength
        guard bytes.count - dataStart >= n * dtype.size else { throw bad("data is shorter than the shape says") }
        var data = [Double](repeating: 0, count: n)
        for i in 0..<n { data[i] = dtype.read(bytes, dataStart + i * dtype.size) }
        let t = Tensor(shape: shape, data: data)
        if order.trimmingSpaces == "True" && shape.count > 1 {
            // Fortran order: the data is the transpose's C order.
            return Tensor(shape: Array(shape.reversed()), data: data).transposed()
        }
        return t
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

        init(_ descr: String, _ bad: (String) -> RuntimeError) throws(RuntimeError) {
            let chars = Array(descr)
            guard chars.count >= 3, let size = Int(String(chars[2...])) else { throw bad("unsupported dtype \(descr)") }
            little = chars[0] != ">"
            kind = chars[1]
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

extension StringProtocol {
    var trimmingQuotes: String { String(self.filter { $0 != "'" && $0 != "\"" }) }
}

extension Substring {
    var trimmingSpaces: String { String(self).trimmingSpaces }
}

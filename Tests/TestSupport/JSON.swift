// A small JSON reader for the reference data: numbers are parsed from their exact text
// (Foundation's JSON parser on Linux does not round every number correctly), and objects
// keep their key order (trees are ordered).

public enum JSON {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    public subscript(key: String) -> JSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    public subscript(index: Int) -> JSON? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    public var array: [JSON]? { if case .array(let a) = self { return a } else { return nil } }
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }

    /// A reference number: a JSON number, or one of the strings "inf", "-inf", "nan".
    public var double: Double? {
        switch self {
        case .number(let x): return x
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        case .string("nan"): return .nan
        default: return nil
        }
    }

    public static func parse(_ text: String) throws -> JSON {
        var reader = Reader(bytes: Array(text.utf8))
        let value = try reader.value()
        reader.skipSpace()
        guard reader.pos == reader.bytes.count else { throw Reader.Failure(position: reader.pos) }
        return value
    }

    public static func load(_ path: String) throws -> JSON {
        try parse(try readTextFile(path))
    }
}

private struct Reader {
    struct Failure: Error { let position: Int }
    let bytes: [UInt8]
    var pos = 0

    mutating func skipSpace() {
        while pos < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[pos]) { pos += 1 }
    }

    mutating func value() throws -> JSON {
        skipSpace()
        guard pos < bytes.count else { throw Failure(position: pos) }
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            pos += 1
            var pairs: [(String, JSON)] = []
            skipSpace()
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(pairs) }
            while true {
                skipSpace()
                guard case .string(let key) = try value() else { throw Failure(position: pos) }
                skipSpace()
                guard bytes[pos] == UInt8(ascii: ":") else { throw Failure(position: pos) }
                pos += 1
                pairs.append((key, try value()))
                skipSpace()
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                guard bytes[pos] == UInt8(ascii: "}") else { throw Failure(position: pos) }
                pos += 1
                return .object(pairs)
            }
        case UInt8(ascii: "["):
            pos += 1
            var items: [JSON] = []
            skipSpace()
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            while true {
                items.append(try value())
                skipSpace()
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                guard bytes[pos] == UInt8(ascii: "]") else { throw Failure(position: pos) }
                pos += 1
                return .array(items)
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): pos += 4; return .bool(true)
        case UInt8(ascii: "f"): pos += 5; return .bool(false)
        case UInt8(ascii: "n"): pos += 4; return .null
        default:
            let start = pos
            while pos < bytes.count, "+-0123456789.eE".utf8.contains(bytes[pos]) { pos += 1 }
            guard let x = Double(String(decoding: bytes[start..<pos], as: UTF8.self)) else { throw Failure(position: start) }
            return .number(x)
        }
    }

    mutating func string() throws -> String {
        pos += 1
        var out: [UInt8] = []
        while bytes[pos] != UInt8(ascii: "\"") {
            if bytes[pos] == UInt8(ascii: "\\") {
                pos += 1
                switch bytes[pos] {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    let hex = String(decoding: bytes[(pos + 1)...(pos + 4)], as: UTF8.self)
                    pos += 4
                    var code = UInt32(hex, radix: 16) ?? 0xFFFD
                    if (0xD800..<0xDC00).contains(code), bytes[pos + 1] == UInt8(ascii: "\\") {
                        let low = UInt32(String(decoding: bytes[(pos + 3)...(pos + 6)], as: UTF8.self), radix: 16) ?? 0
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        pos += 6
                    }
                    out.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8))
                default: out.append(bytes[pos])
                }
                pos += 1
            } else {
                out.append(bytes[pos])
                pos += 1
            }
        }
        pos += 1
        return String(decoding: out, as: UTF8.self)
    }
}

// Python's format-spec mini-language for numbers (3.11): [[fill]align][sign][z][#][0][width][,|_][.precision][type].

import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed spec. A class, not a struct: the interpreter hands out the spec it keeps for each
/// spec string at every `format` call, and a struct's five Characters were retained and
/// released on each copy. Nothing changes a spec after `parse`.
public final class FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    /// Whether the spec wrote a sign, and an alignment (not the `=` a 0 flag implies for a
    /// number): a string's spec may have neither a sign nor `=` (Python's string rules).
    var signGiven = false
    var alignGiven = false
    /// `z`: a negative zero after rounding prints as a zero (PEP 682).
    var coerceZero = false
    var alternate = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?
    /// The printf conversion of the fast path (`f`, `e`, `E`, `g`, `G`), or 0 when a spec takes
    /// the general path (grouping, `z`, a non-ASCII fill, no type); set by `parse`.
    private var conversion: UInt8 = 0
    /// The fast path's printf precision.
    private var cPrecision: Int32 = 0
    /// The fast path's spec as bytes (comparing Characters goes through String comparison):
    /// the sign flag (`+`, space or 0), the alignment, the fill, and whether the type is `%`.
    private var signFlag: UInt8 = 0
    private var alignByte: UInt8 = UInt8(ascii: ">")
    private var fillByte: UInt8 = UInt8(ascii: " ")
    private var percent = false

    public static func parse(_ spec: String) throws(RuntimeError) -> FormatSpec {
        let f = FormatSpec()
        // Code points, as Python reads a spec: a fill is one of them (é with a combining accent,
        // or an emoji sequence, is not a fill).
        var chars = spec.unicodeScalars.map(Character.init)
        var i = 0
        func bad() -> RuntimeError { RuntimeError("invalid format spec \(Interpreter.quoted(spec))") }
        var explicitFill = false
        if chars.count >= 2, "<>=^".contains(chars[1]) {
            f.fill = chars[0]; f.align = chars[1]; i = 2
            explicitFill = true
            f.alignGiven = true
        } else if let c = chars.first, "<>=^".contains(c) {
            f.align = c; i = 1
            f.alignGiven = true
        }
        if i < chars.count, "+- ".contains(chars[i]) { f.sign = chars[i]; f.signGiven = true; i += 1 }
        if i < chars.count, chars[i] == "z" { f.coerceZero = true; i += 1 }
        if i < chars.count, chars[i] == "#" { f.alternate = true; i += 1 }
        if i < chars.count, chars[i] == "0" {
            // The 0 flag pads with zeros unless a fill is given, after the sign unless an
            // alignment is given (Python: format(12345.678, "<020,.2f") pads the right with zeros).
            if !explicitFill { f.fill = "0" }
            if f.align == nil { f.align = "=" }
            i += 1
        }
        var digits = ""
        while i < chars.count, chars[i].isASCII, chars[i].isNumber { digits.append(chars[i]); i += 1 }
        if !digits.isEmpty { f.width = Int(digits) ?? 0 }
        if i < chars.count, chars[i] == "," || chars[i] == "_" { f.grouping = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            var p = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { p.append(chars[i]); i += 1 }
            guard let n = Int(p), n <= 100 else { throw bad() }
            f.precision = n
        }
        if i < chars.count {
            guard "eEfFgG%ns".contains(chars[i]) else { throw bad() }
            f.type = chars[i]; i += 1
        }
        guard i == chars.count, f.width <= 1000 else { throw bad() }
        chars.removeAll()
        f.prepareFastPath()
        return f
    }

    /// Chooses the printf conversion the fast path writes this spec with; the choice mirrors
    /// `digits` case by case.
    private func prepareFastPath() {
        guard grouping == nil, !coerceZero, let fillASCII = fill.asciiValue, fill.utf8.count == 1 else { return }
        fillByte = fillASCII
        alignByte = align?.asciiValue ?? UInt8(ascii: ">")
        signFlag = sign == "+" ? UInt8(ascii: "+") : sign == " " ? UInt8(ascii: " ") : 0
        percent = type == "%"
        let p = precision ?? 6
        switch type {
        case "e": conversion = UInt8(ascii: "e"); cPrecision = Int32(p)
        case "E": conversion = UInt8(ascii: "E"); cPrecision = Int32(p)
        case "f", "F", "%": conversion = UInt8(ascii: "f"); cPrecision = Int32(p)
        case "g", "n": conversion = UInt8(ascii: "g"); cPrecision = Int32(Swift.max(p, 1))
        case "G": conversion = UInt8(ascii: "G"); cPrecision = Int32(Swift.max(p, 1))
        case nil:
            // The default form (repr, or with a precision Python's 'g' whose exponent form starts
            // a digit earlier) takes the general path.
            return
        default: return  // `s`: a string's, which no number takes (Builtins.format refuses it)
        }
    }

    /// The formatted number, padded: the same text as `generalFormat`. A finite number under a
    /// spec without grouping or `z` is written by one printf into a buffer on the stack, with its
    /// sign and padding, and becomes one String: no format string is built and no intermediate
    /// strings are made (`format` ran once per table cell and log line).
    public func format(_ x: Double) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: FormatSpec.stackCapacity) { buffer in
            guard let length = write(x, into: buffer) else { return generalFormat(x) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<length]), as: UTF8.self)
        }
    }

    /// The room `write` wants.
    static let stackCapacity = 128

    /// Writes `format(x)`'s text into `buffer` (of stackCapacity bytes or more) as format's fast
    /// path does, and says how many bytes; nil when format takes its general path (a spec the
    /// fast path does not cover, a number that is not finite, a text that does not fit). The
    /// numeric tier's interpolation writes here directly.
    func write(_ x: Double, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        guard conversion != 0, x.isFinite else { return nil }
        let base = buffer.baseAddress!
        let signByte: UInt8 = x.sign == .minus ? UInt8(ascii: "-") : signFlag
        let signLength = signByte == 0 ? 0 : 1
        // Room for the sign, then the digits, then "%" after them.
        let room = buffer.count - signLength - 2
        let a = percent ? Swift.abs(x) * 100 : Swift.abs(x)
        let written = Int(base.advanced(by: signLength).withMemoryRebound(to: CChar.self, capacity: room) {
            optrepl_format_number($0, UInt(room), CChar(bitPattern: conversion), alternate ? 1 : 0, cPrecision, a)
        })
        guard written >= 0, written < room else { return nil }
        if signLength == 1 { base[0] = signByte }
        var length = signLength + written
        if percent {
            base[length] = UInt8(ascii: "%")
            length += 1
        }
        if width > length {
            // Padding (all of it ASCII here, so a character is a byte).
            guard width <= buffer.count else { return nil }
            let n = width - length
            let padded = UnsafeMutableBufferPointer(rebasing: buffer[..<width])
            switch alignByte {
            case UInt8(ascii: "<"):
                padded[length..<width].initialize(repeating: fillByte)
            case UInt8(ascii: "^"):
                let left = n / 2
                memmove(base + left, base, length)
                padded[0..<left].initialize(repeating: fillByte)
                padded[(left + length)..<width].initialize(repeating: fillByte)
            case UInt8(ascii: "="):
                memmove(base + signLength + n, base + signLength, length - signLength)
                padded[signLength..<(signLength + n)].initialize(repeating: fillByte)
            default:
                memmove(base + n, base, length)
                padded[0..<n].initialize(repeating: fillByte)
            }
            length = width
        }
        return length
    }

    /// The formatted number, padded, built piece by piece: every spec and every number.
    func generalFormat(_ x: Double) -> String {
        var body = digits(Swift.abs(x))
        // The default form is repr, which writes -0.0 with its ".0" (spec §7), as Python does.
        if type == nil, precision == nil, x == 0, x.sign == .minus { body = "0.0" }
        // Whether it rounds to zero is looked at only for `z`: walking the text's characters on
        // every call slowed format-heavy loops (a results table) by a fifth.
        // `z` coerces a zero only: digits, all of them 0 (not inf, nor -1e308 as a percentage).
        let mantissa = body.prefix { $0 != "e" && $0 != "E" }
        let negative = x.sign == .minus && !x.isNaN
            && !(coerceZero && mantissa.contains { $0.isASCII && $0.isNumber } && !mantissa.contains { $0 >= "1" && $0 <= "9" })
        let signText = negative ? "-" : (sign == "+" ? "+" : (sign == " " ? " " : ""))
        // Digits are grouped, not inf or nan (1e308 as a percentage is inf%).
        if let grouping, body.first?.isNumber == true {
            // Zero padding with grouping pads the integer part with grouped zeros, as Python:
            // format(1234567.891, "020,.2f") is 0,000,001,234,567.89.
            let zeroPadded = fill == "0" && align == "="
            body = group(body, with: grouping, width: zeroPadded ? width - signText.count : 0)
        }
        return pad(body, numeric: true, signText: signText)
    }

    private func digits(_ a: Double) -> String {
        let upper = type == "E" || type == "F" || type == "G"
        if !a.isFinite {
            let t = a.isNaN ? "nan" : "inf"
            return (upper ? t.uppercased() : t) + (type == "%" ? "%" : "")
        }
        let alt = alternate ? "#" : ""
        switch type {
        case "e", "E": return NumberFormat.cFormat("%\(alt).\(precision ?? 6)\(type!)", a)
        case "f", "F": return NumberFormat.cFormat("%\(alt).\(precision ?? 6)f", a)
        case "g", "G", "n":
            let p = Swift.max(precision ?? 6, 1)
            if alternate { return NumberFormat.alternateGeneral(a, precision: p, upper: type == "G") }
            return NumberFormat.cFormat("%.\(p)\(type == "G" ? "G" : "g")", a)
        case "%": return NumberFormat.cFormat("%\(alt).\(precision ?? 6)f", a * 100) + "%"
        default:
            guard let p = precision else {
                // repr; `#` keeps a point in its exponent form (1.e-05), as Python's.
                let r = NumberFormat.repr(a)
                guard alternate, !r.contains("."), let e = r.firstIndex(of: "e") else { return r }
                return String(r[..<e] + "." + r[e...])
            }
            // Python's 'g' that adds `.0` to a whole number, and so takes its exponent form a
            // digit earlier: when the point would come after q - 1 digits (CPython's
            // format_float_short with Py_DTSF_ADD_DOT_0: 253376 to 6 digits is 2.53376e+05).
            let q = Swift.max(p, 1)
            let scientific = NumberFormat.cFormat("%\(alt).\(q - 1)e", a)
            let exponent = scientific.split(separator: "e").last.flatMap { Int($0) } ?? 0
            if exponent + 1 <= -4 || exponent + 1 > q - 1 {
                // %g's exponent form: the digits' trailing zeros and a bare point go, unless `#`.
                guard !alternate, let e = scientific.firstIndex(of: "e") else { return scientific }
                var digits = scientific[..<e]
                if digits.contains(".") {
                    while digits.last == "0" { digits.removeLast() }
                    if digits.last == "." { digits.removeLast() }
                }
                return String(digits + scientific[e...])
            }
            let s = alternate ? NumberFormat.alternateGeneral(a, precision: q, upper: false) : NumberFormat.cFormat("%.\(q)g", a)
            return s.contains(".") || s.contains("e") ? s : s + ".0"
        }
    }

    /// Inserts the grouping character every three digits of the integer part, which is padded
    /// with zeros until the whole text is `width` long (CPython's InsertThousandsGrouping: a
    /// group is filled out with zeros, and a separator is never the first character).
    private func group(_ s: String, with g: Character, width: Int) -> String {
        let intEnd = s.firstIndex(where: { !$0.isNumber }) ?? s.endIndex
        var digits = Array(s[..<intEnd])
        var minWidth = width - s[intEnd...].count
        var groups: [String] = []
        while true {
            let l = Swift.min(3, Swift.max(digits.count, minWidth, 1))
            let n = Swift.min(digits.count, l)
            groups.append(String(repeating: "0", count: l - n) + String(digits.suffix(n)))
            digits.removeLast(n)
            minWidth -= l
            if digits.isEmpty && minWidth <= 0 { break }
            minWidth -= 1
        }
        return groups.reversed().joined(separator: String(g)) + s[intEnd...]
    }

    /// Whether numbers take this spec (`s` is a string's type only).
    public var formatsNumbers: Bool { type != "s" }

    /// `format(s, spec)` of a string, as Python formats a str: its first `precision` code points,
    /// padded (left-aligned by default; a 0 flag fills with zeros); what Python refuses for a
    /// string (a type other than `s`, a sign, `z`, `#`, `=`, grouping) is an error whose text
    /// says so, with Python's words.
    public func format(string s: String) throws(RuntimeError) -> String {
        func refused(_ why: String) -> RuntimeError { RuntimeError.badArgumentValue("#2", to: "format", why) }
        if let type, type != "s" { throw refused("\(type) is for numbers (Python: Unknown format code '\(type)' for object of type 'str')") }
        if let grouping { throw refused("grouping is for numbers (Python: Cannot specify '\(grouping)' with 's'.)") }
        if signGiven {
            throw refused(sign == " " ? "a sign is for numbers (Python: Space not allowed in string format specifier)"
                                        : "a sign is for numbers (Python: Sign not allowed in string format specifier)")
        }
        if coerceZero { throw refused("z is for numbers (Python: Negative zero coercion (z) not allowed in string format specifier)") }
        if alternate { throw refused("# is for numbers (Python: Alternate form (#) not allowed in string format specifier)") }
        if alignGiven && align == "=" { throw refused("= alignment is for numbers (Python: '=' alignment not allowed in string format specifier)") }
        var text = s
        if let precision, precision < s.unicodeScalars.count {
            var kept = String.UnicodeScalarView()
            kept.append(contentsOf: s.unicodeScalars.prefix(precision))
            text = String(kept)
        }
        // The `=` a 0 flag implies is a number's: a string is left-aligned.
        return pad(text, signText: "", alignment: alignGiven ? align ?? "<" : "<")
    }

    func pad(_ body: String, numeric: Bool, signText: String = "") -> String {
        pad(body, signText: signText, alignment: align ?? (numeric ? ">" : "<"))
    }

    private func pad(_ body: String, signText: String, alignment: Character) -> String {
        // Code points, as Python counts a width.
        let length = body.unicodeScalars.count + signText.unicodeScalars.count
        guard width > length else { return signText + body }
        let n = width - length
        let filler = String(repeating: fill, count: n)
        switch alignment {
        case "<": return signText + body + filler
        case "^":
            let left = String(repeating: fill, count: n / 2)
            return left + signText + body + String(repeating: fill, count: n - n / 2)
        case "=": return signText + filler + body
        default: return filler + signText + body
        }
    }
}

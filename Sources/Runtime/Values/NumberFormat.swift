// Number text: Python's repr(float) (spec §7), and C-printf-based fixed-precision forms
// for tensor printing and format specs. All number text in optrepl comes from here.

import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum NumberFormat {
    /// The shortest text that reads back to `x`, laid out as Python's repr; a finite whole number
    /// with |x| < 1e16 drops the ".0" (`3`, `-7`), while -0.0 stays "-0.0".
    public static func repr(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return x.sign == .minus ? "-0.0" : "0" }
        if x == x.rounded(.towardZero) && Swift.abs(x) < 1e16 {
            return String(Int64(x))
        }
        return pythonRepr(x)
    }

    /// Python's repr exactly ("7059435.0"), used where the ".0" rule must not apply.
    /// A number as a person would type it in Python code (`opt.torch()`): rounded to 15
    /// significant digits, then Python's repr of that, so 0.1 * 0.1 writes `0.01`, not
    /// `0.010000000000000002` (the digits past the 15th are arithmetic noise, not a setting).
    public static func pythonLiteral(_ x: Double) -> String {
        guard x.isFinite, let rounded = Double(cFormat("%.15g", x)) else { return pythonRepr(x) }
        return pythonRepr(rounded)
    }

    public static func pythonRepr(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return x.sign == .minus ? "-0.0" : "0.0" }
        let (negative, digits, pointPosition) = shortestDigits(x)
        let sign = negative ? "-" : ""
        let exponent = pointPosition - 1
        if exponent < -4 || exponent >= 16 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let e = Swift.abs(exponent)
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
        }
        let cut = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<cut] + "." + digits[cut...]
    }

    /// Shortest round-trip digits of a finite non-zero x, and where the decimal point goes:
    /// x = 0.d1d2d3... × 10^pointPosition. Swift's description is shortest and correctly
    /// rounded (as Python's repr is); only its layout differs, so the digits are taken from it.
    static func shortestDigits(_ x: Double) -> (Bool, String, Int) {
        var text = Swift.abs(x).description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        var intPart = text
        var fracPart = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            fracPart = String(text[text.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var point = intPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        return (x < 0, digits, point)
    }

    /// C's printf with one double argument, e.g. `cFormat("%.6g", x)`; glibc rounds correctly.
    public static func cFormat(_ format: String, _ x: Double) -> String {
        // C prints a NaN with its sign bit set as "-nan"; Python and NumPy print "nan".
        let x = x.isNaN ? Double.nan : x
        // Into a buffer on the stack (most numbers need a few dozen bytes), then a larger one
        // when snprintf says the text is longer (%.300f of 1e308).
        let small = 64
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: small) { buffer in
            let n = Int(optrepl_format_double(buffer.baseAddress, UInt(small), format, x))
            if n < small { return String(cString: buffer.baseAddress!) }
            var large = [CChar](repeating: 0, count: n + 1)
            _ = optrepl_format_double(&large, UInt(n + 1), format, x)
            return large.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }
    }

    /// Python's `format(x, ".{p}g")`: used for tensor elements. Written by
    /// optrepl_format_number's own digits into a stack buffer (the same text as `%.{p}g`, the
    /// sign put in front of the magnitude's digits as printf does), without a format string.
    public static func general(_ x: Double, precision p: Int) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        guard p >= 0 && p <= 100 else { return cFormat("%.\(p)g", x) }
        let capacity = 160
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            let base = buffer.baseAddress!
            let sign = x.sign == .minus ? 1 : 0
            if sign == 1 { base[0] = UInt8(ascii: "-") }
            let room = capacity - sign
            let n = Int(base.advanced(by: sign).withMemoryRebound(to: CChar.self, capacity: room) {
                optrepl_format_number($0, UInt(room), CChar(UInt8(ascii: "g")), 0, Int32(p), Swift.abs(x))
            })
            guard n >= 0, n < room else { return cFormat("%.\(p)g", x) }
            return String(decoding: UnsafeBufferPointer(start: base, count: sign + n), as: UTF8.self)
        }
    }
}

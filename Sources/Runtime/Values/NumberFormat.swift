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
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: reprCapacity) { buffer in
            let out = buffer.baseAddress!
            return String(decoding: UnsafeBufferPointer(start: out, count: writeRepr(x, to: out)), as: UTF8.self)
        }
    }

    /// The most bytes `writeRepr` writes ("-2.2250738585072014e-308" is 24), with room to spare.
    public static let reprCapacity = 32

    /// Writes repr's text of `x` at `out` (reprCapacity bytes of room) and says how many bytes:
    /// repr itself, and the numeric tier's interpolation, which writes a number's text straight
    /// into the string it builds.
    public static func writeRepr(_ x: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if x.isNaN { return copy("nan", to: out) }
        if x.isInfinite { return copy(x < 0 ? "-inf" : "inf", to: out) }
        if x == 0 { return copy(x.sign == .minus ? "-0.0" : "0", to: out) }
        if x == x.rounded(.towardZero) && Swift.abs(x) < 1e16 {
            return writeInteger(Int64(x), to: out)
        }
        var text = Swift.abs(x).description
        return text.withUTF8 { description in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { digits in
                layOut(description, negative: x < 0, digits: digits.baseAddress!, to: out)
            }
        }
    }

    private static func copy(_ text: StaticString, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return text.utf8CodeUnitCount
    }

    /// A whole number's decimal digits (|n| < 1e16), with its sign.
    private static func writeInteger(_ n: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = n.magnitude
        let first = n < 0 ? 1 : 0
        if n < 0 { out[0] = UInt8(ascii: "-") }
        // The digits from the last, then turned around.
        var end = first
        repeat {
            out[end] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
            end += 1
        } while magnitude > 0
        var i = first, j = end - 1
        while i < j {
            let t = out[i]
            out[i] = out[j]
            out[j] = t
            i += 1
            j -= 1
        }
        return end
    }

    /// A number as a person would type it in Python code (`opt.torch()`): rounded to 15
    /// significant digits, then Python's repr of that, so 0.1 * 0.1 writes `0.01`, not
    /// `0.010000000000000002` (the digits past the 15th are arithmetic noise, not a setting).
    public static func pythonLiteral(_ x: Double) -> String {
        guard x.isFinite, let rounded = Double(cFormat("%.15g", x)) else { return pythonRepr(x) }
        return pythonRepr(rounded)
    }

    /// Python's repr exactly ("7059435.0"), used where the ".0" rule must not apply.
    public static func pythonRepr(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return x.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description is shortest and correctly rounded (as Python's repr is); only its
        // layout differs, so its digits are laid out again, byte by byte in a stack buffer (the
        // String operations this took before were most of the time of interpolating a number).
        var text = Swift.abs(x).description
        return text.withUTF8 { description in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64 + reprCapacity) { buffer in
                let out = buffer.baseAddress!
                let length = layOut(description, negative: x < 0, digits: out + reprCapacity, to: out)
                return String(decoding: UnsafeBufferPointer(start: out, count: length), as: UTF8.self)
            }
        }
    }

    /// Python's repr of the number whose Swift description (finite, positive) is `d`: the
    /// digits (integer part, then fraction) and the exponent are read from `d`, leading and
    /// trailing zeros dropped, and the text written as repr writes it: exponent form outside
    /// 1e-4 <= x < 1e16 (at least two exponent digits), else fixed with at least one decimal.
    /// The digits go to `digits` (64 bytes), the text to `out` (reprCapacity bytes); the text's
    /// length is returned.
    private static func layOut(_ d: UnsafeBufferPointer<UInt8>, negative: Bool,
                               digits: UnsafeMutablePointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let zero = UInt8(ascii: "0")
        var count = 0, integerDigits = 0, exponent = 0
        var i = 0, inFraction = false
        while i < d.count, d[i] != UInt8(ascii: "e"), d[i] != UInt8(ascii: "E") {
            if d[i] == UInt8(ascii: ".") {
                inFraction = true
            } else if count < 64 {
                digits[count] = d[i]
                count += 1
                if !inFraction { integerDigits += 1 }
            }
            i += 1
        }
        if i < d.count {
            i += 1
            var negativeExponent = false
            if i < d.count, d[i] == UInt8(ascii: "-") || d[i] == UInt8(ascii: "+") {
                negativeExponent = d[i] == UInt8(ascii: "-")
                i += 1
            }
            while i < d.count { exponent = exponent * 10 + Int(d[i] &- zero); i += 1 }
            if negativeExponent { exponent = -exponent }
        }
        var first = 0
        var point = integerDigits + exponent
        while first < count - 1, digits[first] == zero { first += 1; point -= 1 }
        while count - first > 1, digits[count - 1] == zero { count -= 1 }
        let n = count - first
        var length = 0
        func put(_ byte: UInt8) { out[length] = byte; length += 1 }
        if negative { put(UInt8(ascii: "-")) }
        let e = point - 1
        if e < -4 || e >= 16 {
            put(digits[first])
            if n > 1 {
                put(UInt8(ascii: "."))
                for k in (first + 1)..<count { put(digits[k]) }
            }
            put(UInt8(ascii: "e"))
            put(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let magnitude = Swift.abs(e)
            if magnitude >= 100 { put(zero + UInt8(magnitude / 100)) }
            put(zero + UInt8(magnitude / 10 % 10))
            put(zero + UInt8(magnitude % 10))
        } else if point <= 0 {
            put(zero); put(UInt8(ascii: "."))
            for _ in 0..<(-point) { put(zero) }
            for k in first..<count { put(digits[k]) }
        } else if point >= n {
            for k in first..<count { put(digits[k]) }
            for _ in 0..<(point - n) { put(zero) }
            put(UInt8(ascii: ".")); put(zero)
        } else {
            for k in first..<(first + point) { put(digits[k]) }
            put(UInt8(ascii: "."))
            for k in (first + point)..<count { put(digits[k]) }
        }
        return length
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

    /// `%#.{p}g` (or `G`) as C defines it, which glibc's printf does not when rounding carries
    /// into a new exponent (optrepl_format_number's alternate_general); p <= 100.
    public static func alternateGeneral(_ x: Double, precision p: Int, upper: Bool) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            let n = Int(optrepl_format_number(buffer.baseAddress, 256, CChar(UInt8(ascii: upper ? "G" : "g")), 1, Int32(p), x))
            return n >= 0 && n < 256 ? String(cString: buffer.baseAddress!) : cFormat("%#.\(p)\(upper ? "G" : "g")", x)
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

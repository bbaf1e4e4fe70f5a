/// Strings by code point: what `len(s)` counts, `s[i]` picks and `for ch in s` walks (spec:
/// code points, not grapheme clusters), one rule that the general machine, the numeric tier
/// and the built-ins all read.
///
/// Python's `str` is indexed in O(1), and students write `while i < len(s) { ch = s[i] ... }`.
/// A Swift `String` is UTF-8, so code point i is found by walking; counting every byte at each
/// `len` made that loop quadratic (64,000 characters: 2.4 s, session 21). Most text is ASCII,
/// where code point i is byte i: a string whose UTF-8 and UTF-16 lengths agree is ASCII (every
/// other code point takes more UTF-8 bytes than UTF-16 units), and for an ASCII string both
/// lengths are O(1) (the standard library keeps an ASCII flag with the count). Other strings
/// are walked once for `s[i]` and their code points kept (`Interpreter.codePoints`), which
/// `len` then counts; another one's bytes are counted eight at a time.
enum CodePoints {
    /// Whether every code point of `s` is one byte: O(1) when it is, so the test costs nothing
    /// on the path it speeds up. (UTF-16's count of a long non-ASCII string is kept by the
    /// standard library with the string after its first walk.)
    @inline(__always)
    static func isASCII(_ s: String) -> Bool { s.utf8.count == s.utf16.count }

    /// The one-character strings of the ASCII code points, made once: `for ch in s` and `s[i]`
    /// hand out one of them instead of building a string per character.
    static let ascii: [String] = (0..<128).map { String(Unicode.Scalar(UInt8($0))) }

    /// Byte `i` of an ASCII string, as its one-character string (0 ≤ i < utf8.count).
    @inline(__always)
    static func asciiCharacter(_ s: String, _ i: Int) -> String {
        let u = s.utf8
        return ascii[Int(u[u.index(u.startIndex, offsetBy: i)])]
    }

    /// The number of code points of `s` (`len`).
    static func count(_ s: String) -> Int {
        isASCII(s) ? s.utf8.count : scalarCount(s)
    }

    /// The number of code points of a non-ASCII string: its UTF-8 bytes less the continuation
    /// bytes (10xxxxxx), counted eight bytes at a time over the string's contiguous storage.
    /// (`s.unicodeScalars.count` decodes every scalar, which was a few percent of programs that
    /// take `len` of each string they build.)
    private static func scalarCount(_ s: String) -> Int {
        var s = s
        return s.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return 0 }
            let raw = UnsafeRawPointer(base)
            let n = bytes.count
            var continuation = 0, i = 0
            while i + 8 <= n {
                // A byte's top bit set and the next one clear: its top bit survives w & ~(w << 1).
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                continuation += (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                i += 8
            }
            while i < n {
                if bytes[i] & 0xC0 == 0x80 { continuation += 1 }
                i += 1
            }
            return n - continuation
        }
    }
}

extension Interpreter {
    /// The code points of a non-ASCII string, which `s[i]` picks from. A loop indexes one
    /// string again and again (`for i in 0..<len(text) { ch = text[i] }`): the code points of
    /// the string indexed last are kept (with the string, so that its storage is not
    /// another's), and found by the string's bits. Making them at each index made such a loop
    /// quadratic: 3.6 s for 300 passes over 2,600 characters, which CPython takes 66 ms for.
    func codePoints(of s: String) -> [Unicode.Scalar] {
        if let last = indexedString, Interpreter.sameBits(last.text, s) { return last.codePoints }
        let points = Array(s.unicodeScalars)
        indexedString = (s, points)
        return points
    }

    /// `len(s)`: a long non-ASCII string is counted by the code points kept for it (made here
    /// if `s[i]` has not made them), so `while i < len(s) { ... }` stays linear on any text; a
    /// short one (a word) is counted by its bytes, which makes no array.
    func codePointCount(_ s: String) -> Int {
        if CodePoints.isASCII(s) { return s.utf8.count }
        if s.utf8.count >= 256 { return codePoints(of: s).count }
        if let last = indexedString, Interpreter.sameBits(last.text, s) { return last.codePoints.count }
        return CodePoints.count(s)
    }

    /// `s[i]` for a whole number i, negative from the end; nil when out of range (the
    /// callers say how).
    @inline(__always)
    func codePoint(_ s: String, at i: Int) -> String? {
        if CodePoints.isASCII(s) {
            let n = s.utf8.count, j = i < 0 ? i + n : i
            return j >= 0 && j < n ? CodePoints.asciiCharacter(s, j) : nil
        }
        let points = codePoints(of: s)
        let j = i < 0 ? i + points.count : i
        return j >= 0 && j < points.count ? String(points[j]) : nil
    }
}

// SourceFile: one unit of source text (a file, `-e` code, stdin, or a REPL entry)
// with the line table that turns byte offsets into 1-based line and column.

/// A half-open range of UTF-8 bytes in a `SourceFile`.
public struct SourceRange: Sendable, Equatable, Hashable {
    public var start: Int
    public var length: Int
    public var end: Int { start + length }

    public init(start: Int, length: Int) {
        self.start = start
        self.length = length
    }

    /// The smallest range covering both.
    public func through(_ other: SourceRange) -> SourceRange {
        let lo = Swift.min(start, other.start)
        let hi = Swift.max(end, other.end)
        return SourceRange(start: lo, length: hi - lo)
    }
}

/// A line and a column, both 1-based; the column counts Unicode code points, not bytes,
/// so `β₁ = x` puts `=` at column 4 as a student would count it.
public struct SourceLocation: Sendable, Equatable {
    public var line: Int
    public var column: Int
}

/// The text of one program unit and its name as diagnostics show it.
public final class SourceFile: Sendable {
    public let name: String
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    private let lineStarts: [Int]

    public init(name: String, text: String) {
        self.name = name
        self.bytes = Array(text.utf8)
        // A byte order mark before the first line is not on it (the lexer skips it too).
        var starts = [bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            starts.append(i + 1)
        }
        self.lineStarts = starts
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The 0-based index of the line holding `offset`, by binary search.
    private func lineIndex(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    public func location(of offset: Int) -> SourceLocation {
        let clamped = Swift.max(0, Swift.min(offset, bytes.count))
        let line = lineIndex(of: clamped)
        let column = codePoints(from: lineStarts[line], to: clamped)
        return SourceLocation(line: line + 1, column: column + 1)
    }

    /// Number of code points in bytes[from..<to]: every byte that is not a UTF-8 continuation byte.
    public func codePoints(from: Int, to: Int) -> Int {
        var n = 0
        var i = from
        while i < to && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { n += 1 }
            i += 1
        }
        return n
    }

    /// The text of 1-based line `line`, without its newline.
    public func lineText(_ line: Int) -> String {
        guard line >= 1 && line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<Swift.max(start, end)], as: UTF8.self)
    }

    /// Byte offset where 1-based line `line` ends (before its newline).
    public func lineEnd(_ line: Int) -> Int {
        line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    }

    public func slice(_ range: SourceRange) -> String {
        let lo = Swift.max(0, Swift.min(range.start, bytes.count))
        let hi = Swift.max(lo, Swift.min(range.end, bytes.count))
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}

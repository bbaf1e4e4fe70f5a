// Prose wrapped at word boundaries, for `:help`, `explain()` and the hints under diagnostics:
// a line wider than the terminal breaks between words (never inside a number or a name), and
// its continuation lines hang two columns in from the line's own indent, as Python's textwrap
// with a subsequent_indent does. Widths are display columns (Unicode's East Asian width), so
// `β₁·m` counts four and a CJK character two.

public enum TextWrap {
    /// `text` with each line wider than `width` columns wrapped; lines that fit, and words
    /// longer than a line, are left whole.
    public static func wrap(_ text: String, width: Int) -> String {
        guard width > 0 else { return text }
        var out = ""
        var first = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !first { out += "\n" }
            first = false
            out += wrapLine(line, width: width)
        }
        return out
    }

    static func wrapLine(_ line: Substring, width: Int) -> String {
        guard columns(line) > width else { return String(line) }
        let indent = line.prefix { $0 == " " }
        let hanging = String(repeating: " ", count: Swift.min(indent.count + 2, width / 2))
        var lines: [String] = []
        var current = String(indent)
        var currentWidth = indent.count
        var hasWord = false
        for word in line.dropFirst(indent.count).split(separator: " ") {
            let w = columns(word)
            if hasWord && currentWidth + 1 + w > width {
                lines.append(current)
                current = hanging + word
                currentWidth = hanging.count + w
            } else {
                current += (hasWord ? " " : "") + word
                currentWidth += (hasWord ? 1 : 0) + w
            }
            hasWord = true
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// Display columns of a string (ANSI colour sequences take none).
    public static func columns(_ s: some StringProtocol) -> Int {
        var n = 0
        var inEscape = false
        for c in s.unicodeScalars {
            if inEscape {
                if c == "m" { inEscape = false }
                continue
            }
            if c == "\u{1B}" { inEscape = true; continue }
            n += columns(c)
        }
        return n
    }

    /// Columns a terminal gives a character: none for combining marks and zero-width joiners
    /// and selectors, two for East Asian wide and fullwidth characters and emoji, else one.
    public static func columns(_ s: Unicode.Scalar) -> Int {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0xFE00...0xFE0F).contains(s.value) { return 0 }
        if s.properties.isEmojiPresentation { return 2 }
        return wideRanges.contains { $0.contains(s.value) } ? 2 : 1
    }

    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x20000...0x3FFFD,
    ]
}

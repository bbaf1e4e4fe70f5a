// The one place diagnostics become text: `FILE:LINE:COL: error: MESSAGE`, the source line,
// a caret with `~` under the range, notes, and the call chain.

import Lexer
import Runtime

struct DiagnosticRenderer {
    var color: Bool
    /// Notes (hints) wrap at word boundaries to this many columns: the terminal's width when
    /// stderr is one (read at each diagnostic, so a resized window is followed); nil in a pipe,
    /// where tools read one note per line.
    var width: (() -> Int)?

    init(color: Bool, width: (() -> Int)? = nil) {
        self.color = color
        self.width = width
    }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m" + s + "\u{1B}[0m" : s
    }

    /// A message may quote bytes from the program's input (a binary file read as CSV): control
    /// characters are shown escaped, so none reaches the terminal as a command.
    static func printable(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if c.value < 0x20 || (0x7F...0x9F).contains(c.value) {
                out += "\\u{" + String(c.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    func render(_ d: Diagnostic) -> String {
        var d = d
        d.message = DiagnosticRenderer.printable(d.message)
        d.notes = d.notes.map(DiagnosticRenderer.printable)
        guard let file = d.file else {
            return "optrepl: \(paint("\(d.severity.rawValue):", "1;31")) \(d.message)\n" + d.notes.map { "  " + $0 + "\n" }.joined()
        }
        let loc = file.location(of: d.range.start)
        var out = paint("\(file.name):\(loc.line):\(loc.column):", "1") + " "
            + paint("\(d.severity.rawValue):", d.severity == .error ? "1;31" : "1;35") + " " + paint(d.message, "1") + "\n"
        out += snippet(file, d.range, loc)
        let columns = width?()
        if !d.loopValues.isEmpty { d.notes.insert("note: in the loop, at " + d.loopValues.joined(separator: ", "), at: 0) }
        for note in d.notes { out += (columns.map { TextWrap.wrap(note, width: $0) } ?? note) + "\n" }
        out += callChain(d, loc)
        return out
    }

    /// Longest source line shown whole; a longer one is shown as a window around the column.
    static let maxShown = 160

    /// The source line, indented by four spaces, and the caret line under it.
    private func snippet(_ file: SourceFile, _ range: SourceRange, _ loc: SourceLocation) -> String {
        var scalars = Array(file.lineText(loc.line).unicodeScalars)
        var column = loc.column - 1
        let lineEnd = file.lineEnd(loc.line)
        var width = Swift.max(1, file.codePoints(from: range.start, to: Swift.min(range.end, lineEnd)))
        var prefix = "", suffix = ""
        if scalars.count > DiagnosticRenderer.maxShown {
            let start = Swift.max(0, Swift.min(column - DiagnosticRenderer.maxShown / 2, scalars.count - DiagnosticRenderer.maxShown))
            let end = Swift.min(scalars.count, start + DiagnosticRenderer.maxShown)
            if start > 0 { prefix = "..." }
            if end < scalars.count { suffix = "..." }
            scalars = Array(scalars[start..<end])
            column = column - start + prefix.count
            width = Swift.min(width, scalars.count + prefix.count - column)
        }
        var line = prefix
        line.unicodeScalars.append(contentsOf: scalars)
        line += suffix
        // The caret goes under the character by display width (a combining mark takes no
        // column, a wide character two); tabs stay tabs so it lines up under the text. The
        // column number in the location stays in code points, as spec §8 says.
        let shown = Array(line.unicodeScalars)
        var pad = ""
        for s in shown.prefix(column) {
            if s == "\t" { pad += "\t" } else { pad += String(repeating: " ", count: TextWrap.columns(s)) }
        }
        let underlined = shown.dropFirst(column).prefix(width).reduce(0) { $0 + TextWrap.columns($1) }
        let caret = "^" + String(repeating: "~", count: Swift.max(1, underlined) - 1)
        return "    " + line + "\n" + "    " + pad + paint(caret, "1;32") + "\n"
    }

    /// `  at f (file:line:col)`, innermost first: each function with where it is executing,
    /// then the top level with where the outermost call was made.
    private func callChain(_ d: Diagnostic, _ loc: SourceLocation) -> String {
        guard let file = d.file, !d.callChain.isEmpty else { return "" }
        var lines: [String] = []
        var whereName = file.name
        var whereLoc = loc
        for site in d.callChain {
            lines.append("  at \(site.function) (\(whereName):\(whereLoc.line):\(whereLoc.column))")
            whereName = site.file.name
            whereLoc = site.file.location(of: site.range.start)
        }
        lines.append("  at <top level> (\(whereName):\(whereLoc.line):\(whereLoc.column))")
        return DiagnosticRenderer.collapse(lines).map { $0 + "\n" }.joined()
    }

    /// Deep recursion repeats one line thousands of times, mutual recursion a few lines in turn
    /// (f calls g calls f): a run of a block of up to 8 lines repeated is shown once with a
    /// count, as Python's tracebacks fold a repeated line.
    static func collapse(_ lines: [String]) -> [String] {
        var out: [String] = []
        var k = 0
        while k < lines.count {
            // The block length whose repeats here cover the most lines (the shorter on a tie).
            var best = (period: 1, repeats: 1)
            for period in 1...8 where k + 2 * period <= lines.count {
                var repeats = 1
                while k + (repeats + 1) * period <= lines.count,
                      lines[(k + repeats * period)..<(k + (repeats + 1) * period)] == lines[k..<(k + period)] {
                    repeats += 1
                }
                if repeats > 1 && repeats * period > best.repeats * best.period { best = (period, repeats) }
            }
            out.append(contentsOf: lines[k..<(k + best.period)])
            if best.repeats > 1 {
                let what = best.period == 1 ? "the line above" : "the \(best.period) lines above"
                out.append("  ... \(what) repeated \(best.repeats - 1) more time\(best.repeats == 2 ? "" : "s")")
            }
            k += best.period * best.repeats
        }
        return out
    }
}

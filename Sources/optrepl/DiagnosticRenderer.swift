// The one place diagnostics become text: `FILE:LINE:COL: error: MESSAGE`, the source line,
// a caret with `~` under the range, notes, and the call chain.

import Lexer

struct DiagnosticRenderer {
    var color: Bool

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m" + s + "\u{1B}[0m" : s
    }

    func render(_ d: Diagnostic) -> String {
        guard let file = d.file else {
            return "optrepl: \(paint("\(d.severity.rawValue):", "1;31")) \(d.message)\n" + d.notes.map { "  " + $0 + "\n" }.joined()
        }
        let loc = file.location(of: d.range.start)
        var out = paint("\(file.name):\(loc.line):\(loc.column):", "1") + " "
            + paint("\(d.severity.rawValue):", d.severity == .error ? "1;31" : "1;35") + " " + paint(d.message, "1") + "\n"
        out += snippet(file, d.range, loc)
        for note in d.notes { out += note + "\n" }
        out += callChain(d, loc)
        return out
    }

    /// The source line, indented by four spaces, and the caret line under it.
    private func snippet(_ file: SourceFile, _ range: SourceRange, _ loc: SourceLocation) -> String {
        let line = file.lineText(loc.line)
        let scalars = Array(line.unicodeScalars)
        // Keep tabs in the caret's indentation so it lines up under the text.
        var pad = ""
        for s in scalars.prefix(loc.column - 1) { pad.unicodeScalars.append(s == "\t" ? "\t" : " ") }
        let lineEnd = file.lineEnd(loc.line)
        let spanEnd = Swift.min(range.end, lineEnd)
        let width = Swift.max(1, file.codePoints(from: range.start, to: spanEnd))
        let caret = "^" + String(repeating: "~", count: width - 1)
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

    /// Deep recursion repeats one line thousands of times: runs of a repeated line are
    /// shown once with a count, as Python's tracebacks do.
    static func collapse(_ lines: [String]) -> [String] {
        var out: [String] = []
        var k = 0
        while k < lines.count {
            var run = 1
            while k + run < lines.count && lines[k + run] == lines[k] { run += 1 }
            out.append(lines[k])
            if run > 1 { out.append("  ... the line above repeated \(run - 1) more time\(run == 2 ? "" : "s")") }
            k += run
        }
        return out
    }
}

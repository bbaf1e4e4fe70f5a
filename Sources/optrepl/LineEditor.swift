// The REPL's line editor: libedit (through CEditLine) with UTF-8 input, history kept in
// ~/.optrepl_history (or $OPTREPL_HISTORY) and written as each line is accepted, so a killed
// REPL loses nothing, Ctrl-R search, and Tab completion from `Completer`.

import CEditLine
#if canImport(Glibc)
import Glibc
#endif
import Runtime

final class LineEditor {
    enum Read {
        case line(String)
        /// Ctrl-C: the line (and any pending continuation) is dropped.
        case cancelled
        case end
    }

    private let editor: OpaquePointer
    private let completer: Completer
    private let color: Bool
    private var historyPath: String?
    private var historyWarned = false
    /// Tab pressed twice on the same text lists the candidates, as readline does.
    private var lastTab: [Unicode.Scalar]?

    init?(interpreter: Interpreter, color: Bool) {
        completer = Completer(interpreter: interpreter)
        self.color = color
        // The context pointer is filled in below, once `self` exists.
        guard let e = opt_editor_open("optrepl", LineEditor.completeCallback, nil) else { return nil }
        editor = e
        opt_editor_set_context(e, Unmanaged.passUnretained(self).toOpaque())
        historyPath = LineEditor.historyPath
        if let path = historyPath, opt_editor_history_load(e, path) != 0 {
            warn("cannot read the history file \(path); starting without it")
        }
    }

    deinit { opt_editor_close(editor) }

    /// `$OPTREPL_HISTORY`, else `~/.optrepl_history` (the recovery journal lives beside it).
    static var historyPath: String? {
        Terminal.environment("OPTREPL_HISTORY") ?? Terminal.environment("HOME").map { $0 + "/.optrepl_history" }
    }

    func read(continuation: Bool) -> Read {
        let text = continuation ? "...>" : "opt>"
        let prompt = color ? "\u{1}\u{1B}[\(continuation ? "2" : "1;32")m\u{1}\(text)\u{1}\u{1B}[0m\u{1} " : text + " "
        opt_editor_set_prompt(editor, prompt)
        var count: Int32 = 0, cancelled: Int32 = 0
        let wide = opt_editor_read(editor, &count, &cancelled)
        if cancelled != 0 {
            // libedit leaves the cursor on the cancelled line; mark it and move on.
            Streams.stdout.write("^C\n")
            Streams.stdout.flush()
            return .cancelled
        }
        guard let wide else { return .end }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while wide[i] != 0 {
            if let s = Unicode.Scalar(UInt32(bitPattern: wide[i])) { scalars.append(s) }
            i += 1
        }
        var line = String(scalars)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds an accepted line to the history and writes the file at once.
    func remember(_ line: String) {
        guard !line.allSatisfy({ $0 == " " || $0 == "\t" }) else { return }
        let status = LineEditor.wide(line).withUnsafeBufferPointer { opt_editor_history_add(editor, $0.baseAddress) }
        if status != 0, let path = historyPath { warn("cannot write the history file \(path); this session's history will not be kept") }
    }

    private func warn(_ message: String) {
        guard !historyWarned else { return }
        historyWarned = true
        Streams.stdout.flush()
        Streams.stderr.write("optrepl: \(message)\n")
        Streams.stderr.flush()
    }

    static func wide(_ s: String) -> [wchar_t] {
        s.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
    }

    private static let completeCallback: opt_complete_fn = { context, buffer, length in
        guard let context, let buffer else { return Int32(OPT_COMPLETE_BEEP) }
        let me = Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
        var before: [Unicode.Scalar] = []
        for i in 0..<Int(length) {
            if let s = Unicode.Scalar(UInt32(bitPattern: buffer[i])) { before.append(s) }
        }
        return me.tab(before)
    }

    private func tab(_ before: [Unicode.Scalar]) -> Int32 {
        let c = completer.complete(before)
        let repeated = lastTab == before
        lastTab = before
        if c.delete > 0 { opt_editor_delete_before(editor, Int32(c.delete)) }
        if !c.insert.isEmpty {
            lastTab = nil
            _ = LineEditor.wide(c.insert).withUnsafeBufferPointer { opt_editor_insert(editor, $0.baseAddress) }
            return Int32(OPT_COMPLETE_REFRESH)
        }
        guard !c.candidates.isEmpty else { return Int32(OPT_COMPLETE_BEEP) }
        guard repeated else { return Int32(OPT_COMPLETE_BEEP) }
        Streams.stdout.write("\n" + LineEditor.columns(c.candidates, width: Terminal.width()))
        Streams.stdout.flush()
        return Int32(OPT_COMPLETE_REDISPLAY)
    }

    /// Candidates in columns, filled down then across, as shells list them.
    static func columns(_ items: [String], width: Int) -> String {
        let cell = (items.map { $0.unicodeScalars.count }.max() ?? 0) + 2
        let perRow = Swift.max(1, width / cell)
        let rows = (items.count + perRow - 1) / perRow
        var out = ""
        for r in 0..<rows {
            var line = ""
            for c in 0..<perRow {
                let k = c * rows + r
                guard k < items.count else { break }
                let item = items[k]
                line += item + String(repeating: " ", count: cell - item.unicodeScalars.count)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}

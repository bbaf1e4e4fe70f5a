// The interactive loop: read an entry (asking the parser whether it is complete), run it,
// show its value, and never die on an error.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lexer
import Parser
import Runtime

final class REPL {
    let session: Session
    /// Every entry that ran, kept beside the history until the session ends normally.
    let journal = RecoveryJournal(historyPath: LineEditor.historyPath)
    /// Code entries read so far: the n-th is named `<repl:n>` in diagnostics, as IPython's In [n].
    private var entries = 0

    init(session: Session) { self.session = session }
    static let prompt = "opt> "
    static let continuationPrompt = "...> "

    func run() -> ExitStatus {
        Streams.stdout.lineBuffered = true
        Streams.stdout.write("optrepl 0.1.0 — :help for help, Ctrl-D or :quit to leave\n")
        Streams.stdout.flush()
        for line in RecoveryJournal.leftBehind(historyPath: LineEditor.historyPath) { Streams.stderr.write(line + "\n") }
        Streams.stderr.flush()
        defer { journal?.close() }
        let editor = LineEditor(interpreter: session.interpreter, color: session.colorPrompt)
        session.interpreter.channel.showsHints = true
        session.interpreter.channel.wroteFile = { path in
            var info = stat()
            let size = stat(path, &info) == 0 ? " (\(info.st_size) bytes)" : ""
            Streams.stdout.write("wrote \(path)\(size)\n")
        }
        while let entry = readEntry(editor) {
            // Rows wrap at the terminal's width as it is now (the window may have been resized).
            if Terminal.isTTY(1) { session.interpreter.host.lineWidth = Swift.max(20, Terminal.width()) }
            if let status = evaluate(entry) {
                Streams.stdout.flush()
                return status
            }
        }
        Streams.stdout.write("\n")
        return .success
    }

    /// What one read gives: a meta command line, or code with the parse that decided it was
    /// complete (each entry is parsed once).
    enum Entry {
        case meta(String)
        case code(SourceFile, ParseOutcome)
    }

    /// Lines read ahead of their entries (readAhead), to begin the next ones, in order.
    private var pending: [String] = []
    /// Input ended while reading ahead: the next read ends the session.
    private var ended = false
    /// Whether the last entry read ended with an `if` and no `else` (an `else` after it gets a hint).
    private var lastEndedWithIf = false

    /// Lines until the parser says the entry is complete (or failed); nil at end of input.
    /// Ctrl-C drops whatever was typed so far, continuation lines included.
    private func readEntry(_ editor: LineEditor?) -> Entry? {
        var text = ""
        while true {
            let line: String
            if !pending.isEmpty {
                // Read ahead after the entry before it ran: its prompt comes now, in its place.
                let l = pending.removeFirst()
                line = l
                if editor == nil { Streams.stdout.write(text.isEmpty ? REPL.prompt : REPL.continuationPrompt) }
            } else if ended {
                return text.isEmpty ? nil : code(text)
            } else if let editor {
                switch editor.read(continuation: !text.isEmpty) {
                case .line(let l): line = l
                case .cancelled:
                    text = ""
                    continue
                case .end:
                    if !text.isEmpty { editor.remember(text) }
                    return text.isEmpty ? nil : code(text)
                }
            } else {
                Streams.stdout.write(text.isEmpty ? REPL.prompt : REPL.continuationPrompt)
                Streams.stdout.flush()
                guard let l = readLine(strippingNewline: true) else { return text.isEmpty ? nil : code(text) }
                line = l
            }
            // A meta command is one line of its own, never parsed as code.
            if text.isEmpty, line.hasPrefix(":") || line.hasPrefix("?") {
                editor?.remember(line)
                return .meta(line)
            }
            text += text.isEmpty ? line : "\n" + line
            var entry = code(text)
            if case .code(_, .incomplete) = entry { continue }
            while case .code(_, let parsed) = entry, REPL.endsWithIfAlone(parsed), let next = readAhead(editor) {
                // Blank and comment lines between the `}` and the `else` are skipped, as a
                // script skips them.
                guard let last = next.last, REPL.startsWithElse(last) else {
                    pending += next
                    break
                }
                if editor == nil { for _ in next { Streams.stdout.write(REPL.continuationPrompt) } }
                text += "\n" + next.joined(separator: "\n")
                entry = code(text)
            }
            if case .code(_, .incomplete) = entry { continue }
            if case .code(_, let parsed) = entry { lastEndedWithIf = REPL.endsWithIfAlone(parsed) } else { lastEndedWithIf = false }
            // The whole entry is one history item: a 10-line fn comes back with one Up.
            editor?.remember(text)
            return entry
        }
    }

    /// The lines after an entry that ends with an `if` and no `else`, when they are there to
    /// read: blank and comment lines, then the first other one. A script skips them and the
    /// newline before `else` (spec §14.1), and so does a paste or a file fed to the REPL. At a
    /// terminal only lines already waiting are read (a paste's); one typed later finds the `if`
    /// run. Nil when none was there (input ended: `ended`).
    private func readAhead(_ editor: LineEditor?) -> [String]? {
        var lines: [String] = []
        while true {
            guard let line = readOneAhead(editor) else { return lines.isEmpty ? nil : lines }
            lines.append(line)
            let rest = line.drop { $0 == " " || $0 == "\t" }
            if !rest.isEmpty && !rest.hasPrefix("#") { return lines }
        }
    }

    /// One line of readAhead's: read on (a pipe or a file), or already waiting (a terminal).
    private func readOneAhead(_ editor: LineEditor?) -> String? {
        guard let editor else {
            guard let l = readLine(strippingNewline: true) else {
                ended = true
                return nil
            }
            return l
        }
        guard Terminal.inputPending() else { return nil }
        switch editor.read(continuation: true) {
        case .line(let l): return l
        case .cancelled: return nil
        case .end:
            ended = true
            return nil
        }
    }

    private static func endsWithIfAlone(_ parsed: ParseOutcome) -> Bool {
        guard case .complete(let program) = parsed, case .ifElse(_, nil)? = program.statements.last?.kind else { return false }
        return true
    }

    /// Whether a line begins with the keyword `else` (after spaces and tabs).
    private static func startsWithElse(_ line: String) -> Bool {
        let rest = line.drop { $0 == " " || $0 == "\t" }
        guard rest.hasPrefix("else") else { return false }
        let after = rest.dropFirst(4).first
        return after == nil || !(after!.isLetter || after!.isNumber || after! == "_")
    }

    private func code(_ text: String) -> Entry {
        let file = SourceFile(name: "<repl:\(entries + 1)>", text: text)
        var parsed = Parser.parse(file)
        if lastEndedWithIf, case .failed(var diagnostics) = parsed, REPL.startsWithElse(text),
           diagnostics.first?.message == "'else' without an 'if'" {
            // Typed after an `if` that already ran (a paste's `else` joins its `if`: readAhead).
            diagnostics[0].notes.append("hint: that 'if' ran when its line ended: in the REPL, write 'else' on the line of its closing '}'")
            parsed = .failed(diagnostics)
        }
        return .code(file, parsed)
    }

    /// Runs one entry; returns the exit status when it ends the session (`exit`, `:quit`).
    func evaluate(_ entry: Entry) -> ExitStatus? {
        switch entry {
        case .meta(let line):
            switch MetaCommands(session: session).run(line.trimmingCharactersSpaces) {
            case .output(let out):
                Streams.stdout.write(TextWrap.wrap(out, width: Swift.max(20, Terminal.width())))
                Streams.stdout.flush()
                return nil
            case .end(let status):
                return status
            }
        case .code(let file, let parsed):
            entries += 1
            let outcome = session.execute(file, mode: .entry, parsed: parsed)
            if case .completed = outcome {
                journal?.record(file.text)
                session.acceptedEntries.append(file.text)
            }
            return session.reportInteractive(outcome)
        }
    }
}

extension String {
    var trimmingCharactersSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" { s.removeLast() }
        return String(s)
    }
}

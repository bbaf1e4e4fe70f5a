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

    /// Lines until the parser says the entry is complete (or failed); nil at end of input.
    /// Ctrl-C drops whatever was typed so far, continuation lines included.
    private func readEntry(_ editor: LineEditor?) -> Entry? {
        var text = ""
        while true {
            let line: String
            if let editor {
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
            let entry = code(text)
            if case .code(_, .incomplete) = entry { continue }
            // The whole entry is one history item: a 10-line fn comes back with one Up.
            editor?.remember(text)
            return entry
        }
    }

    private func code(_ text: String) -> Entry {
        let file = SourceFile(name: "<repl:\(entries + 1)>", text: text)
        return .code(file, Parser.parse(file))
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

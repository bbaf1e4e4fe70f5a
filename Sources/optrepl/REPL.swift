// The interactive loop: read an entry (asking the parser whether it is complete), run it,
// show its value, and never die on an error.

import Lexer
import Parser
import Runtime

struct REPL {
    let session: Session
    static let prompt = "opt> "
    static let continuationPrompt = "...> "

    func run() -> ExitStatus {
        Streams.stdout.lineBuffered = true
        Streams.stdout.write("optrepl 0.1.0 — :help for help, Ctrl-D or :quit to leave\n")
        Streams.stdout.flush()
        let editor = LineEditor(interpreter: session.interpreter, color: session.colorPrompt)
        session.interpreter.showsHints = true
        while let entry = readEntry(editor) {
            evaluate(entry)
        }
        Streams.stdout.write("\n")
        return .success
    }

    /// Lines until the parser says the entry is complete (or failed); nil at end of input.
    /// Ctrl-C drops whatever was typed so far, continuation lines included.
    private func readEntry(_ editor: LineEditor?) -> String? {
        var text = ""
        while true {
            let line: String
            if let editor {
                switch editor.read(continuation: !text.isEmpty) {
                case .line(let l): line = l
                case .cancelled:
                    text = ""
                    continue
                case .end: return text.isEmpty ? nil : text
                }
                editor.remember(line)
            } else {
                Streams.stdout.write(text.isEmpty ? REPL.prompt : REPL.continuationPrompt)
                Streams.stdout.flush()
                guard let l = readLine(strippingNewline: true) else { return text.isEmpty ? nil : text }
                line = l
            }
            // A meta command is one line of its own, never parsed as code.
            if text.isEmpty, line.hasPrefix(":") || line.hasPrefix("?") { return line }
            text += text.isEmpty ? line : "\n" + line
            if case .incomplete = Parser.parse(SourceFile(name: "<repl>", text: text)) { continue }
            return text
        }
    }

    func evaluate(_ text: String) {
        let trimmed = text.trimmingCharactersSpaces
        if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") {
            guard let out = MetaCommands(session: session).run(trimmed) else { Streams.stdout.flush(); exitProcess(0) }
            Streams.stdout.write(out)
            Streams.stdout.flush()
            return
        }
        let file = SourceFile(name: "<repl>", text: text)
        switch Parser.parse(file) {
        case .complete(let program):
            interruptRequest.store(0, ordering: .relaxed)
            session.interpreter.partialResult = nil
            do {
                try session.interpreter.run(program) { value in
                    Streams.stdout.write(session.interpreter.displayText(value) + "\n")
                }
            } catch {
                switch error.kind {
                case .exit(let code): Streams.stdout.flush(); exitProcess(code)
                case .interrupted:
                    Streams.stdout.flush()
                    if let partial = session.interpreter.partialResult {
                        session.interpreter.defineGlobal("ans", partial)
                        Streams.stderr.write("interrupted (the run so far is in ans)\n")
                    } else {
                        Streams.stderr.write("interrupted\n")
                    }
                case .error, .timeout:
                    session.report(error.diagnostic)
                }
            }
        case .incomplete(let d):
            session.report(d)
        case .failed(let ds):
            if let first = ds.first { session.report(first) }
        }
        Streams.stdout.flush()
        Streams.stderr.flush()
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

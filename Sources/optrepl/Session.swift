// A session: one interpreter and the one pipeline every front end goes through. Scripts, `-e`,
// stdin, REPL entries, `:load`, `:time` and exercises all call `execute`, which parses (unless
// the caller already has the parse, as the REPL does), runs, and says how it went as an
// `Outcome`; each front end maps that to its own policy in one switch.

import Lexer
import Parser
import Runtime

/// How one unit of source ended.
enum Outcome {
    case completed
    /// The parser failed; every diagnostic it gave, in source order.
    case syntax([Diagnostic])
    /// Input ended inside an open construct (a script reports it; the REPL reads on).
    case incomplete(Diagnostic)
    case runtime(Diagnostic)
    /// `--max-seconds` (or an exercise's time limit) ran out.
    case timeout(Diagnostic)
    /// Ctrl-C; what a long built-in had computed when it stopped, if anything.
    case interrupted(partial: Value?)
    /// `exit(code)`: ends the session with that status wherever it was called from.
    case exit(Int32)
}

/// Whether statement values are shown.
enum ExecutionMode {
    /// A script, `-e`, stdin, `:load`, `:time`, an exercise: values are not shown.
    case script
    /// A REPL entry: each statement's value not silenced by `;` is shown and kept in `ans`.
    case entry
}

final class Session {
    let interpreter: Interpreter
    let renderer: DiagnosticRenderer
    /// Whether the REPL's prompt may be coloured (stdout a terminal, colour allowed).
    let colorPrompt: Bool
    /// The REPL entries that ran to completion, in order (`:save` writes them as a script).
    var acceptedEntries: [String] = []
    /// How an entry's shown values are shown; nil writes the REPL's text to stdout. The Jupyter
    /// kernel sets it to send them as execute_result messages.
    var show: ((Value) -> Void)?
    /// Where diagnostics and notes go; nil is stderr. The kernel sends them as stderr streams
    /// (what `:load` and `:time` report in a cell).
    var errorSink: ((String) -> Void)?

    /// A session on the terminal: output to stdout, plots sized to it, a progress bar on stderr.
    init(options: RunOptions) {
        interpreter = Interpreter(output: { Streams.stdout.write($0) })
        renderer = DiagnosticRenderer(color: Terminal.colorAllowed(fd: 2, noColorFlag: options.noColor),
                                      width: Terminal.isTTY(2) ? { Swift.max(20, Terminal.width()) } : nil)
        colorPrompt = Terminal.colorAllowed(fd: 1, noColorFlag: options.noColor)
        apply(options)
        interpreter.host.plotWidth = Terminal.isTTY(1) ? Terminal.width() : Terminal.environment("COLUMNS").flatMap { Int($0) }.map { Swift.max(20, $0) } ?? 80
        interpreter.host.plotColor = colorPrompt
        if Terminal.isTTY(1) { interpreter.host.terminalSize = { Terminal.size() } }
        if Terminal.isTTY(1) { interpreter.host.lineWidth = Swift.max(20, Terminal.width()) }
        if Terminal.isTTY(2) {
            let bar = ProgressBar()
            interpreter.channel.progress = { bar.update($0, $1, $2) }
        }
    }

    /// A session whose program output goes to `output` (the Jupyter kernel): no terminal, no
    /// colour, no progress bar.
    init(options: RunOptions, output: @escaping (String) -> Void) {
        interpreter = Interpreter(output: output)
        renderer = DiagnosticRenderer(color: false)
        colorPrompt = false
        apply(options)
    }

    /// A quiet session (exercises): program output is dropped, nothing is drawn.
    init(quiet options: RunOptions) {
        interpreter = Interpreter(output: { _ in })
        renderer = DiagnosticRenderer(color: false)
        colorPrompt = false
        apply(options)
    }

    private func apply(_ options: RunOptions) {
        interpreter.maxElements = options.maxElements
        interpreter.host.sandbox = options.sandbox
        if let seed = options.seed { interpreter.host.random = LegacyRandom(seed: seed) }
    }

    /// Parses `file` (or takes the caller's parse of it) and runs it.
    /// `expression` run as an entry whose shown value is caught rather than shown, `ans` left as
    /// it was: the kernel's user_expressions and `:explain torch.adam(lr: 0.1)`.
    func catchingValue(of expression: String, name: String) -> (Outcome, Value?) {
        let savedShow = show, savedAns = interpreter.global("ans")
        defer {
            show = savedShow
            interpreter.restoreGlobal("ans", savedAns)
        }
        var caught: Value?
        show = { caught = $0 }
        let outcome = execute(SourceFile(name: name, text: expression), mode: .entry)
        return (outcome, caught)
    }

    func execute(_ file: SourceFile, mode: ExecutionMode, parsed: ParseOutcome? = nil) -> Outcome {
        switch parsed ?? Parser.parse(file) {
        case .complete(let program): return execute(program, mode: mode)
        case .incomplete(let d): return .incomplete(d)
        case .failed(let ds): return .syntax(ds)
        }
    }

    /// Runs a parsed program. On any ending, variables keep what they had.
    func execute(_ program: Program, mode: ExecutionMode) -> Outcome {
        defer { Streams.stdout.flush() }
        let display: ((Value) -> Void)?
        switch mode {
        case .script:
            display = nil
        case .entry:
            // A Ctrl-C typed at the prompt is not meant for this entry.
            interruptRequest.store(0, ordering: .relaxed)
            let I = interpreter
            display = show ?? { Streams.stdout.write(I.displayText($0) + "\n") }
        }
        interpreter.channel.partialResult = nil
        do {
            try interpreter.run(program, display: display)
            return .completed
        } catch {
            switch error.kind {
            case .exit(let code): return .exit(code)
            case .interrupted: return .interrupted(partial: interpreter.channel.partialResult)
            case .timeout: return .timeout(error.diagnostic)
            case .error: return .runtime(error.diagnostic)
            }
        }
    }

    func report(_ d: Diagnostic) {
        writeError(renderer.render(d))
    }

    private func writeError(_ text: String) {
        if let errorSink { return errorSink(text) }
        Streams.stdout.flush()
        Streams.stderr.write(text)
        Streams.stderr.flush()
    }

    /// A script's policy: report what went wrong and say how the process ends. Nothing runs
    /// after it (`-i` runs its file through `execute`, then the REPL), so no variable is read
    /// after an error (HostSettings.errorsEndTheRun).
    func runScript(_ file: SourceFile) -> ExitStatus {
        interpreter.host.errorsEndTheRun = true
        return scriptStatus(execute(file, mode: .script))
    }

    func scriptStatus(_ outcome: Outcome) -> ExitStatus {
        switch outcome {
        case .completed:
            return .success
        case .syntax(let ds):
            ds.forEach(report)
            return .syntaxError
        case .incomplete(let d):
            report(d)
            return .syntaxError
        case .runtime(let d), .timeout(let d):
            report(d)
            return .runtimeError
        case .interrupted:
            Streams.stderr.write("interrupted\n")
            Streams.stderr.flush()
            return .interrupted
        case .exit(let code):
            return ExitStatus(code: code)
        }
    }

    /// The REPL's policy (entries, `:load`, `:time`): report and go on; an interrupted driver
    /// leaves what it had done in `ans`. Returns the exit status when the code called `exit`,
    /// which ends the session as it would end a script.
    func reportInteractive(_ outcome: Outcome) -> ExitStatus? {
        switch outcome {
        case .completed:
            break
        case .syntax(let ds):
            ds.forEach(report)
        case .incomplete(let d), .runtime(let d), .timeout(let d):
            report(d)
        case .interrupted(let partial):
            Streams.stdout.flush()
            // The terminal echoed ^C where the cursor was: the note starts a line of its own.
            let start = Terminal.isTTY(2) ? "\n" : ""
            if let partial {
                interpreter.defineGlobal("ans", partial)
                writeError(start + "interrupted (the run so far is in ans)\n")
            } else {
                writeError(start + "interrupted\n")
            }
        case .exit(let code):
            return ExitStatus(code: code)
        }
        Streams.stdout.flush()
        Streams.stderr.flush()
        return nil
    }
}

/// The options every way of running shares.
struct RunOptions {
    var noColor = false
    var sandbox = false
    var seed: UInt32?
    var maxElements = TensorLimits.defaultMaxElements
    var maxSeconds: Double?
}

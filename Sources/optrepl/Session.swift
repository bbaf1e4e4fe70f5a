// A session: one interpreter with its output wired to stdout, and the steps every front end
// shares: parse a unit, run it, render what went wrong, map it to an exit status.

import Lexer
import Parser
import Runtime

final class Session {
    let interpreter: Interpreter
    let renderer: DiagnosticRenderer
    /// Whether the REPL's prompt may be coloured (stdout a terminal, colour allowed).
    let colorPrompt: Bool

    init(options: RunOptions) {
        interpreter = Interpreter(output: { Streams.stdout.write($0) })
        interpreter.maxElements = options.maxElements
        interpreter.sandbox = options.sandbox
        if let seed = options.seed { interpreter.random = LegacyRandom(seed: seed) }
        renderer = DiagnosticRenderer(color: Terminal.colorAllowed(fd: 2, noColorFlag: options.noColor))
        colorPrompt = Terminal.colorAllowed(fd: 1, noColorFlag: options.noColor)
        interpreter.plotWidth = Terminal.isTTY(1) ? Terminal.width() : Terminal.environment("COLUMNS").flatMap { Int($0) }.map { Swift.max(20, $0) } ?? 80
        interpreter.plotColor = colorPrompt
        if Terminal.isTTY(2) {
            let bar = ProgressBar()
            interpreter.progress = { bar.update($0, $1, $2) }
        }
    }

    func report(_ d: Diagnostic) {
        Streams.stdout.flush()
        Streams.stderr.write(renderer.render(d))
        Streams.stderr.flush()
    }

    /// Parses and runs a whole script; returns the exit status.
    func runScript(_ file: SourceFile) -> ExitStatus {
        let program: Program
        switch Parser.parse(file) {
        case .complete(let p): program = p
        case .incomplete(let d):
            report(d)
            return .syntaxError
        case .failed(let ds):
            ds.forEach(report)
            return .syntaxError
        }
        defer { Streams.stdout.flush() }
        do {
            try interpreter.run(program)
            return .success
        } catch {
            return status(of: error)
        }
    }

    /// Reports a runtime error (nothing for `exit`) and says how the script ends.
    func status(of error: RuntimeError) -> ExitStatus {
        switch error.kind {
        case .exit(let code):
            Streams.stdout.flush()
            return ExitStatus(code: code)
        case .interrupted:
            Streams.stdout.flush()
            Streams.stderr.write("interrupted\n")
            Streams.stderr.flush()
            return .interrupted
        case .timeout, .error:
            report(error.diagnostic)
            return .runtimeError
        }
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

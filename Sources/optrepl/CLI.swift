// The command line (spec §2), declared with swift-argument-parser.

import ArgumentParser
import Lexer
import Runtime

struct Optrepl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optrepl",
        abstract: "A small language and REPL for exploring the optimizers of deep learning.",
        version: "optrepl 0.1.0",
        subcommands: [Run.self, Check.self, Exercises.self],
        defaultSubcommand: Run.self
    )
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a script, code given with -e, stdin, or the REPL (the default).")

    @Flag(name: .customLong("no-color"), help: "Never write ANSI colour escapes (also with NO_COLOR or a pipe).")
    var noColor = false

    @Flag(help: "Disable every built-in that reads or writes files.")
    var sandbox = false

    @Option(help: ArgumentHelp("Seed the random numbers before the program starts.", valueName: "n"))
    var seed: UInt32?

    @Option(name: .customLong("max-elements"),
            help: ArgumentHelp("Refuse tensors with more elements than this.", valueName: "n"))
    var maxElements: Int = TensorLimits.defaultMaxElements

    @Option(name: .customLong("max-seconds"),
            help: ArgumentHelp("Stop a script after this many seconds (exit 70).", valueName: "s"))
    var maxSeconds: Double?

    @Option(name: .customShort("e"), help: ArgumentHelp("Run CODE as a script.", valueName: "code"))
    var code: String?

    @Argument(parsing: .captureForPassthrough,
              help: ArgumentHelp("The script to run ('-' for stdin) and the arguments it sees as argv.",
                                 valueName: "file-and-args"))
    var arguments: [String] = []

    func validate() throws {
        guard maxElements >= 0 else { throw ValidationError("--max-elements must be at least 0") }
        if let s = maxSeconds, !(s > 0) { throw ValidationError("--max-seconds must be a positive number") }
    }

    func run() throws {
        let options = RunOptions(noColor: noColor, sandbox: sandbox, seed: seed,
                                 maxElements: maxElements, maxSeconds: maxSeconds)
        let status = Launcher(options: options).launch(code: code, arguments: arguments)
        Streams.stdout.flush()
        Streams.stderr.flush()
        if status != .success { throw ExitCode(status.rawValue) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run exercise files and report each as PASS or FAIL.")

    @Argument(help: "The exercise files.")
    var files: [String] = []

    func run() throws {
        Streams.stderr.write("optrepl check: not built yet\n")
        Streams.stderr.flush()
        throw ExitCode(ExitStatus.usage.rawValue)
    }
}

struct Exercises: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the exercises with a status mark each, and the next one to do.")

    @Argument(help: "The exercise folder (default ./exercises).")
    var directory: String?

    func run() throws {
        Streams.stderr.write("optrepl exercises: not built yet\n")
        Streams.stderr.flush()
        throw ExitCode(ExitStatus.usage.rawValue)
    }
}

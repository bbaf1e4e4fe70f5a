// The command line (spec §2), declared with swift-argument-parser.

import ArgumentParser
import Lexer
import Runtime

/// `optrepl [options] [FILE [ARGS...]]`, `-e CODE`, `-`, and the two subcommand words
/// `check` and `exercises`, which win over a file of that name (`./check` runs the file).
struct Optrepl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optrepl",
        abstract: "A small language and REPL for exploring the optimizers of deep learning.",
        usage: "optrepl [<options>] [-e <code>] [-i] [<file>] [<args> ...]",
        discussion: """
        With no file, optrepl starts the REPL when stdin is a terminal and otherwise runs the \
        program read from stdin ('-' reads stdin too). The args are the tuple argv of strings.

        optrepl check <file> ...   run exercises and report PASS or FAIL for each
        optrepl exercises [<dir>]  list the exercises and the next one to do
        optrepl hint <name>        print an exercise's hints
        optrepl kernel <file>      run a Jupyter kernel from its connection file
        optrepl kernel install     install its kernelspec ([--user] [--prefix P])

        Exit codes: 0 success, 64 usage, 65 syntax error, 66 input missing, 70 runtime error, \
        74 output closed, 130 interrupted.
        """,
        version: "optrepl 0.1.0"
    )

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

    @Option(name: .customShort("e"), parsing: .unconditional, help: ArgumentHelp("Run <code> as a script.", valueName: "code"))
    var code: String?

    @Flag(name: .customShort("i"), help: "Run the file, then start the REPL with its variables (as python -i).")
    var interactive = false

    /// Prints docs/reference.md (generated from the built-in table; `make docs`).
    @Flag(name: .customLong("reference"), help: .hidden)
    var reference = false

    @Argument(parsing: .captureForPassthrough,
              help: ArgumentHelp("The script to run ('-' for stdin) and the arguments it sees as argv.",
                                 valueName: "file-and-args"))
    var arguments: [String] = []

    func validate() throws {
        guard maxElements >= 0 else { throw ValidationError("--max-elements must be at least 0") }
        if let s = maxSeconds, !(s > 0) { throw ValidationError("--max-seconds must be a positive number") }
        // Options come before FILE; the passthrough capture starts at the first word it does
        // not know, so help, version and unknown options are told apart here.
        if code == nil, let first = arguments.first, first.hasPrefix("-"), first != "-" {
            if first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
            if first == "--version" { throw CleanExit.message(Optrepl.configuration.version) }
            throw ValidationError("unknown option '\(first)'")
        }
    }

    func run() throws {
        if reference {
            Streams.stdout.write(Builtins.referenceMarkdown())
            Streams.stdout.flush()
            return
        }
        if code == nil, arguments.first == "kernel" {
            // The Jupyter kernel (Kernel/): `kernel CONNECTION_FILE` or `kernel install ...`.
            let rest = Array(arguments.dropFirst())
            // Options before the word apply to the kernel's session (`optrepl --sandbox kernel F`).
            let options = RunOptions(noColor: true, sandbox: sandbox, seed: seed, maxElements: maxElements, maxSeconds: nil)
            let status = rest.first == "install" ? KernelInstall.main(Array(rest.dropFirst())) : Kernel.main(rest, options: options)
            Streams.stdout.flush()
            Streams.stderr.flush()
            if status != .success { throw ExitCode(status.code) }
            return
        }
        if code == nil, let word = arguments.first, word == "check" || word == "exercises" || word == "hint" {
            let rest = Array(arguments.dropFirst())
            switch word {
            case "check": Check.main(rest)
            case "hint": Hint.main(rest)
            default: Exercises.main(rest)
            }
            return
        }
        let options = RunOptions(noColor: noColor, sandbox: sandbox, seed: seed,
                                 maxElements: maxElements, maxSeconds: maxSeconds)
        let status = Launcher(options: options).launch(code: code, arguments: arguments, interactive: interactive)
        Streams.stdout.flush()
        Streams.stderr.flush()
        if status != .success { throw ExitCode(status.code) }
    }
}

extension Optrepl {
    /// The command lines most runs are, `optrepl FILE [ARGS ...]` and `optrepl -e CODE`, run
    /// without the argument parser: its parse reflects over this command's properties, which
    /// was a quarter of start-up (0.8 of 2.8 ms). What it makes of those lines is run() with
    /// every option at its default (RunOptions()), so that is what runs; a line with an option,
    /// a word the command takes itself (kernel, check, ...) or stdin goes to the parser. nil
    /// when it does.
    static func plainRun(_ words: [String]) -> ExitStatus? {
        let code: String?, arguments: [String]
        if words.count == 2, words[0] == "-e" {
            (code, arguments) = (words[1], [])
        } else if let first = words.first, !first.hasPrefix("-"), !["kernel", "check", "exercises", "hint"].contains(first) {
            (code, arguments) = (nil, words)
        } else {
            return nil
        }
        let status = Launcher(options: RunOptions()).launch(code: code, arguments: arguments, interactive: false)
        Streams.stdout.flush()
        Streams.stderr.flush()
        return status
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optrepl check",
        abstract: "Run exercise files and report each as PASS or FAIL.")

    @Argument(help: "The exercise files.")
    var files: [String] = []

    /// Exit 0 when every file passes, 1 when one fails, 66 when one is missing.
    func run() throws {
        guard !files.isEmpty else { throw ValidationError("give the exercise files to check") }
        var status = ExitStatus.success
        for path in files {
            let outcome = ExerciseRunner.run(path)
            switch outcome.status {
            case .pass: Streams.stdout.write(outcome.report)
            case .fail, .unfinished:
                Streams.stdout.write(outcome.report)
                if status == .success { status = ExitStatus(code: 1) }
            case .missing(let why):
                Streams.stderr.write("optrepl check: \(why)\n")
                status = .noInput
            }
            Streams.stdout.flush()
        }
        Streams.stderr.flush()
        if status != .success { throw ExitCode(status.code) }
    }
}

struct Hint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optrepl hint",
        abstract: "Print an exercise's hints (kept out of the file you edit).")

    @Argument(help: "The exercise: its name (01_ewa, looked up in ./exercises, then here) or its file.")
    var exercise: String

    func run() throws {
        // A name is looked for in ./exercises, then in the current folder (a copy of the
        // exercises the student works in).
        let candidates = exercise.hasSuffix(".opt") || exercise.contains("/")
            ? [exercise] : ["exercises/\(exercise).opt", "\(exercise).opt"]
        guard let (path, text) = candidates.lazy.compactMap({ p -> (String, String)? in
            if case .success(let text) = SourceInput.readFile(p) { return (p, text) }
            return nil
        }).first else {
            Streams.stderr.write("optrepl hint: no exercise '\(exercise)' (looked for \(candidates.joined(separator: " and "))); "
                                 + "give its file: optrepl hint DIR/\(exercise).opt\n")
            Streams.stderr.flush()
            throw ExitCode(ExitStatus.noInput.code)
        }
        let (hints, _) = ExerciseRunner.hints(of: path, text: text)
        Streams.stdout.write(hints.isEmpty ? "no hints for \(ExerciseRunner.name(of: path))\n" : hints.map { "hint: \($0)\n" }.joined())
        Streams.stdout.flush()
    }
}

struct Exercises: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optrepl exercises",
        abstract: "List the exercises with a status mark each, and the next one to do.")

    @Argument(help: "The exercise folder (default ./exercises).")
    var directory: String?

    @Flag(help: "Re-check the current exercise whenever its file is saved, and move on when it passes.")
    var watch = false

    func run() throws {
        let dir = directory ?? "exercises"
        if watch {
            guard let names = SourceInput.listDirectory(dir) else {
                Streams.stderr.write("optrepl exercises: cannot open the folder '\(dir)'\n")
                Streams.stderr.flush()
                throw ExitCode(ExitStatus.noInput.code)
            }
            ExerciseWatch(directory: dir, files: names.filter { $0.hasSuffix(".opt") }.sorted()).run()
            return
        }
        guard let names = SourceInput.listDirectory(dir) else {
            Streams.stderr.write("optrepl exercises: cannot open the folder '\(dir)'\n")
            Streams.stderr.flush()
            throw ExitCode(ExitStatus.noInput.code)
        }
        let files = names.filter { $0.hasSuffix(".opt") }.sorted()
        guard !files.isEmpty else {
            Streams.stdout.write("no exercises in \(dir)/\n")
            Streams.stdout.flush()
            return
        }
        var next: String?
        var passed = 0
        let width = files.map { ExerciseRunner.name(of: $0).count }.max() ?? 0
        Streams.stdout.write("exercises in \(dir)/:\n")
        for file in files {
            let outcome = ExerciseRunner.run(dir + "/" + file, counting: false)
            let padded = outcome.name + String(repeating: " ", count: width - outcome.name.count)
            switch outcome.status {
            case .pass:
                passed += 1
                Streams.stdout.write("  ✓ \(outcome.name)\n")
            case .fail(let why):
                Streams.stdout.write("  ✗ \(padded)  \(why)\n")
            case .unfinished:
                Streams.stdout.write("  · \(padded)  to do\n")
            case .missing(let why):
                Streams.stdout.write("  ✗ \(padded)  \(why)\n")
            }
            if outcome.status != .pass, next == nil { next = file }
            Streams.stdout.flush()
        }
        if let next {
            Streams.stdout.write("\(passed) of \(files.count) done; next: \(ExerciseRunner.name(of: next)) (optrepl check \(dir)/\(next))\n")
        } else {
            Streams.stdout.write("all \(files.count) exercises pass\n")
        }
        Streams.stdout.flush()
    }
}

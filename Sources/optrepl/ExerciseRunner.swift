// Exercises (spec §12, §14.8): run one file quietly (its own output suppressed, sandboxed,
// with a time limit) and say whether it passes, where it fails, or that it still holds TODO.

import Lexer
import Parser
import Runtime

struct ExerciseOutcome {
    enum Status: Equatable {
        case pass
        /// The first failing check or error: "line N: expected X, got Y".
        case fail(String)
        /// The identifier TODO is still there (outside comments and strings).
        case unfinished(line: Int)
        case missing(String)
    }

    let name: String
    let status: Status
    /// The file's `# hint:` lines, shown on failure.
    let hints: [String]

    /// `PASS name`, or `FAIL name: why` and the hints.
    var report: String {
        switch status {
        case .pass: return "PASS \(name)\n"
        case .fail(let why): return "FAIL \(name): \(why)\n" + hintLines
        case .unfinished(let line): return "FAIL \(name): not finished: replace the TODO at line \(line)\n" + hintLines
        case .missing(let why): return "FAIL \(name): \(why)\n"
        }
    }

    private var hintLines: String { hints.map { "  hint: \($0)\n" }.joined() }
}

enum ExerciseRunner {
    static let timeLimit = 10.0

    static func name(of path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".opt") ? String(file.dropLast(4)) : file
    }

    static func run(_ path: String) -> ExerciseOutcome {
        let name = name(of: path)
        let text: String
        switch SourceInput.readFile(path) {
        case .success(let t): text = t
        case .failure(.cannotOpen(let why)): return ExerciseOutcome(name: name, status: .missing("cannot open '\(path)': \(why)"), hints: [])
        }
        let file = SourceFile(name: path, text: text)
        let hints = text.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.firstRange(of: "# hint:") else { return nil }
            return line[r.upperBound...].trimmingCharacters(in: " ")
        }
        for token in Lexer.tokenize(file) {
            if case .identifier("TODO") = token.kind {
                return ExerciseOutcome(name: name, status: .unfinished(line: file.location(of: token.range.start).line), hints: hints)
            }
        }
        var options = RunOptions()
        options.sandbox = true
        let session = Session(quiet: options)
        Watchdog.cancel()
        Watchdog.start(seconds: timeLimit)
        defer { Watchdog.cancel() }
        let status: ExerciseOutcome.Status
        switch session.execute(file, mode: .script) {
        case .completed: status = .pass
        case .syntax(let ds): status = .fail(describe(ds[0], file))
        case .incomplete(let d): status = .fail(describe(d, file))
        case .runtime(let d): status = .fail(describe(d, file))
        case .timeout: status = .fail("still running after \(Int(timeLimit)) s (an endless loop?)")
        case .interrupted: status = .fail("interrupted")
        case .exit(let code): status = code == 0 ? .pass : .fail("exit(\(code))")
        }
        return ExerciseOutcome(name: name, status: status, hints: hints)
    }

    /// "line N: message", the line where the error happened in the exercise itself.
    static func describe(_ d: Diagnostic, _ file: SourceFile) -> String {
        guard let f = d.file ?? Optional(file) else { return d.message }
        return "line \(f.location(of: d.range.start).line): \(d.message)"
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var s = self
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}

// Exercises (spec §12, §14.8): run one file quietly (its own output suppressed, sandboxed,
// with a time limit) and say whether it passes, where it fails, or that it still holds TODO.

#if canImport(Glibc)
import Glibc
#endif
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
    /// The hints shown with this failure: none until the second failed check of a shipped
    /// exercise (whose hints live apart, in hints/NAME.txt), at once for `# hint:` lines.
    var hints: [String] = []
    /// The exercise has hints kept apart that this report does not show yet.
    var hintsHeldBack = false

    /// `PASS name`, or `FAIL name: why` and the hints.
    var report: String {
        switch status {
        case .pass: return "PASS \(name)\n"
        case .fail(let why): return "FAIL \(name): \(why)\n" + hintLines
        case .unfinished(let line): return "FAIL \(name): not finished: replace the TODO at line \(line)\n" + hintLines
        case .missing(let why): return "FAIL \(name): \(why)\n"
        }
    }

    private var hintLines: String {
        hints.map { "  hint: \($0)\n" }.joined() + (hintsHeldBack ? "  (optrepl hint \(name) shows a hint)\n" : "")
    }
}

enum ExerciseRunner {
    static let timeLimit = 10.0

    static func name(of path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".opt") ? String(file.dropLast(4)) : file
    }

    /// `counting`: a check counts toward showing the hints; the `exercises` listing does not.
    static func run(_ path: String, counting: Bool = true) -> ExerciseOutcome {
        let name = name(of: path)
        let text: String
        switch SourceInput.readFile(path) {
        case .success(let t): text = t
        case .failure(.cannotOpen(let why)): return ExerciseOutcome(name: name, status: .missing("cannot open '\(path)': \(why)"))
        }
        let outcome = check(path, name, text)
        return counting ? withHints(outcome, path: path, text: text) : outcome
    }

    /// The hints of an exercise: `DIR/hints/NAME.txt` beside it (kept out of the file the
    /// learner edits), else its own `# hint:` lines; and whether they are kept apart.
    static func hints(of path: String, text: String) -> (hints: [String], apart: Bool) {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        if case .success(let kept) = SourceInput.readFile(dir + "/hints/" + name(of: path) + ".txt") {
            return (kept.split(separator: "\n").map(String.init).filter { !$0.isEmpty }, true)
        }
        let inline = text.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.firstRange(of: "# hint:") else { return nil }
            return line[r.upperBound...].trimmingCharacters(in: " ")
        }
        return (inline, false)
    }

    /// A failure shows hints kept apart only from the second failed check of the same file
    /// (rustlings' way: try first); a pass forgets the count.
    private static func withHints(_ outcome: ExerciseOutcome, path: String, text: String) -> ExerciseOutcome {
        var o = outcome
        let (hints, apart) = hints(of: path, text: text)
        switch o.status {
        case .pass:
            ExerciseProgress.forget(path)
        case .fail, .unfinished:
            guard apart else {
                o.hints = hints
                return o
            }
            if ExerciseProgress.failed(path) >= 2 { o.hints = hints } else { o.hintsHeldBack = !hints.isEmpty }
        case .missing:
            break
        }
        return o
    }

    private static func check(_ path: String, _ name: String, _ text: String) -> ExerciseOutcome {
        let file = SourceFile(name: path, text: text)
        for token in Lexer.tokenize(file) {
            if case .identifier("TODO") = token.kind {
                return ExerciseOutcome(name: name, status: .unfinished(line: file.location(of: token.range.start).line))
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
        return ExerciseOutcome(name: name, status: status)
    }

    /// "line N: message", the line where the error happened in the exercise itself.
    static func describe(_ d: Diagnostic, _ file: SourceFile) -> String {
        guard let f = d.file ?? Optional(file) else { return d.message }
        let loops = d.loopValues.isEmpty ? "" : " (" + d.loopValues.joined(separator: ", ") + ")"
        return "line \(f.location(of: d.range.start).line)\(loops): \(d.message)"
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

/// How many times in a row each exercise failed its check: `$OPTREPL_PROGRESS`, else
/// `~/.optrepl_exercises`, lines of `COUNT<TAB>ABSOLUTE PATH`. Best effort: a file that cannot
/// be read or written only means hints come later.
enum ExerciseProgress {
    static var path: String? {
        Terminal.environment("OPTREPL_PROGRESS") ?? Terminal.environment("HOME").map { $0 + "/.optrepl_exercises" }
    }

    private static func key(_ exercise: String) -> String {
        if exercise.hasPrefix("/") { return exercise }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return exercise }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return cwd + "/" + exercise
    }

    private static func load() -> [String: Int] {
        guard let path, case .success(let text) = SourceInput.readFile(path) else { return [:] }
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2, let n = Int(parts[0]) { counts[String(parts[1])] = n }
        }
        return counts
    }

    private static func save(_ counts: [String: Int]) {
        guard let path else { return }
        let text = counts.keys.sorted().map { "\(counts[$0]!)\t\($0)\n" }.joined()
        try? FileIO.write(path, Array(text.utf8))
    }

    /// Counts one more failure; returns the count.
    static func failed(_ exercise: String) -> Int {
        var counts = load()
        let k = key(exercise)
        counts[k, default: 0] += 1
        save(counts)
        return counts[k]!
    }

    static func forget(_ exercise: String) {
        var counts = load()
        if counts.removeValue(forKey: key(exercise)) != nil { save(counts) }
    }
}

/// `optrepl exercises --watch` (rustlings' watch mode): checks the first exercise that does not
/// pass, then checks it again each time its file is saved (its modification time changes), and
/// moves on to the next when it passes. Ctrl-C leaves.
struct ExerciseWatch {
    let directory: String
    let files: [String]

    private static func modified(_ path: String) -> timespec? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return st.st_mtim
    }

    func run() {
        var index = 0
        func say(_ text: String) {
            Streams.stdout.write(text)
            Streams.stdout.flush()
        }
        // Skip what already passes (a listing does not count toward the hints).
        while index < files.count, ExerciseRunner.run(directory + "/" + files[index], counting: false).status == .pass { index += 1 }
        while index < files.count {
            let path = directory + "/" + files[index]
            say("watching \(path) (Ctrl-C to leave)\n")
            var outcome = ExerciseRunner.run(path)
            say(outcome.report)
            var seen = ExerciseWatch.modified(path)
            while outcome.status != .pass {
                usleep(200_000)
                if interruptRequest.exchange(0, ordering: .relaxed) != 0 { return }
                let now = ExerciseWatch.modified(path)
                guard now?.tv_sec != seen?.tv_sec || now?.tv_nsec != seen?.tv_nsec else { continue }
                seen = now
                outcome = ExerciseRunner.run(path)
                say(outcome.report)
            }
            index += 1
        }
        say("all \(files.count) exercises pass\n")
    }
}

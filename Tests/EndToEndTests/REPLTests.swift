// The REPL driven as a person would: the real binary in a detached tmux session, keys sent
// with send-keys, the screen read with capture-pane. Runs in CI too (tmux needs no terminal).

import Foundation
import XCTest
import TestSupport

final class TmuxSession {
    let name = "optrepl-test-\(getpid())-\(Int.random(in: 0..<1_000_000))"

    init(command: String) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw XCTSkip("tmux is not installed") }
        try TmuxSession.tmux(["new-session", "-d", "-s", name, "-x", "120", "-y", "60", command])
    }

    deinit { _ = try? TmuxSession.tmux(["kill-session", "-t", name]) }

    /// Runs tmux through the shell with its output in a file: the tmux server it may start
    /// keeps inherited pipes open, which would block a reader waiting for end of file.
    @discardableResult
    static func tmux(_ args: [String]) throws -> String {
        let out = NSTemporaryDirectory() + "optrepl-tmux-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let quoted = args.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let status = system("/usr/bin/tmux \(quoted) > '\(out)' 2>&1 < /dev/null")
        guard status == 0 else { throw TestFileError(description: "tmux \(args.first ?? "") failed: \(status)") }
        return (try? readTextFile(out)) ?? ""
    }

    func send(_ keys: String...) throws {
        try TmuxSession.tmux(["send-keys", "-t", name] + keys)
    }

    /// Types a line and presses Enter (a trailing ';' is escaped: tmux reads it as a separator).
    func type(_ line: String) throws {
        let keys = line.hasSuffix(";") ? String(line.dropLast()) + "\\;" : line
        try TmuxSession.tmux(["send-keys", "-t", name, "-l", keys])
        try send("Enter")
    }

    /// Types each line once the REPL is waiting for it (a prompt or continuation prompt shows).
    func typeAll(_ lines: [String]) throws {
        var prompts = 1
        _ = try waitForPrompts(1)
        for line in lines {
            try type(line)
            prompts += 1
            _ = try waitForPrompts(prompts)
        }
    }

    /// The screen without blank lines.
    func screen() throws -> [String] {
        try TmuxSession.tmux(["capture-pane", "-p", "-t", name]).split(separator: "\n").map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// Waits (up to 10 s) until the screen shows `count` prompts (continuation prompts count),
    /// then returns it.
    func waitForPrompts(_ count: Int) throws -> [String] {
        for _ in 0..<200 {
            let lines = try screen()
            if lines.filter({ $0.hasPrefix("opt>") || $0.hasPrefix("...>") }).count >= count { return lines }
            usleep(50_000)
        }
        return try screen()
    }
}

final class REPLTests: XCTestCase {
    private func start() throws -> TmuxSession {
        let history = NSTemporaryDirectory() + "optrepl-history-\(getpid())"
        return try TmuxSession(command: "env NO_COLOR=1 OPTREPL_HISTORY=\(history) \(Binary.path)")
    }

    func testContinuationErrorsAndValues() throws {
        let repl = try start()
        try repl.typeAll(["fn f(a) {", "  return a + 1", "}", "f(41)", "undefined_name", "x = 5", "x += 1", "w = [1, 2]", "w[0] = 7", "y = 3;", "ans"])
        XCTAssertEqual(try repl.screen(), [
            "optrepl 0.1.0 — :help for help, Ctrl-D or :quit to leave",
            "opt> fn f(a) {", "...>   return a + 1", "...> }",
            "opt> f(41)", "42",
            "opt> undefined_name", "<repl>:1:1: error: unknown name 'undefined_name'", "    undefined_name", "    ^~~~~~~~~~~~~~",
            "opt> x = 5", "5", "opt> x += 1", "6",
            "opt> w = [1, 2]", "[1, 2]", "opt> w[0] = 7", "7",
            "opt> y = 3;", "opt> ans", "7", "opt>",
        ])
    }

    func testCtrlCStopsAComputationAndKeepsVariables() throws {
        let repl = try start()
        try repl.typeAll(["x = 42"])
        try repl.type("while true {}")
        usleep(500_000)
        try repl.send("C-c")
        _ = try repl.waitForPrompts(3)
        try repl.type("x + 1")
        let lines = try repl.waitForPrompts(4)
        XCTAssertEqual(Array(lines.suffix(5)), ["opt> while true {}", "^Cinterrupted", "opt> x + 1", "43", "opt>"])
    }

    /// A long minimize shows a progress bar on the terminal; Ctrl-C stops it and keeps the
    /// steps done so far in `ans`.
    func testProgressBarAndInterruptedMinimizeKeepsPartialResult() throws {
        let repl = try start()
        _ = try repl.waitForPrompts(1)
        try repl.type("r = minimize(fn(w) = sum(w^2), [1, 2], adam(lr: 0.001), steps: 10_000_000)")
        var bar: String?
        for _ in 0..<100 where bar == nil {
            usleep(100_000)
            bar = try repl.screen().first { $0.hasPrefix("minimize ") && $0.contains("/10000000") }
        }
        XCTAssertNotNil(bar, "no progress bar on the screen")
        try repl.send("C-c")
        _ = try repl.waitForPrompts(2)
        try repl.type("shape(ans.path)[0] > 1000 and shape(ans.path)[0] == len(ans.loss)")
        let lines = try repl.waitForPrompts(3)
        XCTAssertTrue(lines.contains { $0.hasSuffix("interrupted (the run so far is in ans)") }, lines.joined(separator: "\n"))
        XCTAssertEqual(Array(lines.suffix(2)), ["true", "opt>"])
        XCTAssertFalse(lines.contains { $0.contains("█") }, "the bar is erased when the run ends")
    }

    func testMetaCommands() throws {
        let repl = try start()
        try repl.typeAll(["x = 41", ":vars", ":help sqrt", "?relu", ":explian", ":precision 3", "[3.14159]"])
        XCTAssertEqual(try repl.screen(), [
            "optrepl 0.1.0 — :help for help, Ctrl-D or :quit to leave",
            "opt> x = 41", "41",
            "opt> :vars", "x = 41", "ans = 41",
            "opt> :help sqrt", "sqrt(x)", "  Square root (nan below zero).",
            "opt> ?relu", "relu(x)", "  max(x, 0); nan stays nan.",
            "opt> :explian", "unknown command ':explian'; did you mean ':explain'? (:help lists the commands)",
            "opt> :precision 3", "tensors now print with 3 significant digits",
            "opt> [3.14159]", "[3.14]", "opt>",
        ])
    }

    func testLoadAndTime() throws {
        let file = NSTemporaryDirectory() + "optrepl-load-\(getpid()).opt"
        try "fn sq(x) = x^2\nloaded = sq(7)\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let repl = try start()
        try repl.typeAll([":load \(file)", "loaded", ":load /no/such/file.opt", ":time sq(3)"])
        let lines = try repl.screen()
        XCTAssertEqual(Array(lines.prefix(7)), [
            "optrepl 0.1.0 — :help for help, Ctrl-D or :quit to leave",
            "opt> :load \(file)", "opt> loaded", "49",
            "opt> :load /no/such/file.opt", "cannot open '/no/such/file.opt': No such file or directory",
            "opt> :time sq(3)",
        ])
        let timing = lines[7]
        XCTAssertTrue(timing.hasPrefix("median ") && timing.contains(" (10%-90%: ") && timing.hasSuffix(" runs"), timing)
    }
}

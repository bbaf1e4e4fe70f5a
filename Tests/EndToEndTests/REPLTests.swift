// The REPL driven as a person would: the real binary in a detached tmux session, keys sent
// with send-keys, the screen read with capture-pane. Runs in CI too (tmux needs no terminal).

import Foundation
import XCTest
import TestSupport

final class TmuxSession {
    let name = "optrepl-test-\(getpid())-\(Int.random(in: 0..<1_000_000))"

    init(command: String, columns: Int = 120) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw XCTSkip("tmux is not installed") }
        // When the previous test killed the last session, the tmux server is still exiting and
        // may refuse a new session for a moment ("server exited unexpectedly"): try again.
        var attempt = 0
        while true {
            do {
                try TmuxSession.tmux(["new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "60", command])
                return
            } catch _ where attempt < 20 {
                attempt += 1
                usleep(100_000)
            }
        }
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
        guard status == 0 else {
            let said = (try? readTextFile(out)) ?? ""
            throw TestFileError(description: "tmux \(args.first ?? "") failed: \(status) \(said)")
        }
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
    private func start(history: String? = nil) throws -> TmuxSession {
        let history = history ?? NSTemporaryDirectory() + "optrepl-history-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        return try TmuxSession(command: "env NO_COLOR=1 OPTREPL_HISTORY=\(history) \(Binary.path)")
    }

    /// Waits until the last screen line is `line` (completion redraws happen asynchronously).
    private func waitForLastLine(_ repl: TmuxSession, _ line: String) throws -> [String] {
        for _ in 0..<100 {
            let screen = try repl.screen()
            if screen.last == line { return screen }
            usleep(50_000)
        }
        return try repl.screen()
    }

    func testCompletionOfNamesMembersLabelsAndSymbols() throws {
        let repl = try start()
        _ = try repl.waitForPrompts(1)
        try TmuxSession.tmux(["send-keys", "-t", repl.name, "-l", "opt = ada"])
        try repl.send("Tab")
        XCTAssertEqual(try waitForLastLine(repl, "opt> opt = adam").last, "opt> opt = adam")
        try TmuxSession.tmux(["send-keys", "-t", repl.name, "-l", "(lr: 0.1)"])
        try repl.send("Enter")
        _ = try repl.waitForPrompts(2)
        try TmuxSession.tmux(["send-keys", "-t", repl.name, "-l", "opt."])
        try repl.send("Tab")
        usleep(200_000)
        try repl.send("Tab")
        let members = try waitForLastLine(repl, "opt> opt.")
        XCTAssertEqual(Array(members.suffix(3)), [
            "beta1            bias_correction  eps_in_sqrt      lr               state            t",
            "beta2            eps              explain          reset            step             torch",
            "opt> opt.",
        ])
        try repl.send("C-u")
        try TmuxSession.tmux(["send-keys", "-t", repl.name, "-l", "torch.adam(bet"])
        try repl.send("Tab")
        // tmux drops the trailing space of "betas: " from the screen.
        XCTAssertEqual(try waitForLastLine(repl, "opt> torch.adam(betas:").last, "opt> torch.adam(betas:")
        try repl.send("C-u")
        try TmuxSession.tmux(["send-keys", "-t", repl.name, "-l", "\\beta"])
        try repl.send("Tab")
        try TmuxSession.tmux(["send-keys", "-t", repl.name, "-l", "\\_1"])
        try repl.send("Tab")
        try TmuxSession.tmux(["send-keys", "-t", repl.name, "-l", " = 0.9"])
        XCTAssertEqual(try waitForLastLine(repl, "opt> β₁ = 0.9").last, "opt> β₁ = 0.9")
        try repl.send("Enter")
        try repl.typeAll([":he"])
        try repl.send("C-u")
        try TmuxSession.tmux(["send-keys", "-t", repl.name, "-l", ":tr"])
        try repl.send("Tab")
        XCTAssertEqual(try waitForLastLine(repl, "opt> :trace").last, "opt> :trace")
    }

    /// Completion knows where the cursor is: schedule kinds inside `schedule("`, `\\^2` only in
    /// strings and comments (where `²` is valid), file names after `:load`.
    func testCompletionInStringsCommentsAndFileNames() throws {
        let dir = NSTemporaryDirectory() + "optrepl-complete-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir + "/lessons", withIntermediateDirectories: true)
        try "x = 1\n".write(toFile: dir + "/warmup.opt", atomically: true, encoding: .utf8)
        try "".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let repl = try start()
        _ = try repl.waitForPrompts(1)
        func typed(_ keys: String, tabs: Int = 1) throws {
            try repl.send("C-u")
            try TmuxSession.tmux(["send-keys", "-t", repl.name, "-l", keys])
            for _ in 0..<tabs { try repl.send("Tab"); usleep(150_000) }
        }
        try typed("s = schedule(\"expo")
        XCTAssertEqual(try waitForLastLine(repl, "opt> s = schedule(\"exponential\"").last, "opt> s = schedule(\"exponential\"")
        try typed("s = schedule(\"st", tabs: 2)
        XCTAssertEqual(Array(try waitForLastLine(repl, "opt> s = schedule(\"st").suffix(2)), [
            "schedule(\"staircase\", lr, decay_rate, interval)  schedule(\"step\", lr, step_size, gamma: 0.1)",
            "opt> s = schedule(\"st",
        ])
        try typed("print(\"loss in w\\^2")
        XCTAssertEqual(try waitForLastLine(repl, "opt> print(\"loss in w²").last, "opt> print(\"loss in w²")
        try typed("x = 1 # w\\^2")
        XCTAssertEqual(try waitForLastLine(repl, "opt> x = 1 # w²").last, "opt> x = 1 # w²")
        try typed("w\\^2")
        usleep(300_000)
        XCTAssertEqual(try repl.screen().last, "opt> w\\^2", "² is not valid in code, so it is not offered there")
        try typed(":load \(dir)/", tabs: 2)
        XCTAssertEqual(Array(try waitForLastLine(repl, "opt> :load \(dir)/").suffix(2)), ["lessons/    warmup.opt", "opt> :load \(dir)/"])
        try typed(":load \(dir)/w")
        XCTAssertEqual(try waitForLastLine(repl, "opt> :load \(dir)/warmup.opt").last, "opt> :load \(dir)/warmup.opt")
    }

    /// compare on a run that diverges names the run and its first non-finite step, and ranks the
    /// steps where the runs went bad first.
    func testCompareSaysWhichRunDiverges() throws {
        let repl = try start()
        try repl.typeAll(["c = compare(sgd(lr: 0.001), sgd(lr: 0.01), rosenbrock, [-1.5, 2], steps: 30)"])
        XCTAssertEqual(Array(try repl.screen().dropFirst(2).prefix(7)), [
            "run b diverges: its parameters are nan or inf from step 9",
            "30 of 30 steps differ; the first is step 1",
            "step  max |wa − wb|  wa                   wb",
            "   9  inf            [-1.40209, 2.01031]  [-inf, inf]",
            "  10  nan            [-1.42221, 2.00142]  [nan, nan]",
            "  11  nan            [-1.40527, 2.00567]  [nan, nan]",
            "   8  1.74661e+255   [-1.42841, 2.00279]  [1.74661e+255, 1.15112e+170]",
        ])
    }

    /// The language has help of its own: `:help for`, `:help ^`, `:help syntax`.
    func testHelpForKeywordsAndOperators() throws {
        let repl = try start()
        try repl.typeAll([":help for", ":help ^"])
        XCTAssertEqual(Array(try repl.screen().dropFirst()), [
            "opt> :help for",
            "for x in seq { ... }: seq is a range 0..<n or a...b, a tensor (its rows), a tuple or a string; one loop variable",
            "  (keys(t) for labels, an index i for enumerate)",
            "opt> :help ^",
            "x ^ p: power, element-wise (Python's **, which also works); x ^ 2 is x * x",
            "opt>",
        ])
    }

    /// `:explain` takes an expression that makes an optimizer, and leaves `ans` alone.
    func testExplainAnExpression() throws {
        let repl = try start()
        try repl.typeAll([":explain torch.sgd(lr: 0.1)", "ans"])
        XCTAssertEqual(Array(try repl.screen().dropFirst()), [
            "opt> :explain torch.sgd(lr: 0.1)",
            "torch.sgd(lr: 0.1, momentum: 0, dampening: 0, weight_decay: 0) t=0",
            "  w ← w − 0.1·g",
            "Course: sgd(lr: 0.1) takes the same steps.",
            "opt> ans", "<repl:1>:1:1: error: unknown name 'ans'; did you mean 'abs'?", "    ans", "    ^~~", "opt>",
        ])
    }

    func testHistorySurvivesARestartAndCtrlRFindsIt() throws {
        let history = NSTemporaryDirectory() + "optrepl-history-restart-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: history) }
        do {
            let first = try start(history: history)
            try first.typeAll(["secret = 41", "other = 1"])
        }
        let second = try start(history: history)
        _ = try second.waitForPrompts(1)
        try second.send("Up")
        try second.send("Up")
        XCTAssertEqual(try waitForLastLine(second, "opt> secret = 41").last, "opt> secret = 41")
        try second.send("Enter")
        _ = try second.waitForPrompts(2)
        try second.send("C-r")
        try TmuxSession.tmux(["send-keys", "-t", second.name, "-l", "othe"])
        try second.send("Enter")
        let lines = try second.waitForPrompts(3)
        XCTAssertTrue(lines.contains("41"), lines.joined(separator: "\n"))
        XCTAssertEqual(Array(lines.suffix(2)), ["1", "opt>"])
    }

    /// A multi-line entry is one history item: one Up brings the whole function back, and
    /// Enter runs it again.
    func testAMultiLineEntryComesBackWithOneUp() throws {
        let history = NSTemporaryDirectory() + "optrepl-history-multiline-\(getpid())"
        defer { for f in [history, history + ".lock"] { try? FileManager.default.removeItem(atPath: f) } }
        let repl = try start(history: history)
        try repl.typeAll(["fn g(x) {", "  return x * 2", "}", "g(4)"])
        try repl.send("Up")
        try repl.send("Up")
        usleep(300_000)
        try repl.send("Enter")
        _ = try repl.waitForPrompts(6)
        try repl.type("g(5)")
        let lines = try repl.waitForPrompts(7)
        XCTAssertEqual(Array(lines.suffix(6)), ["opt> fn g(x) {", "  return x * 2", "}", "opt> g(5)", "10", "opt>"])
        XCTAssertEqual(try readTextFile(history), "_HiStOrY_V2_\nfn\\040g(x)\\040{\\012\\040\\040return\\040x\\040*\\0402\\012}\ng(4)\nfn\\040g(x)\\040{\\012\\040\\040return\\040x\\040*\\0402\\012}\ng(5)\n")
    }

    func testCtrlCAtAContinuationDropsThePendingEntry() throws {
        let repl = try start()
        try repl.typeAll(["fn f(x) {", "  return x"])
        try repl.send("C-c")
        _ = try repl.waitForPrompts(4)
        try repl.type("1 + 1")
        let lines = try repl.waitForPrompts(5)
        XCTAssertEqual(Array(lines.suffix(6)), ["opt> fn f(x) {", "...>   return x", "...> ^C", "opt> 1 + 1", "2", "opt>"])
    }

    /// Ctrl-D on an empty line leaves: the REPL exits and tmux closes its session.
    func testCtrlDLeaves() throws {
        let repl = try start()
        _ = try repl.waitForPrompts(1)
        try repl.send("C-d")
        var gone = false
        for _ in 0..<100 where !gone {
            usleep(50_000)
            gone = (try? TmuxSession.tmux(["has-session", "-t", repl.name])) == nil
        }
        XCTAssertTrue(gone, "the REPL is still running after Ctrl-D")
    }

    func testTraceShowsTwoAdamSteps() throws {
        let repl = try start()
        try repl.typeAll([":trace on", "opt = adam(lr: 0.1);", "w = opt.step([1, -2], [0.5, -1])", "w = opt.step(w, [0.25, 0.5])"])
        let lines = try repl.screen()
        let from = lines.firstIndex(of: "opt> w = opt.step([1, -2], [0.5, -1])")!
        XCTAssertEqual(Array(lines[from...]), [
            "opt> w = opt.step([1, -2], [0.5, -1])",
            "adam step t=1",
            "  g      [0.5, -1]",
            "  m      [0.05, -0.1]",
            "  v      [0.00025, 0.001]",
            "  m̂      [0.5, -1]",
            "  v̂      [0.25, 1]",
            "  Δw     [-0.1, 0.1]",
            "  −Δw/g  [0.2, 0.1]",
            "[ 0.9, -1.9]",
            "opt> w = opt.step(w, [0.25, 0.5])",
            "adam step t=2",
            "  g      [0.25, 0.5]",
            "  m      [0.07, -0.04]",
            "  v      [0.00031225, 0.001249]",
            "  m̂      [0.368421, -0.210526]",
            "  v̂      [0.156203, 0.624812]",
            "  Δw     [-0.093218, 0.0266337]",
            "  −Δw/g  [0.372872, -0.0532674]",
            "[0.806782, -1.87337]",
            "opt>",
        ])
    }

    func testHelpAndDisplayRows() throws {
        let repl = try start()
        try repl.typeAll([":help adam", "a = ewa(beta: 0.9);", "a.update(1)", "a.update(2)",
                          "s = stepper(rosenbrock, [-1.5, 2], adam(lr: 0.1));", "s.step()", "w = s.step(10)", "s.step() + 0"])
        let lines = try repl.screen()
        XCTAssertEqual(Array(lines.dropFirst()), [
            "opt> :help adam",
            "adam(lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-08, bias_correction: true, eps_in_sqrt: false)",
            "  Adam (course form): m ← β₁·m + (1−β₁)·g; v ← β₂·v + (1−β₂)·g²; w ← w − lr·m̂/(√v̂ + eps).",
            "  members: lr beta1 beta2 eps bias_correction eps_in_sqrt t state step reset torch explain (:help adam.NAME)",
            "opt> a = ewa(beta: 0.9);",
            "opt> a.update(1)", "t=1  v=0.1  corrected=1",
            "opt> a.update(2)", "t=2  v=0.29  corrected=1.52632",
            "opt> s = stepper(rosenbrock, [-1.5, 2], adam(lr: 0.1));",
            "opt> s.step()", "t=1  loss=7.72  w=[-1.4, 2.1]  |Δw|=0.141",
            "opt> w = s.step(10)", "t=11  loss=7.40496  w=[-1.3827, 2.0433]  |Δw|=0.0593  (10 steps)",
            "opt> s.step() + 0", "[-1.38907,  2.02884]",
            "opt>",
        ])
    }

    /// In a 60-column terminal, `:help`, `explain()` and hints wrap between words, their
    /// continuation lines hanging two columns in; nothing is cut inside a word or a number.
    func testHelpExplainAndHintsWrapAtWordBoundaries() throws {
        let history = NSTemporaryDirectory() + "optrepl-history-\(getpid())-narrow"
        let repl = try TmuxSession(command: "env NO_COLOR=1 OPTREPL_HISTORY=\(history) \(Binary.path)", columns: 60)
        try repl.typeAll([":help clip_grad_norm", "opt = adam(lr: 0.1);", "opt.explain()", "x = [1]; x.append(2)"])
        XCTAssertEqual(Array(try repl.screen().dropFirst()), [
            "opt> :help clip_grad_norm",
            "clip_grad_norm(tree, max_norm, norm_type: 2)",
            "  PyTorch's clip_grad_norm_: returns (grads: clipped,",
            "    total_norm: total).",
            "opt> opt = adam(lr: 0.1);",
            "opt> opt.explain()",
            "adam(lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-08) t=0",
            "  m ← 0.9·m + 0.1·g",
            "  v ← 0.999·v + 0.001·g²",
            "  m̂ = m/(1 − 0.9^t),  v̂ = v/(1 − 0.999^t)",
            "  w ← w − 0.1·m̂/(√v̂ + 1e-08)",
            "PyTorch: torch.adam(lr: 0.1, betas: (0.9, 0.999), eps:",
            "  1e-08) takes the same steps up to rounding (it computes",
            "  √v/√(1 − β₂^t) + eps, the same value in another order).",
            "opt> x = [1]; x.append(2)",
            "<repl:3>:1:12: error: a tensor has no member 'append'",
            "    x = [1]; x.append(2)",
            "               ^~~~~~",
            "hint: optrepl's functions are not methods, and append",
            "  returns a copy: write x = append(x, 2)",
            "opt>",
        ])
    }

    /// Junk bytes, invalid UTF-8 and a 100 KB paste: diagnostics, never a crash.
    func testBadInputNeverEndsTheREPL() throws {
        let repl = try start()
        try repl.typeAll(["x = 1"])
        // Invalid UTF-8 around "(" (c3 28): the bytes that decode to nothing are dropped, and
        // the open bracket asks for a continuation line, which Ctrl-C drops.
        try repl.send("-H", "ff", "fe", "c3", "28", "80", "07", "1b", "5b", "31", "7e", "02")
        try repl.send("Enter")
        _ = try repl.waitForPrompts(3)
        try repl.send("C-c")
        _ = try repl.waitForPrompts(4)
        let paste = NSTemporaryDirectory() + "optrepl-paste-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: paste) }
        try ("big = [" + Array(repeating: "1", count: 33_000).joined(separator: ", ") + "];").write(toFile: paste, atomically: true, encoding: .utf8)
        try TmuxSession.tmux(["load-buffer", "-b", "optrepl-big", paste])
        try TmuxSession.tmux(["paste-buffer", "-d", "-b", "optrepl-big", "-t", repl.name])
        try repl.send("Enter")
        // The pasted line fills the screen; wait for the prompt after it, then clear the screen.
        _ = try waitForLastLine(repl, "opt>")
        try repl.send("C-l")
        try repl.type("size(big) + x")
        usleep(100_000)
        let lines = try waitForLastLine(repl, "opt>")
        XCTAssertEqual(Array(lines.suffix(3)), ["opt> size(big) + x", "33001", "opt>"])
    }

    /// A history file that cannot be read or written: one warning, and the REPL goes on.
    func testUnusableHistoryFileWarnsOnce() throws {
        let directory = NSTemporaryDirectory() + "optrepl-history-dir-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for path in [directory, "/nonexistent-optrepl/history"] {
            let repl = try start(history: path)
            try repl.typeAll(["1 + 1", "2 + 2"])
            let lines = try repl.screen()
            XCTAssertEqual(lines.filter { $0.hasPrefix("optrepl: cannot") }.count, 1, lines.joined(separator: "\n"))
            XCTAssertEqual(Array(lines.suffix(3)), ["opt> 2 + 2", "4", "opt>"])
        }
    }

    func testContinuationErrorsAndValues() throws {
        let repl = try start()
        try repl.typeAll(["fn f(a) {", "  return a + 1", "}", "f(41)", "undefined_name", "x = 5", "x += 1", "w = [1, 2]", "w[0] = 7", "y = 3;", "ans"])
        XCTAssertEqual(try repl.screen(), [
            "optrepl 0.1.0 — :help for help, Ctrl-D or :quit to leave",
            "opt> fn f(a) {", "...>   return a + 1", "...> }",
            "opt> f(41)", "42",
            "opt> undefined_name", "<repl:3>:1:1: error: unknown name 'undefined_name'", "    undefined_name", "    ^~~~~~~~~~~~~~",
            "opt> x = 5", "5", "opt> x += 1", "6",
            "opt> w = [1, 2]", "[1, 2]", "opt> w[0] = 7", "7",
            "opt> y = 3;", "opt> ans", "7", "opt>",
        ])
    }

    /// A newline before `else` is skipped (spec §14.1) in a script, and in the REPL when the
    /// lines come together, as a paste brings them: the `else` joins its `if` (REPL.readAhead),
    /// and a line that is not an `else` begins the next entry. The pasted lines print what the
    /// same lines print as a script. An `else` typed after its `if` ran is an error with a hint.
    func testElseOnTheNextLineOfAPaste() throws {
        let lines = ["x = -1", "if x > 0 { print(\"pos\") }", "else { print(\"neg\") }", "if x < 0 { print(\"p1\") }", "print(\"p2\")",
                     "if x > 0 { print(\"q1\") }", "   else if x < -5 { print(\"q2\") }", "else {", "  print(\"q3\")", "}", "elsewhere = 4",
                     "if x > 0 { print(\"r1\") }", "", "# a comment line", "else { print(\"r2\") }"]
        let script = NSTemporaryDirectory() + "optrepl-else-\(getpid()).opt"
        try lines.joined(separator: "\n").write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        XCTAssertEqual(try Binary.run([script]).stdout, "neg\np1\np2\nq3\nr2\n")

        let repl = try start()
        _ = try repl.waitForPrompts(1)
        try TmuxSession.tmux(["send-keys", "-t", repl.name, "-l", lines.joined(separator: "\n") + "\n"])
        _ = try repl.waitForPrompts(16)
        try repl.type("if x < 0 { print(\"typed\") }")
        _ = try repl.waitForPrompts(17)
        try repl.type("else { print(\"late\") }")
        _ = try repl.waitForPrompts(18)
        try repl.type("print(5)")
        _ = try repl.waitForPrompts(19)
        try repl.type("else { print(\"no if\") }")
        let screen = try repl.waitForPrompts(20)
        // The `else` joined its `if`, as its continuation; `print("p2")` began the next entry.
        XCTAssertEqual(Array(screen.drop { !$0.hasPrefix("opt> if x > 0") }.prefix(6)), [
            "opt> if x > 0 { print(\"pos\") }", "...> else { print(\"neg\") }", "neg",
            "opt> if x < 0 { print(\"p1\") }", "...> print(\"p2\")", "p1",
        ])
        // What ran: the script's lines (a blank and a comment line between `}` and `else` skipped
        // as the script skips them), then the typed `if`, then the late `else`'s error with its
        // hint; an `else` after anything but an `if` has the error alone.
        XCTAssertEqual(screen.filter { !$0.hasPrefix("opt>") && !$0.hasPrefix("...>") && !$0.hasPrefix("optrepl") && !$0.hasPrefix("    ") },
                       ["-1", "neg", "p1", "p2", "q3", "4", "r2", "typed",
                        "<repl:9>:1:1: error: 'else' without an 'if'",
                        "hint: that 'if' ran when its line ended: in the REPL, write 'else' on the line of its closing '}'",
                        "5", "<repl:11>:1:1: error: 'else' without an 'if'"])
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
        // The note starts on a line of its own, after the ^C the terminal echoed.
        XCTAssertEqual(Array(lines.suffix(6)), ["opt> while true {}", "^C", "interrupted", "opt> x + 1", "43", "opt>"])
    }

    /// Waits up to 10 s for minimize's progress bar (`minimize ... k/total`) on the screen.
    private func waitForProgressBar(_ repl: TmuxSession, total: String) throws {
        for _ in 0..<100 {
            usleep(100_000)
            if try repl.screen().contains(where: { $0.hasPrefix("minimize ") && $0.contains("/" + total) }) { return }
        }
        XCTFail("no progress bar on the screen")
    }

    /// A long minimize shows a progress bar on the terminal; Ctrl-C stops it and keeps the
    /// steps done so far in `ans`.
    func testProgressBarAndInterruptedMinimizeKeepsPartialResult() throws {
        let repl = try start()
        _ = try repl.waitForPrompts(1)
        try repl.type("r = minimize(fn(w) = sum(w^2), [1, 2], adam(lr: 0.001), steps: 10_000_000)")
        try waitForProgressBar(repl, total: "10000000")
        try repl.send("C-c")
        _ = try repl.waitForPrompts(2)
        try repl.type("shape(ans.path)[0] > 1000 and shape(ans.path)[0] == len(ans.loss)")
        let lines = try repl.waitForPrompts(3)
        XCTAssertTrue(lines.contains { $0.hasSuffix("interrupted (the run so far is in ans)") }, lines.joined(separator: "\n"))
        XCTAssertEqual(Array(lines.suffix(2)), ["true", "opt>"])
        XCTAssertFalse(lines.contains { $0.contains("█") }, "the bar is erased when the run ends")

        // The same on a built-in objective, whose rows go straight into the result's buffers.
        try repl.type("r = minimize(rosenbrock, [-1.5, 2], adam(lr: 0.001), steps: 100_000_000)")
        try waitForProgressBar(repl, total: "100000000")
        try repl.send("C-c")
        _ = try repl.waitForPrompts(4)
        try repl.type("n = shape(ans.path)[0]; n > 1000 and n == len(ans.loss) and all(ans.path[n - 1] == ans.w) and ans.loss[n - 1] == rosenbrock(ans.w)")
        let native = try repl.waitForPrompts(5)
        XCTAssertEqual(Array(native.suffix(2)), ["true", "opt>"])
    }

    /// In a terminal a plot takes the terminal's width, and colours unless NO_COLOR is set.
    func testPlotsFitTheTerminalAndUseColoursWhenAllowed() throws {
        let history = NSTemporaryDirectory() + "optrepl-history-plot-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: history) }
        for colour in [false, true] {
            // The test runner's own environment may carry NO_COLOR: say it either way.
            let repl = try TmuxSession(command: "env \(colour ? "-u NO_COLOR" : "NO_COLOR=1") OPTREPL_HISTORY=\(history) TERM=xterm-256color \(Binary.path)")
            try repl.typeAll(["plot(sgd: [5, 3, 2, 1], adam: [5, 2, 1, 0.5])"])
            let plain = try repl.screen()
            let widest = plain.map { $0.count }.max() ?? 0
            XCTAssertTrue(widest >= 110 && widest <= 120, "the plot should span the 120-column pane, widest line \(widest)")
            XCTAssertTrue(plain.contains { $0.contains("sgd") && $0.contains("adam") }, "no legend")
            let escaped = try TmuxSession.tmux(["capture-pane", "-e", "-p", "-t", repl.name])
            XCTAssertEqual(escaped.contains("\u{1B}[34m"), colour, "colours \(colour ? "missing" : "without permission"): \(escaped.prefix(400).debugDescription)")
        }
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

    /// `:help` reads the member tables and the meta command table.
    func testHelpOnMembersAndCommands() throws {
        let repl = try start()
        try repl.typeAll(["opt = torch.adam()", ":help adam.step", ":help opt.lr", ":help opt.stp", ":help :trace",
                          "sc = grad_scaler();", ":help sc.update", ":help e.v"])
        XCTAssertEqual(Array(try repl.screen().dropFirst(3)), [
            "opt> :help adam.step", "adam.step(params, grads)", "  One optimizer step: returns the updated parameters.",
            "opt> :help opt.lr", "opt.lr", "  (field, settable) hyper-parameter (default 0.001); a new value applies from the next step",
            "opt> :help opt.stp",
            "no member 'stp' of opt; did you mean 'step'?",
            "  members: lr betas eps weight_decay amsgrad maximize decoupled_weight_decay groups t state step reset torch explain",
            "opt> :help :trace", ":trace on|off", "  show every opt.step's buffers, m̂, v̂ and the update",
            "opt> sc = grad_scaler();",
            "opt> :help sc.update", "sc.update()", "  Backs off after a skipped step; grows after growth_interval good ones.",
            "opt> :help e.v", "no built-in named 'e.v'", "opt>",
        ])
    }

    /// `exit` inside `:load` ends the session with its code, as it ends a script.
    func testExitInsideLoadEndsTheSession() throws {
        let file = NSTemporaryDirectory() + "optrepl-exit-\(getpid()).opt"
        try "print(\"bye\")\nexit(3)\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let status = NSTemporaryDirectory() + "optrepl-exit-status-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: status) }
        let history = NSTemporaryDirectory() + "optrepl-history-\(getpid())-exit"
        let repl = try TmuxSession(command: "sh -c 'env NO_COLOR=1 OPTREPL_HISTORY=\(history) \(Binary.path); echo $? > \(status); sleep 5'")
        try repl.typeAll(["n = 0", "for i in 0..<3 { n += 1 }", "n"])
        try repl.type(":load \(file)")
        // `echo $? > status` creates the file before it writes the code: wait for the line.
        for _ in 0..<100 where !((try? readTextFile(status))?.hasSuffix("\n") ?? false) { usleep(50_000) }
        XCTAssertEqual(try readTextFile(status), "3\n")
        XCTAssertEqual(Array(try repl.screen().dropFirst()), [
            "opt> n = 0", "0", "opt> for i in 0..<3 { n += 1 }", "opt> n", "3", "opt> :load \(file)", "bye",
        ])
    }

    /// The seat belt: a REPL killed by a fatal signal says where its entries are, the next one
    /// mentions the recovery script once, and `:load` of it brings the variables back.
    func testAFatalSignalLeavesARecoveryScript() throws {
        let history = NSTemporaryDirectory() + "optrepl-history-\(getpid())-crash"
        let dir = (history as NSString).deletingLastPathComponent, base = (history as NSString).lastPathComponent
        func leftovers() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix(base + ".") }.sorted()
        }
        defer { for f in leftovers() { try? FileManager.default.removeItem(atPath: dir + "/" + f) } }
        let repl = try TmuxSession(command: "sh -c 'env NO_COLOR=1 SWIFT_BACKTRACE=enable=no OPTREPL_HISTORY=\(history) \(Binary.path); sleep 10'")
        try repl.typeAll(["w = [1, 2]", "for i in 0..<3 { w = w * 2 }", "oops = nil + 1"])
        let pid = try TmuxSession.tmux(["list-panes", "-t", repl.name, "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // The pane runs sh; the REPL is its child.
        let child = try Binary.run(["pgrep", "-P", pid], executable: "/usr/bin/env").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(kill(pid_t(child) ?? 0, SIGSEGV), 0)
        var screen: [String] = []
        for _ in 0..<100 {
            screen = try repl.screen()
            if screen.contains(where: { $0.hasPrefix("optrepl: replay them") }) { break }
            usleep(50_000)
        }
        let journal = "\(history).recovery-\(child).opt"
        XCTAssertTrue(screen.contains("optrepl: stopped by a fatal signal; this session's entries are in \(journal)"), "\(screen)")
        XCTAssertTrue(screen.contains("optrepl: replay them in a new session with :load \(journal)"), "\(screen)")
        XCTAssertEqual(try readTextFile(journal), "# optrepl session \(child): the entries that ran, in order\nw = [1, 2]\nfor i in 0..<3 { w = w * 2 }\n")
        // The process may still be ending (a sanitizer build writes its own report first).
        for _ in 0..<200 where kill(pid_t(child) ?? 0, 0) == 0 { usleep(50_000) }
        let next = try TmuxSession(command: "env NO_COLOR=1 OPTREPL_HISTORY=\(history) \(Binary.path)")
        let recovered = "\(history).recovered-\(child).opt"
        try next.typeAll([":load \(recovered)", "w"])
        XCTAssertEqual(Array(try next.screen().dropFirst()), [
            "optrepl: a session that stopped abnormally left its entries in \(recovered)",
            "optrepl: :load \(recovered) replays them",
            "opt> :load \(recovered)", "opt> w", "[ 8, 16]", "opt>",
        ])
    }

    /// Two REPLs on one history file: every line of both is kept (each accepted line is merged
    /// into what the file holds); a binary file given as history is left untouched, with one
    /// warning.
    func testTwoREPLsShareAHistoryFileAndABinaryOneIsLeftAlone() throws {
        let history = NSTemporaryDirectory() + "optrepl-history-\(getpid())-shared"
        defer { for f in [history, history + ".lock"] { try? FileManager.default.removeItem(atPath: f) } }
        let a = try start(history: history), b = try start(history: history)
        _ = try a.waitForPrompts(1)
        _ = try b.waitForPrompts(1)
        for i in 0..<3 {
            try a.type("a\(i) = \(i)")
            _ = try a.waitForPrompts(i + 2)
            try b.type("b\(i) = \(i)")
            _ = try b.waitForPrompts(i + 2)
        }
        let lines = try readTextFile(history).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "_HiStOrY_V2_")
        XCTAssertEqual(Set(lines.dropFirst()), Set((0..<3).flatMap { ["a\($0)\\040=\\040\($0)", "b\($0)\\040=\\040\($0)"] }))

        let binary = NSTemporaryDirectory() + "optrepl-history-\(getpid())-binary"
        let bytes = Data([0xFF, 0xFE, 0x00, 0x01, 0x7F, 0x0A, 0x80, 0x81])
        try bytes.write(to: URL(fileURLWithPath: binary))
        defer { for f in [binary, binary + ".lock"] { try? FileManager.default.removeItem(atPath: f) } }
        let c = try start(history: binary)
        try c.typeAll(["x = 1", "y = 2"])
        XCTAssertEqual(Array(try c.screen().dropFirst()), [
            "optrepl: cannot read the history file \(binary); starting without it",
            "opt> x = 1", "1", "opt> y = 2", "2", "opt>",
        ])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: binary)), bytes)
    }

    /// `optrepl -i FILE` runs the file and stays in the REPL with its variables; the REPL's n-th
    /// entry is `<repl:n>` in diagnostics; `:save` writes the entries that ran as a script.
    func testInteractiveFileEntryNamesAndSave() throws {
        let file = NSTemporaryDirectory() + "optrepl-i-\(getpid()).opt"
        let saved = NSTemporaryDirectory() + "optrepl-saved-\(getpid()).opt"
        try "w = [1, 2]\nfn f(x) = x * 3\nprint(\"loaded\")\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { for f in [file, saved] { try? FileManager.default.removeItem(atPath: f) } }
        let history = NSTemporaryDirectory() + "optrepl-history-\(getpid())-i"
        let repl = try TmuxSession(command: "env NO_COLOR=1 OPTREPL_HISTORY=\(history) \(Binary.path) -i \(file)")
        try repl.typeAll(["v = f(w)", "oops + 1", "for i in 0..<2 { v = v + 1 }", ":save \(saved)"])
        XCTAssertEqual(try repl.screen(), [
            "loaded",
            "optrepl 0.1.0 — :help for help, Ctrl-D or :quit to leave",
            "opt> v = f(w)", "[3, 6]",
            "opt> oops + 1", "<repl:2>:1:1: error: unknown name 'oops'; did you mean 'cos'?", "    oops + 1", "    ^~~~",
            "opt> for i in 0..<2 { v = v + 1 }",
            "opt> :save \(saved)", "wrote 2 entries to \(saved)", "opt>",
        ])
        XCTAssertEqual(try readTextFile(saved), "v = f(w)\nfor i in 0..<2 { v = v + 1 }\n")
        let replay = try Binary.run([saved])
        XCTAssertEqual(replay.status, 70, "the saved entries need the file's definitions: \(replay.stderr)")
    }

    /// A figure written with `file:` is confirmed in the REPL (a script stays quiet); a Python
    /// habit gets its hint at once (`x++` does not wait for a second operand).
    func testPlotFileIsConfirmedAndHabitsAnswerAtOnce() throws {
        let svg = NSTemporaryDirectory() + "optrepl-confirm-\(getpid()).svg"
        defer { try? FileManager.default.removeItem(atPath: svg) }
        let repl = try start()
        try repl.typeAll(["plot([1, 2, 3], file: \"\(svg)\")", "x = 1", "x++"])
        let size = (try FileManager.default.attributesOfItem(atPath: svg)[.size] as? Int) ?? -1
        XCTAssertEqual(Array(try repl.screen().dropFirst()), [
            "opt> plot([1, 2, 3], file: \"\(svg)\")", "wrote \(svg) (\(size) bytes)",
            "opt> x = 1", "1",
            "opt> x++", "<repl:3>:1:2: error: there is no '++' operator", "    x++", "     ^~", "hint: write x += 1",
            "opt>",
        ])
        XCTAssertEqual(try Binary.run(["-e", "plot([1, 2, 3], file: \"\(svg)\")"]).stdout, "")
    }

    /// `--sandbox` refuses `:load`, which reads a file, as it refuses load_csv.
    func testSandboxRefusesLoad() throws {
        let history = NSTemporaryDirectory() + "optrepl-history-\(getpid())-sandbox"
        let repl = try TmuxSession(command: "env NO_COLOR=1 OPTREPL_HISTORY=\(history) \(Binary.path) --sandbox")
        try repl.typeAll([":load /etc/hostname", "x = 1", ":save /tmp/never.opt"])
        XCTAssertEqual(Array(try repl.screen().dropFirst()), [
            "opt> :load /etc/hostname", ":load reads a file, which --sandbox does not allow",
            "opt> x = 1", "1",
            "opt> :save /tmp/never.opt", ":save writes a file, which --sandbox does not allow", "opt>",
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

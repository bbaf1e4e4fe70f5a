import XCTest
@_exported import TestSupport
import Lexer
import Parser
@testable import Runtime

/// Runs optrepl source through the runtime, capturing what it prints.
struct Run {
    var output = ""
    var error: RuntimeError?

    init(_ text: String, interpreter: Interpreter? = nil) {
        var out = ""
        let I = interpreter ?? Interpreter(output: { _ in })
        let saved = I.host.output
        I.host.output = { out += $0 }
        defer { I.host.output = saved }
        guard case .complete(let program) = Parser.parse(SourceFile(name: "t.opt", text: text)) else {
            XCTFail("does not parse: \(text)")
            return
        }
        do { try I.run(program) } catch { self.error = error }
        output = out
    }
}

/// A program's printed text with the numeric tier on or off (and the interpreter it ran in),
/// an error appended with its location: the tier and the general code must give the same text.
/// `maxElements`: the --max-elements limit the program runs under.
func outputWithTier(_ program: String, tier: Bool, maxElements: Int? = nil) -> (String, Interpreter) {
    let I = Interpreter(output: { _ in })
    I.usesNumericTier = tier
    if let maxElements { I.maxElements = maxElements }
    let run = Run(program, interpreter: I)
    var text = run.output
    if let e = run.error {
        text += "error: \(e.message) at \(String(describing: e.range))\n"
        // What the renderer adds: the loops around it (with the variables' values) and notes.
        for loop in e.loops { text += "in the loop at \(loop.statement): \(loop.value)\n" }
        for note in e.notes { text += note + "\n" }
        for call in e.callChain { text += "called from \(call.function) at \(call.range)\n" }
    }
    return (text, I)
}

/// Runs `program` as a script runs (an error ends the run: HostSettings.errorsEndTheRun), numeric
/// tier on or off: what it printed, then `error: MESSAGE at RANGE` for the error it stopped with.
func scriptOutput(_ program: String, tier: Bool) -> String {
    let I = Interpreter(output: { _ in })
    I.usesNumericTier = tier
    I.host.errorsEndTheRun = true
    let run = Run(program, interpreter: I)
    return run.output + (run.error.map { "error: \($0.message) at \(String(describing: $0.range))\n" } ?? "")
}

/// Runs `program` (numeric tier on or off) with Ctrl-C pressed as its k-th piece of output is
/// written: what it wrote, then `error: MESSAGE [calls]` for the error it stopped with.
func interrupted(_ program: Program, afterLine k: Int, tier: Bool) -> (String, Interpreter) {
    let I = Interpreter(output: { _ in })
    I.usesNumericTier = tier
    var out = "", lines = 0
    I.host.output = { piece in
        out += piece
        lines += 1
        if lines == k { interruptRequest.store(1, ordering: .relaxed) }
    }
    do { try I.run(program) } catch { out += "error: \(error.diagnostic.message) \(error.diagnostic.callChain.map(\.function))\n" }
    interruptRequest.store(0, ordering: .relaxed)
    return (out, I)
}

/// A diagnostic as the agreement tests compare it: message and place, notes, the loops'
/// values and the call chain, a line each.
func diagnosticText(_ d: Diagnostic) -> String {
    var text = "error: \(d.message) at \(d.range.start)+\(d.range.length)\n"
    text += d.notes.map { "  \($0)\n" }.joined()
    text += d.loopValues.map { "  loop \($0)\n" }.joined()
    text += d.callChain.map { "  in \($0.function) at \($0.range.start)\n" }.joined()
    return text
}

// MARK: shortcut agreement

/// A run for the shortcut-agreement tests (MachineFastPathTests, TensorArgumentTests,
/// MethodCallTests): printed text, the diagnostic, the variables' values at the end, with the
/// compiled code's shortcuts (`Interpreter.usesFastPaths`), the numeric tier and :trace as given.
func shortcutOutcome(_ text: String, fast: Bool, tier: Bool, trace: Bool = false) -> String {
    let I = Interpreter(output: { _ in })
    I.usesFastPaths = fast
    I.usesNumericTier = tier
    I.channel.trace = trace
    return outcomeText(text, in: I)
}

/// `text` run in I: what it printed (with each value the REPL would show, when `shown`), the
/// diagnostic it ended with, and the variables at the end, each as `value` writes it.
func outcomeText(_ text: String, in I: Interpreter, shown: Bool = false,
                 value: (Value) -> String = { Interpreter.repr($0) }) -> String {
    var out = ""
    I.host.output = { out += $0 }
    guard case .complete(let program) = Parser.parse(SourceFile(name: "t.opt", text: text)) else {
        XCTFail("does not parse:\n\(text)")
        return ""
    }
    do {
        if shown {
            try I.run(program) { out += "shown: " + Interpreter.repr($0) + "\n" }
        } else {
            try I.run(program)
        }
    } catch {
        out += diagnosticText(error.diagnostic)
    }
    out += "vars: " + I.userVariables.map { "\($0.0)=\(value($0.1))" }.joined(separator: " ") + "\n"
    return out
}

/// Runs `text` with the shortcuts and without, tier on and off, and demands the same outcome
/// each way; returns the shortcuts' (tier on).
@discardableResult
func assertSameWithShortcuts(_ text: String, trace: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> String {
    let fast = shortcutOutcome(text, fast: true, tier: true, trace: trace)
    XCTAssertEqual(fast, shortcutOutcome(text, fast: false, tier: true, trace: trace), "\n\(text)", file: file, line: line)
    XCTAssertEqual(shortcutOutcome(text, fast: true, tier: false, trace: trace), shortcutOutcome(text, fast: false, tier: false, trace: trace),
                   "\n\(text)", file: file, line: line)
    return fast
}

/// Checks `count` programs from `make` that way (`trace` says which, by number, run under
/// :trace); both endings (a clean end, an error) must occur.
func checkShortcuts(_ count: Int, seed: UInt64, trace: (Int) -> Bool = { _ in false }, file: StaticString = #filePath,
                    line: UInt = #line, _ make: (inout GradPropertyTests.Generator) -> String) {
    var g = GradPropertyTests.Generator(state: seed)
    var failed = 0
    for k in 0..<count {
        let text = make(&g)
        if assertSameWithShortcuts(text, trace: trace(k), file: file, line: line).contains("error: ") { failed += 1 }
    }
    XCTAssertGreaterThan(failed, count / 10, "too few programs fail", file: file, line: line)
    XCTAssertLessThan(failed, count * 9 / 10, "too few programs end cleanly", file: file, line: line)
}

/// One of `xs`, chosen by the generator.
func pick(_ g: inout GradPropertyTests.Generator, _ xs: [String]) -> String { xs[g.below(xs.count)] }

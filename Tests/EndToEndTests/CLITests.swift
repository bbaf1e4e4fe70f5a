// The command line, end to end: exact help text, every exit code, argv, stdin, no escapes in pipes.

import Foundation
import XCTest
import TestSupport

final class CLITests: XCTestCase {
    func testHelpTextIsExact() throws {
        let out = try Binary.run(["--help"])
        XCTAssertEqual(out.status, 0)
        XCTAssertEqual(out.stdout, try readTextFile(repositoryRoot + "/Tests/EndToEndTests/help.txt"))
        XCTAssertEqual(try Binary.run(["-h"]).stdout, out.stdout)
    }

    func testVersion() throws {
        let out = try Binary.run(["--version"])
        XCTAssertEqual(out.stdout, "optrepl 0.1.0\n")
        XCTAssertEqual(out.status, 0)
    }

    func testExitCodes() throws {
        XCTAssertEqual(try Binary.run(["-e", "print(1)"]).status, 0)
        XCTAssertEqual(try Binary.run(["--bogus"]).status, 64)
        XCTAssertEqual(try Binary.run(["--max-elements", "lots", "-e", "1"]).status, 64)
        XCTAssertEqual(try Binary.run(["-e", "x = ("]).status, 65)
        XCTAssertEqual(try Binary.run(["no/such/file.opt"]).status, 66)
        XCTAssertEqual(try Binary.run(["-e", "x = y"]).status, 70)
        XCTAssertEqual(try Binary.run(["-e", "exit(7)"]).status, 7)
    }

    /// A script lends a global to the function of `xs = add(xs, 3)` (an error ends the run, and
    /// no function names xs); `-i`, which goes on to the REPL after an error, lends nothing, so
    /// the REPL finds xs as it was when add failed after growing its value. Both report the
    /// error alike.
    func testAGlobalLentByAScriptIsKeptWhenTheREPLFollows() throws {
        let file = NSTemporaryDirectory() + "optrepl-lent-\(getpid()).opt"
        try "fn add(t, v) { t = append(t, v); return t + \"s\" }\nxs = (1, 2)\nxs = add(xs, 3)\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let script = try Binary.run([file], environment: ["NO_COLOR": "1"])
        let interactive = try Binary.run(["-i", file], stdin: "print(xs)\n", environment: ["NO_COLOR": "1"])
        XCTAssertEqual(script.status, 70)
        XCTAssertEqual(script.stdout, "")
        XCTAssertTrue(script.stderr.hasPrefix("\(file):1:41: error: cannot apply '+' to tuple and string\n"), script.stderr)
        XCTAssertEqual(interactive.stderr, script.stderr)
        XCTAssertTrue(interactive.stdout.hasSuffix("(1, 2)\n\n"), interactive.stdout)
    }

    func testMissingFileMessage() throws {
        let out = try Binary.run(["no/such/file.opt"])
        XCTAssertEqual(out.stderr, "optrepl: cannot open 'no/such/file.opt': No such file or directory\n")
        XCTAssertEqual(out.stdout, "")
    }

    func testUnknownOptionIsAUsageError() throws {
        let out = try Binary.run(["--bogus"])
        XCTAssertEqual(out.status, 64)
        XCTAssertTrue(out.stderr.hasPrefix("Error: unknown option '--bogus'\n"), out.stderr)
    }

    func testDiagnosticRenderingIsExact() throws {
        let out = try Binary.run(["-e", "β₁ = 0.9\ny = β₁ * [1, 2] + [1, 2, 3]"])
        XCTAssertEqual(out.status, 70)
        XCTAssertEqual(out.stderr, """
        <-e>:2:5: error: cannot broadcast shapes (2,) and (3,)
            y = β₁ * [1, 2] + [1, 2, 3]
                ^~~~~~~~~~~~~~~~~~~~~~~

        """)
        XCTAssertFalse(out.stderr.contains("\u{1B}"), "no ANSI escapes in a pipe")
    }

    func testLongLinesShowAWindowAroundTheError() throws {
        let program = "x = " + String(repeating: "1 + ", count: 100) + "y"
        let out = try Binary.run(["-e", program])
        let lines = out.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "<-e>:1:405: error: unknown name 'y'")
        XCTAssertEqual(lines[1], "    ..." + String(program.suffix(160)))
        XCTAssertEqual(lines[2], String(repeating: " ", count: lines[1].count - 1) + "^")
    }

    func testCallChainIsRendered() throws {
        let out = try Binary.run(["-e", "fn f(x) = x + \"s\"\nfn g(x) = f(x)\ng(1)"])
        XCTAssertEqual(out.stderr, """
        <-e>:1:11: error: cannot apply '+' to number and string
            fn f(x) = x + "s"
                      ^~~~~~~
        hint: write "\\(x)..." to put a value into a string
          at f (<-e>:1:11)
          at g (<-e>:2:11)
          at <top level> (<-e>:3:1)

        """)
    }

    /// A closure a built-in calls (map's, grad's f, a schedule's lambda at a step) is a frame of
    /// the call chain too, called from the built-in's call site.
    func testCallChainGoesThroughBuiltins() throws {
        let mapped = try Binary.run(["-e", "fn f(x) = x + [1, 2][5]\nfn run(xs) = map(fn(t) = f(t) * 2, xs)\nprint(run((1, 2)))"])
        XCTAssertEqual(mapped.stderr, """
        <-e>:1:15: error: index 5 is out of range for axis 0 with size 2
            fn f(x) = x + [1, 2][5]
                          ^~~~~~~~~
          at f (<-e>:1:15)
          at <anonymous> (<-e>:2:26)
          at run (<-e>:2:14)
          at <top level> (<-e>:3:7)

        """)
        let stepped = try Binary.run(["-e", "fn f(t) = [1][t + 3]\nopt = sgd(lr: schedule(\"lambda\", 0.1, fn(t) = f(t)))\nw = opt.step(1, 1)"])
        XCTAssertEqual(stepped.stderr.split(separator: "\n").suffix(3).joined(separator: "\n"), """
          at f (<-e>:1:11)
          at <anonymous> (<-e>:2:47)
          at <top level> (<-e>:3:5)
        """)
        let differentiated = try Binary.run(["-e", "fn f(x) = x + [1, 2][5]\nprint(grad(f, 1))"])
        XCTAssertEqual(differentiated.stderr.split(separator: "\n").suffix(2).joined(separator: "\n"), """
          at f (<-e>:1:15)
          at <top level> (<-e>:2:7)
        """)
    }

    /// Mutual recursion past the limit repeats a block of frames: it is shown once, with a count,
    /// as one repeated frame is.
    func testRepeatedBlocksOfFramesAreFolded() throws {
        let out = try Binary.run(["-e", "fn f(n) = g(n + 1)\nfn g(n) = f(n) + 1\nprint(f(1))"])
        XCTAssertEqual(out.stderr, """
        <-e>:2:11: error: recursion too deep (limit 10000)
            fn g(n) = f(n) + 1
                      ^~~~
          at g (<-e>:2:11)
          at f (<-e>:1:11)
          ... the 2 lines above repeated 4999 more times
          at <top level> (<-e>:3:7)

        """)
    }

    func testSyntaxErrorHint() throws {
        let out = try Binary.run(["-e", "adam(lr = 0.1)"])
        XCTAssertEqual(out.status, 65)
        XCTAssertEqual(out.stderr, """
        <-e>:1:6: error: labelled arguments are written 'lr: value', not 'lr = value'
            adam(lr = 0.1)
                 ^~~~
        hint: write lr: 0.1

        """)
    }

    func testArgvForFileDashEAndStdin() throws {
        XCTAssertEqual(try Binary.run(["-e", "print(argv)", "a", "b"]).stdout, "(\"a\", \"b\")\n")
        XCTAssertEqual(try Binary.run(["-e", "print(argv)"]).stdout, "()\n")
        XCTAssertEqual(try Binary.run(["-", "x"], stdin: "print(argv)").stdout, "(\"x\",)\n")
        XCTAssertEqual(try Binary.run([], stdin: "print(1 + 1)\nx = 5\nx").stdout, "2\n", "piped stdin never echoes")
    }

    func testStdinSyntaxErrorNamesStdin() throws {
        let out = try Binary.run([], stdin: "print(")
        XCTAssertEqual(out.status, 65)
        XCTAssertTrue(out.stderr.hasPrefix("<stdin>:1:7: error: unexpected end of input"), out.stderr)
    }

    func testMaxSecondsStopsAScriptWithExit70() throws {
        let out = try Binary.run(["--max-seconds", "0.3", "-e", "while true {}"])
        XCTAssertEqual(out.status, 70)
        XCTAssertTrue(out.stderr.hasPrefix("<-e>:1:1: error: time limit exceeded (--max-seconds)"), out.stderr)
        // The same inside a function of numbers, which runs in the numeric tier.
        let spin = try Binary.run(["--max-seconds", "0.3", "-e", "fn spin(x) {\n    while true { x = x + 1 }\n    return x\n}\nprint(spin(1))"])
        XCTAssertEqual(spin.status, 70)
        XCTAssertTrue(spin.stderr.hasPrefix("<-e>:5:7: error: time limit exceeded (--max-seconds)"), spin.stderr)
    }

    /// Long work inside one statement and between statements obeys --max-seconds too: the
    /// repr of 16M numbers, an operator on a large tensor and straight-line code of products.
    func testMaxSecondsInsideLongBuiltinsAndBetweenStatements() throws {
        let repr = try Binary.run(["--max-seconds", "0.5", "-e", "x = repr(randn(2^24))"])
        XCTAssertEqual(repr.status, 70)
        // Drawing the numbers or writing them: where the limit falls depends on the machine.
        XCTAssertTrue(repr.stderr.hasPrefix("<-e>:1:") && repr.stderr.contains(": error: time limit exceeded (--max-seconds)"), repr.stderr)
        let steps = try Binary.run(["--max-seconds", "0.5", "-e",
                                    "m = ones(2500, 2500)\na = m @ m\nb = m @ m\nc = m @ m\nd = m @ m\nprint(\"finished\")"])
        XCTAssertEqual(steps.status, 70, steps.stderr)
        XCTAssertEqual(steps.stdout, "")
        XCTAssertTrue(steps.stderr.contains("error: time limit exceeded (--max-seconds)"), steps.stderr)
    }

    /// A 500,000-term sum is a syntax error (it overflowed the stack of the later phases), a
    /// chain at the limit runs, and a call with 150,000 arguments parses in linear time.
    func testLongChainsAndManyArguments() throws {
        // Through stdin: one command-line argument may hold 128 KB at most.
        let long = try Binary.run(["-"], stdin: "x = 1" + String(repeating: "+1", count: 500_000))
        XCTAssertEqual(long.status, 65)
        XCTAssertTrue(long.stderr.hasPrefix("<stdin>:1:100006: error: an expression may chain at most 50000 operators"), String(long.stderr.prefix(200)))
        let limit = try Binary.run(["-"], stdin: "print(1" + String(repeating: "+1", count: 49_999) + ")")
        XCTAssertEqual(limit.stdout, "50000\n")
        let started = Date()
        let many = try Binary.run(["-"], stdin: "print(max(" + Array(repeating: "1", count: 150_000).joined(separator: ",") + "))")
        XCTAssertEqual(many.stdout, "1\n", many.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    }

    /// The caret sits under the right character when the line holds wide characters or
    /// combining marks (placed by display width); the column stays in code points.
    func testCaretIsPlacedByDisplayWidth() throws {
        let wide = try Binary.run(["-e", "x = \"日本語\" + 1"])
        XCTAssertEqual(wide.stderr.split(separator: "\n").prefix(3).map(String.init), [
            "<-e>:1:5: error: cannot apply '+' to string and number",
            "    x = \"日本語\" + 1",
            "        ^~~~~~~~~~~~",
        ])
        let combining = try Binary.run(["-e", "mu = \"cafe\u{301}\"; z = mu + 1"])
        XCTAssertEqual(combining.stderr.split(separator: "\n").prefix(3).map(String.init), [
            "<-e>:1:19: error: cannot apply '+' to string and number",
            "    mu = \"cafe\u{301}\"; z = mu + 1",
            "                     ^~~~~~",
        ])
    }

    /// A message quoting bytes of a binary input shows control characters escaped: none reaches
    /// the terminal as a command.
    func testDiagnosticsEscapeControlCharacters() throws {
        let path = NSTemporaryDirectory() + "optrepl-escape-\(getpid()).csv"
        try "1,2\n1,\u{1B}[31mx\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = try Binary.run(["-e", "x = load_csv(\"\(path)\")"])
        XCTAssertEqual(out.status, 70)
        XCTAssertEqual(out.stderr.split(separator: "\n").first.map(String.init),
                       "<-e>:1:5: error: '\(path)' line 2: cannot read \"\\u{1b}[31mx\" as a number")
    }

    /// Doubling a string or a tuple 40 times stops at the element limit with a diagnostic.
    func testDoublingStopsAtTheElementLimit() throws {
        let string = try Binary.run(["--max-elements", "1000", "-e", "s = \"ab\"\nfor i in 0..<40 { s = s + s }"])
        XCTAssertEqual(string.status, 70)
        XCTAssertTrue(string.stderr.hasPrefix("<-e>:2:23: error: string of 1024 bytes is too large (limit 1000 elements; see --max-elements)"), string.stderr)
        let tuple = try Binary.run(["--max-elements", "1000", "-e", "t = (1,)\nfor i in 0..<40 { t = (t, t) }\nprint(len(t))\nprint(t)"])
        XCTAssertEqual(tuple.status, 70)
        XCTAssertEqual(tuple.stdout, "2\n")
        XCTAssertTrue(tuple.stderr.hasPrefix("<-e>:4:1: error: tree of more than 1000 elements is too large (limit 1000 elements; see --max-elements)"), tuple.stderr)
    }

    func testSigintExits130() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["-e", "print(\"started\")\nwhile true {}"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        usleep(500_000)  // let the loop start, then interrupt it
        process.interrupt()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertEqual(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "started\n")
        XCTAssertEqual(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "interrupted\n")
    }

    func testClosedPipeExits74Silently() throws {
        let out = try Binary.run(["-c", "\"\(Binary.path)\" -e 'for i in 0..<1000000 { print(i) }' | head -n 2; echo \"status ${PIPESTATUS[0]}\""],
                                 executable: "/bin/bash")
        XCTAssertEqual(out.stdout, "0\n1\nstatus 74\n")
        XCTAssertEqual(out.stderr, "")
    }

    func testSeedOptionSeedsBeforeTheProgram() throws {
        let out = try Binary.run(["--seed", "0", "-e", "print(repr(randn()), repr(rand()))"])
        XCTAssertEqual(out.stdout, "1.764052345967664 0.6027633760716439\n")
        XCTAssertEqual(try Binary.run(["--seed", "-1", "-e", "1"]).status, 64)
    }

    /// `check` and `exercises` are commands even when a file of that name exists; `./check`
    /// runs the file.
    func testSubcommandWordsWinOverFiles() throws {
        let dir = NSTemporaryDirectory() + "optrepl-words-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "print(\"the file\")\n".write(toFile: dir + "/check", atomically: true, encoding: .utf8)
        let command = try Binary.run(["check", "x.opt"], directory: dir)
        XCTAssertEqual(command.stderr, "optrepl check: cannot open 'x.opt': No such file or directory\n")
        XCTAssertEqual(command.status, 66)
        let file = try Binary.run(["./check"], directory: dir)
        XCTAssertEqual(file.stdout, "the file\n")
    }

    /// `optrepl FILE [ARGS]` and `optrepl -e CODE` skip the argument parser (Optrepl.plainRun):
    /// each gives what the parser's path gives for the same line (forced there by an option at
    /// its default), output, diagnostics and exit code, for programs that succeed, fail, do not
    /// parse or are missing, and arguments that look like options.
    /// `-e CODE` takes the next word as the code whatever it starts with (as `python3 -c -1`).
    func testCodeMayStartWithADash() throws {
        let r = try Binary.run(["-e", "-[1, 2][5]"])
        XCTAssertEqual(r.status, 70)
        XCTAssertEqual(r.stderr, "<-e>:1:2: error: index 5 is out of range for axis 0 with size 2\n    -[1, 2][5]\n     ^~~~~~~~~\n")
        let shown = try Binary.run(["--seed", "1", "-e", "-print(2)"])
        XCTAssertEqual(shown.stdout, "2\n")
        XCTAssertEqual(shown.stderr, "<-e>:1:1: error: cannot apply unary '-' to a nil\n    -print(2)\n    ^~~~~~~~~\n")
        XCTAssertEqual(try Binary.run(["-e", "-1"]).status, 0)
    }

    func testPlainCommandLinesAreTheParsersLines() throws {
        let dir = NSTemporaryDirectory() + "optrepl-plain-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "print(argv)\nprint(len(argv) + [1][3])\n".write(toFile: dir + "/fails.opt", atomically: true, encoding: .utf8)
        try "x = \n".write(toFile: dir + "/syntax.opt", atomically: true, encoding: .utf8)
        try "print(\"ok\", argv)\n".write(toFile: dir + "/ok.opt", atomically: true, encoding: .utf8)
        let lines: [[String]] = [["ok.opt"], ["ok.opt", "--help", "-e", "x", "-i"], ["fails.opt", "a"], ["syntax.opt"],
                                 ["missing.opt"], [""], ["-e", "print(argv, 1)"], ["-e", "[1][4]"], ["-e", "x = "], ["-e", ""],
                                 ["-e", "-1"], ["-e", "-[1][4]"], ["-e", "--help"]]
        for line in lines {
            let plain = try Binary.run(line, directory: dir)
            let parsed = try Binary.run(["--max-elements", "\(1 << 28)"] + line, directory: dir)
            XCTAssertEqual(plain.stdout, parsed.stdout, "\(line)")
            XCTAssertEqual(plain.stderr, parsed.stderr, "\(line)")
            XCTAssertEqual(plain.status, parsed.status, "\(line)")
        }
    }
}

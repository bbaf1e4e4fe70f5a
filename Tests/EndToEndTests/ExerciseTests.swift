// The graded exercises (issue 7, spec §12, §14.8): every exercise FAILS as shipped and PASSES
// with its worked solution (rustlings' rule), and the exact text of `check` and `exercises`.

import Foundation
import XCTest
import TestSupport

final class ExerciseTests: XCTestCase {
    static let names = ["01_ewa", "02_bias_correction", "03_momentum", "04_rmsprop", "05_adam", "06_lr_decay",
                        "07_step_lr", "08_clipping", "09_nan_inf", "10_grad_scaling", "11_saddle"]

    func testEveryExerciseFailsAsShippedAndPassesWithItsSolution() throws {
        let shipped = (try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/exercises"))
            .filter { $0.hasSuffix(".opt") }.sorted()
        XCTAssertEqual(shipped, ExerciseTests.names.map { $0 + ".opt" })
        let progress = NSTemporaryDirectory() + "optrepl-progress-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: progress) }
        for name in ExerciseTests.names {
            // Hints live apart (exercises/hints/): the first failed check points to them, the
            // second shows them, and `optrepl hint NAME` prints them any time.
            let exercise = try Binary.run(["check", "exercises/\(name).opt"], environment: ["OPTREPL_PROGRESS": progress])
            XCTAssertEqual(exercise.status, 1, name)
            XCTAssertTrue(exercise.stdout.hasPrefix("FAIL \(name): not finished: replace the TODO at line "), exercise.stdout)
            XCTAssertTrue(exercise.stdout.hasSuffix("\n  (optrepl hint \(name) shows a hint)\n"), exercise.stdout)
            XCTAssertFalse(try readTextFile(repositoryRoot + "/exercises/\(name).opt").contains("# hint:"), "\(name) keeps a hint in the file")
            let again = try Binary.run(["check", "exercises/\(name).opt"], environment: ["OPTREPL_PROGRESS": progress])
            XCTAssertTrue(again.stdout.contains("\n  hint: "), "\(name) shows no hint the second time")
            let hint = try Binary.run(["hint", name])
            XCTAssertEqual(hint.stdout, try readTextFile(repositoryRoot + "/exercises/hints/\(name).txt")
                .split(separator: "\n").map { "hint: \($0)\n" }.joined())
            let solution = try Binary.run(["check", "exercises/solutions/\(name).opt"])
            XCTAssertEqual(solution.stdout, "PASS \(name)\n", solution.stderr)
            XCTAssertEqual(solution.status, 0, name)
        }
    }

    private func folder(_ files: [String: String]) throws -> String {
        let dir = NSTemporaryDirectory() + "optrepl-exercises-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    func testCheckReportsTheFirstFailingCheckWithHintsAndSuppressesOutput() throws {
        let dir = try folder([
            "a_done.opt": "print(\"noise\")\nexpect_close(0.1 + 0.2, 0.3)\n",
            "b_wrong.opt": "# hint: β is 0.8 here\nx = 0.9 ^ 2\nexpect_close(x, 0.8 ^ 2)\nexpect_eq(1, 2)\n",
            "c_todo.opt": "# a comment saying TODO does not count\ns = \"TODO in a string does not count\"\nx = TODO\n",
            "d_sandbox.opt": "save_csv(\"x.csv\", [1])\n",
            "e_loop.opt": "fn f(n) = 2 ^ n\nfor i in 0..<5 {\n  for j in 0..<2 {\n    want = 2 ^ (i + j)\n    if i == 3 { want = want / 2 }\n    expect_eq(f(i + j), want)\n  }\n}\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let all = try Binary.run(["check", "\(dir)/a_done.opt", "\(dir)/b_wrong.opt", "\(dir)/c_todo.opt", "\(dir)/d_sandbox.opt", "\(dir)/e_loop.opt"])
        XCTAssertEqual(all.stdout, """
            PASS a_done
            FAIL b_wrong: line 3: expected 0.6400000000000001, got 0.81
              hint: β is 0.8 here
            FAIL c_todo: not finished: replace the TODO at line 3
            FAIL d_sandbox: line 1: 'save_csv' is disabled by --sandbox
            FAIL e_loop: line 6 (i = 3, j = 0): expected 4, got 8

            """)
        // A script names the iteration under the error too.
        let script = try Binary.run(["\(dir)/e_loop.opt"])
        XCTAssertEqual(script.stderr, """
            \(dir)/e_loop.opt:6:5: error: expected 4, got 8
                    expect_eq(f(i + j), want)
                    ^~~~~~~~~~~~~~~~~~~~~~~~~
            note: in the loop, at i = 3, j = 0
            note: values differ

            """)
        XCTAssertEqual(all.status, 1)
        XCTAssertEqual(try Binary.run(["check", "\(dir)/a_done.opt"]).status, 0)
        let missing = try Binary.run(["check", "\(dir)/a_done.opt", "\(dir)/nope.opt"])
        XCTAssertEqual(missing.status, 66)
        XCTAssertEqual(missing.stdout, "PASS a_done\n")
        XCTAssertEqual(missing.stderr, "optrepl check: cannot open '\(dir)/nope.opt': No such file or directory\n")
    }

    /// The loop note gives a number's exact text and a long row's shape (never 200 numbers).
    func testLoopNoteOfNumbersAndLongRows() throws {
        let numbers = try Binary.run(["-e", "for i in 0..<3 { for j in [nan, -0.0, 1e308] { assert(j < 0) } }"])
        XCTAssertTrue(numbers.stderr.hasSuffix("note: in the loop, at i = 0, j = nan\n"), numbers.stderr)
        let rows = try Binary.run(["-e", "for x in zeros(3, 200) { assert(false) }"])
        XCTAssertTrue(rows.stderr.hasSuffix("note: in the loop, at x = a tensor of shape (200,)\n"), rows.stderr)
        XCTAssertEqual(rows.status, 70)
    }

    /// `optrepl hint NAME` finds the exercise in ./exercises or, in a copy the student works in,
    /// in the current folder; otherwise it says where it looked.
    func testHintFindsTheExerciseInTheCurrentFolder() throws {
        let dir = try folder(["e_one.opt": "x = TODO\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/hints", withIntermediateDirectories: true)
        try "start from zeros\n".write(toFile: dir + "/hints/e_one.txt", atomically: true, encoding: .utf8)
        XCTAssertEqual(try Binary.run(["hint", "e_one"], directory: dir).stdout, "hint: start from zeros\n")
        let missing = try Binary.run(["hint", "e_two"], directory: dir)
        XCTAssertEqual(missing.stderr, "optrepl hint: no exercise 'e_two' (looked for exercises/e_two.opt and e_two.opt); give its file: optrepl hint DIR/e_two.opt\n")
        XCTAssertEqual(missing.status, 66)
    }

    /// `exercises --watch` checks the current exercise each time its file is saved and moves on
    /// when it passes, as rustlings' watch mode does.
    func testWatchRechecksOnSaveAndMovesOn() throws {
        let dir = try folder([
            "a_first.opt": "x = 1\nexpect_eq(x, 2)\n",
            "b_second.opt": "y = TODO\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["exercises", "--watch", dir]
        process.environment = ["OPTREPL_PROGRESS": dir + "/.progress", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        func waitFor(_ text: String) -> String {
            var seen = ""
            let end = Date().addingTimeInterval(15)
            while Date() < end {
                seen = (try? readTextFile(dir + "/.out")) ?? seen
                if seen.contains(text) { break }
                usleep(100_000)
            }
            return seen
        }
        // Collect stdout into a file as it comes.
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/.out", contents: nil))
        let sink = FileHandle(forWritingAtPath: dir + "/.out")!
        output.fileHandleForReading.readabilityHandler = { h in sink.write(h.availableData) }
        _ = waitFor("FAIL a_first")
        usleep(300_000)
        try "x = 2\nexpect_eq(x, 2)\n".write(toFile: dir + "/a_first.opt", atomically: false, encoding: .utf8)
        _ = waitFor("FAIL b_second")
        usleep(300_000)
        try "y = 1\n".write(toFile: dir + "/b_second.opt", atomically: false, encoding: .utf8)
        let text = waitFor("all 2 exercises pass")
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(text, """
            watching \(dir)/a_first.opt (Ctrl-C to leave)
            FAIL a_first: line 2: expected 2, got 1
            PASS a_first
            watching \(dir)/b_second.opt (Ctrl-C to leave)
            FAIL b_second: not finished: replace the TODO at line 1
            PASS b_second
            all 2 exercises pass

            """)
    }

    func testExercisesListsEachWithAMarkAndTheNextOne() throws {
        let dir = try folder([
            "01_first.opt": "expect_eq(1 + 1, 2)\n",
            "02_second.opt": "expect_eq(2 + 2, 5)\n",
            "03_third.opt": "y = TODO\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try Binary.run(["exercises", dir])
        XCTAssertEqual(out.stdout, """
            exercises in \(dir)/:
              ✓ 01_first
              ✗ 02_second  line 1: expected 5, got 4
              · 03_third   to do
            1 of 3 done; next: 02_second (optrepl check \(dir)/02_second.opt)

            """)
        XCTAssertEqual(out.status, 0)
        let shipped = try Binary.run(["exercises"])
        XCTAssertTrue(shipped.stdout.hasSuffix("0 of 11 done; next: 01_ewa (optrepl check exercises/01_ewa.opt)\n"), shipped.stdout)
        let solutions = try Binary.run(["exercises", "exercises/solutions"])
        XCTAssertTrue(solutions.stdout.hasSuffix("all 11 exercises pass\n"), solutions.stdout)
        let missing = try Binary.run(["exercises", "/no/such/folder"])
        XCTAssertEqual(missing.status, 66)
        XCTAssertEqual(missing.stderr, "optrepl exercises: cannot open the folder '/no/such/folder'\n")
    }

    func testAnEndlessExerciseIsStoppedByTheTimeLimit() throws {
        let dir = try folder(["loop.opt": "while true {}\n", "after.opt": "expect_eq(1, 1)\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try Binary.run(["check", "\(dir)/loop.opt", "\(dir)/after.opt"])
        XCTAssertEqual(out.stdout, "FAIL loop: still running after 10 s (an endless loop?)\nPASS after\n")
        XCTAssertEqual(out.status, 1)
    }
}

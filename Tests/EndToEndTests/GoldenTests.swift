// The golden harness: every program under examples/ and Tests/Programs/ states its expected
// output in comments, and this runs each one through the binary and compares.
//
//   # expect: TEXT              the next line of stdout (also at the end of a code line)
//   # expect error: L:C: MSG    a diagnostic `FILE:L:C: error: MSG`, in order, on stderr
//   # expect exit: N            the exit status (default 0, or 65/70 as the errors imply)
//   # args: A B                 arguments after the file (argv)
//
// An example may instead keep its whole expected stdout in NAME.expected beside it. Heavy
// examples (`heavyExamples`) run on the release binary when the Makefile built one.

import Foundation
import XCTest
import TestSupport

struct GoldenExpectation {
    var stdout: [String] = []
    var errors: [String] = []
    var exit: Int32?
    var args: [String] = []

    init(source: String) {
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if let r = line.range(of: "# expect error: ") {
                errors.append(String(line[r.upperBound...]))
            } else if let r = line.range(of: "# expect exit: ") {
                exit = Int32(line[r.upperBound...].trimmingCharacters(in: .whitespaces))
            } else if let r = line.range(of: "# expect: ") {
                stdout.append(String(line[r.upperBound...]))
            } else if line.hasSuffix("# expect:") {
                stdout.append("")
            } else if let r = line.range(of: "# args: ") {
                args = line[r.upperBound...].split(separator: " ").map(String.init)
            }
        }
    }
}

final class GoldenTests: XCTestCase {
    static func programs(in folder: String) -> [String] {
        let dir = repositoryRoot + "/" + folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".opt") }.sorted().map { folder + "/" + $0 }
    }

    static let heavyExamples: Set<String> = ["examples/course_moons.opt"]

    func check(_ path: String) throws {
        let source = try readTextFile(repositoryRoot + "/" + path)
        let expect = GoldenExpectation(source: source)
        let executable = GoldenTests.heavyExamples.contains(path) ? Binary.releasePath : nil
        let outcome = try Binary.run([path] + expect.args, executable: executable)
        let expectedFile = repositoryRoot + "/" + path.dropLast(".opt".count) + ".expected"
        let wantStdout = FileManager.default.fileExists(atPath: expectedFile)
            ? try readTextFile(expectedFile) : expect.stdout.map { $0 + "\n" }.joined()
        XCTAssertEqual(outcome.stdout, wantStdout, "stdout of \(path)")
        let errorLines = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix(path + ":") && $0.contains(": error: ") }
        // "FILE:L:C: error: MSG" is compared as "L:C: MSG".
        let gotErrors = errorLines.map { line -> String in
            let rest = line.dropFirst(path.count + 1)
            let r = rest.range(of: " error: ")!
            return String(rest[..<r.lowerBound]) + " " + String(rest[r.upperBound...])
        }
        XCTAssertEqual(gotErrors, expect.errors, "diagnostics of \(path); stderr was:\n\(outcome.stderr)")
        let wantExit = expect.exit ?? 0
        XCTAssertEqual(outcome.status, wantExit, "exit status of \(path); stderr was:\n\(outcome.stderr)")
    }

    /// Every example, by name: a new example must be added here, and none may go missing.
    static let examples = [
        "adam_steps.opt",
        "autocast_underflow.opt",
        "clipping_and_checks.opt",
        "course_moons.opt",
        "ewa_bias_correction.opt",
        "ewa_by_hand.opt",
        "grad_scaler_loop.opt",
        "hello.opt",
        "learning_rate_decay.opt",
        "momentum_vs_pytorch.opt",
        "rmsprop_course_vs_pytorch.opt",
        "sgd_on_a_bowl.opt",
    ]

    func testExamples() throws {
        let files = GoldenTests.programs(in: "examples")
        XCTAssertEqual(files.map { String($0.dropFirst("examples/".count)) }, GoldenTests.examples)
        for f in files { try check(f) }
    }

    func testLanguagePrograms() throws {
        let files = GoldenTests.programs(in: "Tests/Programs")
        XCTAssertFalse(files.isEmpty)
        for f in files { try check(f) }
    }

    func testMalformedPrograms() throws {
        let files = GoldenTests.programs(in: "Tests/Programs/errors")
        XCTAssertGreaterThanOrEqual(files.count, 60, "the issue asks for at least 60 malformed programs")
        for f in files { try check(f) }
    }
}

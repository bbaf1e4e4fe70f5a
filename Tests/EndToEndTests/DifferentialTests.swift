// REPL ≡ script: every golden program, the tutorial's snippets and 300 generated programs are
// typed into the REPL under a pseudo-terminal (Tests/differential/repl_vs_script.py) and must
// print what the script prints and leave every variable with the same value. This is the test
// that would have caught the REPL running a typed loop twice.

import XCTest
import TestSupport

final class DifferentialTests: XCTestCase {
    func testTheREPLRunsWhatAScriptRuns() throws {
        // The release binary when the Makefile built one: 300 programs type faster there.
        let binary = Binary.releasePath ?? Binary.path
        let run = try Binary.run(["python3", repositoryRoot + "/Tests/differential/repl_vs_script.py",
                                  "--binary", binary, "--generated", "300", "--seed", "1"],
                                 executable: "/usr/bin/env")
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let summary = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(summary.hasSuffix("0 failed, 0 skipped"), summary)
        let passed = Int(summary.split(separator: " ").first ?? "") ?? 0
        XCTAssertGreaterThanOrEqual(passed, 300 + 30, "every program ran: \(summary)")
    }
}

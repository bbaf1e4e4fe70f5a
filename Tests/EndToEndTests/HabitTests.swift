// Python, NumPy and PyTorch habits: each case of Tests/Programs/habits/habits.txt runs with -e
// and must print exactly its diagnostic with the habit's hint (issue 13.1).

import Foundation
import XCTest
import TestSupport

final class HabitTests: XCTestCase {
    func testEveryHabitHasItsHint() throws {
        let text = try readTextFile(repositoryRoot + "/Tests/Programs/habits/habits.txt")
        var cases: [(code: String, stderr: String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("=== ") {
                cases.append((String(line.dropFirst(4)), ""))
            } else if !cases.isEmpty, !line.isEmpty {
                cases[cases.count - 1].stderr += line + "\n"
            }
        }
        XCTAssertGreaterThanOrEqual(cases.count, 40)
        for c in cases {
            let out = try Binary.run(["-e", c.code])
            XCTAssertEqual(out.stderr, c.stderr, c.code)
            XCTAssertTrue(out.status == 65 || out.status == 70, "\(c.code): exit \(out.status)")
            XCTAssertTrue(c.stderr.contains("\nhint: ") || c.stderr.contains("'else if'"), "\(c.code) has no hint")
        }
    }

    /// The habits never cost a valid program anything: names of the table stay usable.
    func testHabitNamesRemainOrdinaryNames() throws {
        let out = try Binary.run(["-e", "np = 2; None = 3; f = 4; lambda = 5; print(np + None + f + lambda)\nfrom = 1; print(from)"])
        XCTAssertEqual(out.stdout, "14\n1\n")
        XCTAssertEqual(out.stderr, "")
    }
}

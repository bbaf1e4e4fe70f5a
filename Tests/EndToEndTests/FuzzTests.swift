// A bounded fuzz campaign (issue 18: never a trap, never a hang): Tests/fuzz/campaign.py runs
// generated programs and mutants of the golden programs through the binary with --sandbox and
// small limits, and fails on any signal, "Fatal error", hang, exit code outside the contract or
// error exit without a file:line:col diagnostic. `make fuzz-campaign` runs a bigger one.

import Foundation
import TestSupport
import XCTest

final class FuzzTests: XCTestCase {
    /// Programs per run: about a minute and a half of the release binary on two cores (a quarter of
    /// that on the debug binary); $OPTREPL_FUZZ_COUNT overrides.
    static let releaseCount = 6000

    func testCampaignFindsNoTrapHangOrBadExit() throws {
        let binary = Binary.releasePath ?? Binary.path
        var count = Binary.releasePath == nil ? FuzzTests.releaseCount / 4 : FuzzTests.releaseCount
        if let n = ProcessInfo.processInfo.environment["OPTREPL_FUZZ_COUNT"].flatMap({ Int($0) }) { count = n }
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString).md").path
        defer { try? FileManager.default.removeItem(atPath: report) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot + "/Tests/fuzz/campaign.py", "--seed", "1",
                             "--count", String(count), "--binary", binary, "--jobs", "2",
                             "--report", report, "--quiet"]
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let summary = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? "(no report written)"
        XCTAssertNotEqual(process.terminationStatus, 2, "campaign.py could not run: \(summary)")
        XCTAssertTrue(summary.contains("fuzz campaign: \(count) programs"), summary)
        XCTAssertTrue(summary.contains("; 0 failures in 0 classes"), "\(summary)\n\(text)")
        XCTAssertEqual(process.terminationStatus, 0, "\(summary)\n\(text)")
    }
}

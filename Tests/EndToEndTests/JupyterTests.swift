// The Jupyter kernel (issue 16), driven from Python as Jupyter drives it: jupyter_client's
// KernelManager checks every message type (Tests/jupyter/kernel_protocol.py), and nbclient,
// nbconvert and headless Chromium run docs/tutorial.ipynb and load it as a page
// (Tests/jupyter/notebook.py). `make test` installs them (deps-test).

import XCTest
import TestSupport

final class JupyterTests: XCTestCase {
    private func runScript(_ script: String, _ extra: [String] = []) throws {
        let binary = Binary.releasePath ?? Binary.path
        let run = try Binary.run(["python3", repositoryRoot + "/Tests/jupyter/" + script, "--binary", binary] + extra,
                                 executable: "/usr/bin/env")
        let summary = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(summary.hasSuffix(" passed, 0 failed"), summary)
    }

    func testEveryMessageTypeOfTheKernel() throws {
        try runScript("kernel_protocol.py")
    }

    func testTheTutorialNotebookRunsAndRendersInABrowser() throws {
        try runScript("notebook.py")
    }
}

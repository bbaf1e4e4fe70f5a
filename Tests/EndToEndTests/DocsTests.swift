// docs/ (issue 7): the tutorial's snippets run in one session and print exactly the output
// blocks that follow them, its plots are the committed ones and render; docs/reference.md is
// what the built-in table generates. `make docs` regenerates all three.

import Foundation
import XCTest
import TestSupport

final class DocsTests: XCTestCase {
    static let marker = "=== end of block ==="

    /// The `opt` blocks, and the `output` block after each ("" when there is none).
    static func blocks(_ text: String) -> [(code: String, output: String)] {
        var result: [(String, String)] = []
        let lines = text.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            guard lines[i] == "```opt" else { i += 1; continue }
            var code = ""
            i += 1
            while lines[i] != "```" { code += lines[i] + "\n"; i += 1 }
            i += 1
            var output = ""
            if i + 1 < lines.count, lines[i].isEmpty, lines[i + 1] == "```output" {
                i += 2
                while lines[i] != "```" { output += lines[i] + "\n"; i += 1 }
                i += 1
            }
            result.append((code, output))
        }
        return result
    }

    func testTutorialSnippetsPrintTheirOutputBlocks() throws {
        let text = try readTextFile(repositoryRoot + "/docs/tutorial.md")
        let blocks = DocsTests.blocks(text)
        XCTAssertGreaterThanOrEqual(blocks.count, 10, "one or more snippets per section")
        let program = blocks.map { $0.code + "print(\"\(DocsTests.marker)\")\n" }.joined()
        // Run where the plots cannot overwrite the committed ones.
        let dir = NSTemporaryDirectory() + "optrepl-docs-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir + "/img", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try Binary.run(["-"], stdin: program, directory: dir)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let outputs = outcome.stdout.components(separatedBy: DocsTests.marker + "\n").dropLast()
        XCTAssertEqual(outputs.count, blocks.count)
        for (k, (block, got)) in zip(blocks, outputs).enumerated() {
            XCTAssertEqual(got, block.output, "snippet \(k + 1):\n\(block.code)")
        }
        let images = try FileManager.default.contentsOfDirectory(atPath: dir + "/img").sorted()
        XCTAssertEqual(images, ["decay.svg", "ewa.svg", "moons_boundary.svg", "rosenbrock.svg", "rosenbrock_race.svg"])
        for image in images {
            XCTAssertEqual(try readTextFile(dir + "/img/" + image), try readTextFile(repositoryRoot + "/docs/img/" + image),
                           "docs/img/\(image) is stale: run make docs")
            XCTAssertTrue(text.contains("](img/\(image))"), "the tutorial does not show \(image)")
            XCTAssertEqual(system("rsvg-convert '\(dir)/img/\(image)' -o '\(dir)/\(image).png' 2>/dev/null"), 0, image)
        }
    }

    func testReferenceIsGeneratedFromTheTable() throws {
        let generated = try Binary.run(["--reference"])
        XCTAssertEqual(generated.status, 0)
        XCTAssertEqual(try readTextFile(repositoryRoot + "/docs/reference.md"), generated.stdout,
                       "docs/reference.md is stale: run make docs")
        for name in ["adam", "grad", "plot", "torch.adam", "schedule", "minimize", "contour"] {
            XCTAssertTrue(generated.stdout.contains("- `\(name)("), "\(name) is missing from the reference")
        }
    }
}

// The course experiment (issue 5) against ../shared/reference/course_experiment.json: every
// case run through examples/course_moons.opt's own functions, on the release binary when
// the Makefile built one. Costs and parameters at the file's rtol (1e-9), accuracy exactly.

import Foundation
import XCTest
import TestSupport

final class CourseExperimentTests: XCTestCase {
    /// One run's printed results.
    struct Printed {
        var costs: [Int: Double] = [:]
        var accuracy: Double?
        var parameters: [Double] = []
    }

    /// The blocks `train` prints: a title, "Cost after epoch E: C" lines, "Accuracy: A",
    /// "Parameters: (W1: ..., ...)", a blank line.
    static func parse(_ text: String) -> [Printed] {
        var runs: [Printed] = []
        var current = Printed()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Cost after epoch ") {
                let parts = line.dropFirst("Cost after epoch ".count).split(separator: ":")
                guard parts.count == 2, let epoch = Int(parts[0]),
                      let cost = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { continue }
                current.costs[epoch] = cost
            } else if line.hasPrefix("Accuracy: ") {
                current.accuracy = Double(line.dropFirst("Accuracy: ".count))
            } else if line.hasPrefix("Parameters: ") {
                // Numbers only: labels and brackets fall away; W1 b1 W2 b2 W3 b3 in order.
                let numbers = line.dropFirst("Parameters: ".count)
                    .split(whereSeparator: { "()[],: ".contains($0) })
                    .compactMap { Double($0) }
                current.parameters = numbers
                runs.append(current)
                current = Printed()
            }
        }
        return runs
    }

    func testEveryReferenceCase() throws {
        let json = try JSON.load(referenceRoot + "/course_experiment.json")
        let rtol = json["rtol"]!.double!
        let cases = json["cases"]!.array!
        // The example's definitions, then one `train` call per reference case.
        let example = try readTextFile(repositoryRoot + "/examples/course_moons.opt")
        let definitions = example.components(separatedBy: "\ntrain(")[0]
        var program = definitions + "\n"
        for c in cases {
            let parts = c["optrepl"]!.string!.components(separatedBy: "; ")
            let epochs = Int(c["config"]!["epochs"]!.double!)
            program += "train(\"\(c["name"]!.string!)\", \(parts[0]), \(parts.count > 1 ? parts[1] : "nil"), epochs: \(epochs));\n"
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("course-\(UUID().uuidString).opt")
        try program.write(to: dir, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try Binary.run([dir.path], executable: Binary.releasePath)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let runs = CourseExperimentTests.parse(outcome.stdout)
        XCTAssertEqual(runs.count, cases.count)
        for (c, run) in zip(cases, runs) {
            let name = c["name"]!.string!
            for point in c["cost_at_epoch"]!.array! {
                let epoch = Int(point["epoch"]!.double!), want = point["cost"]!.double!
                guard let got = run.costs[epoch] else { XCTFail("\(name): no cost printed at epoch \(epoch)"); continue }
                XCTAssertLessThanOrEqual(abs(got - want), rtol * abs(want), "\(name) cost at epoch \(epoch)")
            }
            // The course's own printout (6 decimals) is reproduced too.
            if let printed = c["course_printed"]?["cost_every_1000"]?.array {
                for (k, text) in printed.enumerated() {
                    XCTAssertEqual(String(format: "%.6f", run.costs[1000 * k] ?? .nan), text.string!, "\(name) printed cost \(k)")
                }
            }
            XCTAssertEqual(run.accuracy, c["final_accuracy"]!.double!, "\(name) accuracy")
            let params = c["params"]!
            let want = ["W1", "b1", "W2", "b2", "W3", "b3"].flatMap { params[$0]!["data"]!.array!.map { $0.double! } }
            XCTAssertEqual(run.parameters.count, want.count, "\(name) parameter count")
            for (k, (got, w)) in zip(run.parameters, want).enumerated() {
                XCTAssertLessThanOrEqual(abs(got - w), rtol * abs(w), "\(name) parameter \(k): \(got) vs \(w)")
            }
        }
    }
}

import XCTest
import Lexer
import Parser
@testable import Runtime

/// ../shared/reference/schedules.json: every kind, PyTorch's values for the PyTorch kinds.
final class ScheduleReferenceTests: XCTestCase {
    func testEveryCase() throws {
        let json = try JSON.load(referenceRoot + "/schedules.json")
        var checked = 0
        for c in json["cases"]!.array! {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            let made = Run("s = " + c["optrepl"]!.string!, interpreter: I)
            XCTAssertNil(made.error, "\(name): \(made.error?.message ?? "")")
            let lrs = c["lr"]!.array!.map { $0.double! }
            if c["kind"]!.string! == "plateau" {
                for (i, metric) in c["metrics"]!.array!.enumerated() {
                    I.defineGlobal("m", .number(metric.double!))
                    XCTAssertNil(Run("r = s.step(m)", interpreter: I).error, name)
                    assertClose(I.global("r"), .number(lrs[i]), "\(name) step \(i)")
                    checked += 1
                }
                continue
            }
            for (i, e) in c["epochs"]!.array!.enumerated() {
                let r = Run("r = s(\(Int(e.double!)))", interpreter: I)
                XCTAssertNil(r.error, "\(name) at \(e): \(r.error?.message ?? "")")
                assertClose(I.global("r"), .number(lrs[i]), "\(name) at epoch \(Int(e.double!))")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 300)
    }

    func testTableAndErrors() {
        let r = Run("s = schedule(\"step\", 0.1, 2, gamma: 0.5)\nprint(s.table(0...4), s)")
        XCTAssertNil(r.error)
        XCTAssertEqual(r.output, "[  0.1,   0.1,  0.05,  0.05, 0.025] schedule(\"step\", lr: 0.1, step_size: 2, gamma: 0.5)\n")
        XCTAssertEqual(Run("s = schedule(\"cosin\", 0.1, 10)").error?.message,
                       "unknown schedule kind \"cosin\"; did you mean \"cosine\"?")
        XCTAssertEqual(Run("s = schedule(\"onecycle\", 0.1, 10)\ns(11)").error?.message,
                       "onecycle is defined for epochs 0...10, got 11 (PyTorch raises an error here too)")
        XCTAssertEqual(Run("s = schedule(\"plateau\", 0.1)\ns(3)").error?.message,
                       "a plateau schedule has no rate by epoch: call s.step(metric) and read s.lr")
        XCTAssertEqual(Run("s = schedule(\"step\", 0.1, 2, gama: 0.5)").error?.message,
                       "'schedule' has no parameter 'gama'; did you mean 'gamma'?")
        XCTAssertEqual(Run("s = schedule(\"step\", 0.1, 2, eta_min: 0.5)").error?.message,
                       "schedule \"step\" has no parameter 'eta_min'")
    }
}

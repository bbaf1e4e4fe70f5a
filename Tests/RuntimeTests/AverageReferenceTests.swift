import XCTest
import Lexer
import Parser
@testable import Runtime

/// ../shared/reference/ewa.json: averager updates one value at a time, and whole series.
final class AverageReferenceTests: XCTestCase {
    func testEveryCase() throws {
        let json = try JSON.load(referenceRoot + "/ewa.json")
        var checks = 0
        for c in json["cases"]!.array! {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            let expected = c["expected"]!
            if c["kind"]!.string! == "series" {
                I.defineGlobal("series", referenceValue(c["series"]!))
                let r = Run("r = " + c["optrepl"]!.string!, interpreter: I)
                XCTAssertNil(r.error, name)
                guard case .tuple(let out)? = I.global("r") else { XCTFail(name); continue }
                assertClose(out["v"], referenceValue(expected["v"]!), name + ".v")
                assertClose(out["corrected"], referenceValue(expected["corrected"]!), name + ".corrected")
                checks += 2
                continue
            }
            XCTAssertNil(Run("a = " + c["optrepl"]!.string!, interpreter: I).error, name)
            for (i, x) in c["xs"]!.array!.enumerated() {
                I.defineGlobal("x", referenceValue(x))
                XCTAssertNil(Run("r = a.update(x)", interpreter: I).error, name)
                guard case .tuple(let out)? = I.global("r") else { XCTFail(name); continue }
                assertClose(out["t"], referenceValue(expected["t"]![i]!), "\(name) t at \(i)")
                assertClose(out["v"], referenceValue(expected["v"]![i]!), "\(name) v at \(i)")
                assertClose(out["corrected"], referenceValue(expected["corrected"]![i]!), "\(name) corrected at \(i)")
                checks += 1
            }
        }
        XCTAssertGreaterThan(checks, 200)
    }

    func testFieldsAndErrors() {
        let r = Run("""
        a = ewa(beta: 0.5)
        print(a, a.corrected, a.v)
        a.update(4)
        print(a.update(2), a.t, a.beta)
        a.reset()
        print(a)
        """)
        XCTAssertNil(r.error)
        XCTAssertEqual(r.output, "ewa(beta: 0.5) t=0 nil nil\n(t: 2, v: 2, corrected: 2.6666666666666665) 2 0.5\newa(beta: 0.5) t=0\n")
        XCTAssertEqual(Run("ewa(0.9)").error?.message, "ewa takes beta by label")
        XCTAssertEqual(Run("a = ewa()\na.update([1, 2])\na.update([1, 2, 3])").error?.message,
                       "ewa.update: shape (3,) differs from the first update's (2,)")
    }
}

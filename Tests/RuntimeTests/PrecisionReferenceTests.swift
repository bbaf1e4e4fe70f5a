import XCTest
import Lexer
import Parser
@testable import Runtime

/// ../shared/reference/precision.json: half, bfloat16 and float32 rounding, bit for bit.
final class PrecisionReferenceTests: XCTestCase {
    func testEveryCaseBitForBit() throws {
        let json = try JSON.load(referenceRoot + "/precision.json")
        var checked = 0
        for c in json["cases"]!.array! {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            I.defineGlobal("x", referenceValue(c["x"]!))
            let r = Run("r = " + c["optrepl"]!.string!, interpreter: I)
            XCTAssertNil(r.error, "\(name): \(r.error?.message ?? "")")
            let actual: [Double], expected: [Double]
            switch (I.global("r"), referenceValue(c["expected"]!)) {
            case (.tensor(let a)?, .tensor(let e)): actual = a.data; expected = e.data
            case (.number(let a)?, .number(let e)): actual = [a]; expected = [e]
            default: XCTFail("\(name): kinds differ"); continue
            }
            XCTAssertEqual(actual.count, expected.count, name)
            for (k, (a, e)) in zip(actual, expected).enumerated() {
                let same = a.bitPattern == e.bitPattern || (a.isNaN && e.isNaN)
                XCTAssertTrue(same, "\(name)[\(k)]: \(a) != \(e)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }
}

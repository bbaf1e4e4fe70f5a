import XCTest
import Lexer
import Parser
@testable import Runtime

/// ../shared/reference/random.json: NumPy's legacy streams, bit for bit, for every call of every seed.
final class RandomReferenceTests: XCTestCase {
    func testEveryCallOfEverySeed() throws {
        let json = try JSON.load(referenceRoot + "/random.json")
        let cases = json["cases"]!.array!
        XCTAssertGreaterThanOrEqual(cases.count, 5)
        var checked = 0
        for c in cases {
            let name = c["name"]!.string!
            XCTAssertEqual(c["exact"]?.bool ?? json["exact"]?.bool, true)
            let I = Interpreter(output: { _ in })
            for call in c["calls"]!.array! {
                let text = call["optrepl"]!.string!
                let run = Run("result = " + text, interpreter: I)
                XCTAssertNil(run.error, "\(name): \(text): \(run.error?.message ?? "")")
                guard let expected = call["result"] else { continue }
                assertBitIdentical(I.global("result"), expected, "\(name): \(text)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 40)
    }

    private func assertBitIdentical(_ value: Value?, _ expected: JSON, _ what: String) {
        if let x = expected.double {
            guard case .number(let y)? = value else { return XCTFail("\(what): expected a number") }
            XCTAssertEqual(y.bitPattern, x.bitPattern, "\(what): \(y) != \(x)")
            return
        }
        guard case .tensor(let t)? = value else { return XCTFail("\(what): expected a tensor") }
        let shape = expected["shape"]!.array!.map { Int($0.double!) }
        let data = expected["data"]!.array!.map { $0.double! }
        XCTAssertEqual(t.shape, shape, what)
        XCTAssertEqual(t.data.count, data.count, what)
        for (k, (a, b)) in zip(t.data, data).enumerated() where a.bitPattern != b.bitPattern {
            return XCTFail("\(what): element \(k): \(a) != \(b)")
        }
    }
}

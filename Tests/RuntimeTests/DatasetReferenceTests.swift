import XCTest
import Lexer
import Parser
@testable import Runtime

/// ../shared/reference/datasets.json: moons, blobs and minibatches, bit for bit.
final class DatasetReferenceTests: XCTestCase {
    func testEveryCase() throws {
        let json = try JSON.load(referenceRoot + "/datasets.json")
        let cases = json["cases"]!.array!
        XCTAssertGreaterThanOrEqual(cases.count, 9)
        for c in cases {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            let run = Run("r = " + c["optrepl"]!.string!, interpreter: I)
            XCTAssertNil(run.error, "\(name): \(run.error?.message ?? "")")
            guard case .tuple(let r)? = I.global("r") else { XCTFail("\(name): no tuple"); continue }
            if name.hasPrefix("minibatches") {
                let sizes = c["batch_sizes"]!.array!.map { Int($0.double!) }
                XCTAssertEqual(r.items.map { item -> Int in
                    guard case .tuple(let b) = item, case .tensor(let x)? = b["X"] else { return -1 }
                    return x.shape[0]
                }, sizes, name)
                for (key, index) in [("first_batch", 0), ("last_batch", r.count - 1)] {
                    guard case .tuple(let batch) = r.items[index] else { XCTFail(name); continue }
                    assertExact(batch["X"], c[key]!["X"]!, "\(name) \(key).X")
                    assertExact(batch["y"], c[key]!["y"]!, "\(name) \(key).y")
                }
            } else {
                assertExact(r["X"], c["X"]!, "\(name).X")
                assertExact(r["y"], c["y"]!, "\(name).y")
            }
        }
    }

    func testDataSetsLeaveTheGlobalStreamAlone() {
        let r = Run("seed(5)\na = rand()\nseed(5)\nm = moons(n: 20)\nb = blobs()\nprint(rand() == a)")
        XCTAssertEqual(r.output, "true\n")
    }

    private func assertExact(_ value: Value?, _ expected: JSON, _ what: String) {
        guard case .tensor(let t)? = value else { return XCTFail("\(what): not a tensor") }
        XCTAssertEqual(t.shape, expected["shape"]!.array!.map { Int($0.double!) }, what)
        let data = expected["data"]!.array!.map { $0.double! }
        XCTAssertEqual(t.data.count, data.count, what)
        for (k, (a, b)) in zip(t.data, data).enumerated() where a.bitPattern != b.bitPattern {
            return XCTFail("\(what): element \(k): \(a) != \(b)")
        }
    }
}

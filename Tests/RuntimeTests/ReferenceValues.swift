import XCTest
@testable import Runtime

/// Reference JSON as optrepl values: {"shape", "data"} is a tensor, other objects are labelled
/// tuples (trees), numbers are numbers.
func referenceValue(_ j: JSON) -> Value {
    if let x = j.double { return .number(x) }
    if let shape = j["shape"]?.array, let data = j["data"]?.array {
        return .tensor(Tensor(shape: shape.map { Int($0.double!) }, data: data.map { $0.double! }))
    }
    if case .object(let pairs) = j {
        return .tuple(TupleValue(labelled: pairs.map { ($0.0, referenceValue($0.1)) }))
    }
    if let items = j.array { return .tuple(TupleValue(items.map(referenceValue))) }
    return .null
}

/// Asserts `actual` matches `expected` leaf by leaf within `rtol` relative (plus 1e-300 absolute).
func assertClose(_ actual: Value?, _ expected: Value, rtol: Double = 1e-12, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    guard let actual else { return XCTFail("\(what): missing", file: file, line: line) }
    switch (actual, expected) {
    case (.number(let a), .number(let e)):
        if !closeEnough(a, e, rtol) { XCTFail("\(what): \(a) != \(e)", file: file, line: line) }
    case (.tensor(let a), .tensor(let e)):
        guard a.shape == e.shape else { return XCTFail("\(what): shape \(a.shape) != \(e.shape)", file: file, line: line) }
        for i in 0..<a.count where !closeEnough(a.data[i], e.data[i], rtol) {
            return XCTFail("\(what)[\(i)]: \(a.data[i]) != \(e.data[i]) (rel \(abs(a.data[i] - e.data[i]) / abs(e.data[i])))", file: file, line: line)
        }
    case (.tuple(let a), .tuple(let e)):
        guard a.count == e.count else { return XCTFail("\(what): \(a.count) != \(e.count) elements", file: file, line: line) }
        for i in 0..<a.count {
            XCTAssertEqual(a.label(at: i), e.label(at: i), what, file: file, line: line)
            assertClose(a.items[i], e.items[i], rtol: rtol, "\(what).\(e.label(at: i) ?? String(i))", file: file, line: line)
        }
    default:
        XCTFail("\(what): \(actual.kindName) where \(expected.kindName) expected", file: file, line: line)
    }
}

func closeEnough(_ a: Double, _ e: Double, _ rtol: Double) -> Bool {
    if a.isNaN || e.isNaN { return a.isNaN && e.isNaN }
    if a.isInfinite || e.isInfinite { return a == e }
    return abs(a - e) <= rtol * abs(e) + 1e-300
}

import XCTest
import Lexer
import Parser
@testable import Runtime

final class ValueSemanticsTests: XCTestCase {
    private func tensorGlobal(_ I: Interpreter, _ name: String) -> Tensor {
        guard case .tensor(let t)? = I.global(name) else {
            XCTFail("\(name) is not a tensor")
            return Tensor(vector: [])
        }
        return t
    }

    /// Assignment shares the buffer; only a write copies, and only the written side.
    func testNoCopyUnlessWritten() {
        let I = Interpreter(output: { _ in })
        _ = Run("a = [1, 2, 3]\nb = a", interpreter: I)
        XCTAssertEqual(tensorGlobal(I, "a").bufferIdentity, tensorGlobal(I, "b").bufferIdentity)
        _ = Run("b[0] = 9", interpreter: I)
        XCTAssertNotEqual(tensorGlobal(I, "a").bufferIdentity, tensorGlobal(I, "b").bufferIdentity)
        XCTAssertEqual(tensorGlobal(I, "a").data, [1, 2, 3])
        XCTAssertEqual(tensorGlobal(I, "b").data, [9, 2, 3])
    }

    /// Writing through a uniquely held variable updates the buffer in place.
    func testInPlaceUpdateOfUniqueTensor() {
        let I = Interpreter(output: { _ in })
        _ = Run("w = [1, 2, 3] * 1", interpreter: I)
        let before = tensorGlobal(I, "w").bufferIdentity
        _ = Run("w[1] = 7\nw[0] += 1", interpreter: I)
        XCTAssertEqual(tensorGlobal(I, "w").bufferIdentity, before)
        XCTAssertEqual(tensorGlobal(I, "w").data, [2, 7, 3])
    }

    func testArgumentsAreValuesNotReferences() {
        let r = Run("""
        fn f(t) { t[0] = 100; return t }
        a = [1, 2]
        b = f(a)
        print(a, b)
        p = (W: [1, 2], b: 0)
        q = p
        q.W[0] = 5
        print(p, q)
        """)
        XCTAssertNil(r.error)
        XCTAssertEqual(r.output, "[1, 2] [100,   2]\n(W: [1, 2], b: 0) (W: [5, 2], b: 0)\n")
    }
}

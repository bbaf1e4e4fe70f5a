import XCTest
import Lexer
import Parser
@testable import Runtime

/// Tests/reference/autocast.json (spec §15.3): value_and_grad(f, w, dtype: "half" / "bfloat16")
/// against PyTorch's autograd run in that dtype, every operation stored in the format: bit for bit.
final class AutocastReferenceTests: XCTestCase {
    func testValueAndGradInHalfAndBfloat16() throws {
        let json = try JSON.load(repositoryRoot + "/Tests/reference/autocast.json")
        let cases = json["cases"]!.array!
        XCTAssertGreaterThanOrEqual(cases.count, 8)
        for c in cases {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            for key in ["w", "X", "Y"] { I.defineGlobal(key, referenceValue(c[key]!)) }
            let dtype = c["dtype"]!.string!
            let r = Run("f = \(c["optrepl_f"]!.string!)\nr = value_and_grad(f, w, dtype: \"\(dtype)\")\nv = r.value\ng = r.grad\ng2 = grad(f, w, dtype: \"\(dtype)\")\ng3 = grad(f, dtype: \"\(dtype)\")(w)",
                        interpreter: I)
            XCTAssertNil(r.error, "\(name): \(r.error?.message ?? "")")
            assertClose(I.global("v"), referenceValue(c["expected"]!["value"]!), rtol: 0, "\(name) value")
            assertClose(I.global("g"), referenceValue(c["expected"]!["grad"]!), rtol: 0, "\(name) grad")
            assertClose(I.global("g2"), referenceValue(c["expected"]!["grad"]!), rtol: 0, "\(name) grad()")
            assertClose(I.global("g3"), referenceValue(c["expected"]!["grad"]!), rtol: 0, "\(name) grad(f, dtype:)(w)")
        }
    }

    /// The optimizer stays float64 (master weights): minimize with dtype rounds only f's passes.
    func testMinimizeKeepsMasterWeights() {
        let I = Interpreter(output: { _ in })
        let r = Run("""
            f = fn(w) { return sum(0.0009765625 * w * w) }
            r = minimize(f, [1e-4, 3.3], torch.sgd(lr: 0.1), steps: 1, dtype: "half")
            g = grad(f, [1e-4, 3.3], dtype: "half")
            print(r.w[0] == 1e-4 - 0.1 * g[0], r.w[1] == 3.3 - 0.1 * g[1])
            """, interpreter: I)
        XCTAssertNil(r.error)
        XCTAssertEqual(r.output, "true true\n")
    }

    func testUnknownDtype() {
        let r = Run("grad(fn(w) { return w * w }, 1.0, dtype: \"int8\")")
        XCTAssertEqual(r.error?.message, "bad argument 'dtype' to 'grad' (dtype must be \"float64\", \"float32\", \"half\" or \"bfloat16\", got \"int8\")")
    }
}

import XCTest
import Lexer
import Parser
@testable import Runtime

/// ../shared/reference/clip.json: np.clip, clip_grad_norm_, clip_grad_value_, norms, check.
final class ClipReferenceTests: XCTestCase {
    func testEveryCase() throws {
        let json = try JSON.load(referenceRoot + "/clip.json")
        var checked = 0
        for c in json["cases"]!.array! {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            if let x = c["x"] { I.defineGlobal("x", referenceValue(x)) }
            if let tree = c["tree"] { I.defineGlobal("tree", referenceValue(tree)) }
            let r = Run("r = " + c["optrepl"]!.string!, interpreter: I)
            XCTAssertNil(r.error, "\(name): \(r.error?.message ?? "")")
            let expected = c["expected"]!
            switch c["op"]!.string! {
            case "clip", "clip_grad_value", "norm":
                assertClose(I.global("r"), referenceValue(expected), "\(name)")
            case "clip_grad_norm":
                guard case .tuple(let out)? = I.global("r") else { XCTFail(name); continue }
                assertClose(out["grads"], referenceValue(expected["grads"]!), "\(name).grads")
                assertClose(out["total_norm"], referenceValue(expected["total_norm"]!), "\(name).total_norm")
                XCTAssertNil(Run("r2 = " + c["optrepl_clip"]!.string!, interpreter: I).error, name)
                assertClose(I.global("r2"), referenceValue(expected["grads"]!), "\(name) as clip(max_norm:)")
            case "check":
                let nan = expected.array!.filter { $0["kind"]?.string == "nan" }.map { "\"\($0["label"]!.string!)\"" }
                let inf = expected.array!.filter { $0["kind"]?.string == "inf" }.map { "\"\($0["label"]!.string!)\"" }
                let tuple = { (xs: [String]) in xs.count == 1 ? "(\(xs[0]),)" : "(" + xs.joined(separator: ", ") + ")" }
                // check also lists the leaves that are all zero (spec §15.3's underflow), read off the tree.
                guard case .object(let leaves)? = c["tree"] else { XCTFail(name); continue }
                let zero = leaves.filter { _, t in t["data"]!.array!.allSatisfy { $0.double == 0 } }.map { "\"\($0.0)\"" }
                XCTAssertEqual(Interpreter.repr(I.global("r")!), "(nan: \(tuple(nan)), inf: \(tuple(inf)), zero: \(tuple(zero)))", name)
                for f in ["isnan", "isinf", "isfinite"] {
                    XCTAssertNil(Run("e = \(f)(tree)", interpreter: I).error, name)
                    assertClose(I.global("e"), referenceValue(c["expected_" + f]!), "\(name) \(f)")
                }
            default:
                XCTFail("\(name): unknown op")
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 24)
    }

    func testNonFiniteTotals() {
        let r = Run("""
        print(repr(clip((a: [1, inf]), max_norm: 1)))
        print(repr(clip((a: [1, nan]), max_norm: 1)))
        """)
        XCTAssertNil(r.error)
        XCTAssertEqual(r.output, "(a: [0, nan])\n(a: [nan, nan])\n")
    }
}

import XCTest
import Lexer
import Parser
@testable import Runtime

/// ../shared/reference/grad_scaler.json: PyTorch GradScaler's skips, backoff and growth.
final class GradScalerReferenceTests: XCTestCase {
    func testEveryCase() throws {
        let json = try JSON.load(referenceRoot + "/grad_scaler.json")
        var checked = 0
        for c in json["cases"]!.array! {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            I.defineGlobal("params", referenceValue(c["params0"]!))
            XCTAssertNil(Run("sc = \(c["optrepl"]!.string!)\nopt = \(c["optimizer"]!.string!)", interpreter: I).error, name)
            let clip = c["clip_max_norm"]?.double
            let expected = c["expected"]!
            var skippedSoFar = 0
            for (i, g) in c["scaled_grads"]!.array!.enumerated() {
                I.defineGlobal("g", referenceValue(g))
                XCTAssertEqual(Run("print(sc.get_scale())", interpreter: I).output,
                               NumberFormat.repr(expected["scale_used"]![i]!.double!) + "\n", "\(name) scale used at \(i)")
                let program = clip.map { "g = sc.unscale(g)\ng = clip(g, max_norm: \(NumberFormat.repr($0)))\nparams = sc.step(opt, params, g)\nsc.update()" }
                    ?? "params = sc.step(opt, params, g)\nsc.update()"
                let r = Run(program, interpreter: I)
                XCTAssertNil(r.error, "\(name) step \(i): \(r.error?.message ?? "")")
                assertClose(I.global("params"), referenceValue(expected["params"]![i]!), "\(name) params \(i)")
                // expected.skipped[i] says whether step i was skipped.
                if expected["skipped"]![i]!.bool! { skippedSoFar += 1 }
                XCTAssertEqual(Run("print(sc.get_scale(), sc.skipped)", interpreter: I).output,
                               "\(NumberFormat.repr(expected["scale"]![i]!.double!)) \(skippedSoFar)\n",
                               "\(name) after step \(i)")
                checked += 1
            }
            XCTAssertEqual(Run("print(sc.skipped)", interpreter: I).output, "\(Int(expected["skipped_total"]!.double!))\n", name)
        }
        XCTAssertGreaterThan(checked, 20)
    }

    func testProtocolErrors() {
        XCTAssertEqual(Run("sc = grad_scaler()\ng = sc.unscale([1])\ng = sc.unscale([1])").error?.message,
                       "grad_scaler.unscale was already called since the last update (as in PyTorch, once per step)")
        XCTAssertEqual(Run("sc = grad_scaler()\nsc.update()").error?.message,
                       "grad_scaler.update: nothing was recorded since the last update (call unscale or step first)")
        XCTAssertEqual(Run("sc = grad_scaler()\no = sgd()\np = sc.step(o, [1], [1])\np = sc.step(o, [1], [1])").error?.message,
                       "grad_scaler.step was already called since the last update")
    }
}

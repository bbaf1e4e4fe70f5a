import XCTest
import Lexer
import Parser
@testable import Runtime

/// ../shared/reference/objectives.json: the objectives' values and hand-written gradients, and
/// the minimize trajectories; every case's own `optrepl` expression (value_and_grad, minimize,
/// user functions included); and `grad` of each formula written out as a user function.
final class ObjectiveReferenceTests: XCTestCase {
    private func close(_ a: Double, _ e: Double, _ atol: Double) -> Bool {
        abs(a - e) <= 1e-12 * abs(e) + atol
    }

    func testValuesAndNativeGradients() throws {
        let json = try JSON.load(referenceRoot + "/objectives.json")
        var checked = 0
        for c in json["cases"]!.array! where c["formula"] != nil {
            let name = c["name"]!.string!
            let w = referenceValue(c["w"]!)
            guard case .tensor(let t) = w else { XCTFail(name); continue }
            let value = c["value"]!.double!, grad = c["grad"]!["data"]!.array!.map { $0.double! }
            // atol_grad is one allowance per component.
            let atolValue = c["atol_value"]!.double!, atolGrad = c["atol_grad"]!.array!.map { $0.double! }
            let (v, g): (Double, [Double])
            if let scales = c["scales"] {
                let s = scales["data"]!.array!.map { $0.double! }
                v = 0.5 * zip(s, t.data).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
                g = zip(s, t.data).map { $0 * $1 }
            } else {
                let o = Objectives.byName[c["objective"]!.string!]!
                v = o.value(t.data)
                g = o.gradient(t.data)
                // The built-in, called from code, gives the same value.
                let I = Interpreter(output: { _ in })
                I.defineGlobal("w", w)
                XCTAssertNil(Run("r = \(o.name)(w)", interpreter: I).error, name)
                assertClose(I.global("r"), .number(v), rtol: 0, name)
            }
            XCTAssertTrue(close(v, value, atolValue), "\(name) value \(v) != \(value)")
            for k in 0..<2 { XCTAssertTrue(close(g[k], grad[k], atolGrad[k]), "\(name) grad[\(k)] \(g[k]) != \(grad[k])") }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 60)
    }

    func testMinimizeTrajectories() throws {
        let json = try JSON.load(referenceRoot + "/objectives.json")
        var checked = 0
        for c in json["cases"]!.array! where c["name"]!.string!.hasPrefix("minimize") {
            let name = c["name"]!.string!
            let rtol = c["rtol"]!.double!
            let I = Interpreter(output: { _ in })
            let r = Run("r = " + c["optrepl"]!.string!, interpreter: I)
            XCTAssertNil(r.error, "\(name): \(r.error?.message ?? "")")
            guard case .tuple(let out)? = I.global("r") else { XCTFail(name); continue }
            assertClose(out["w"], referenceValue(c["w"]!), rtol: rtol, "\(name).w")
            if let path = c["path"] { assertClose(out["path"], referenceValue(path), rtol: rtol, "\(name).path") }
            if let loss = c["loss"] { assertClose(out["loss"], referenceValue(loss), rtol: rtol, "\(name).loss") }
            guard case .tensor(let losses)? = out["loss"] else { XCTFail(name); continue }
            for point in c["loss_at"]!.array! {
                let k = Int(point["step"]!.double!)
                assertClose(.number(losses.data[k]), .number(point["loss"]!.double!), rtol: rtol, "\(name) loss at \(k)")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 8)
    }

    /// Each value case's expression (`value_and_grad(rosenbrock, [1, 1])`, `value_and_grad(fn(w) =
    /// bowl(w, [1, 100]), ...)`), and grad of the formula as a student writes it, through the tape.
    func testGradOfEveryCase() throws {
        let json = try JSON.load(referenceRoot + "/objectives.json")
        var checked = 0
        for c in json["cases"]!.array! where c["formula"] != nil {
            let name = c["name"]!.string!
            let value = c["value"]!.double!, grad = c["grad"]!["data"]!.array!.map { $0.double! }
            let atolValue = c["atol_value"]!.double!, atolGrad = c["atol_grad"]!.array!.map { $0.double! }
            var scales = ""
            if let s = c["scales"] {
                let d = s["data"]!.array!.map { $0.double! }
                scales = "s0 = \(NumberFormat.repr(d[0]))\n    s1 = \(NumberFormat.repr(d[1]))\n    "
            }
            let formula = c["formula"]!.string!
            let program = """
                r = \(c["optrepl"]!.string!)
                fn f(w) {
                    x = w[0]
                    y = w[1]
                    \(scales)return \(formula)
                }
                u = value_and_grad(f, w)
                """
            let I = Interpreter(output: { _ in })
            I.defineGlobal("w", referenceValue(c["w"]!))
            let run = Run(program, interpreter: I)
            XCTAssertNil(run.error, "\(name): \(run.error?.message ?? "")")
            for key in ["r", "u"] {
                guard case .tuple(let out)? = I.global(key), case .number(let v)? = out["value"],
                      case .tensor(let g)? = out["grad"] else { XCTFail("\(name) \(key)"); continue }
                XCTAssertTrue(close(v, value, atolValue), "\(name) \(key) value \(v) != \(value)")
                for k in 0..<2 {
                    XCTAssertTrue(close(g.data[k], grad[k], atolGrad[k]), "\(name) \(key) grad[\(k)] \(g.data[k]) != \(grad[k])")
                }
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 60)
    }

    func testDriversLeaveTheOptimizerUntouched() {
        let r = Run("o = adam(lr: 0.1)\nm = minimize(booth, [0, 0], o, steps: 3)\ns = stepper(booth, [0, 0], o)\nw = s.step(2)\nprint(o.t, m.opt.t, s.t, s.path.shape, len(s.losses))")
        XCTAssertNil(r.error)
        XCTAssertEqual(r.output, "0 3 2 (3, 2) 3\n")
    }
}

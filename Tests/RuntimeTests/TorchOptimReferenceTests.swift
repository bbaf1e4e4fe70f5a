import XCTest
import Lexer
import Parser
@testable import Runtime

/// Tests/reference/torch_optim.json (spec §15.2): the rest of torch.optim, maximize, Adam's
/// decoupled_weight_decay and parameter groups, as PyTorch computes them in float64. Every step
/// is checked per element within 1e-12·(|w| + |Δw|) (spec §14.4: relative to the step), the final
/// buffers under PyTorch's names leaf by leaf (at 1e-12 relative), and the final t.
final class TorchOptimReferenceTests: XCTestCase {
    static let file = repositoryRoot + "/Tests/reference/torch_optim.json"

    func cases(_ prefix: String...) throws -> [JSON] {
        let json = try JSON.load(Self.file)
        return json["cases"]!.array!.filter { c in prefix.contains { c["name"]!.string!.hasPrefix($0) } }
    }

    func testAdadelta() throws { try checkStepped(try cases("adadelta_"), atLeast: 3) }
    func testAdamax() throws { try checkStepped(try cases("adamax_"), atLeast: 3) }
    func testNAdam() throws { try checkStepped(try cases("nadam_"), atLeast: 4) }
    func testRAdam() throws { try checkStepped(try cases("radam_"), atLeast: 4) }
    func testRprop() throws { try checkStepped(try cases("rprop_"), atLeast: 3) }
    func testASGD() throws { try checkStepped(try cases("asgd_"), atLeast: 3) }
    /// maximize on the first five, and torch.adam(decoupled_weight_decay: true).
    func testMaximizeAndDecoupled() throws {
        try checkStepped(try cases("adam_", "adamw_", "sgd_", "rmsprop_", "adagrad_"), atLeast: 7)
    }
    func testAdafactor() throws { try checkStepped(try cases("adafactor_"), atLeast: 3) }
    func testMuon() throws { try checkStepped(try cases("muon_"), atLeast: 3) }
    func testParameterGroups() throws { try checkStepped(try cases("groups_"), atLeast: 4) }

    /// torch.lbfgs through stepper: each s.step() is one PyTorch step(closure); w within the
    /// contract's 1e-9 relative (line searches amplify rounding), func_evals exactly.
    func testLBFGS() throws {
        let cases = try cases("lbfgs_")
        XCTAssertGreaterThanOrEqual(cases.count, 6)
        for c in cases {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            I.defineGlobal("w0", referenceValue(c["w0"]!))
            let setup = Run("f = \(c["optrepl_f"]!.string!)\ns = stepper(f, w0, \(c["optrepl"]!.string!))", interpreter: I)
            XCTAssertNil(setup.error, "\(name): \(setup.error?.message ?? "")")
            guard setup.error == nil else { continue }
            let expected = c["expected"]!
            let tolerance = c["tolerance"]!.double!
            for i in 0..<Int(c["steps"]!.double!) {
                let r = Run("w = s.step()", interpreter: I)
                XCTAssertNil(r.error, "\(name) step \(i + 1): \(r.error?.message ?? "")")
                assertClose(I.global("w"), referenceValue(expected["w"]![i]!), rtol: tolerance, "\(name) step \(i + 1)")
                XCTAssertEqual(Run("print(s.opt.state.func_evals)", interpreter: I).output,
                               "\(Int(expected["func_evals"]![i]!.double!))\n", "\(name) func_evals after step \(i + 1)")
            }
            XCTAssertEqual(Run("print(s.opt.state.n_iter)", interpreter: I).output, "\(Int(expected["n_iter"]!.double!))\n", "\(name) n_iter")
        }
    }

    private func checkStepped(_ cases: [JSON], atLeast: Int) throws {
        XCTAssertGreaterThanOrEqual(cases.count, atLeast)
        var stepChecks = 0
        for c in cases {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            I.defineGlobal("p", referenceValue(c["params0"]!))
            let setup = Run("opt = " + c["optrepl"]!.string!, interpreter: I)
            XCTAssertNil(setup.error, "\(name): \(setup.error?.message ?? "")")
            guard setup.error == nil else { continue }
            let expected = c["expected"]!
            var previous = referenceValue(c["params0"]!)
            for (i, g) in c["grads"]!.array!.enumerated() {
                I.defineGlobal("g", referenceValue(g))
                let step = Run("p = opt.step(p, g)", interpreter: I)
                XCTAssertNil(step.error, "\(name) step \(i + 1): \(step.error?.message ?? "")")
                let want = referenceValue(expected["params"]![i]!)
                assertStepClose(I.global("p"), want, previous, "\(name) step \(i + 1)")
                previous = want
                stepChecks += 1
            }
            XCTAssertEqual(Run("print(opt.t)", interpreter: I).output, "\(Int(expected["t"]!.double!))\n", name)
            // Buffers leaf by leaf: adafactor keeps row_var/col_var for a matrix and variance for
            // a vector; a group with momentum 0 keeps no momentum_buffer.
            guard case .object(let buffers)? = expected["torch_state"], case .object(let leaves)? = c["params0"] else { continue }
            for (leaf, _) in leaves {
                let names = buffers.filter { _, tree in tree[leaf] != nil }.map(\.0)
                let shown = Run("print(keys(opt.state.\(leaf)))", interpreter: I).output
                XCTAssertEqual(shown, "(" + names.map { "\"\($0)\"" }.joined(separator: ", ") + (names.count == 1 ? ",)" : ")") + "\n",
                               "\(name) buffers of \(leaf)")
                for buffer in names {
                    let r = Run("s = opt.state.\(leaf).\(buffer)", interpreter: I)
                    XCTAssertNil(r.error, "\(name) state \(leaf).\(buffer): \(r.error?.message ?? "")")
                    assertClose(I.global("s"), referenceValue(buffers.first { $0.0 == buffer }!.1[leaf]!), "\(name) state \(leaf).\(buffer)")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(stepChecks, 7 * atLeast)
    }

    /// Per element: |actual − expected| ≤ 1e-12·(|expected| + |expected − previous|).
    private func assertStepClose(_ actual: Value?, _ expected: Value, _ previous: Value, _ what: String,
                                 file: StaticString = #filePath, line: UInt = #line) {
        guard let actual else { return XCTFail("\(what): missing", file: file, line: line) }
        switch (actual, expected, previous) {
        case (.tensor(let a), .tensor(let e), .tensor(let p)):
            guard a.shape == e.shape else { return XCTFail("\(what): shape \(a.shape) != \(e.shape)", file: file, line: line) }
            for i in 0..<a.count {
                let tol = 1e-12 * (abs(e.data[i]) + abs(e.data[i] - p.data[i])) + 1e-300
                if !(abs(a.data[i] - e.data[i]) <= tol) && !(a.data[i].isNaN && e.data[i].isNaN) {
                    return XCTFail("\(what)[\(i)]: \(a.data[i]) != \(e.data[i]) (off by \(abs(a.data[i] - e.data[i]) / (abs(e.data[i] - p.data[i]) + 1e-300)) of the step)",
                                   file: file, line: line)
                }
            }
        case (.tuple(let a), .tuple(let e), .tuple(let p)):
            guard a.count == e.count else { return XCTFail("\(what): \(a.count) != \(e.count) elements", file: file, line: line) }
            for i in 0..<a.count {
                XCTAssertEqual(a.label(at: i), e.label(at: i), what, file: file, line: line)
                assertStepClose(a.items[i], e.items[i], p.items[i], "\(what).\(e.label(at: i) ?? String(i))", file: file, line: line)
            }
        default:
            assertClose(actual, expected, what, file: file, line: line)
        }
    }
}

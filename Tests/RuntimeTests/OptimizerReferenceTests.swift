import XCTest
import Lexer
import Parser
@testable import Runtime

/// The optimizer reference files: each case steps an optimizer from params0 through its
/// gradients and compares every step, the final t, and the final buffers.
final class OptimizerReferenceTests: XCTestCase {
    /// optim_course.json: the course forms; `state` lists buffer first, then leaf.
    func testCourseForms() throws {
        try checkSteppedCases("optim_course.json", atLeast: 17, stateKey: "state", compareValues: true)
    }

    /// lion.json: Lion as its paper defines it, same layout as the course file.
    func testLion() throws {
        try checkSteppedCases("lion.json", atLeast: 5, stateKey: "state", compareValues: true)
    }

    /// optim_torch.json: PyTorch's own float64 results for torch.sgd/rmsprop/adam/adamw/adagrad.
    /// `torch_state` is informative: the buffers must be exactly the ones PyTorch created.
    func testTorchForms() throws {
        try checkSteppedCases("optim_torch.json", atLeast: 24, stateKey: "torch_state", compareValues: false)
    }

    private func checkSteppedCases(_ file: String, atLeast: Int, stateKey: String, compareValues: Bool) throws {
        let json = try JSON.load(referenceRoot + "/" + file)
        let cases = json["cases"]!.array!
        XCTAssertGreaterThanOrEqual(cases.count, atLeast)
        var stepChecks = 0, stateChecks = 0
        for c in cases {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            I.defineGlobal("p", referenceValue(c["params0"]!))
            let setup = Run("opt = " + c["optrepl"]!.string!, interpreter: I)
            XCTAssertNil(setup.error, "\(name): \(setup.error?.message ?? "")")
            let expected = c["expected"]!
            for (i, g) in c["grads"]!.array!.enumerated() {
                I.defineGlobal("g", referenceValue(g))
                let step = Run("p = opt.step(p, g)", interpreter: I)
                XCTAssertNil(step.error, "\(name) step \(i + 1): \(step.error?.message ?? "")")
                assertClose(I.global("p"), referenceValue(expected["params"]![i]!), "\(name) step \(i + 1)")
                stepChecks += 1
            }
            XCTAssertEqual(Run("print(opt.t)", interpreter: I).output, "\(Int(expected["t"]!.double!))\n", name)
            guard case .object(let buffers)? = expected[stateKey] else { continue }
            let names = buffers.map(\.0).filter { $0 != "step" }
            let shown = Run("print(keys(opt.state[0]))", interpreter: I).output
            XCTAssertEqual(shown, "(" + names.map { "\"\($0)\"" }.joined(separator: ", ") + (names.count == 1 ? ",)" : ")") + "\n",
                           "\(name) buffers")
            guard compareValues else { continue }
            // opt.state nests leaf first (opt.state.W.m).
            for (buffer, tree) in buffers {
                guard case .object(let leaves) = tree else { continue }
                for (leaf, value) in leaves {
                    let r = Run("s = opt.state.\(leaf).\(buffer)", interpreter: I)
                    XCTAssertNil(r.error, "\(name) state \(leaf).\(buffer): \(r.error?.message ?? "")")
                    assertClose(I.global("s"), referenceValue(value), "\(name) state \(leaf).\(buffer)")
                    stateChecks += 1
                }
            }
        }
        XCTAssertGreaterThan(stepChecks, 5 * atLeast)
        if compareValues { XCTAssertGreaterThanOrEqual(stateChecks, cases.count) }
    }
}

import XCTest
import Lexer
import Parser
@testable import Runtime

/// ../shared/reference/optim_course.json: the course forms step by step, and their final state.
final class OptimizerReferenceTests: XCTestCase {
    func testCourseForms() throws {
        try checkSteppedCases("optim_course.json", atLeast: 17)
    }

    /// lion.json: Lion as its paper defines it, same layout as the course file.
    func testLion() throws {
        try checkSteppedCases("lion.json", atLeast: 5)
    }

    private func checkSteppedCases(_ file: String, atLeast: Int) throws {
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
            let grads = c["grads"]!.array!
            let expected = c["expected"]!
            for (i, g) in grads.enumerated() {
                I.defineGlobal("g", referenceValue(g))
                let step = Run("p = opt.step(p, g)", interpreter: I)
                XCTAssertNil(step.error, "\(name) step \(i + 1): \(step.error?.message ?? "")")
                assertClose(I.global("p"), referenceValue(expected["params"]![i]!), "\(name) step \(i + 1)")
                stepChecks += 1
            }
            XCTAssertEqual(Run("print(opt.t)", interpreter: I).output, "\(Int(expected["t"]!.double!))\n", name)
            // The file lists buffer first, then leaf; opt.state nests leaf first.
            guard case .object(let pairs)? = expected["state"] else { continue }
            for (buffer, tree) in pairs {
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
        XCTAssertGreaterThanOrEqual(stateChecks, cases.count)
    }

    /// optim_torch.json: PyTorch's own float64 results for torch.sgd/rmsprop/adam/adamw/adagrad.
    func testTorchForms() throws {
        let json = try JSON.load(referenceRoot + "/optim_torch.json")
        let cases = json["cases"]!.array!
        XCTAssertGreaterThanOrEqual(cases.count, 24)
        var stepChecks = 0
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
            // The buffers PyTorch created are exactly the ones opt.state holds.
            guard case .object(let state)? = expected["torch_state"] else { continue }
            // Listed buffer first, then leaf.
            let names = Set(state.map(\.0).filter { $0 != "step" })
            let firstLeaf = Run("print(keys(opt.state[0]))", interpreter: I)
            let shown = Set(firstLeaf.output.filter { !"()\" \n".contains($0) }.split(separator: ",").map(String.init))
            if !names.isEmpty { XCTAssertEqual(shown, names, "\(name) buffers") }
        }
        XCTAssertGreaterThan(stepChecks, 100)
    }
}

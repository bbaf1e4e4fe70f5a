import XCTest
@testable import Runtime

/// The scalar fast paths of a compiled loop against the general code: the tape-free derivative
/// run for the gradient alone (only the values its rules read: NumericGradient+Scalar.swift)
/// and the steady steps of numbers through a rule's scalar form (Optimizer.repeatStep). Every
/// differentiable built-in and operator, points with nan, inf, -0 and 1e308, optimizers whose
/// hyper-parameters or state change between loops: the same text, bit for bit, tier on and off.
final class ScalarGradientStepTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    static let unaries = ["abs", "sqrt", "exp", "log", "log2", "log10", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "softplus"]
    static let specials = ["nan", "inf", "-inf", "-0.0", "0", "1e308", "-1e308", "1e-310"]

    /// An expression of x, locals, constants and the global lam with every rule the
    /// tape-free derivative has.
    private func scalar(_ g: inout Generator, _ depth: Int, _ locals: [String]) -> String {
        if depth == 0 || g.below(4) == 0 {
            switch g.below(5) {
            case 0: return g.constant()
            case 1 where !locals.isEmpty: return locals[g.below(locals.count)]
            case 2: return "lam"
            default: return "x"
            }
        }
        let a = scalar(&g, depth - 1, locals), b = scalar(&g, depth - 1, locals)
        switch g.below(11) {
        case 0: return "(\(a) + \(b))"
        case 1: return "(\(a) - \(b))"
        case 2, 3: return "(\(a) * \(b))"
        case 4: return "(\(a) / \(b))"
        case 5: return "(\(a) % \(b))"
        case 6: return "(\(a) ^ \(["2", "3", "0.5", "-1", b][g.below(5)]))"
        case 7: return "-\(a)"
        default: return "\(Self.unaries[g.below(Self.unaries.count)])(\(a))"
        }
    }

    private func objective(_ g: inout Generator) -> String {
        var text = "lam = \(g.constant())\nfn f(x) {\n"
        var locals: [String] = []
        for k in 0..<g.below(3) {
            text += "    v\(k) = \(scalar(&g, 2, locals))\n"
            locals.append("v\(k)")
        }
        return text + "    return \(([scalar(&g, 3, locals)] + locals).joined(separator: " + "))\n}\n"
    }

    private func start(_ g: inout Generator) -> String {
        g.below(3) == 0 ? Self.specials[g.below(Self.specials.count)] : g.constant()
    }

    /// `d = grad(f, x)` in a loop: the derivative alone, without the values no rule reads.
    func testLoopGradientsAreTheTapes() {
        var ran = 0
        let count = 300
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 6_364_136_223)
            var text = objective(&g) + "x = \(start(&g))\ns = 0\n"
            for _ in 0..<(1 + g.below(3)) {
                text += "for k in 0..<\(1 + g.below(12)) {\n    d = grad(f, x)\n    s += d\n    x = x - \(g.constant()) * d\n}\n"
                text += "print(repr(x), repr(s), repr(grad(f, x)))\n"
                if g.below(3) == 0 { text += "x = \(start(&g))\nlam = \(start(&g))\n" }
            }
            ran += outputsAgree(text, seed: seed).numericMachine.loopsRun
        }
        XCTAssertGreaterThan(ran, count)
    }

    /// `x = opt.step(x, grad(f, x))` with the rules that have a scalar form (sgd, momentum)
    /// and those without, hyper-parameters set between loops, the state read (and so shared)
    /// before a loop steps it: x, t and the state are the general code's, and a state read
    /// before is left as it was.
    func testSteadyScalarStepsAreTheLeafKernels() {
        let optimizers = ["sgd(lr: 0.05)", "momentum(lr: 0.02, beta: 0.8)", "momentum(lr: 0.1, beta: 0.5, bias_correction: true)",
                          "momentum()", "sgd(lr: 1e308)", "momentum(lr: 0, beta: 0)", "adam(lr: 0.1)", "rmsprop(lr: 0.01, momentum: 0.5)"]
        var ran = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 2_862_933_555)
            var text = objective(&g) + "opt = \(optimizers[g.below(optimizers.count)])\nx = \(start(&g))\n"
            if g.below(3) == 0 { text += "x = opt.step(x, grad(f, x))\n" }
            for _ in 0..<(1 + g.below(3)) {
                let shared = g.below(3) == 0
                if shared { text += "st = opt.state\n" }
                text += "for k in 0..<\(1 + g.below(15)) { x = opt.step(x, grad(f, x)) }\n"
                text += "print(repr(x), opt.t, opt.state\(shared ? ", st" : ""))\n"
                switch g.below(6) {
                case 0: text += "opt.lr = \(g.constant().replacingOccurrences(of: "-", with: ""))\n"
                case 1: text += "x = \(start(&g))\n"
                case 2: text += "opt.reset()\n"
                case 3: text += "opt = \(optimizers[g.below(optimizers.count)])\n"
                default: break
                }
            }
            ran += outputsAgree(text, seed: seed).numericMachine.loopsRun
        }
        XCTAssertGreaterThan(ran, count)
    }

    @discardableResult
    private func outputsAgree(_ text: String, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) -> Interpreter {
        let (general, _) = outputWithTier(text, tier: false)
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, general, "seed \(seed):\n\(text)", file: file, line: line)
        return I
    }
}

import XCTest
@testable import Runtime

/// The tape-free gradient of vector code (Interpreter/Numeric/NumericGradient+Vector.swift:
/// w whole, tensor globals, a matrix global @ a vector, full sum and mean) against the tape:
/// generated objectives at generated points (nan, inf, -0, 1e308 among them), on odd and empty
/// shapes, with globals that change kind or shape and built-ins re-bound between calls, print
/// the same text, values and errors bit for bit with the tier on and off.
final class VectorGradientTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    /// A vector expression with n elements (w's length; `rows`: A's m rows instead).
    private func vector(_ g: inout Generator, _ depth: Int, n: Int, rows: Bool) -> String {
        if depth == 0 || g.below(3) == 0 {
            if rows { return g.below(3) == 0 ? "r" : "(A @ \(vector(&g, 0, n: n, rows: false)))" }
            return ["w", "w", "u", "(w * \(g.constant()))"][g.below(4)]
        }
        let a = vector(&g, depth - 1, n: n, rows: rows), b = vector(&g, depth - 1, n: n, rows: rows)
        switch g.below(10) {
        case 0: return "(\(a) + \(b))"
        case 1: return "(\(a) - \(b))"
        case 2: return "(\(a) * \(b))"
        case 3: return "(\(a) / (\(b) ^ 2 + 1))"
        case 4: return "(\(a) ^ 2)"
        case 5: return "-\(a)"
        case 6: return "(\(number(&g, depth - 1, n: n)) * \(a))"
        case 7: return "(\(a) - \(number(&g, depth - 1, n: n)))"
        case 8: return rows ? "(A @ \(vector(&g, depth - 1, n: n, rows: false)))" : "(\(a) ^ \(["3", "0.5", "-1"][g.below(3)]))"
        default: return "(\(a) % \(["2", "0.5", "-1.5"][g.below(3)]))"
        }
    }

    /// A number: constants, the global lam, elements of w, sums and means of vectors.
    private func number(_ g: inout Generator, _ depth: Int, n: Int) -> String {
        if depth == 0 || g.below(3) == 0 {
            switch g.below(6) {
            case 0: return g.constant()
            case 1: return "lam"
            case 2 where n > 0: return "w[\(g.below(n))]"
            default: return "\(["sum", "mean"][g.below(2)])(\(vector(&g, max(depth - 1, 0), n: n, rows: g.below(2) == 0)))"
            }
        }
        let a = number(&g, depth - 1, n: n), b = number(&g, depth - 1, n: n)
        switch g.below(6) {
        case 0: return "(\(a) + \(b))"
        case 1: return "(\(a) - \(b))"
        case 2: return "(\(a) * \(b))"
        case 3: return "sin(\(a))"
        case 4: return "(\(a) ^ 2)"
        default: return "\(["sum", "mean"][g.below(2)])(\(vector(&g, depth - 1, n: n, rows: g.below(2) == 0)))"
        }
    }

    private func literal(_ values: [String]) -> String { "[" + values.joined(separator: ", ") + "]" }

    /// grad and value_and_grad of generated objectives at generated points, then after a
    /// global or built-in changed: the tape's text, bit for bit and error for error.
    func testVectorGradientsAreTheTapes() {
        let specials = ["1e308", "-1e308", "-0.0", "0", "nan", "inf", "-inf", "1e-300"]
        var compiled = 0, errors = 0
        let count = 300
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 2_654_435_761)
            let n = [0, 1, 2, 3, 5, 11][g.below(6)], m = [1, 2, 4, 7, 17][g.below(5)]
            func values(_ k: Int, special: Bool) -> [String] {
                (0..<k).map { _ in special && g.below(3) == 0 ? specials[g.below(specials.count)] : g.constant() }
            }
            var text = "lam = \(g.constant())\n"
            text += n == 0 ? "A = zeros(\(m), 0)\n" : "A = cos(reshape(range(\(m * n)), \(m), \(n))) * \(g.constant())\n"
            text += "u = \(n == 0 ? "zeros(0)" : literal(values(n, special: false)))\n"
            text += "r = \(literal(values(m, special: false)))\n"
            text += "fn f(w) = \(["sum", "mean"][g.below(2)])(\(vector(&g, 3, n: n, rows: g.below(2) == 0))) + \(number(&g, 2, n: n))\n"
            let point = { (special: Bool) in n == 0 ? "zeros(0)" : self.literal(values(n, special: special)) }
            for k in 0..<4 {
                let p = point(k > 1)
                text += "print(repr(grad(f, \(p))), repr(value_and_grad(f, \(p))))\n"
            }
            // f called once by the general code in both tiers: a callee's error in code run
            // for the first time is placed at the whole call, in code run before at the callee
            // (the general code's own difference, with or without grad).
            text += "print(repr(f(\(point(false)))))\n"
            switch g.below(9) {
            case 0: text += "A = \(g.constant())\n"
            case 1: text += "A = reshape(range(\(2 * (n + 1))), 2, \(n + 1))\n"
            case 2: text += "r = \(literal(values(m + 1, special: false)))\n"
            case 3: text += "u = \(g.constant())\n"
            case 4: text += "lam = \(literal(values(2, special: false)))\n"
            case 5: text += "mean = sum\n"
            case 6: text += "sum = \(g.constant())\n"
            case 7: text += "A = transpose(cos(reshape(range(\(m * n)), \(n), \(m))))\n"
            default: text += "A = A * \(g.constant())\n"
            }
            let p = point(true)
            text += "print(repr(grad(f, \(p))), repr(value_and_grad(f, \(p))))\n"
            if n > 0 {
                // The loop's vector gradient (w in registers) with an optimizer step.
                text += "opt = adam(lr: 0.05)\nw = \(point(false))\n"
                text += "for k in 0..<\(1 + g.below(20)) { w = opt.step(w, grad(f, w)) }\nprint(repr(w), opt.t)\n"
            }
            let (general, _) = outputWithTier(text, tier: false)
            let (numeric, I) = outputWithTier(text, tier: true)
            XCTAssertEqual(numeric, general, "seed \(seed):\n\(text)")
            if numeric.contains("error:") { errors += 1 }
            if case .function(let fn)? = I.global("f"), case .ready(let code) = unsafeDowncast(fn, to: Closure.self).proto.gradient,
               code.usesVectors {
                compiled += 1
            }
        }
        // Most objectives run without the tape; the changed globals give some errors.
        XCTAssertGreaterThan(compiled, count * 3 / 4)
        XCTAssertGreaterThan(errors, count / 10)
        XCTAssertLessThan(errors, count / 2)
    }

    /// grad_lsq's loop runs in the tier with the vector gradient, and gives the tape's bits.
    func testLeastSquaresLoopIsTheTapes() {
        let text = """
            A = cos(reshape(range(100), 20, 5))
            y = A @ [1, -2, 3, 0.5, -1] + sin(range(20))
            fn loss(w) = mean((A @ w - y) ^ 2)
            opt = adam(lr: 0.01)
            w = zeros(5)
            for k in 0..<300 { w = opt.step(w, grad(loss, w)) }
            print(repr(w), repr(loss(w)), opt.t)
            """
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, outputWithTier(text, tier: false).0)
        XCTAssertEqual(I.numericMachine.loopsRun, 1)
        guard case .function(let fn)? = I.global("loss"), case .ready(let code) = unsafeDowncast(fn, to: Closure.self).proto.gradient else {
            return XCTFail("loss has no tape-free gradient")
        }
        XCTAssert(code.usesVectors)
    }

    /// Over --max-elements (lowered after A was made) the tape's error, not a result: the
    /// vector code leaves the call to it.
    func testElementLimitIsTheTapes() {
        var outputs: [String] = []
        for tier in [false, true] {
            let I = Interpreter(output: { _ in })
            I.usesNumericTier = tier
            let first = Run("A = ones(6, 2)\nfn f(w) = sum(A @ w)\nprint(repr(grad(f, [1, 2])))", interpreter: I)
            I.maxElements = 4
            let second = Run("print(repr(grad(f, [1, 2])))", interpreter: I)
            outputs.append(first.output + second.output + (second.error.map { "error: \($0.message)" } ?? ""))
        }
        XCTAssertEqual(outputs[1], outputs[0])
        XCTAssert(outputs[0].contains("error:"), outputs[0])
    }
}

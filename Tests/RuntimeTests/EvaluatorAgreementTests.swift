import XCTest
import CKernels
@testable import Runtime

/// Every evaluator of an element-wise expression computes the same bits. One generated
/// expression of a, b, c is run as numbers in the compiled code, as 1- and 3-element tensors
/// (operators and reused temporaries), as 20,000-element tensors (the fused planner), mixed
/// tensor-number, in place (`W += expr`), inside a compiled function (the numeric tier), and
/// through value_and_grad with and without the tape; each result must equal the numbers' to
/// the bit (printed by repr, which is exact). The rules live once in ElementRules.swift; this
/// is what holds every path to them.
final class EvaluatorAgreementTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    /// Inputs a student meets, and the ones that find last-bit differences (full-precision
    /// values, where pow(x, 2) and x*x part) or edge cases (zeros, infinities, nan).
    private func input(_ g: inout Generator) -> String {
        switch g.below(10) {
        case 0: return ["0", "-0.0", "1", "-1", "2", "0.5", "inf", "-inf", "nan", "1e308", "1e-308"][g.below(11)]
        case 1, 2, 3: return g.constant()
        default: return NumberFormat.repr(g.uniform(-3000, 3000))
        }
    }

    /// An element-wise expression of a, b and c (the names are substituted per path).
    private func expression(_ g: inout Generator, _ depth: Int) -> String {
        if depth == 0 || g.below(5) == 0 {
            switch g.below(5) {
            case 0: return g.constant()
            case 1: return "$a"
            case 2: return "$b"
            default: return "$c"
            }
        }
        let x = expression(&g, depth - 1), y = expression(&g, depth - 1)
        switch g.below(20) {
        case 0, 1: return "(\(x) + \(y))"
        case 2, 3: return "(\(x) - \(y))"
        case 4, 5: return "(\(x) * \(y))"
        case 6: return "(\(x) / \(y))"
        case 7: return "(\(x) % \(y))"
        case 8, 9: return "(\(x) ^ 2)"
        case 10: return "(\(x) ^ \(["3", "0.5", "-1", "0", "1"][g.below(5)]))"
        case 11: return "(\(x) ^ \(y))"
        case 12: return "-\(x)"
        case 13: return "\(["sin", "cos", "tanh", "sigmoid", "exp", "relu", "softplus", "abs"][g.below(8)])(\(x))"
        case 14: return "sqrt(abs(\(x)))"
        case 15: return "log(abs(\(x)) + 1)"
        default: return "(\(x) * \(g.constant()) + \(y))"
        }
    }

    private func program(_ e: String, _ a: String, _ b: String, _ c: String) -> String {
        func at(_ x: String, _ y: String, _ z: String) -> String {
            e.replacingOccurrences(of: "$a", with: x).replacingOccurrences(of: "$b", with: y)
                .replacingOccurrences(of: "$c", with: z)
        }
        return """
        a = \(a)
        b = \(b)
        c = \(c)
        r = \(at("a", "b", "c"))
        fn F(a, b, c) = \(at("a", "b", "c"))
        A1 = [a]
        B1 = [b]
        C1 = [c]
        A3 = [a, a, a]
        B3 = [b, b, b]
        C3 = [c, c, c]
        AF = ones(20000) * a
        BF = ones(20000) * b
        CF = ones(20000) * c
        t1 = \(at("A1", "B1", "C1"))
        t3 = \(at("A3", "B3", "C3"))
        mixed = \(at("A3", "b", "C3"))
        fused = \(at("AF", "BF", "CF"))
        W = ones(20000) * c
        W += \(at("AF", "BF", "CF"))
        vg = value_and_grad(fn(w) = \(at("w[0]", "w[1]", "w[2]")), [a, b, c])
        print(repr(r))
        print(repr(F(a, b, c)))
        print(repr(t1[0]))
        print(repr(t3[2]))
        print(repr(mixed[1]))
        print(repr(fused[0]), repr(fused[19999]))
        print(repr(c + r), repr(W[0]), repr(W[19999]))
        print(repr(vg.value))
        print(repr(vg.grad))
        """
    }

    private func run(_ text: String, tier: Bool) -> [String] {
        let I = Interpreter(output: { _ in })
        I.usesNumericTier = tier
        let run = Run(text, interpreter: I)
        var lines = run.output.split(separator: "\n").map(String.init)
        if let e = run.error { lines.append("error: \(e.message)") }
        return lines
    }

    func testEveryPathGivesTheNumbersBits() {
        var g = Generator(state: 12)
        var checked = 0
        for _ in 0..<300 {
            // Each of a, b, c must appear, so every tensor path gives a tensor.
            var e = expression(&g, 4)
            while !(e.contains("$a") && e.contains("$b") && e.contains("$c")) { e = expression(&g, 4) }
            let text = program(e, input(&g), input(&g), input(&g))
            let fast = run(text, tier: true), taped = run(text, tier: false)
            guard fast.count == 9 else { XCTFail("\(text)\n\(fast)"); continue }
            let r = fast[0]
            let paths = ["compiled function": fast[1], "1-element tensor": fast[2], "3-element tensor": fast[3],
                         "tensor and numbers": fast[4], "fused, first": fast[5].split(separator: " ").first.map(String.init) ?? "",
                         "fused, last": fast[5].split(separator: " ").last.map(String.init) ?? "",
                         "value_and_grad's value": fast[7]]
            for (path, value) in paths.sorted(by: { $0.key < $1.key }) where value != r {
                XCTFail("\(path) gives \(value), numbers give \(r)\n\(text)")
            }
            let inPlace = fast[6].split(separator: " ").map(String.init)
            XCTAssertEqual(inPlace, [inPlace[0], inPlace[0], inPlace[0]], "in place\n\(text)")
            // Without the numeric tier: the general code runs F, and grad records a tape.
            XCTAssertEqual(taped, fast, "general code and tape against numeric tier and tape-free gradient\n\(text)")
            checked += 1
        }
        XCTAssertEqual(checked, 300)
    }

    /// The symptom that started it: pow(x, 2) and x*x differ in the last bit for this input.
    func testSquareIsOneProductOnEveryPath() {
        let out = run("""
        x = 1608.632015410434
        fn sq(y) = y ^ 2
        w = [x]
        w2 = ones(20000) * x
        print(repr(x ^ 2), repr(([x] ^ 2)[0]), repr(([x] ^ [2])[0]), repr(sq(x)), repr((w2 ^ 2)[7]))
        """, tier: true)
        XCTAssertEqual(out, ["2587696.961003435 2587696.961003435 2587696.961003435 2587696.961003435 2587696.961003435"])
    }

    /// The course Adam's step in Swift and in C (CKernels), at leaf sizes around the vector
    /// width and one large: the same bits for w, m and v.
    func testCourseAdamInSwiftAndCAgree() {
        var g = Generator(state: 5)
        for n in [1, 15, 16, 17, 1000] {
            for t in 1...3 {
                var w = (0..<n).map { _ in g.uniform(-5, 5) }, grad = (0..<n).map { _ in g.uniform(-100, 100) }
                var m = (0..<n).map { _ in g.uniform(-1, 1) }, v = (0..<n).map { _ in g.uniform(0, 2) }
                if n > 3 { grad[3] = 0; w[2] = -0.0 }
                var w2 = w, m2 = m, v2 = v
                let lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8
                let c1 = 1 - Double.pow(b1, Double(t)), c2 = 1 - Double.pow(b2, Double(t))
                CourseOptimizers.adamLoop(&w, grad, &m, &v, n, lr, b1, b2, eps, c1, c2, epsInSqrt: false)
                optrepl_adam_course(&w2, grad, &m2, &v2, n, lr, b1, b2, eps, c1, c2)
                XCTAssertEqual(w.map(\.bitPattern), w2.map(\.bitPattern), "w at n = \(n), t = \(t)")
                XCTAssertEqual(m.map(\.bitPattern), m2.map(\.bitPattern), "m at n = \(n), t = \(t)")
                XCTAssertEqual(v.map(\.bitPattern), v2.map(\.bitPattern), "v at n = \(n), t = \(t)")
            }
        }
    }
}

import XCTest
@testable import Runtime

/// grad against numgrad on generated programs (issue 5): 240 random smooth expressions of a
/// 3-vector through every differentiable operation, user functions, closures, loops and
/// conditionals. Central differences are accurate to about h² · f''' and 1e-16 / h, so
/// the comparison allows 1e-6 relative plus 1e-7 absolute.
final class GradPropertyTests: XCTestCase {
    /// A small deterministic generator (SplitMix64), so a failure names a reproducible case.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
            lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)
        }
        mutating func constant() -> String { NumberFormat.repr((uniform(-2, 2) * 100).rounded() / 100) }
    }

    /// An expression whose value is a 3-vector (numbers broadcast).
    func vector(_ g: inout Generator, _ depth: Int) -> String {
        if depth == 0 {
            switch g.below(4) {
            case 0: return "x"
            case 1: return "(x * \(g.constant()))"
            case 2: return "(x[\(g.below(3))] * x)"
            default: return "(x + \(g.constant()))"
            }
        }
        let a = vector(&g, depth - 1)
        switch g.below(17) {
        case 0: return "tanh(\(a))"
        case 1: return "sigmoid(\(a))"
        case 2: return "sin(\(a))"
        case 3: return "cos(\(a))"
        case 4: return "exp(tanh(\(a)))"
        case 5: return "log(\(a) ^ 2 + 1)"
        case 6: return "sqrt(\(a) ^ 2 + 0.5)"
        case 7: return "softplus(\(a))"
        case 8: return "(\(a) + \(vector(&g, depth - 1)))"
        case 9: return "(\(a) - \(vector(&g, depth - 1)))"
        case 10: return "(\(a) * \(vector(&g, depth - 1)))"
        case 11: return "(\(a) / (\(vector(&g, depth - 1)) ^ 2 + 1))"
        case 12: return "(sum(\(a)) * x)"
        case 13: return "(x * mean(\(a)) - max(\(vector(&g, depth - 1))))"
        case 14: return "reshape(transpose(reshape(\(a), 3, 1)), 3)"
        case 15: return "([[1, 0.5, 0], [0, 1, -0.5], [0.25, 0, 1]] @ \(a))"
        default: return "helper(\(a), \(g.constant()))"
        }
    }

    func scalar(_ g: inout Generator, _ depth: Int) -> String {
        let a = vector(&g, depth)
        switch g.below(5) {
        case 0: return "sum(\(a))"
        case 1: return "norm(\(a) + 3)"
        case 2: return "dot(\(a), x)"
        case 3: return "mean(\(a) * \(vector(&g, depth)))"
        default: return "looped(\(a))"
        }
    }

    func testGradMatchesNumgradOnGeneratedPrograms() {
        var g = Generator(state: 20261125)
        var checked = 0
        for case_ in 0..<240 {
            let body = scalar(&g, 1 + g.below(4))
            let x = (0..<3).map { _ in
                let v = g.uniform(0.2, 1.5)
                return NumberFormat.repr(g.below(2) == 0 ? v : -v)
            }
            let program = """
                fn helper(v, c) {
                    if c > 0 { return v * c + tanh(v) }
                    return v - c * sigmoid(v)
                }
                fn looped(v) {
                    total = 0
                    for i in 0..<3 { total = total + v[i] * (i + 1) }
                    scale = fn(u) = u * 0.5
                    return scale(total)
                }
                fn f(x) = \(body)
                x0 = [\(x.joined(separator: ", "))]
                a = grad(f, x0)
                b = numgrad(f, x0)
                """
            let I = Interpreter(output: { _ in })
            let run = Run(program, interpreter: I)
            guard run.error == nil, case .tensor(let a)? = I.global("a"), case .tensor(let b)? = I.global("b") else {
                XCTFail("case \(case_): \(run.error?.message ?? "no result")\n\(body)")
                continue
            }
            for k in 0..<3 where !(abs(a.data[k] - b.data[k]) <= 1e-7 + 1e-6 * abs(b.data[k])) {
                XCTFail("case \(case_), element \(k): grad \(a.data[k]) numgrad \(b.data[k])\n\(body) at \(x)")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 240)
    }

    func testKinksFollowPyTorch() {
        let r = Run("""
            print(grad(fn(x) = sum(relu(x)), [-1, 0, 2]))
            print(grad(fn(x) = sum(abs(x)), [-1, 0, 2]))
            print(grad(fn(x) = sum(clip(x, 0, 1)), [-1, 0, 0.5, 1, 2]))
            print(grad(fn(x) = max(x), [1, 3, 3, 2]))
            print(grad(fn(x) = norm(x), [0, 0]))
            print(grad(fn(x) = sum(max(x, axis: 1)), [[1, 5], [4, 4]]))
            print(grad(fn(x) = sum(where(x > 0, x ^ 2, -x)), [-2, 3]))
            print(grad(fn(x) = x ^ 3, 2), grad(fn(x) = 5, 2))
            print(value_and_grad(fn(p) = p.a * p.b[1], (a: 2, b: [1, 3])))
            """)
        XCTAssertNil(r.error, r.error?.message ?? "")
        XCTAssertEqual(r.output, """
            [0, 0, 1]
            [-1,  0,  1]
            [0, 1, 1, 1, 0]
            [  0, 0.5, 0.5,   0]
            [0, 0]
            [[  0,   1],
             [0.5, 0.5]]
            [-1,  6]
            12 0
            (value: 6, grad: (a: 3, b: [0, 2]))

            """)
    }

    /// `max`/`min` of a traced value and a constant (`max(w, 0)`, a hinge): the constant goes on
    /// the tape, whose backward rule reads both operands (left off it, the rule read the tape at
    /// -1 and the process trapped); ties share the gradient half and half, as torch.maximum.
    func testPairExtremaWithConstants() {
        let r = Run("""
            print(grad(fn(w) = max(w, 0), 1), grad(fn(w) = max(w, 0), -1), grad(fn(w) = max(w, 0), 0))
            print(grad(fn(w) = min(w, 0), 1), grad(fn(w) = min(0, w), -1))
            print(grad(fn(w) = max(w, 2, 3), 1), grad(fn(w) = max(w, 2, 3), 5), grad(fn(w) = max(0, w) * w, -2))
            print(grad(fn(w) = sum(max(w, [0, 1])), [1, 2]), grad(fn(w) = sum(min([0, 1], w)), [1, 0.5]))
            print(grad(fn(w) = max(w, nan), 1), grad(fn(w) = max(w, inf), 1))
            """)
        XCTAssertNil(r.error, r.error?.message ?? "")
        XCTAssertEqual(r.output, """
            1 0 0.5
            0 1
            0 1 0
            [1, 1] [0, 1]
            0 0

            """)
    }
}

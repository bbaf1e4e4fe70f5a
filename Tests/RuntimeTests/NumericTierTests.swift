import XCTest
import Lexer
import Parser
#if canImport(Glibc)
import Glibc
#endif
@testable import Runtime

/// The numeric tier (Interpreter/Numeric/) against the general code: generated programs print
/// exactly the same text either way, bit for bit, and the tier does run them.
final class NumericTierTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    /// Runs `text` with the tier and without and demands the same text; the tier's interpreter.
    private func bothTiers(_ text: String, _ seed: UInt64, line: UInt = #line) -> Interpreter {
        let (general, _) = outputWithTier(text, tier: false)
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, general, "seed \(seed):\n\(text)", line: line)
        return I
    }

    private func isCompiled(_ I: Interpreter, _ name: String) -> Bool {
        guard case .function(let f)? = I.global(name), f.kind == .closure else { return false }
        if case .ready = unsafeDowncast(f, to: Closure.self).proto.numeric { return true }
        return false
    }

    /// Whether the function has code for the kinds of arguments other than numbers it was
    /// called with last (FunctionProto.numericWithTensors).
    private func isCompiledForArguments(_ I: Interpreter, _ name: String) -> Bool {
        guard case .function(let f)? = I.global(name), f.kind == .closure else { return false }
        if case .ready = unsafeDowncast(f, to: Closure.self).proto.numericWithTensors { return true }
        return false
    }


    // MARK: generated programs

    /// An expression of numbers; `calls` allows calls of h (not in h itself).
    private func number(_ g: inout Generator, _ depth: Int, _ names: [String], calls: Bool = true) -> String {
        if depth == 0 || g.below(4) == 0 {
            switch g.below(6) {
            case 0, 1: return g.constant()
            case 2 where calls: return "scale"  // a global number
            default: return names[g.below(names.count)]
            }
        }
        let a = number(&g, depth - 1, names, calls: calls), b = number(&g, depth - 1, names, calls: calls)
        switch g.below(17) {
        case 16: return "round(\(a))"  // half to even (Builtin.scalar)
        case 14: return "min(\(a), \(b))"
        case 15: return "max(\(a), \(b))"
        case 0: return "(\(a) + \(b))"
        case 1: return "(\(a) - \(b))"
        case 2: return "(\(a) * \(b))"
        case 3: return "(\(a) / \(b))"
        case 4: return "(\(a) % \(b))"
        case 5: return "(\(a) ^ 2)"
        case 6: return "-\(a)"
        case 7: return "sin(\(a))"
        case 8: return "sqrt(abs(\(a)))"
        case 9: return "exp(tanh(\(a)))"
        case 10: return calls ? "h(\(a), \(b))" : "min2(\(a), \(b))"
        case 11: return "log(\(a) ^ 2 + 1)"
        case 12: return "(\(a) + \(g.constant()))"
        default: return "(\(a) ^ \(b))"
        }
    }

    private func condition(_ g: inout Generator, _ names: [String]) -> String {
        let a = number(&g, 1, names), b = number(&g, 1, names)
        let ops = ["<", "<=", ">", ">=", "==", "!="]
        switch g.below(5) {
        case 0: return "\(a) \(ops[g.below(6)]) \(b) and \(b) \(ops[g.below(6)]) \(g.constant())"
        case 1: return "\(a) \(ops[g.below(6)]) \(b) or not (\(a) \(ops[g.below(6)]) 0)"
        case 2: return a
        default: return "\(a) \(ops[g.below(6)]) \(b)"
        }
    }

    private func statements(_ g: inout Generator, _ depth: Int, _ names: [String], inLoop: Bool, indent: String) -> String {
        var out = ""
        for _ in 0..<(1 + g.below(3)) {
            let target = names[g.below(names.count)]
            switch g.below(depth > 0 ? 8 : 4) {
            case 0, 1: out += "\(indent)\(target) = \(number(&g, 2, names))\n"
            case 2: out += "\(indent)\(target) \(["+=", "-=", "*=", "/="][g.below(4)]) \(number(&g, 1, names))\n"
            case 3:
                if inLoop && g.below(3) == 0 {
                    out += "\(indent)if \(condition(&g, names)) { \(g.below(2) == 0 ? "break" : "continue") }\n"
                } else {
                    out += "\(indent)\(target) = \(number(&g, 1, names))\n"
                }
            case 4, 5:
                out += "\(indent)if \(condition(&g, names)) {\n"
                out += statements(&g, depth - 1, names, inLoop: inLoop, indent: indent + "    ")
                if g.below(2) == 0 {
                    out += "\(indent)} else {\n" + statements(&g, depth - 1, names, inLoop: inLoop, indent: indent + "    ")
                }
                out += "\(indent)}\n"
            case 6:
                let lo = g.constant(), hi = "\(g.below(6))\(g.below(2) == 0 ? ".5" : "")"
                out += "\(indent)for k in \(lo)\(g.below(2) == 0 ? "..<" : "...")\(hi) {\n"
                out += statements(&g, depth - 1, names + ["k"], inLoop: true, indent: indent + "    ")
                out += "\(indent)}\n"
            default:
                // A counter per depth: an inner loop must not reset the outer one's.
                let n = "n\(depth)"
                out += "\(indent)\(n) = 0\n\(indent)while \(n) < \(1 + g.below(5)) {\n\(indent)    \(n) += 1\n"
                out += statements(&g, depth - 1, names, inLoop: true, indent: indent + "    ")
                out += "\(indent)}\n"
            }
        }
        return out
    }

    private func program(_ seed: UInt64) -> String {
        var g = Generator(state: seed)
        let names = ["x", "y", "a", "b"]
        var text = "scale = \(g.constant())\nfn min2(p, q) { if p < q { return p }; return q }\n"
        text += "fn h(p, q) = \(number(&g, 2, ["p", "q"], calls: false))\n"
        text += "fn f(x, y) {\n    a = x - y\n    b = 1\n"
        text += statements(&g, 2, names, inLoop: false, indent: "    ")
        text += "    return \(number(&g, 2, names))\n}\n"
        for (x, y) in [("0.5", "2"), ("-3", "0.25"), ("0", "0"), ("7", "-1.5"), ("nan", "1"), ("inf", "2")] {
            text += "print(f(\(x), \(y)))\n"
        }
        return text
    }

    func testGeneratedProgramsPrintTheSameInBothTiers() {
        var compiled: [UInt64] = [], interpreted: [String] = []
        let count = 300
        for seed in 1...UInt64(count) {
            let text = program(seed)
            let (tree, _) = outputWithTier(text, tier: false)
            let (numeric, I) = outputWithTier(text, tier: true)
            XCTAssertEqual(numeric, tree, "seed \(seed):\n\(text)")
            if isCompiled(I, "f") { compiled.append(seed) } else { interpreted.append(text) }
        }
        // Everything generated is inside the tier's subset.
        XCTAssertEqual(compiled.count, count, interpreted.prefix(2).joined(separator: "\n\n"))
    }

    /// `%` takes an integer path for whole numbers below 2^53: it must give libm's fmod-based
    /// result bit for bit (sign of zero included) on every kind of operand, whole or not.
    func testRemainderOfWholeNumbersIsFmods() {
        func reference(_ x: Double, _ y: Double) -> Double {
            var r = fmod(x, y)
            if y == 0 { return r }
            if r != 0 {
                if (y < 0) != (r < 0) { r += y }
            } else {
                r = y < 0 ? -0.0 : 0.0
            }
            return r
        }
        var g = Generator(state: 15)
        let edges: [Double] = [0, -0.0, 1, -1, 2, -2, 3, 0x1p53 - 1, -(0x1p53 - 1), 0x1p53, -0x1p53, 0x1p53 + 2,
                               0x1p63, 1e308, -1e308, .infinity, -.infinity, .nan, 0.5, -2.5, 1e-300,
                               .leastNonzeroMagnitude, 4503599627370495.5]
        var pairs: [(Double, Double)] = []
        for x in edges { for y in edges { pairs.append((x, y)) } }
        for _ in 0..<20_000 {
            let scale = [10.0, 1e6, 0x1p52, 0x1p54][g.below(4)]
            let x = (g.uniform(-1, 1) * scale).rounded(), y = (g.uniform(-1, 1) * scale).rounded()
            pairs.append((x, y))
            pairs.append((x, Double(g.below(7) - 3)))
            pairs.append((g.uniform(-100, 100), y))
        }
        for (x, y) in pairs {
            let got = Arithmetic.remainder(x, y), want = reference(x, y)
            XCTAssert(got.bitPattern == want.bitPattern || (got.isNaN && want.isNaN), "\(x) % \(y): \(got), fmod gives \(want)")
        }
    }

    // MARK: gradients of straight-line functions

    private func element(_ g: inout Generator, _ depth: Int, _ locals: [String]) -> String {
        if depth == 0 || g.below(3) == 0 {
            switch g.below(5) {
            case 0: return g.constant()
            case 1 where !locals.isEmpty: return locals[g.below(locals.count)]
            case 2: return "lam"  // a global number
            default: return "w[\(g.below(6) - 3)]"
            }
        }
        let a = element(&g, depth - 1, locals), b = element(&g, depth - 1, locals)
        if g.below(4) == 0 {
            let functions = ["sin", "cos", "exp", "tanh", "sigmoid", "softplus", "abs", "relu", "sqrt", "log", "tan"]
            let f = functions[g.below(functions.count)]
            // sqrt and log of a square plus one: defined everywhere.
            return f == "sqrt" || f == "log" ? "\(f)(\(a) ^ 2 + 1)" : "\(f)(\(a))"
        }
        switch g.below(9) {
        case 0: return "(\(a) + \(b))"
        case 1: return "(\(a) - \(b))"
        case 2, 3: return "(\(a) * \(b))"
        case 4: return "(\(a) / (\(b) ^ 2 + 1))"
        case 5: return "(\(a) ^ 2)"
        case 6: return "-\(a)"
        case 7: return "(\(a) % 1.5)"
        default:
            let exponents = ["3", "0", "0.5", "-1"]
            return "(\(a) ^ \(exponents[g.below(4)]))"
        }
    }

    /// grad and value_and_grad of generated straight-line functions give the tape's numbers,
    /// and run without it.
    func testStraightLineGradientsAreTheTapes() {
        var compiled = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 7919)
            var text = "lam = \(g.constant())\nfn f(w) {\n"
            var locals: [String] = []
            for k in 0..<g.below(4) {
                let name = "v\(k)"
                text += "    \(name) = \(element(&g, 2, locals))\n"
                if g.below(3) == 0 { text += "    \(name) \(["+=", "-=", "*="][g.below(3)]) \(element(&g, 1, locals))\n" }
                locals.append(name)
            }
            // The result uses every local, so each contributes to the gradient.
            text += "    return \(([element(&g, 3, locals)] + locals).joined(separator: " + "))\n}\n"
            for w in ["[0.5, -1.25, 2]", "[-3, 0.1, 0]", "[1, 1, 1]", "[-0.0, 2.5, -0.75]"] {
                text += "print(repr(grad(f, \(w))), repr(value_and_grad(f, \(w))))\n"
            }
            let (tape, _) = outputWithTier(text, tier: false)
            let (direct, I) = outputWithTier(text, tier: true)
            XCTAssertEqual(direct, tape, "seed \(seed):\n\(text)")
            if case .function(let fn)? = I.global("f"), case .ready = unsafeDowncast(fn, to: Closure.self).proto.gradient {
                compiled += 1
            }
        }
        XCTAssertEqual(compiled, count)
    }

    /// A global number read by f is read at each grad; one that is no longer a number sends
    /// the call to the tape, which reports it.
    func testGlobalNumbersInAGradient() {
        let text = """
            lam = 0.5
            fn f(w) = lam * w[0] ^ 2 + (lam * 2) * w[1]
            print(grad(f, [1, 2]))
            lam = 3
            print(grad(f, [1, 2]))
            lam = "x"
            print(grad(f, [1, 2]))
            """
        let (direct, _) = outputWithTier(text, tier: true)
        XCTAssertEqual(direct, outputWithTier(text, tier: false).0)
        XCTAssertTrue(direct.hasPrefix("[1, 1]\n[6, 6]\nerror: cannot apply '*' to string and number"), direct)
    }

    /// A built-in rebound after the gradient code was made: the next grad sees the new one.
    func testRebindingABuiltinIsSeenByTheGradient() {
        let text = """
            fn f(w) = sin(w[0]) * w[1]
            print(grad(f, [0.5, 2]))
            fn sin(x) = x ^ 3
            print(grad(f, [0.5, 2]))
            """
        let (direct, _) = outputWithTier(text, tier: true)
        XCTAssertEqual(direct, outputWithTier(text, tier: false).0)
        XCTAssertEqual(direct, "[ 1.75517, 0.479426]\n[  1.5, 0.125]\n")
    }

    /// W3b's loop: Rosenbrock's gradient without the tape, the tape's numbers after many steps.
    func testRosenbrockStepsAreTheTapes() {
        let text = """
            fn rosen(w) = (1 - w[0]) ^ 2 + 100 * (w[1] - w[0] ^ 2) ^ 2
            opt = adam(lr: 0.001)
            w = [-1.5, 2]
            for k in 0..<2000 { w = opt.step(w, grad(rosen, w)) }
            print(repr(w), repr(rosen(w)))
            """
        let (direct, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(direct, outputWithTier(text, tier: false).0)
        guard case .function(let fn)? = I.global("rosen"), case .ready = unsafeDowncast(fn, to: Closure.self).proto.gradient else {
            return XCTFail("rosen's gradient is not compiled")
        }
    }

    // MARK: cases

    /// (The limit of 10,000 calls, reached inside the tier, is in Tests/Programs/numeric_tier.opt:
    /// the test runner's own thread has too small a stack for the general code's part of it.)
    func testRecursionCompiles() {
        let text = """
            fn fib(n) {
                if n < 2 { return n }
                return fib(n - 1) + fib(n - 2)
            }
            print(fib(20))
            fn deep(n) { if n == 0 { return 0 }; return 1 + deep(n - 1) }
            print(deep(300))
            """
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, "6765\n300\n")
        XCTAssertEqual(outputWithTier(text, tier: false).0, numeric)
        XCTAssertTrue(isCompiled(I, "fib"))
        XCTAssertTrue(isCompiled(I, "deep"))
    }

    /// A function called through a global sees the global's new value: the compiled caller
    /// notices the change and the call runs as the general code runs it.
    /// Calls between compiled functions run in one loop (a stack of callers): a callee that
    /// returns a tuple to a compiled caller, or gives up deep in the calls, hands the whole
    /// outermost call back to the general code, which prints what it always printed.
    func testGivingUpInsideNestedCallsRunsTheOutermostCallAgain() {
        let text = """
            fn pair(n) {
                if n > 0 { x = pair(n - 1) }
                return (a: n, b: 2)
            }
            print(pair(3))
            fn leaf(n) { if n > 2 { return n } }
            fn mid(n) = leaf(n) + 1
            fn top(n) = mid(n) * 2 + mid(n + 1)
            print(top(5))
            print(top(1))
            """
        let (numeric, _) = outputWithTier(text, tier: true)
        XCTAssertEqual(outputWithTier(text, tier: false).0, numeric)
        XCTAssertTrue(numeric.hasPrefix("(a: 3, b: 2)\n19\n"), numeric)
    }

    func testRebindingACalleeIsSeen() {
        let I = Interpreter(output: { _ in })
        var run = Run("fn g(x) = x + 1\nfn f(x) = 2 * g(x)\nprint(f(1))", interpreter: I)
        XCTAssertEqual(run.output, "4\n")
        XCTAssertTrue(isCompiled(I, "f"))
        run = Run("fn g(x) = x - 1\nprint(f(1))\ng = 5\nprint(f(1))", interpreter: I)
        XCTAssertEqual(run.output, "0\n")
        XCTAssertEqual(run.error?.message, "a number is not callable")
    }

    /// f calls g, which calls f back: g compiles while f is half done, then f turns out not to
    /// fit (it prints); g must not keep code that calls the half-done f.
    func testAFunctionThatDoesNotFitTakesItsCallersWithIt() {
        let text = """
            fn f(n) { if n <= 0 { return 0 }; x = g(n - 1); print(x); return x + 1 }
            fn g(n) = f(n) * 2
            print(f(3))
            print(g(2))
            """
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, outputWithTier(text, tier: false).0)
        XCTAssertEqual(numeric, "0\n2\n6\n7\n0\n2\n6\n")
        XCTAssertFalse(isCompiled(I, "f"))
        XCTAssertFalse(isCompiled(I, "g"))
    }

    /// Functions outside the subset stay with the general code; so do calls with non-numbers.
    func testWhatStaysWithTheGeneralCode() {
        let text = """
            fn shows(x) { print(x); return x }
            fn twice_shown(x) = shows(x) + shows(x)
            fn flag(x) = x > 0
            fn maybe(x) { if x > 0 { return x } }
            fn tensor_read(x) = x + weights[0]
            fn twice(x) = 2 * x
            weights = [1, 2]
            print(shows(1), flag(2), maybe(-1), tensor_read(1), twice([1, 2]), twice(3), twice_shown(2))
            """
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, "1\n2\n2\n1 true nil 2 [2, 4] 6 4\n")
        // A function that prints runs in the tier for the general code's calls; its callers stay.
        XCTAssertTrue(isCompiled(I, "shows"))
        for name in ["twice_shown", "tensor_read"] { XCTAssertFalse(isCompiled(I, name), name) }
        XCTAssertTrue(isCompiled(I, "flag"))  // a bool returned: the general code gets a bool
        XCTAssertTrue(isCompiled(I, "maybe"))  // compiled, but gives up where it returns nil
        XCTAssertTrue(isCompiled(I, "twice"))
    }

    /// Globals read as numbers are read at every call; one that stops being a number sends
    /// the call to the general code, which reports what it reports.
    func testGlobalNumbersAreReadAtEveryCall() {
        let text = """
            lr = 0.5
            fn step(w, g) = w - lr * g
            print(step(1, 2))
            lr = 0.25
            print(step(1, 2))
            lr = [1, 2]
            print(step(1, 2))
            lr = "fast"
            print(step(1, 2))
            """
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, outputWithTier(text, tier: false).0)
        XCTAssertTrue(numeric.hasPrefix("0\n0.5\n[-1, -3]\nerror: cannot apply '*' to string and number"), numeric)
        XCTAssertTrue(isCompiled(I, "step"))
    }

    /// Functions that read elements and the length of tensor parameters (`x[i]`, `m[i, j]`,
    /// `len(x)`) run in the tier with the buffers read in place. Generated functions, called with
    /// vectors and matrices, then with arguments of other kinds (a view, a number, a tuple, a
    /// tensor of the other rank), and with indices that go wrong: the general code's text and
    /// errors every time.
    func testFunctionsReadingTensorElements() {
        var compiled = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 65_537)
            let matrix = g.below(3) == 0
            func key(_ variable: String, _ bound: String) -> String {
                switch g.below(12) {
                case 0: return "\(bound) - 1 - \(variable)"
                case 1: return "-\(variable) - 1"
                case 2 where g.below(3) == 0: return ["\(variable) + 1", "\(variable) * 0.5", "nan", "\(bound)"][g.below(4)]
                default: return variable
                }
            }
            var text = "fn f(x, c) {\n    s = 0\n"
            if matrix {
                text += "    for i in 0..<len(x) {\n        for j in 0..<\(2 + g.below(2)) {\n"
                text += "            v = x[\(key("i", "len(x)")), \(key("j", "2"))]\n"
                text += "            if v > c { s += c } else { s += v * \(g.constant()) }\n        }\n    }\n"
            } else {
                text += "    i = 0\n    while i < len(x) {\n        xi = x[\(key("i", "len(x)"))]\n"
                text += "        if xi > c { s += c } else if xi < -c { s -= c } else { s += xi }\n        i += 1\n    }\n"
            }
            text += "    return s\n}\n"
            let rows = 2 + g.below(4)
            let arg = matrix ? "reshape(range(\(rows * 2)) * \(g.constant()), \(rows), 2)" : "sin(range(\(rows + 3)) * \(g.constant()))"
            text += "a = \(arg)\nprint(repr(f(a, 0.5)), repr(f(a, \(g.constant()))))\n"
            let other = ["transpose(a)", "a[0]", "3", "(1, 2)", "zeros(2, 2, 2)", "a * 2"][g.below(6)]
            text += "print(repr(f(\(other), 1)))\nprint(repr(f(a, 0.25)))\n"
            let (tree, _) = outputWithTier(text, tier: false)
            let (numeric, I) = outputWithTier(text, tier: true)
            XCTAssertEqual(numeric, tree, "seed \(seed):\n\(text)")
            if case .function(let fn)? = I.global("f"), case .ready(let code) = unsafeDowncast(fn, to: Closure.self).proto.numericWithTensors,
               !code.tensors.isEmpty {
                compiled += 1
            }
        }
        XCTAssertGreaterThan(compiled, count / 2)
    }

    /// Closures with captured numbers and captured closures (a schedule built from closures)
    /// run in the tier, each call loading the captures of the closure it calls. Generated
    /// closures, re-made with other captures, a captured closure or number replaced by another
    /// kind between calls, a global re-bound to another closure: the general code's text.
    func testClosuresWithCaptures() {
        var compiled = 0
        let count = 150
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 31_337)
            let a = g.constant(), b = g.constant(), c = g.constant()
            var text = "fn make_decay(lr0, k) = fn(t) = lr0 / (1 + k * t)\n"
            text += "fn make_warm(sched, steps) = fn(t) = (if_warm(t, steps)) * sched(t) + \(g.constant())\n"
            text += "fn if_warm(t, steps) {\n    if t < steps { return (t + 1) / steps }\n    return 1\n}\n"
            text += "fn make_box(v) = fn(t) = v\n"
            text += "s = make_warm(make_decay(\(a), \(b)), \(2 + g.below(5)))\nw = \(c)\n"
            text += "for t in 0..<\(5 + g.below(20)) { w = w - s(t) * w }\nprint(repr(w), repr(s(3)))\n"
            switch g.below(5) {
            case 0: text += "s = make_warm(make_decay(\(b), \(a)), 3)\n"
            case 1: text += "s = make_warm(make_box([1, 2]), 2)\n"  // a tensor where a number was
            case 2: text += "s = make_warm(make_box(\(a)), 2)\n"  // another closure's proto
            case 3: text += "s = make_decay(\(a), \(c))\n"
            default: text += "s = make_warm(make_warm(make_decay(1, 0.5), 2), 4)\n"
            }
            text += "for t in 0..<\(5 + g.below(20)) { w = w - s(t) * w }\nprint(repr(w), repr(s(1)))\n"
            let I = bothTiers(text, seed)
            compiled += I.numericMachine.loopsRun  // loops calling s run in the tier
        }
        XCTAssertGreaterThan(compiled, count)
    }

    /// A function compiled for tensor arguments is compiled again when a global it calls is
    /// re-bound (`len` replaced by a user function, `sin` by another built-in), and a closure's
    /// code when the closure it captured is replaced: the general code's text each time.
    func testRebindingWhatTensorAndClosureCodeCalls() {
        let text = """
            fn total(x) {
                s = 0
                for i in 0..<len(x) { s += sin(x[i]) }
                return s
            }
            v = [0.5, 1, 1.5]
            print(repr(total(v)))
            sin = cos
            print(repr(total(v)))
            len = fn(x) = 2
            print(repr(total(v)))
            fn make(f) = fn(t) = f(t) * 2
            g = make(fn(t) = t + 1)
            print(g(3))
            g = make(fn(t) = t * 10)
            print(g(3))
            """
        let (numeric, _) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, outputWithTier(text, tier: false).0)
        XCTAssertTrue(numeric.hasSuffix("8\n60\n"), numeric)
        // Before the re-binding, the tensor code is what ran the call.
        let before = String(text.prefix(upTo: text.range(of: "sin = ")!.lowerBound))
        let (_, I) = outputWithTier(before, tier: true)
        if case .function(let fn)? = I.global("total"), case .ready = unsafeDowncast(fn, to: Closure.self).proto.numericWithTensors {
        } else {
            XCTFail("total is compiled for its tensor argument")
        }
    }

    // MARK: strings

    /// A number as the generated string programs use it: ordinary, whole, huge, tiny, nan, ±inf, -0.
    private func edgeNumber(_ g: inout Generator) -> String {
        switch g.below(12) {
        case 0: return "nan"
        case 1: return "-inf"
        case 2: return "-0.0"
        case 3: return "1e308"
        case 4: return "5e-324"
        case 5: return "123456789012345678"
        case 6: return "\(g.below(1000))"
        case 7: return "1e16"
        default: return g.constant()
        }
    }

    /// A format spec: the fast path's kinds, and those format takes its general path for
    /// (grouping, z, fills, string-only alignment, no type), plus one that does not parse.
    private func spec(_ g: inout Generator) -> String {
        let specs = [".4f", ".0e", ".5f", ".1f", "e", ".3g", "g", "%", ".2%", "+.3f", " .2e", "12.3f", "<10.2f", "*^12.1e",
                     "=+10.3f", ",.2f", "_.1f", "z.2f", ".12g", ".3", "#.0f", ".0f", "08.3f", "∑>9.2f", "q"]
        return specs[g.below(g.below(10) == 0 ? specs.count : specs.count - 1)]
    }

    /// A string expression of the numbers in `names`: interpolations of numbers, format and
    /// str calls, other string functions' results, non-ASCII text.
    private func stringExpression(_ g: inout Generator, _ names: [String], calls: [String]) -> String {
        var pieces = ""
        for _ in 0..<(1 + g.below(4)) {
            pieces += ["", "step ", ": loss ", "é", " | ", "∑x=", "\\n", "{", "a\\\\b", "\\(sep)"][g.below(10)]
            let x = g.below(3) == 0 ? number(&g, 1, names, calls: false) : names[g.below(names.count)]
            switch g.below(6) {
            case 0: pieces += "\\(format(\(x), \"\(spec(&g))\"))"
            case 1: pieces += "\\(str(\(x)))"
            case 2 where !calls.isEmpty: pieces += "\\(\(calls[g.below(calls.count)])(\(x), \(names[0])))"
            default: pieces += "\\(\(x))"
            }
        }
        switch g.below(8) {
        case 0: return "format(\(names[g.below(names.count)]), \"\(spec(&g))\")"
        case 1: return "str(\(names[g.below(names.count)]))"
        case 2: return "\"plain\""
        default: return "\"\(pieces)\""
        }
    }

    /// Strings in the tier: functions that build strings from numbers (interpolation, format,
    /// str; every kind of number and spec, non-ASCII text, strings of other string functions)
    /// and return them to the general code or to compiled callers, `len` of them, and top-level
    /// loops that keep a string global (one that outgrows the scratch buffer too), a global
    /// string read (`sep`), with `format`, `sep` or a string function re-bound between loops:
    /// the general code's text, bit for bit, and the tier does run them.
    func testStringsBuiltInTheTier() {
        var compiled = 0
        let count = 250
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 7_919)
            var text = "sep = \"\([" | ", "", "é∑"][g.below(3)])\"\n"
            text += "fn inner(p, q) = \(stringExpression(&g, ["p", "q"], calls: []))\n"
            text += "fn label(step, loss) {\n"
            if g.below(3) == 0 {
                text += "    if step > \(g.below(5)) { return \(stringExpression(&g, ["step", "loss"], calls: ["inner"])) }\n"
            }
            if g.below(8) == 0 { text += "    if step == 3 { return step }\n" }  // a number on one path: the general code
            text += "    return \(stringExpression(&g, ["step", "loss"], calls: ["inner"]))\n}\n"
            let x = edgeNumber(&g)
            text += "print(label(1, \(x)), len(label(7, \(edgeNumber(&g)))))\n"
            text += "n = 0\nloss = \(edgeNumber(&g))\nreport = \"\(["", "start", "é"][g.below(3)])\"\n"
            text += "for k in 0..<\(5 + g.below(20)) {\n    loss = loss * \(g.constant())\n"
            switch g.below(4) {
            case 0: text += "    report = label(k, loss)\n    n += len(report)\n"
            case 1: text += "    report = \"\\(report)|\\(label(k, loss))\"\n    n += len(report)\n"
            case 2: text += "    report = \"\\(report)\\(k)\"\n    if len(report) > 40 { report = \"\" }\n"
            default: text += "    n += len(label(k, loss))\n"
            }
            text += "}\nprint(n, report, len(report))\n"
            switch g.below(7) {
            case 5: text += "sep = \(g.constant())\n"
            case 6: text += "sep = \"\\(sep)\\(sep)!\"\n"
            case 0: text += "format = fn(x, s) = \"F\"\n"
            case 1: text += "inner = fn(p, q) = \"I\(g.below(9))\"\n"
            case 2: text += "label = fn(a, b) = a + b\n"
            case 3: text += "report = 5\n"
            default: text += "report = \"\\(report)\\(report)\"\n"
            }
            text += "for k in 0..<\(3 + g.below(5)) {\n    report = \"\\(report)\\(label(k, \(x)))\"\n    n += len(report)\n}\n"
            text += "print(n, len(report))\n"
            let I = bothTiers(text, seed)
            compiled += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(compiled, count + count / 5)
    }

    /// String frames nest: recursion returning strings, a function with string registers that
    /// returns a number, called between string functions, and a recursive call compiled before
    /// its callee's first return (it takes a number, gets a string and gives up): the general
    /// code's text, with the loops in the tier.
    func testStringFramesNest() {
        let text = """
            fn digits(n) = len("\\(n)")
            fn pad(n) {
                if n <= 0 { return "" }
                return "\\(pad(n - 1))\\(digits(n * 1000))."
            }
            fn rev(n) {
                if n > 0 { return "\\(n)\\(rev(n - 1))" }
                return "é"
            }
            n = 0
            s = ""
            for k in 0..<30 {
                s = pad(k % 7)
                n += len(s) + digits(k) * 2
            }
            print(n, s, rev(4), len(rev(12)))
            t = ""
            for k in 0..<5 { t = "\\(t)\\(rev(k))|" }
            print(t)
            """
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, outputWithTier(text, tier: false).0)
        XCTAssertEqual(numeric, "270 4. 4321é 16\né|1é|21é|321é|4321é|\n")
        XCTAssertEqual(I.numericMachine.loopsRun, 1, "the first loop runs in the tier; the second calls rev, which gives up")
    }

    /// The string size rule (--max-elements counts a string's bytes) holds for every way a
    /// program builds a string: `+`, `+=` and interpolation, in the general code and the tier,
    /// in loops and in functions, failing at the same place with the same count; print's line
    /// and format's text are not kept and are not limited.
    func testStringSizeRuleInEveryPath() {
        let programs = [
            "s = \"é\"\nfor k in 0..<40 { s = \"\\(s)\\(s)\" }\nprint(len(s))",
            "s = \"é\"\nfor k in 0..<40 { s = s + s }\nprint(len(s))",
            "s = \"é\"\nfor k in 0..<40 { s += s }\nprint(len(s))",
            "s = \"ab\"\nk = 0\nwhile k < 40 { s = \"<\\(s)|\\(format(k, \".3f\"))|\\(s)>\"; k += 1 }\nprint(len(s))",
            "fn twice(n) = \"\\(n)\\(n)\\(n)\\(n)\\(n)\\(n)\\(n)\\(n)\"\nn = 0\nfor k in 0..<20 { n += len(twice(k * 1e300)) }\nprint(n)",
            "for k in 0..<3 { print(\"x\", format(k, \">70\"), format(k, \"<60\")) }",
            "s = \"\"\nfor k in 0..<200 { s = \"\\(s)\\(k),\"\n print(len(s)) }",
        ]
        var ran = 0
        for limit in [30, 50, 100, 1000, 5000] {
            for text in programs {
                var outcomes: [String] = []
                for tier in [false, true] {
                    let (out, I) = outputWithTier(text, tier: tier, maxElements: limit)
                    outcomes.append(out + Run("print(len(str(s)))", interpreter: I).output)
                    if tier { ran += I.numericMachine.loopsRun }
                }
                XCTAssertEqual(outcomes[1], outcomes[0], "limit \(limit):\n\(text)")
                if limit <= 100 && text.hasPrefix("s = \"é\"") {
                    XCTAssertTrue(outcomes[0].contains("bytes is too large (limit \(limit) elements"), outcomes[0])
                }
            }
        }
        XCTAssertGreaterThan(ran, 15, "the loops over strings run in the tier")
    }

    /// A string longer than the machine's scratch buffer, built in a loop (and then measured,
    /// printed): the same text as the general code's.
    func testLongStringsOutgrowTheScratchBuffer() {
        let text = """
            fn piece(k) = "\\(k)é∑, \\(format(k / 7, ".3e"))"
            s = ""
            for k in 0..<800 { s = "\\(s)\\(piece(k))" }
            print(len(s))
            t = s
            for k in 0..<3 { t = "\\(t)\\(t)" }
            print(len(t), format(len(t), ",.0f"))
            """
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, outputWithTier(text, tier: false).0)
        XCTAssertEqual(I.numericMachine.loopsRun, 2, numeric)
    }

    // MARK: tuples

    /// Tuples of numbers in the tier: tuple locals, a tuple returned into a compiled caller's
    /// registers (recursion too), a label of a call's result, labels of a global tuple read at
    /// every call, a loop's tuple global assigned a call's tuple. Generated programs with edge
    /// numbers, then the program changes what the code relies on (the global tuple's labels
    /// other ones, lost, or not a tuple; a callee rebound to one returning a number or other
    /// labels; a function returning a number on one path): the general code's text every time.
    func testTuplesInTheTier() {
        var compiled = 0, loops = 0
        let count = 250
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 104_729)
            let labelled = g.below(5) != 0
            func tuple(_ a: String, _ b: String) -> String { labelled ? "(a: \(a), b: \(b))" : "(\(a), \(b))" }
            var text = "cfg = (lr: \(g.constant()), beta: \(g.constant()))\n"
            text += "fn min2(p, q) { if p < q { return p }; return q }\n"
            text += "fn pair(p, q) {\n"
            if g.below(3) == 0 { text += "    if p > \(g.constant()) { return \(tuple(number(&g, 1, ["p", "q", "cfg.lr"], calls: false), "q")) }\n" }
            if g.below(10) == 0 { text += "    if p == 3 { return p }\n" }  // a number on one path: the general code's calls only
            text += "    return \(tuple(number(&g, 2, ["p", "q", "cfg.lr"], calls: false), number(&g, 1, ["p", "q", "cfg.beta"], calls: false)))\n}\n"
            text += "fn rec(n, x) {\n    if n <= 0 { return (v: x, n: 0) }\n    r = rec(n - 1, \(number(&g, 1, ["x", "cfg.beta"], calls: false)))\n"
            text += "    return (v: r.v + \(number(&g, 1, ["n", "x"], calls: false)), n: r.n + 1)\n}\n"
            if labelled {
                text += "fn use(x, y) {\n    t = pair(x, y)\n    u = pair(t.b, t.a)\n    s = t.a + u.b * cfg.beta\n"
                text += "    if s > \(g.constant()) { t = pair(s, \(number(&g, 1, ["x", "y", "s"], calls: false))) }\n"
                text += "    w = rec(\(g.below(4)), t.b).v\n"
                text += "    return (s: s, t: t.a, u: pair(y, s).b, w: w, z: \(number(&g, 1, ["x", "y", "t.a", "u.b", "cfg.lr"], calls: false)))\n}\n"
            } else {
                text += "fn use(x, y) {\n    t = pair(x, y)\n    u = t\n    return (u[\(["0", "1", "-1", "-2", "1.0", "2", "0.5"][g.below(7)])], t[0] * u[-1], t[\(["x % 3 - 1", "y", "floor(x) % 2", "-x"][g.below(4)])])\n}\n"
            }
            func uses() -> String {
                var out = ""
                for _ in 0..<3 { out += "print(use(\(edgeNumber(&g)), \(edgeNumber(&g))), rec(\(g.below(6)), \(edgeNumber(&g))))\n" }
                if labelled {
                    out += "p = (a: \(edgeNumber(&g)), b: \(g.constant()))\nfor k in 0..<\(1 + g.below(30)) {\n"
                    out += "    p = pair(p.a * \(g.constant()), p.b + cfg.lr)\n    if p.a > 1e9 { p = (a: 1, b: p.b) }\n}\nprint(p)\n"
                }
                return out
            }
            text += uses()
            switch g.below(7) {
            case 0: text += "cfg = (beta: \(g.constant()), c: 2, lr: \(g.constant()))\n"  // other labels: found by name
            case 1: text += "cfg = (lr: \(g.constant()))\n"  // beta lost: the general code's error
            case 2: text += "cfg = \(g.constant())\n"
            case 3: text += "pair = fn(p, q) = p + q\n"
            case 4: text += "pair = fn(p, q) = (b: q, a: p, c: 1)\n"
            case 5: text += "cfg = (lr: \(g.constant()), beta: \(g.constant()))\n"
            default: text += "rec = fn(n, x) = (v: n, n: x)\n"
            }
            text += uses()
            let I = bothTiers(text, seed)
            if isCompiled(I, "use") { compiled += 1 }
            loops += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(compiled, count / 2, "most uses run in the tier")
        XCTAssertGreaterThan(loops, count / 3, "most loops over a tuple run in the tier")
    }

    /// Tuple arithmetic in the tier (session 20, NumericCompiler.binary): `s + dt / 2 *
    /// k1` of tuples of numbers with the same labels, or of a tuple and a number, item by item as
    /// the general code's leafwise and mapLeaves. Generated RK4-like steps over a state tuple
    /// (labelled or not, of 1 to 3 items), each operator, edge numbers, in functions and in a
    /// top-level loop; and what the general code must say: labels that differ, lengths that
    /// differ, a tensor or a string item, a state that stops being a tuple. The same text with
    /// the tier on and off, and most steps compiled.
    func testTupleArithmeticInTheTier() {
        var compiled = 0
        let count = 200
        let ops = ["+", "-", "*", "/", "%", "^"]
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 7_919)
            let n = 1 + g.below(3)
            let names = ["x", "v", "w"].prefix(n)
            let labelled = g.below(3) != 0
            func tuple(_ items: [String]) -> String {
                let inner = zip(names, items).map { labelled ? "\($0): \($1)" : $1 }.joined(separator: ", ")
                return n == 1 && !labelled ? "(\(inner),)" : "(\(inner))"
            }
            func op() -> String { ops[g.below(ops.count)] }
            // An expression of tuples a and b and numbers h and c.
            func term(_ depth: Int) -> String {
                if depth == 0 || g.below(3) == 0 { return ["a", "b", "a", "b", tuple(names.map { _ in g.constant() })][g.below(5)] }
                switch g.below(4) {
                case 0: return "(\(term(depth - 1)) \(op()) \(term(depth - 1)))"
                case 1: return "(h \(op()) \(term(depth - 1)))"
                case 2: return "(\(term(depth - 1)) \(op()) \(g.constant()))"
                default: return "(\(term(depth - 1)) + h / 2 * \(term(depth - 1)))"
                }
            }
            var text = "fn deriv(a, c) = \(tuple(names.enumerated().map { k, _ in k == 0 ? "a[\(n - 1)]" : "-c * a[\(k - 1)]" }))\n"
            text += "fn step(a, h, c) {\n    b = deriv(a, c)\n    b = deriv(\(term(2)), c)\n    return \(term(3))\n}\n"
            text += "fn both(a, h) = step(a, h, 0.5) - step(a, h * 2, 0.25)\n"
            let start = tuple(names.map { _ in edgeNumber(&g) })
            text += "s = \(start)\nfor i in 0..<\(1 + g.below(40)) {\n    s = step(s, 0.01, 0.3)\n}\nprint(s, both(s, 0.1))\n"
            text += "for i in 0..<\(1 + g.below(20)) { s = s + 0.5 * step(s, 0.01, \(g.constant())) }\nprint(s)\n"
            switch g.below(8) {
            case 0: text += "print(step(\(labelled ? "(q: 1, " + names.dropFirst().map { "\($0): 2" }.joined(separator: ", ") + ")" : "(1, 2, 3, 4)"), 0.1, 1))\n"
            case 1: text += "print(step(\(tuple(names.map { _ in "[1, 2]" })), 0.1, 1))\n"
            case 2: text += "print(step(\(tuple(names.map { _ in "\"s\"" })), 0.1, 1))\n"
            case 3: text += "s = 2\nprint(both(s, 0.1))\n"
            case 4: text += "print(both(\(tuple(names.map { _ in edgeNumber(&g) })), \(edgeNumber(&g))))\n"
            case 5:
                // Labels or lengths that differ inside the function: the general code's error.
                let other = labelled ? "(q: 1" + names.dropFirst().map { ", \($0): 2" }.joined() + ")" : "(" + Array(repeating: "1", count: n + 1).joined(separator: ", ") + ")"
                text += "fn mixed(a, h) = a + h * \(other)\nfor i in 0..<30 { t = mixed(s, 0.1) }\nprint(t)\n"
            default: text += "print(both(\(start), 0.5))\n"
            }
            let I = bothTiers(text, seed)
            if isCompiled(I, "step") || isCompiledForArguments(I, "step") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count * 2 / 3, "most steps run in the tier")
    }

    /// The cases of the tuple rules one by one: what a compiled caller takes, what it leaves to
    /// the general code, and the text either way.
    func testTupleReturnsIntoCompiledCallers() {
        let text = """
            fn hanoi(n, from, to, via) {
                if n == 0 { return (moves: 0, depth: 0) }
                a = hanoi(n - 1, from, via, to)
                b = hanoi(n - 1, via, to, from)
                return (moves: a.moves + 1 + b.moves, depth: n)
            }
            print(hanoi(10, 1, 3, 2))
            fn early(n) {
                if n > 0 { x = early(n - 1).v }
                return (v: n)
            }
            print(early(3))
            fn twice(n) = (a: n, b: 2 * n)
            fn last(n) = twice(n).b + twice(n + 1)[0]
            fn far(n) = twice(n)[2]
            fn at(n, k) = twice(n)[k]
            print(at(1, 1))
            print(last(4))
            fn swap(p, q) {
                t = (x: p, y: q)
                t = (x: t.y, y: t.x)
                return t
            }
            fn use(p) = swap(p, 1).x - swap(1, p).x
            print(use(5), swap(1, 2))
            fn none(n) = ()
            fn both(n) {
                if n > 1 { return (n: n) }
                return n
            }
            fn calls(n) = both(n).n
            print(none(1), both(1), both(2), calls(3))
            """
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, outputWithTier(text, tier: false).0)
        XCTAssertEqual(numeric, """
            (moves: 1023, depth: 10)
            (v: 3)
            2
            13
            -4 (x: 2, y: 1)
            () 1 (n: 2) 3

            """)
        XCTAssertTrue(isCompiled(I, "hanoi"))
        XCTAssertTrue(isCompiled(I, "use"))
        XCTAssertTrue(isCompiled(I, "both"), "tuples and numbers: for the general code's calls")
        XCTAssertTrue(isCompiled(I, "last"), "an element by a position written in the code")
        XCTAssertFalse(isCompiled(I, "calls"), "a callee of mixed returns is the general code's")
        XCTAssertTrue(isCompiled(I, "at"), "a position computed: pick")
        XCTAssertEqual(Run("print(at(3, -1), at(3, -2), at(3, 0), at(3, 1), at(3, -0.0))", interpreter: I).output, "6 3 3 6 3\n")
        for key in ["2", "-3", "0.5", "nan", "inf", "1e308"] {
            let tier = Run("print(at(3, \(key)))", interpreter: I).error?.message
            let general = Run("print(at(3, \(key)))", interpreter: outputWithTier(text, tier: false).1).error?.message
            XCTAssertNotNil(tier, key)
            XCTAssertEqual(tier, general, key)
        }
        XCTAssertEqual(Run("print(far(1))", interpreter: I).error?.message, "index 2 is out of range for a tuple of 2 elements")
    }

    // MARK: bools

    /// Bools in the tier: locals set from comparisons, constants and other bools, tested by
    /// if/while/and/or/not, returned (a bool to the general code, 0/1 to a compiled caller), and
    /// a top-level loop's bool global (one that was a bool before, or that the loop makes one).
    /// Generated programs with edge numbers, and the cases the general code keeps (a number
    /// stored in a bool's variable, a bool in arithmetic or a string, a number returned on one
    /// path): the general code's text every time.
    func testBoolsInTheTier() {
        var compiled = 0, loops = 0
        let count = 250
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 15_485_863)
            func test(_ names: [String]) -> String {
                let ops = ["<", "<=", ">", ">=", "==", "!="]
                let a = number(&g, 1, names, calls: false), b = number(&g, 1, names, calls: false)
                return "\(a) \(ops[g.below(6)]) \(b)"
            }
            var text = "fn check(x, y) {\n    ok = \(test(["x", "y"]))\n    seen = false\n    k = 0\n"
            text += "    while k < \(2 + g.below(6)) {\n        if \(test(["x", "y", "k"])) { seen = true }\n"
            text += "        if seen and not ok { break }\n        ok = ok or \(test(["x", "k"]))\n        k += 1\n    }\n"
            switch g.below(8) {
            case 0: text += "    if k == 3 { return k }\n"  // a number on one path: the general code's calls only
            case 1: text += "    if k > 4 { seen = 1 }\n"  // a number into a bool's variable: the general code
            case 2: text += "    if k > 5 { return seen + 1 }\n"  // a bool in arithmetic: the general code's error
            default: break
            }
            text += "    return \(["ok", "seen", "ok and seen", "not ok", "ok == seen"][g.below(5)])\n}\n"
            text += "fn count(n) {\n    c = 0\n    for i in 0..<n {\n        if check(i * \(g.constant()), i - \(g.constant())) { c += 1 }\n    }\n    return c\n}\n"
            for _ in 0..<3 { text += "print(check(\(edgeNumber(&g)), \(edgeNumber(&g))), count(\(g.below(12))))\n" }
            if g.below(3) == 0 { text += "stopped = \(g.below(2) == 0 ? "true" : "1")\n" }
            text += "total = 0\nfor run in 0..<\(1 + g.below(4)) {\n    w = \(edgeNumber(&g))\n    stopped = false\n    t = 0\n"
            text += "    while not stopped {\n        if t >= \(3 + g.below(20)) or \(test(["w", "t"])) { stopped = true }\n"
            text += "        w = w * \(g.constant())\n        t += 1\n    }\n    total += t\n}\nprint(total, stopped, \"\\(stopped)\")\n"
            let I = bothTiers(text, seed)
            if isCompiled(I, "count") { compiled += 1 }
            loops += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(compiled, count / 3, "functions of bools run in the tier (a third of the generated ones keep a case for the general code)")
        XCTAssertGreaterThan(loops, count / 2, "most loops with a bool global run in the tier")
    }

    /// Tuples of numbers as arguments: the code for those arguments (a tuple's numbers in the
    /// parameter's registers, in place), from the general code, from a compiled caller and from
    /// a top-level loop (`st = update(st, x)`), recursion included; then calls with other
    /// arguments (other labels, a non-number inside, a tensor, a number): the general code's
    /// text every time.
    func testTupleArgumentsInTheTier() {
        var compiled = 0, loops = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 32_452_843)
            let labelled = g.below(4) != 0
            func tuple(_ a: String, _ b: String) -> String { labelled ? "(n: \(a), m: \(b))" : "(\(a), \(b))" }
            let n = labelled ? "st.n" : "st[0]", m = labelled ? "st.m" : "st[-1]"
            var text = "fn update(st, x) {\n    d = x - \(m)\n"
            if g.below(3) == 0 { text += "    if d > \(g.constant()) { return \(tuple(n, "d")) }\n" }
            text += "    return \(tuple("\(n) + 1", number(&g, 1, ["d", "x", m], calls: false)))\n}\n"
            text += "fn walk(st, k) {\n    if k <= 0 { return st }\n    return walk(update(st, k * \(g.constant())), k - 1)\n}\n"
            text += "fn cfg_run(cfg, n) {\n    w = cfg.w0\n    for t in 0..<n {\n        w = w - cfg.lr * \(number(&g, 1, ["w", "t", "cfg.target"], calls: false))\n    }\n    return w\n}\n"
            text += "cfg = (lr: \(g.constant()), w0: \(edgeNumber(&g)), target: \(g.constant()))\n"
            text += "print(cfg_run(cfg, \(g.below(20))), walk(\(tuple("0", edgeNumber(&g))), \(g.below(8))))\n"
            text += "st = \(tuple("0", "0"))\nfor i in 0..<\(1 + g.below(40)) {\n    st = update(st, sin(i * \(g.constant())))\n}\nprint(st)\n"
            switch g.below(6) {
            case 0: text += "print(update(\(labelled ? "(m: 1, n: 2)" : "(n: 1, m: 2)"), 3))\n"
            case 1: text += "print(update((1, \"a\"), 3))\n"
            case 2: text += "print(update([1, 2], 3))\n"
            case 3: text += "print(cfg_run((lr: 0.1, w0: 1), 3))\n"
            case 4: text += "print(update(5, 3))\n"
            default: text += "print(update(\(tuple("1", "2")), nan), cfg_run((lr: -0.0, w0: 1e308, target: 1), 2))\n"
            }
            text += "print(cfg_run(cfg, 3), walk(\(tuple("1", "1")), 3))\n"
            let I = bothTiers(text, seed)
            if isCompiledForArguments(I, "cfg_run") { compiled += 1 }
            loops += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(compiled, count * 2 / 3, "a function of a config tuple runs in the tier")
        XCTAssertGreaterThan(loops, count / 2, "a loop passing its tuple global runs in the tier")
    }

    /// Whether the function's code for other arguments holds a tuple parameter as a list.
    private func takesAList(_ I: Interpreter, _ name: String) -> Bool {
        guard case .function(let f)? = I.global(name), f.kind == .closure,
              case .ready(let code) = unsafeDowncast(f, to: Closure.self).proto.numericWithTensors else { return false }
        return code.parameters.contains(.list)
    }

    /// Tuples of numbers of any length passed from the general code (NumericParameter.list):
    /// a merge of two sorted tuples, a sum by position, a walk by `for`, a filter that appends
    /// to its parameter and returns it, and a function passing its list on to those (passList,
    /// then appending to its own: the callees' lists are not its). Lengths change from call to call (0, 1, 2, past the
    /// registers' 64), items are the edge numbers, positions are negative, fractional and out
    /// of range, and some calls pass labelled tuples, mixed items, vectors or numbers: the
    /// output, errors and call chains are the general code's.
    func testTuplesOfAnyLengthAsListParameters() {
        var lists = 0, passed = 0
        let count = 300
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 86_028_121)
            var text = """
            fn merge(a, b) {
                out = ()
                i = 0; j = 0
                while i < len(a) and j < len(b) {
                    if a[i] <= b[j] { out = append(out, a[i]); i += 1 } else { out = append(out, b[j]); j += 1 }
                }
                while i < len(a) { out = append(out, a[i]); i += 1 }
                while j < len(b) { out = append(out, b[j]); j += 1 }
                return out
            }
            fn walk(xs, z) {
                s = 0; c = 0
                for x in xs { s += \(number(&g, 1, ["x", "z", "s"], calls: false)); if x > z { c += 1 } }
                for x in xs { s -= x / (c + 1) }
                return s
            }
            fn at(xs, k) {
                s = 0
                for i in 0..<len(xs) { s += xs[i] * \(g.constant()) }
                return s + xs[k]
            }
            fn keep(xs, z) {
                ys = ()
                for x in xs { if x > z { ys = append(ys, x) } }
                xs = append(xs, len(ys))
                for y in ys { xs = append(xs, y) }
                return xs
            }
            fn both(xs, z) {
                s = walk(xs, z) - walk(xs, -z)
                xs = append(xs, s)
                return s + at(xs, -1) + len(xs)
            }

            """
            func tuple(_ n: Int, sorted: Bool) -> String {
                var items: [String] = []
                var x = Double(g.below(7)) - 3
                for _ in 0..<n {
                    if sorted {
                        x += Double(g.below(5)) * 0.5
                        items.append(NumberFormat.repr(x))
                    } else {
                        items.append(edgeNumber(&g))
                    }
                }
                return n == 1 ? "(\(items[0]),)" : "(" + items.joined(separator: ", ") + ")"
            }
            let lengths = [0, 1, 2, 3, 5, 64, 65, 130]
            for _ in 0..<(3 + g.below(4)) {
                let n = lengths[g.below(lengths.count)], m = lengths[g.below(lengths.count)]
                text += "print(merge(\(tuple(n, sorted: true)), \(tuple(m, sorted: true))))\n"
                text += "print(walk(\(tuple(n, sorted: false)), \(g.constant())))\n"
                text += "print(keep(\(tuple(m, sorted: false)), \(g.constant())))\n"
                text += "print(both(\(tuple(m, sorted: true)), \(g.constant())))\n"
            }
            let keys = ["0", "-1", "2", "1.5", "-200", "nan", "70"]
            text += "print(at(\(tuple(lengths[1 + g.below(lengths.count - 1)], sorted: false)), \(keys[g.below(keys.count)])))\n"
            switch g.below(6) {
            case 0: text += "print(merge((a: 1, b: 2), (3, 4)))\n"
            case 1: text += "print(walk((1, \"a\", 3), 0))\n"
            case 2: text += "print(merge([1, 2], (3, 4)))\n"
            case 3: text += "print(keep(5, 0))\n"
            case 4: text += "print(at((), 0))\n"
            default: text += "print(walk((1, nil), 0), merge((), ()))\n"
            }
            text += "print(merge(\(tuple(70, sorted: true)), \(tuple(3, sorted: true))), walk(\(tuple(66, sorted: false)), 0))\n"
            let I = bothTiers(text, seed)
            if takesAList(I, "merge") || takesAList(I, "walk") { lists += 1 }
            if takesAList(I, "both") { passed += 1 }
        }
        XCTAssertGreaterThan(lists, count * 2 / 3, "tuples of numbers come as lists")
        XCTAssertGreaterThan(passed, count / 2, "a list passed on to compiled callees")
    }

    // MARK: labelled arguments and defaults

    /// Functions with defaults, called by position, by label, or leaving defaults out, from the
    /// general code, compiled callers and top-level loops: the tier's code takes the arguments as
    /// binding puts them (a default written as a number in place; any other default, made when
    /// the function was, leaves the call to the general code). Calls binding refuses (a label
    /// that is no parameter, one given twice, a missing argument) give the general code's error.
    func testLabelledArgumentsAndDefaultsInTheTier() {
        var compiled = 0, loops = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 49_979_687)
            let defaults = ["\(g.constant())", "-\(g.constant())", "0", "base", "-1e308"]
            var text = "base = \(g.constant())\n"
            text += "fn step(w, g, lr: \(defaults[g.below(5)]), decay: \(defaults[g.below(3)])) = w - lr * (g + decay * w)\n"
            text += "fn run(n) {\n    w = \(edgeNumber(&g))\n    for k in 0..<n {\n"
            let calls = ["step(w, 2 * (w - 1))", "step(w, 2 * (w - 1), lr: 0.01)", "step(w, w, decay: \(g.constant()), lr: 0.1)",
                         "step(w, 1, \(g.constant()))", "step(g: w, w: 1)", "step(w, 1, 0.5, 0.25)"]
            text += "        w = \(calls[g.below(calls.count)])\n    }\n    return w\n}\n"
            text += "print(run(\(g.below(30))), step(1, 2), step(1, 2, decay: 3), step(lr: 1, w: 2, g: 3))\n"
            text += "u = \(edgeNumber(&g))\nfor k in 0..<\(1 + g.below(20)) {\n    u = \(calls[g.below(calls.count)].replacingOccurrences(of: "w", with: "u"))\n}\nprint(u)\n"
            switch g.below(6) {
            case 0: text += "print(step(1, 2, rate: 3))\n"
            case 1: text += "print(step(1, 2, w: 3))\n"
            case 2: text += "print(step(1))\n"
            case 3: text += "base = 7\nprint(run(3), step(1, 2))\n"
            case 4: text += "step = fn(w, g, lr: 1) = w + g + lr\nprint(run(3))\n"
            default: text += "print(step(1, 2, 3, 4, 5))\n"
            }
            let I = bothTiers(text, seed)
            if isCompiled(I, "run") { compiled += 1 }
            loops += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(compiled, count / 2, "functions calling with labels and defaults run in the tier")
        XCTAssertGreaterThan(loops, count / 2, "loops calling with labels and defaults run in the tier")
    }

    // MARK: functions with effects

    /// Functions that print and step a global optimizer: in the tier only where their code
    /// cannot give up after an effect, and only for the general code's calls (a compiled caller
    /// is refused). Generated training functions with edge numbers and logging; then the
    /// optimizer rebound (to one that cannot step numbers safely, to a number), the function
    /// called from a loop, and shapes that must stay with the general code (a call or an
    /// element read after a print): the general code's text every time, the optimizer's state
    /// included.
    func testFunctionsWithEffectsInTheTier() {
        var compiled = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 67_867_967)
            let opts = ["momentum(lr: 0.01, beta: 0.9)", "sgd(lr: 0.1)", "adam(lr: 0.05)", "rmsprop(lr: 0.01)", "torch.adam(lr: 0.02)"]
            var text = "opt = \(opts[g.below(opts.count)])\nfn sq(x) = x * x\nv = [1, 2, 3]\nfn maybe(x) { if x > 2 { return x } }\n"
            text += "fn fit(n, w) {\n    loss = 0\n    for k in 0..<n {\n        loss = sq(w - \(g.constant()))\n"
            text += "        w = opt.step(w, \(number(&g, 1, ["w", "k", "loss"], calls: false)))\n"
            switch g.below(6) {
            case 5: text += "        print(k)\n        w = w + 0 * maybe(k + \(g.below(3)))\n"  // gives up after a print: the general code
            case 0: text += "        if k % \(1 + g.below(4)) == 0 { print(\"step \\(k): \\(format(w, \".4f\")) \\(loss)\") }\n"
            case 1: text += "        print(k, w)\n"
            case 2: text += "        if loss > 1e300 { break }\n"
            case 3: text += "        print(\"k=\\(k)\", sq(w))\n"  // a call after a print: the general code
            default: text += "        print(w + v[k % 3])\n"  // an element read: the general code
            }
            text += "    }\n"
            if g.below(4) == 0 { text += "    if w > 1e300 { return nil }\n" }  // falling back to nil: the general code
            text += "    return w\n}\n"
            for _ in 0..<2 { text += "print(fit(\(g.below(12)), \(edgeNumber(&g))))\n" }
            switch g.below(5) {
            case 0: text += "opt = sgd(lr: schedule(\"step\", 0.1, step_size: 2))\n"
            case 1: text += "opt = 3\n"
            case 2: text += "for r in 0..<3 { x = fit(2, r) }\nprint(x)\n"
            case 3: text += "print(map(fn(t) = fit(2, t), (1, 2)))\n"
            default: text += "opt = \(opts[g.below(opts.count)])\n"
            }
            text += "print(fit(3, 1.5))\nprint(opt)\n"
            let I = bothTiers(text, seed)
            if isCompiled(I, "fit") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count / 3, "functions that print or step run in the tier")
    }

    /// Ctrl-C after any of the first lines a function prints: the same lines, the same error,
    /// and the optimizer stepped as often, tier or not.
    func testInterruptWhileAFunctionPrints() {
        let text = """
            opt = adam(lr: 0.01)
            fn train(n) {
                w = 5
                for k in 0..<n {
                    w = opt.step(w, 2 * (w - 1))
                    print("step \\(k): \\(format(w, ".6f"))")
                }
                return w
            }
            w = train(100000)
            """
        guard case .complete(let program) = Parser.parse(SourceFile(name: "t.opt", text: text)) else { return XCTFail() }
        for k in [1, 2, 3, 7, 40] {
            var outcomes: [String] = []
            for tier in [false, true] {
                let (out, I) = interrupted(program, afterLine: k, tier: tier)
                outcomes.append(out + Run("print(opt.state)", interpreter: I).output)
                if tier { XCTAssertTrue(isCompiled(I, "train")) }
            }
            XCTAssertEqual(outcomes[1], outcomes[0], "interrupted after line \(k)")
            XCTAssertTrue(outcomes[0].contains("error: interrupted"), outcomes[0])
        }
    }

    // MARK: string arguments

    /// Strings as arguments (read only, in the callee's first string registers) and strings
    /// compared by code points with every comparison, from the general code, compiled callers
    /// (the strings moved once every argument is computed) and top-level loops; then a call with
    /// a number where the string was: the general code's text every time.
    func testStringArgumentsInTheTier() {
        var compiled = 0
        let count = 200
        let words = ["\"relu\"", "\"\"", "\"é\"", "\"e\u{301}\"", "\"ab\"", "\"a\"", "\"∑x\"", "\"tanh\""]
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 86_028_121)
            func word() -> String { words[g.below(words.count)] }
            let ops = ["<", "<=", ">", ">=", "==", "!="]
            var text = "sep = \(word())\n"
            text += "fn act(name, x) {\n    if name \(ops[g.below(6)]) \(word()) { return \(number(&g, 1, ["x"], calls: false)) }\n"
            text += "    if \(word()) \(ops[g.below(6)]) name { return -x }\n    return x + len(name)\n}\n"
            text += "fn label(name, k) = \"\\(name)\\(sep)\\(k)\"\n"
            text += "fn total(name, n) {\n    s = 0\n    for i in 0..<n {\n        s += act(name, i * \(g.constant())) + len(label(name, i))\n    }\n    return s\n}\n"
            for _ in 0..<3 { text += "print(total(\(word()), \(g.below(9))), act(\(word()), \(edgeNumber(&g))), label(\(word()), \(edgeNumber(&g))))\n" }
            text += "n = 0\nfor k in 0..<\(1 + g.below(20)) {\n    n += act(\(word()), k) + len(label(sep, k))\n}\nprint(n)\n"
            switch g.below(4) {
            case 0: text += "print(act(3, 4))\n"
            case 1: text += "sep = 5\nprint(label(\"x\", 1))\n"
            case 2: text += "print(total(\(word()), 3), act(\(word()) , 1))\n"
            default: text += "print(label(\(word()), 2) == label(\(word()), 2))\n"
            }
            let I = bothTiers(text, seed)
            if isCompiledForArguments(I, "total") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count * 2 / 3, "functions of strings run in the tier")
    }

    // MARK: local functions

    /// Functions made inside a function (`f = fn(x) = ...`, `fn sq(x) = ...`), called and
    /// differentiated there: compiled in place, reading the locals they capture as they are
    /// when the call runs (late binding), each other (a local function capturing another),
    /// captured parameters, globals; then the shapes that stay with the general code (a local
    /// function passed on, returned, defined in one branch only, rebound, called with the
    /// wrong arguments or labels, an early return, no return, a capture in a gradient) and a
    /// recursion that reaches the limit through them: the general code's text every time.
    func testLocalFunctionsInTheTier() {
        var compiled = 0
        let count = 240
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 15_485_863)
            var text = "scale = \(g.constant())\nfn run(n, a) {\n    r = \(edgeNumber(&g))\n"
            let names = ["x", "r", "a", "scale"]
            let f = number(&g, 2, names, calls: false).replacingOccurrences(of: "min2(", with: "min(")
            text += "    f = fn(x) = \(f)\n    fn sq(x) = x * x\n    fn term(k) = 1 / (sq(k) + r)\n"
            text += "    fn body(x) {\n        y = x * 2\n        if y > a { y = y - a }\n        return (y + r) * (y - a)\n    }\n"
            text += "    fn pos(x) = x > r\n    fn pair(x) = (x, x * a)\n    fn label(x) = \"x=\\(x)\"\n"
            text += "    loss = fn(w) = (w - \(g.constant())) ^ 2 + sin(w)\n"
            let calls = ["f(s)", "term(i)", "body(i) + f(r)", "sq(f(i))", "grad(loss, s)", "pair(i)[1]", "len(label(i))",
                         "(pos(i) and pos(s) ? 1 : 0)", "term(f(i))", "f(f(s))", "(s * 2 - body(s))"]
            let shapes = ["", "    if a > 0 { h = fn(x) = x }\n    s += h(1)\n", "    s += f(1, 2)\n", "    s += f(x: 1)\n",
                          "    fn early(x) {\n        if x > 0 { return x }\n        return -x\n    }\n    s += early(a)\n",
                          "    fn nothing(x) { y = x }\n    s += nothing(a)\n", "    s += len(map(f, (1, 2)))\n",
                          "    f = fn(x) = x * 2\n    s += f(3)\n", "    cap = fn(w) = (w - r) ^ 2\n    s += grad(cap, a)\n",
                          "    return f\n"]
            text += "    s = 0\n    for i in 0..<n {\n        r = r + 0.5 * (i % 3)\n"
            for _ in 0..<(1 + g.below(3)) {
                let call = calls[g.below(calls.count)]
                text += call.contains("?") ? "        if pos(i) and pos(s) { s += 1 }\n" : "        s += \(call)\n"
            }
            text += "    }\n" + (g.below(3) == 0 ? shapes[g.below(shapes.count)] : "") + "    return s\n}\n"
            text += "print(run(\(g.below(20)), \(edgeNumber(&g))))\nprint(run(3, -1), run(2, 2))\n"
            if seed % 3 == 0 {
                // The recursion limit reached by the calls compiled in place, or just not.
                text += "fn deep(k) {\n    if k == 0 { return run(1, 1) }\n    return deep(k - 1)\n}\n"
                text += "print(deep(\(9_995 + seed % 5)))\n"
            }
            let I = bothTiers(text, seed)
            if isCompiled(I, "run") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count / 2, "functions with local functions run in the tier")
    }

    /// Functions handed functions (`iterate(half_step, x, n)`): code for each function handed
    /// (its calls compiled in place), compiled again when another comes, up to a few times;
    /// with a tensor or tuple beside it; then the shapes that stay with the general code (a
    /// built-in, a closure with captures, a number, the wrong arity, labels, the parameter
    /// rebound or passed on, a recursive function, functions alternating past the limit of
    /// recompiles): the general code's text every time.
    func testFunctionArgumentsInTheTier() {
        var compiled = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 32_452_843)
            var text = "scale = \(g.constant())\nfn half(x) = x - 0.1 * (x - \(g.constant()))\n"
            text += "fn fact(k) {\n    if k <= 1 { return 1 }\n    return k * fact(k - 1)\n}\n"
            text += "lam = fn(x) = \(number(&g, 2, ["x", "scale"], calls: false).replacingOccurrences(of: "min2(", with: "min("))\n"
            text += "fn make(c) = fn(x) = x * c\nfn two(x, y) = x + y\n"
            let bodies = ["x = f(x)", "x = f(x) + f(\(g.constant()))", "x = x - 0.01 * grad(f, x)", "x = f(f(x)) * 0.5",
                          "x = f(x) + v[k % len(v)]", "x = f(x) + p[1]"]
            text += "fn iterate(f, x, n, v, p) {\n    for k in 0..<n {\n        \(bodies[g.below(bodies.count)])\n    }\n"
            let shapes = ["", "    f = fn(x) = x\n", "    x = x + len(map(f, (1, 2)))\n", "    x = x + f(x: 1)\n", "    return f\n"]
            text += g.below(3) == 0 ? shapes[g.below(shapes.count)] : ""
            text += "    return x\n}\n"
            let functions = ["half", "lam", "fn(x) = cos(x)", "fn(x) = 0.5 * (x + 2 / x)", "sin", "make(2)", "3", "two", "fact"]
            for _ in 0..<(2 + g.below(3)) {
                text += "print(iterate(\(functions[g.below(functions.count)]), \(edgeNumber(&g)), \(g.below(30)), [1, 2, 3], (1, 2)))\n"
            }
            if g.below(3) == 0 {
                // Alternating past the recompiles allowed.
                text += "t = 0\nfor r in 0..<20 { t += iterate(r % 2 == 0 ? half : lam, 1, 3, [1], (1, 2)) }\nprint(t)\n"
                    .replacingOccurrences(of: "r % 2 == 0 ? half : lam", with: "(half, lam)[r % 2]")
            }
            let I = bothTiers(text, seed)
            if isCompiledForArguments(I, "iterate") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count / 4, "functions handed functions run in the tier")
    }

    /// Strings joined with `+` in functions (`prefix + "_" + str(k) + ".w"`): built as one
    /// interpolation of the strings; with string arguments, text that is not ASCII, `format`,
    /// `str`, string functions, comparisons and lengths of the result; then a string joined
    /// with a number (the general code's error), and small size limits: the general code's
    /// text every time.
    func testStringsJoinedInTheTier() {
        var compiled = 0
        let count = 200
        let words = ["\"layer\"", "\"\"", "\"é\"", "\"e\u{301}\"", "\"∑x\"", "\".w\""]
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 49_979_693)
            func word() -> String { words[g.below(words.count)] }
            let pieces = ["prefix", word(), "str(k)", "format(k / 7, \".3f\")", "\"<\\(k)>\"", "tag(k)", "str(k * \(edgeNumber(&g)))"]
            func join() -> String { (0..<(2 + g.below(4))).map { _ in pieces[g.below(pieces.count)] }.joined(separator: " + ") }
            var text = "fn tag(k) = \"#\" + str(k % 3)\nfn name(prefix, k) = \(join())\n"
            text += "fn count(prefix, n) {\n    t = 0\n    for k in 0..<n {\n        t += len(\(join()))\n"
            text += "        if \(join()) \(["<", "==", ">=", "!="][g.below(4)]) name(prefix, k) { t += 1 }\n    }\n    return t\n}\n"
            text += "print(count(\(word()), \(g.below(30))), name(\(word()), \(edgeNumber(&g))))\n"
            switch g.below(4) {
            case 0: text += "print(name(3, 1))\n"  // a number joined to a string
            case 1: text += "fn bad(k) = \"k\" + k\nprint(bad(2))\n"
            default: break
            }
            let limit = [20, 60, 1000, 1_000_000][g.below(4)]
            let (general, _) = outputWithTier(text, tier: false, maxElements: limit)
            let (numeric, I) = outputWithTier(text, tier: true, maxElements: limit)
            XCTAssertEqual(numeric, general, "seed \(seed), limit \(limit):\n\(text)")
            if isCompiledForArguments(I, "count") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count / 2, "functions joining strings run in the tier")
    }

    /// `round(x)` of a number through its scalar entry (the tier's instruction, the machine's
    /// direct call) is `round(x, 0)` through the built-in's entry, bit for bit: halves to even
    /// (0.5, 1.5, 2.5, -0.5, -2.5), the largest double below 0.5, 2^52 + 0.5's neighbours, -0,
    /// nan, ±inf, 1e308, 5e-324; in a compiled function, a top-level loop and the general code.
    func testRoundOfANumberIsTheEntrysRule() {
        let xs = ["0.5", "1.5", "2.5", "-0.5", "-1.5", "-2.5", "0.49999999999999994", "4503599627370495.5", "4503599627370497",
                  "-0.0", "0.0", "nan", "inf", "-inf", "1e308", "-1e308", "5e-324", "-5e-324", "3.7", "-3.7", "1e16"]
        let text = """
            xs = (\(xs.joined(separator: ", ")))
            fn r(x) = round(x)
            fn r0(x) = round(x, 0)
            for x in xs { print(repr(r(x)), repr(r0(x)), repr(round(x)), repr(round(x, 0))) }
            n = 0
            for i in 0..<len(xs) { n += round(i + 0.5) - round(i + 0.5, 0) }
            print(n)

            """
        let I = bothTiers(text, 1)
        XCTAssertTrue(isCompiled(I, "r"), "round(x) runs in the tier")
        let (out, _) = outputWithTier(text, tier: true)
        let lines = out.split(separator: "\n")
        XCTAssertEqual(lines.count, xs.count + 1)
        for (x, line) in zip(xs, lines) {
            let four = line.split(separator: " ")
            XCTAssertEqual(Set(four).count, 1, "\(x): \(line)")
        }
        XCTAssertEqual(lines[0], "0 0 0 0")
        XCTAssertEqual(lines[2], "2 2 2 2")
        XCTAssertEqual(lines[xs.count], "0")
    }

    /// Strings assigned to a function's locals and parameters (`s = ""`, `s = " " + s` in a
    /// while, `line = line + k + "="`, `s = str(x)`, on one branch only, a number then a
    /// string, `s += "x"`): a string register each (NumericCompiler.stringLocalsOf); and
    /// string arguments computed with numbers (`pad(str(i % 997), 8)`: the number after it
    /// once went to the wrong register) from top-level loops and compiled callers; with the
    /// size rule small and large: the general code's text every time.
    func testStringLocalsInTheTier() {
        var compiled = 0
        let count = 200
        let words = ["\"ab\"", "\"\"", "\"é\"", "\"e\u{301}\"", "\"∑x\"", "\" \"", "\"#\""]
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 67_867_967)
            func word() -> String { words[g.below(words.count)] }
            let computed = ["str(i % 997)", "str(i * \(edgeNumber(&g)))", "format(i / 7, \".2f\")", "\"<\\(i % 5)>\"",
                            "str(i + 1) + \"x\"", word(), "pad(str(i % 3), 2)", "bar(i % 4)"]
            func argument() -> String { computed[g.below(computed.count)] }
            // (pad's filler is never empty: its loop must end.)
            var text = "fn pad(s, n) {\n    while len(s) < n { s = \(["\" \"", "\"é\"", "\"e\u{301}\"", "\"-=\""][g.below(4)]) + s }\n    return s\n}\n"
            text += "fn bar(n) {\n    s = \"\"\n    for i in 0..<n { s = s + \(word()) }\n    return s\n}\n"
            let shapes = ["    t = \"\"\n", "    t = str(k)\n", "    if k > 2 { t = \"big\" } else { t = \"small\" }\n",
                          "    if k > 2 { t = \"big\" }\n", "    t = 1\n    t = \"one\"\n", "    t = \"x\"\n    t += \"y\"\n",
                          "    t = \"a\"\n    t = t + k\n", "    t = \(word())\n    u = t + \(word())\n    t = u + t\n"]
            text += "fn show(p, k) {\n" + shapes[g.below(shapes.count)]
            text += "    line = \"\"\n    for j in 0..<k {\n        line = line + p + \"=\" + str(j) + \" \"\n    }\n"
            text += "    if len(line) \(["<", ">=", "=="][g.below(3)]) \(g.below(20)) { line = t + line }\n    return line\n}\n"
            text += "fn total(n, w) {\n    c = 0\n    for i in 0..<n {\n        c += len(pad(\(argument()), w)) + len(show(\(argument()), i % 4))\n    }\n    return c\n}\n"
            text += "print(total(\(g.below(12)), \(g.below(9))), pad(\(word()), \(g.below(6))), show(\(word()), \(g.below(5))))\n"
            text += "c = 0\nfor i in 0..<\(1 + g.below(30)) {\n    t = pad(\(argument()), \(g.below(9)))\n    c += len(t) + len(bar(i % 5))\n}\nprint(c, t)\n"
            switch g.below(5) {
            case 0: text += "print(pad(3, 4))\n"  // a number where the string was
            case 1: text += "print(show(\"p\", -1), bar(nan))\n"
            case 2: text += "print(pad(\"x\", 1e308))\n"  // past the size rule
            default: break
            }
            let limit = text.contains("1e308))") ? [40, 1000][g.below(2)] : [40, 1000, 1_000_000][g.below(3)]
            let (general, _) = outputWithTier(text, tier: false, maxElements: limit)
            let (numeric, I) = outputWithTier(text, tier: true, maxElements: limit)
            XCTAssertEqual(numeric, general, "seed \(seed), limit \(limit):\n\(text)")
            if isCompiled(I, "bar") && isCompiledForArguments(I, "pad") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count / 2, "functions with string locals run in the tier")
    }

    /// A top-level loop calling a global function that reads a global the loop assigns
    /// (`f = fn(x) = x * scale` with `scale` changed by the loop): the call compiled in place,
    /// reading the loop's value of the global at each call; then what stays with the general
    /// code (f reading a tensor's element or printing, which would raise errors without f's
    /// frame; f rebound in the loop or before it, with defaults or captures, recursive) and
    /// the same loop run again after f is rebound: the general code's text every time, globals
    /// included.
    func testGlobalFunctionsInlinedInLoops() {
        var loops = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 67_867_979)
            var text = "scale = \(edgeNumber(&g))\nv = [1, 2, 3]\nflag = true\n"
            let bodies = ["x * scale", "x * scale + \(g.constant())", "min(x, scale) - sin(scale)", "(x - scale) ^ 2",
                          "x * scale + v[1]", "x + v[\(g.below(5))]", "x * scale + half(x)", "(x > scale) and flag"]
            let body = bodies[g.below(bodies.count)]
            text += "fn half(x) = 0.5 * x\n"
            switch g.below(8) {
            case 0: text += "fn f(x, y: 1) = \(body)\n"
            case 1: text += "fn make(c) = fn(x) = \(body) + c\nf = make(2)\n"
            case 2: text += "fn f(x) {\n    print(x)\n    return \(body)\n}\n"
            case 3: text += "fn f(x) {\n    if x > 1e300 { return f(x / 2) }\n    return \(body)\n}\n"
            default: text += "f = fn(x) = \(body)\n"
            }
            text += "total = 0\nfor i in 0..<\(g.below(40)) {\n    scale = scale * \(g.constant())\n"
            if g.below(5) == 0 { text += "    flag = not flag\n" }
            text += "    total += f(i)\n"
            if g.below(8) == 0 { text += "    f = fn(x) = x\n" }
            text += "}\nprint(total, scale)\n"
            if g.below(4) == 0 { text += "f = fn(x) = x + 1\nfor i in 0..<3 { total += f(i) * scale }\nprint(total)\n" }
            // The same loop's code run again with f rebound between runs.
            text += "for r in 0..<4 {\n    f = (fn(x) = x * scale, fn(x) = x - scale)[r % 2]\n"
            text += "    for i in 0..<5 {\n        scale = scale + 1\n        total += f(i)\n    }\n}\nprint(total)\n"
            let I = bothTiers(text, seed)
            loops += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(loops, count / 3, "loops calling global functions that read their globals run in the tier")
    }

    /// Tuples of tuples of numbers handed to a function (`fit(data, epochs)` with `data = ((0, 1),
    /// (1, 3.1), ...)`), walked by `for p in data`: a row's numbers in a tuple local each
    /// iteration; labelled and not, one to three numbers a row, with `p[k]`, `p[-1]`, `p.x`, a
    /// computed position, `len(data)`, `break`, p changed in the body and read after the loop;
    /// then rows that are not alike (labels, lengths, a string, a nested tuple), data rebound or
    /// passed on: the general code's text every time.
    func testRowsInTheTier() {
        var compiled = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 86_028_157)
            let width = 1 + g.below(3)
            let labelled = g.below(2) == 0
            let names = ["x", "y", "z"]
            func row() -> String {
                let items = (0..<width).map { k in (labelled ? "\(names[k]): " : "") + edgeNumber(&g) }
                return "(" + items.joined(separator: ", ") + (width == 1 && !labelled ? ",)" : ")")
            }
            var rows = (0..<(1 + g.below(6))).map { _ in row() }
            switch g.below(8) {
            case 0: rows.append("(\(labelled ? "w: " : "")1\(width == 1 ? "," : ", 2, 3, 4"))")  // a row not alike
            case 1: rows.append("(\"a\"\(String(repeating: ", 1", count: width - 1)))")
            case 2: rows.append("((1, 2)\(String(repeating: ", 1", count: width - 1)))")
            default: break
            }
            var text = "data = (" + rows.joined(separator: ", ") + (rows.count == 1 ? ",)" : ")") + "\n"
            let read = labelled ? "p.x" : "p[0]"
            let last = "p[\(width - 1)]"
            let bodies = ["a = a - 0.01 * (\(read) * a - \(last))", "a = a + \(read) * \(last) / len(data)",
                          "a = a + p[k % \(width)]", "a = a + p[-1]", "if \(read) > a { break }\n            a = a + 1",
                          "p = (\(Array(repeating: "a", count: width).joined(separator: ", "))\(width == 1 ? "," : ""))\n            a = a + 1"]
            text += "fn fit(data, epochs) {\n    a = \(g.constant())\n    for k in 0..<epochs {\n        for p in data {\n"
            text += "            \(bodies[g.below(bodies.count)])\n        }\n    }\n"
            switch g.below(6) {
            case 0: text += "    data = 3\n"
            case 1: text += "    a = a + len(map(fn(q) = 1, data))\n"
            case 2: text += "    for p in data { a = a + \(last) }\n"
            default: break
            }
            text += "    return a\n}\n"
            text += "print(fit(data, \(g.below(20))))\nprint(fit(data, 2), fit(((1, 2),), 1))\n"
            let I = bothTiers(text, seed)
            if isCompiledForArguments(I, "fit") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count / 3, "functions walking rows run in the tier")
    }

    /// `map(f, t)` over a tuple of numbers in top-level loops and functions, f written there
    /// (reading the tuple it maps, a global, a captured local), a local or a global function:
    /// f compiled in place per item; then what stays with the general code (f of two
    /// parameters, returning a bool, printing or reading a tensor's element in a loop, map
    /// rebound, a nested tuple): the general code's text every time, globals included.
    func testMapOverTuplesInTheTier() {
        var ran = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 15_485_867)
            let labelled = g.below(2) == 0
            let width = 1 + g.below(4)
            let items = (0..<width).map { k in (labelled ? "\(["a", "b", "c", "d"][k]): " : "") + edgeNumber(&g) }
            var text = "scale = \(g.constant())\nv = [1, 2, 3]\nfn twice(x) = 2 * x\n"
            text += "p = (" + items.joined(separator: ", ") + (width == 1 ? ",)" : ")") + "\n"
            let lambdas = ["fn(x) = x * 0.99 + \(g.constant())", "fn(x) = x * scale", "twice", "fn(x) = x + p[0]",
                           "fn(x) = min(x, scale) - sin(x)", "fn(x, y) = x", "fn(x) = x > 0", "fn(x) = x + v[\(g.below(5))]",
                           "fn(x) {\n    print(x)\n    return x\n}"]
            let f = lambdas[g.below(lambdas.count)]
            text += "for k in 0..<\(g.below(30)) {\n    p = map(\(f), p)\n"
            if g.below(3) == 0 { text += "    scale = scale * 1.01\n" }
            text += "}\nprint(p, scale)\n"
            text += "fn walk(n, c) {\n    q = (c, c + 1, c * 2)\n    r = 0.5\n    for k in 0..<n {\n"
            text += "        q = map(\(["fn(x) = x * r + c", "fn(x) = x - q[1] * 0.1", "twice", f][g.below(4)]), q)\n"
            text += "        r = r + 0.25\n    }\n    return q[0] + q[1] + q[2]\n}\n"
            text += "print(walk(\(g.below(20)), \(edgeNumber(&g))))\n"
            switch g.below(5) {
            case 0: text += "map = fn(f, t) = 0\nprint(walk(2, 1))\n"
            case 1: text += "print(map(fn(x) = x, ((1, 2), 3)))\n"
            default: break
            }
            let I = bothTiers(text, seed)
            ran += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(ran, count / 3, "loops mapping over tuples run in the tier")
    }

    /// A list passed on to a compiled callee is let go of by the callee's frame once the call
    /// returns: else the caller's next append copies the shared array whole, and a loop that
    /// appends and calls (`ys = append(ys, i); s += last(ys)`) is quadratic where the general
    /// code's is linear.
    func testAListPassedOnIsLetGoAfterTheCall() {
        let text = """
        fn last(xs) { return xs[len(xs) - 1] }
        fn build(n) {
            ys = ()
            s = 0
            for i in 0..<n { ys = append(ys, i); s += last(ys) }
            return s
        }
        print(build(300))
        """
        let I = bothTiers(text, 0)
        guard case .function(let f)? = I.global("build"), f.kind == .closure,
              case .ready = unsafeDowncast(f, to: Closure.self).proto.numeric else {
            return XCTFail("build runs in the tier")
        }
        XCTAssertEqual(I.numericMachine.lists.take(frame: 1, 0), [], "the callee's list is let go of")
    }

    /// Rows of numbers that registers cannot hold (NumericParameter.rowList: more than 64, or
    /// another count than the call before) walked by `for p in pts` and measured by `len`: a
    /// least-squares gradient over pairs, a sum over labelled triples, loops that break, that
    /// read p after the loop and that run no row; counts from 1 to 150 in turn, edge numbers,
    /// and rows of other labels, of a string, of other lengths, or a number given between.
    func testRowsOfAnyCountAsColumnLists() {
        var taken = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 104_395_301)
            let labelled = g.below(2) == 0
            let width = 1 + g.below(3)
            let names = ["x", "y", "z"].prefix(width)
            func rows(_ n: Int) -> String {
                let items = (0..<n).map { _ in
                    "(" + names.map { (labelled ? "\($0): " : "") + edgeNumber(&g) }.joined(separator: ", ") + (width == 1 ? ",)" : ")")
                }
                return n == 1 ? "(\(items[0]),)" : "(" + items.joined(separator: ", ") + ")"
            }
            let first = labelled ? "p.x" : "p[0]", last = labelled ? "p.\(names.last!)" : "p[-1]"
            var text = """
            fn grad_of(w, b, pts) {
                gw = 0; gb = 0; l = 0
                for p in pts {
                    e = w * \(first) + b - \(last)
                    l += e * e; gw += 2 * e * \(first); gb += 2 * e
                }
                n = len(pts)
                return (l: l / n, gw: gw / n, gb: gb / n)
            }
            fn walk(pts, z) {
                s = 0
                for p in pts {
                    if \(first) > z { \(g.below(2) == 0 ? "break" : "continue") }
                    s += \(number(&g, 1, [first, last, "s"], calls: false))
                }
                return s
            }

            """
            if g.below(4) == 0 { text += "fn after(pts) {\n    for p in pts { q = 1 }\n    return \(first)\n}\n" }
            let counts = [1, 2, 65, 70, 130, 150, 3, 64]
            for _ in 0..<(2 + g.below(4)) {
                let data = rows(counts[g.below(counts.count)])
                text += "print(grad_of(\(g.constant()), \(g.constant()), \(data)))\n"
                text += "print(walk(\(data), \(g.constant())))\n"
            }
            if text.contains("fn after") { text += "print(after(\(rows(70))))\n" }
            switch g.below(6) {
            case 0: text += "print(walk(((x: 1, w: 2), (x: 3, w: 4)), 0))\n"
            case 1: text += "print(grad_of(1, 2, ((1, \"a\"), (2, 3))))\n"
            case 2: text += "print(walk(5, 0))\n"
            case 3: text += "print(grad_of(1, 2, ((1, 2), (3, 4, 5))))\n"
            case 4: text += "print(grad_of(1, 2, ()))\n"
            default:
                // One row of other labels among rows of the compiled ones.
                let odd = labelled ? Array(names.dropLast()) + ["q"] : Array(["x", "y", "z"].prefix(width))
                let row = "(" + odd.map { "\($0): 1" }.joined(separator: ", ") + (width == 1 ? ",)" : ")")
                text += "print(walk(append(\(rows(70)), \(row)), 100), grad_of(1, 2, append(\(rows(66)), \(row))))\n"
            }
            text += "print(walk(\(rows(80)), 0), grad_of(0.5, -1, \(rows(66))))\n"
            let I = bothTiers(text, seed)
            if case .function(let f)? = I.global("grad_of"), f.kind == .closure,
               case .ready(let code) = unsafeDowncast(f, to: Closure.self).proto.numericWithTensors,
               code.parameters.contains(where: { if case .rowList = $0 { return true } else { return false } }) {
                taken += 1
            }
        }
        XCTAssertGreaterThan(taken, count / 2, "rows of any count come as column lists")
    }

    /// `map` over several tuples in the tier (NumericCompiler.mapCall), a tuple the loop binds
    /// first (`grads = map(f, params)`: NumericLoopSite.bindsTuple) and a global tuple read
    /// whole (`scales`: NumericField.whole), at the top level and in a function: trees of the
    /// same labels and of other ones, functions of two and three items, loops that run no
    /// iteration or break before the first assignment, and the globals rebound between runs to
    /// tuples of another order, length or item, to a number or left as they are. The output,
    /// the errors and the globals after are the general code's.
    func testMapOverSeveralTuplesInTheTier() {
        var ran = 0
        let count = 300
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 49_979_687)
            let names = [["w1", "w2", "w3", "b"], ["a", "b"], ["x"]][g.below(3)]
            func tuple(_ labels: [String]) -> String {
                "(" + labels.map { "\($0): \(edgeNumber(&g))" }.joined(separator: ", ") + (labels.count == 1 ? ",)" : ")")
            }
            var text = "params = \(tuple(names))\nscales = \(tuple(names))\nlr = \(g.constant())\n"
            text += "upd = fn(p, g, s) = p - lr * s * g\nfn two(p, g) = p + \(g.constant()) * g\n"
            let n = g.below(4) == 0 ? 0 : 1 + g.below(12)
            text += "for it in 0..<\(n) {\n"
            if g.below(5) == 0 { text += "    if it > \(g.below(3)) { break }\n" }
            text += "    grads = map(fn(p) = 2 * p - 0.5 + \(g.constant()) * p * p, params)\n"
            switch g.below(4) {
            case 0: text += "    params = map(upd, params, grads, scales)\n"
            case 1: text += "    params = map(two, params, grads)\n"
            case 2: text += "    params = map(fn(p, g, s) = p - s * g + lr, params, grads, scales)\n    pt = (lo: it, hi: it * 2)\n"
            default: text += "    params = map(upd, params, scales, grads)\n"
            }
            text += "}\nprint(params)\nprint(grads)\n"
            if g.below(3) == 0 { text += "print(pt)\n" }
            text += "fn steps(p, k) {\n    for i in 0..<k { p = map(upd, p, scales, map(fn(x) = x * 0.5, p)) }\n    return p\n}\n"
            text += "print(steps(params, \(g.below(6))))\n"
            // The globals rebound, and everything run again.
            switch g.below(6) {
            case 0: text += "scales = \(tuple(names.reversed()))\n"
            case 1: text += "scales = \(tuple(names + ["extra"]))\n"
            case 2: text += "scales = 3\n"
            case 3: text += "params = \(tuple(names.reversed()))\n"
            case 4: text += "scales = (\(names.map { _ in "\"s\"" }.joined(separator: ", ")),)\n"
            default: break
            }
            text += "print(steps(params, 2))\n"
            text += "for it in 0..<3 {\n    grads = map(fn(p) = p * 0.5, params)\n    params = map(upd, params, grads, scales)\n}\n"
            text += "print(params, grads)\n"
            let I = bothTiers(text, seed)
            ran += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(ran, count, "loops mapping over several tuples run in the tier")
    }

    /// One call site meeting closures of several protos (`fn compose(f, g) = fn(x) = f(g(x))`
    /// nesting scalers, shifters and squarers: at each level the site calls another function):
    /// the code of the closure's own proto stands in for the callee's where it fits
    /// (NumericMachine.standIn), and gives up where it does not (a tuple, a string or a bool
    /// out, two parameters or a default, a print, globals read in a top-level loop; a closure
    /// that prints and then calls what it captured is left to the general code); random
    /// compositions with edge numbers, called from a top-level loop, a function's loop and
    /// once: the general code's text every time.
    func testClosuresOfSeveralProtosBehindOneCallSite() {
        var stoodIn = 0
        let count = 200
        let leaves = ["scaler(C)", "shifter(C)", "squarer()", "offset()", "shifter(C)", "negate()", "clamp(-3, C)",
                      "pair(C)", "label(C)", "positive()", "two(C)", "defaulted(C)", "loud(C)", "recip(C)", "defaulted(C)",
                      "tripled(C)", "tripled(C)"]
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 104_729_003)
            var text = """
            fn scaler(a) = fn(x) = a * x
            fn shifter(b) = fn(y) = y + b
            fn squarer() = fn(z) = z * z
            fn negate() = fn(w) = -w
            fn offset() = fn(x) = x + lr
            fn recip(a) = fn(x) = a / x
            fn clamp(lo, hi) = fn(x) = min(max(x, lo), hi)
            fn pair(a) = fn(x) = (u: x, v: a)
            fn label(a) = fn(x) = "x\\(x)"
            fn positive() = fn(x) = x > 0
            fn two(a) = fn(x, y) = x + y + a
            fn defaulted(a) = fn(x, k: 2) = x * k + a
            fn tripled(a) = fn(x, k: 3) = x * k - a
            fn loud(a) = fn(x) {
                print("loud", x)
                return x + a
            }
            fn compose(f, g) = fn(x) = f(g(x))
            fn twice(f) = fn(x) = f(f(x))
            fn tap(f) = fn(x) {
                print("tap", x)
                return f(x)
            }

            """
            func leaf() -> String {
                // Mostly functions of one number to a number; now and then one that cannot stand in.
                let pick = g.below(5) == 0 ? leaves[g.below(leaves.count)] : leaves[g.below(7)]
                return pick.replacingOccurrences(of: "C", with: g.below(6) == 0 ? edgeNumber(&g) : g.constant())
            }
            func tree(_ depth: Int) -> String {
                if depth == 0 || g.below(4) == 0 { return leaf() }
                switch g.below(8) {
                case 0, 1: return "twice(\(tree(depth - 1)))"
                case 2: return "tap(\(tree(depth - 1)))"  // prints, then calls what it captured
                default: return "compose(\(tree(depth - 1)), \(tree(depth - 1)))"
                }
            }
            text += "h = \(tree(4))\nk = \(tree(3))\n"
            // A callee with a default the call passes in its place, met with another default.
            if g.below(4) == 0 { text += "k = compose(defaulted(1), compose(tripled(\(g.constant())), k))\n" }
            let n = 1 + g.below(40)
            // `lr` read by `offset()`'s closures, assigned by the loop (which holds it in a register).
            text += "lr = 0.5\ns = 0\nfor i in 0..<\(n) {\n    s += h(i * 0.25 - \(g.below(5)))\n"
            if g.below(2) == 0 { text += "    lr = i * 0.5\n" }
            if g.below(3) == 0 { text += "    s += k(s * 0.001)\n" }
            text += "}\nprint(s)\n"
            text += "fn run(f, n) {\n    t = 0\n    for i in 0..<n { t += f(i * 0.5) }\n    return t\n}\n"
            text += "print(run(h, \(n)), run(k, 3))\nprint(h(\(edgeNumber(&g))), k(1))\n"
            // A global composition rebound between runs, and the same loop again.
            if g.below(2) == 0 { text += "h = \(tree(3))\n" }
            text += "s = 0\nfor i in 0..<\(n) { s += h(i * 0.25) }\nprint(s)\n"
            let I = bothTiers(text, seed)
            stoodIn += I.numericMachine.standInsCalled
        }
        XCTAssertGreaterThan(stoodIn, 10 * count, "closures of other protos stood in for callees")
    }

    /// A function or top-level loop that prints, then calls a function that reads globals:
    /// the callee's globals are checked before the caller starts (NumericFunction
    /// .calleeEntriesHold), so when one no longer holds what the callee needs (`lr` a string,
    /// a label's number a string, a callee rebound to a number) the general code runs the
    /// call from the start and prints each line once, then says what is wrong.
    func testEffectsBeforeACalleeThatReadsGlobals() {
        var compiled = 0, loops = 0
        let count = 150
        let callees = ["fn g(x) = x * lr", "fn g(x) = x * cfg.lr + 1", "fn g(x) = len(name) + x", "fn h(x) = x - lr\nfn g(x) = h(x) * 2",
                       "fn g(x) = sin(x) + lr", "fn h(x) = x * 3\nfn g(x) = h(x) + cfg.lr"]
        let rebinds = ["lr = \"s\"", "cfg = (lr: \"s\", tag: 1)", "name = 3", "h = 5", "sin = 2", "lr = 0.25", "cfg = (tag: 1, lr: 2)", ""]
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 15_485_863)
            var text = "lr = \(g.constant())\ncfg = (lr: \(g.constant()), tag: 1)\nname = \"run\"\n"
            text += callees[g.below(callees.count)] + "\n"
            text += "fn loud(x) {\n    print(\"in\", x)\n    return g(x)\n}\n"
            text += "print(loud(1))\ns = 0\nfor i in 0..<\(20 + g.below(40)) {\n    if i % 10 == 0 { print(\"step \\(i)\") }\n    s += g(i)\n}\nprint(s)\n"
            text += rebinds[g.below(rebinds.count)] + "\n"
            if g.below(2) == 0 {
                text += "print(loud(2))\n"
            } else {
                text += "for i in 0..<30 {\n    if i % 10 == 0 { print(\"again \\(i)\") }\n    s += g(i)\n}\nprint(s)\n"
            }
            let I = bothTiers(text, seed)
            if isCompiled(I, "loud") { compiled += 1 }
            loops += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(compiled, count / 2, "the printing function has code in the tier")
        // (The printing loops here stay with the general code: a loop that prints and calls
        // `g` is not among the tier's loops today; runLoop checks the same before it starts.)
        XCTAssertEqual(loops, 0)
    }

    /// Optimizers made in a function and stepped there (`opt = adam(lr: lr)`, `w = opt.step(w, g)`):
    /// made by the constructor's rule and stepped by the step method's, a fresh one per call;
    /// every kind of optimizer with numbers and bools as arguments, edge numbers as gradients,
    /// one made again in the loop; then what stays with the general code (arguments that do not
    /// check, a schedule as lr, the optimizer read, printed, returned or stepped with labels,
    /// the constructor rebound, :trace on): the general code's text every time.
    func testOptimizersMadeInFunctionsInTheTier() {
        var compiled = 0
        let count = 200
        let makers = ["sgd(lr: LR)", "momentum(lr: LR, beta: 0.9)", "adam(lr: LR)", "rmsprop(lr: LR)", "adagrad(lr: LR)",
                      "sgd(lr: LR, momentum: 0.9, nesterov: true)", "adam(lr: LR, amsgrad: true)", "adamw(lr: LR)", "lion(lr: LR)",
                      "adam(LR, 0.8)", "adam(lr: -1)", "sgd(lr: schedule(\"step\", 0.1, step_size: 2))", "adam(lr: LR, beta1: 2)"]
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 32_452_867)
            let maker = makers[g.below(makers.count)].replacingOccurrences(of: "LR", with: "lr")
            var text = "fn fit(n, lr, w) {\n    opt = \(maker)\n    for k in 0..<n {\n"
            if g.below(5) == 0 { text += "        if k == 3 { opt = \(makers[g.below(makers.count)].replacingOccurrences(of: "LR", with: "lr * 2")) }\n" }
            text += "        w = opt.step(w, \(["2 * (w - 1)", "cos(w)", "w * k", edgeNumber(&g)][g.below(4)]))\n    }\n"
            switch g.below(8) {
            case 0: text += "    print(opt.t)\n"
            case 1: text += "    return opt\n"
            case 2: text += "    w = opt.step(params: w, grads: 1)\n"
            default: break
            }
            text += "    return w\n}\n"
            for _ in 0..<2 { text += "print(fit(\(g.below(30)), \(g.below(3) == 0 ? edgeNumber(&g) : g.constant()), \(edgeNumber(&g))))\n" }
            if g.below(4) == 0 { text += "adam = sgd\nprint(fit(3, 0.1, 1))\n" }
            let I = bothTiers(text, seed)
            if isCompiled(I, "fit") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count / 3, "functions making optimizers run in the tier")
        // Under :trace every step prints its line: the general code's lines, tier or not.
        let traced = "fn fit(n) {\n    opt = adam(lr: 0.1)\n    w = 5\n    for k in 0..<n { w = opt.step(w, 2 * w) }\n    return w\n}\nprint(fit(3))\n"
        var outputs: [String] = []
        for tier in [false, true] {
            let I = Interpreter(output: { _ in })
            I.usesNumericTier = tier
            I.channel.trace = true
            let run = Run(traced, interpreter: I)
            outputs.append(run.output)
        }
        XCTAssertEqual(outputs[1], outputs[0])
        XCTAssertGreaterThan(outputs[0].split(separator: "\n").count, 3, outputs[0])
    }

    /// Schedules made in a function and called there (`s = schedule("cosine", 0.1, 1000)`,
    /// `w = w - s(t % 1000) * g`): made by the constructor's rule, their rates by the schedule's,
    /// a fresh one per call; every kind with numbers written or computed, epochs that are whole,
    /// negative, fractions, nan; then what stays with the general code (a lambda or a plateau
    /// schedule, a kind that does not exist, the schedule read otherwise or called with labels):
    /// the general code's text every time.
    func testSchedulesMadeInFunctionsInTheTier() {
        var compiled = 0
        let count = 200
        let makers = ["schedule(\"cosine\", LR, 100)", "schedule(\"step\", LR, 7, gamma: 0.5)", "schedule(\"exponential\", LR, 0.99)",
                      "schedule(\"inverse_time\", LR, 0.01)", "schedule(\"staircase\", LR, 0.5, 10)", "schedule(\"linear\", LR)",
                      "schedule(\"onecycle\", LR, 50)", "schedule(\"warmup_cosine\", LR, 5, 50)", "schedule(\"polynomial\", LR, power: 2)",
                      "schedule(\"cosine_restarts\", LR, 10, t_mult: 2)", "schedule(\"cyclic\", LR, 1)", "schedule(\"constant\", LR)",
                      "schedule(\"lambda\", LR, fn(e) = 0.9 ^ e)", "schedule(\"plateau\", LR)", "schedule(\"cosin\", LR, 10)",
                      "schedule(\"cosine\", LR, -3)"]
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 86_028_163)
            let maker = makers[g.below(makers.count)].replacingOccurrences(of: "LR", with: "lr")
            var text = "fn run(n, lr) {\n    s = \(maker)\n    w = 5\n    for t in 0..<n {\n"
            let epochs = ["t", "t % 20", "t - 2", "t / 2", "t * 0 + \(edgeNumber(&g))"]
            text += "        w = w - s(\(epochs[g.below(epochs.count)])) * 2 * (w - 1)\n    }\n"
            switch g.below(8) {
            case 0: text += "    print(s.lr)\n"
            case 1: text += "    w = w + s(epoch: 1)\n"
            default: break
            }
            text += "    return w\n}\n"
            for _ in 0..<2 { text += "print(run(\(g.below(40)), \(g.below(4) == 0 ? edgeNumber(&g) : g.constant())))\n" }
            let I = bothTiers(text, seed)
            if isCompiled(I, "run") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count / 4, "functions making schedules run in the tier")
    }

    /// Averagers made in a function and updated there (`a = ewa(beta: 0.9)`, `r = a.update(x)`,
    /// `s += r.corrected`): made by the constructor's rule, updated by the averager's
    /// (Averager.update(number:)), a fresh one per call; betas and values at their edges (nan,
    /// -inf, -0, 1e308, a beta the constructor refuses), the result's fields by label and
    /// position, the result returned or printed, then what stays with the general code (an
    /// update with a tensor, the averager's own fields read, a second kind of object in the same
    /// local): the general code's text every time.
    func testAveragersMadeInFunctionsInTheTier() {
        var compiled = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 49_979_687)
            let beta = ["0.9", "0.5", "0", "b", "0.999", edgeNumber(&g)][g.below(6)]
            var text = "fn run(n, b, x0) {\n    a = ewa(beta: \(beta))\n    s = 0\n    for i in 0..<n {\n"
            let value = ["sin(i * 0.1)", "x0", "x0 * i", "i", edgeNumber(&g)][g.below(5)]
            text += "        r = a.update(\(value))\n"
            let reads = ["r.corrected", "r.v", "r.t", "r[2]", "r[-1]", "a.update(x0).corrected", "r.corrected - r.v * r.t"]
            text += "        s += \(reads[g.below(reads.count)])\n"
            if g.below(6) == 0 { text += "        if i == 2 { a = ewa(beta: 0.1) }\n" }
            text += "    }\n"
            switch g.below(10) {
            case 0: text += "    print(r)\n"
            case 1: text += "    return a.update(x0)\n"
            case 2: text += "    s = s + a.update([1, 2]).v[0]\n"
            case 3: text += "    print(a.v, a.t)\n"
            case 4: text += "    a = adam(lr: 0.1)\n"
            default: break
            }
            text += "    return s\n}\n"
            for _ in 0..<2 {
                text += "print(run(\(g.below(30)), \(g.below(3) == 0 ? edgeNumber(&g) : "0.8"), \(edgeNumber(&g))))\n"
            }
            let I = bothTiers(text, seed)
            if isCompiled(I, "run") { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count / 3, "functions making averagers run in the tier")
        // The REPL shows an update's result in the averager's own form (its display hint),
        // also when a function returns it: the same text, tier or not.
        let program = "fn f(x) {\n    a = ewa(beta: 0.5)\n    a.update(1)\n    return a.update(x)\n}\nf(3)\nf(3).v\n"
        var shown: [[String]] = []
        for tier in [false, true] {
            let I = Interpreter(output: { _ in })
            I.usesNumericTier = tier
            I.channel.showsHints = true
            guard case .complete(let parsed) = Parser.parse(SourceFile(name: "t.opt", text: program)) else { return XCTFail() }
            var lines: [String] = []
            XCTAssertNoThrow(try I.run(parsed, display: { lines.append(I.displayText($0)) }))
            shown.append(lines)
        }
        XCTAssertEqual(shown[1], shown[0])
        XCTAssertEqual(shown[0].first, "t=2  v=1.75  corrected=2.33333")
    }

    /// Code for tensor arguments is entered from the general code only where it repeats
    /// something (a loop, a call): a straight-line function of a tensor costs more to enter than
    /// the general machine takes to run it. Its code stays for compiled callers, and the text is
    /// the same either way (the generated tests above run both).
    func testStraightLineTensorFunctionsStayWithTheGeneralCode() {
        let cases: [(String, Bool)] = [
            ("fn f(w, x) = w[0] + w[1] * x", false),
            ("fn f(w, x) {\n    r = w[0] * x - w[1]\n    if r > 0 { return r }\n    return -r\n}", false),
            ("fn f(w, x) {\n    s = 0\n    for i in 0..<len(w) { s += w[i] * x }\n    return s\n}", true),
            ("fn g(v) = v * 2\nfn f(w, x) = g(w[0]) + x", true),
            ("fn f(w, x) {\n    k = 0\n    while k < len(w) and w[k] < x { k += 1 }\n    return k\n}", true),
        ]
        for (source, entered) in cases {
            let text = source + "\nprint(f([1, 2, 3], 0.5))\nprint(f([4, 5, 6], 2))\n"
            let I = bothTiers(text, 0)
            guard case .function(let fn)? = I.global("f"), case .ready(let code) = unsafeDowncast(fn, to: Closure.self).proto.numericWithTensors else {
                XCTFail("no code for tensor arguments: \(source)")
                continue
            }
            XCTAssertEqual(code.worthEnteringFromGeneralCode, entered, source)
        }
    }
}

import XCTest
import Lexer
import Parser
@testable import Runtime

/// Top-level loops in the numeric tier (Interpreter/Numeric/NumericLoop.swift) against the
/// general code (Interpreter/Compiled/): generated scripts whose loops work on globals print exactly the same text either
/// way, bit for bit, with globals that change kind, are first assigned inside the loop, or are
/// assigned only on some paths; and the tier does run the loops.
final class TopLevelLoopTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator


    /// An expression of numbers; `calls` allows calls of h (not in h itself).
    private func number(_ g: inout Generator, _ depth: Int, _ names: [String], calls: Bool = true) -> String {
        if depth == 0 || g.below(4) == 0 {
            switch g.below(6) {
            case 0, 1: return g.constant()
            case 2: return "scale"  // a global the loops only read
            default: return names[g.below(names.count)]
            }
        }
        let a = number(&g, depth - 1, names, calls: calls), b = number(&g, depth - 1, names, calls: calls)
        switch g.below(12) {
        case 0: return "(\(a) + \(b))"
        case 1: return "(\(a) - \(b))"
        case 2: return "(\(a) * \(b))"
        case 3: return "(\(a) / \(b))"
        case 4: return "(\(a) % \(b))"
        case 5: return "(\(a) ^ 2)"
        case 6: return "-\(a)"
        case 7: return "sin(\(a))"
        case 8: return calls ? "h(\(a), \(b))" : "(\(a) * \(b))"
        case 9: return "sqrt(abs(\(a)))"
        case 10: return "(\(a) + \(g.constant()))"
        default: return "(\(a) ^ \(b))"
        }
    }

    private func condition(_ g: inout Generator, _ names: [String]) -> String {
        let a = number(&g, 1, names), b = number(&g, 1, names)
        let ops = ["<", "<=", ">", ">=", "==", "!="]
        switch g.below(4) {
        case 0: return "\(a) \(ops[g.below(6)]) \(b) and \(b) \(ops[g.below(6)]) \(g.constant())"
        case 1: return "not (\(a) \(ops[g.below(6)]) 0)"
        default: return "\(a) \(ops[g.below(6)]) \(b)"
        }
    }

    private func statements(_ g: inout Generator, _ depth: Int, _ names: [String], indent: String) -> String {
        var out = ""
        for _ in 0..<(1 + g.below(3)) {
            let target = names[g.below(names.count)]
            switch g.below(depth > 0 ? 7 : 4) {
            case 0, 1: out += "\(indent)\(target) = \(number(&g, 2, names))\n"
            case 2: out += "\(indent)\(target) \(["+=", "-=", "*=", "/="][g.below(4)]) \(number(&g, 1, names))\n"
            case 3:
                if g.below(3) == 0 {
                    out += "\(indent)if \(condition(&g, names)) { \(g.below(2) == 0 ? "break" : "continue") }\n"
                } else {
                    // Assigned on one path only: written back only when it ran.
                    out += "\(indent)if \(condition(&g, names)) { late = \(number(&g, 1, names)) }\n"
                }
            case 4, 5:
                out += "\(indent)if \(condition(&g, names)) {\n"
                out += statements(&g, depth - 1, names, indent: indent + "    ")
                if g.below(2) == 0 {
                    out += "\(indent)} else {\n" + statements(&g, depth - 1, names, indent: indent + "    ")
                }
                out += "\(indent)}\n"
            default:
                out += "\(indent)for j in \(g.constant())...\(g.below(4)) {\n"
                out += statements(&g, depth - 1, names + ["j"], indent: indent + "    ")
                out += "\(indent)}\n"
            }
        }
        return out
    }

    private func program(_ seed: UInt64) -> String {
        var g = Generator(state: seed &* 31)
        let names = ["x", "y", "a", "fresh"]
        var text = "scale = \(g.constant())\nfn h(p, q) = \(number(&g, 2, ["p", "q"], calls: false))\n"
        text += "x = \(g.constant())\ny = \(g.constant())\n"
        // a holds a string before the loop (a global changes kind); fresh is first bound in it.
        text += "a = \"text\"\n"
        let body = "    a = \(number(&g, 1, ["x", "y"]))\n    fresh = \(number(&g, 1, ["x", "y", "a"]))\n"
            + statements(&g, 2, names, indent: "    ")
        if g.below(2) == 0 {
            text += "for k in \(g.constant())..<\(1 + g.below(8)) {\n\(body)}\n"
        } else {
            text += "n = 0\nwhile n < \(1 + g.below(8)) {\n    n += 1\n\(body)}\n"
        }
        text += "print(repr(x), repr(y), repr(a), repr(fresh))\n"
        text += "print(repr(late))\n"
        return text
    }

    func testGeneratedTopLevelLoopsPrintTheSameInBothTiers() {
        var ran = 0, ranInFunction = 0
        let count = 300
        for seed in 1...UInt64(count) {
            let text = program(seed)
            let (tree, _) = outputWithTier(text, tier: false)
            let (numeric, I) = outputWithTier(text, tier: true)
            XCTAssertEqual(numeric, tree, "seed \(seed):\n\(text)")
            ran += I.numericMachine.loopsRun
            ranInFunction += sameInAFunction(text, seed: seed, globals: ["scale"])
        }
        // Everything generated is inside the tier's subset, at the top level and in a function.
        XCTAssertEqual(ran, count)
        XCTAssertEqual(ranInFunction, count)
    }

    /// A loop that meets what its code does not cover gives up before writing any global,
    /// and the general code runs it from the start: same values, same error.
    func testGivingUpLeavesTheGeneralCodeTheSameState() {
        let text = """
            fn f(p) { if p > 2 { return p } }
            s = 0
            i = 0
            while i < 5 { s += f(i + 3); i += 1 }
            print(s, i)
            s = 0
            for k in 0..<5 { s += f(4 - k) }
            """
        let (tree, _) = outputWithTier(text, tier: false)
        let (numeric, _) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, tree)
        XCTAssertTrue(numeric.hasPrefix("25 5\nerror: cannot apply '+' to number and nil"), numeric)
    }

    /// A function the loop calls sees the globals the loop assigned so far (they are in the
    /// loop's registers, so such a loop stays with the general code), also through the functions it
    /// calls, and a global it calls through that the loop rebinds.
    func testCalleesSeeTheGlobalsTheLoopAssigns() {
        let text = """
            lr = 0.1
            s = 0
            fn f(x) = x * lr
            fn g(x) = f(x) + 1
            for i in 0..<3 {
                lr = lr / 2
                s += g(1)
            }
            print(repr(s), repr(lr))
            fn h(x) = x + 1
            fn k(x) = h(x) * 2
            for i in 0..<3 {
                s += k(i)
                h = 5
            }
            """
        // Only the text up to the error's location: where a call that fails inside a function
        // the tier gave up on is reported differs with the tier on and off (before this too).
        func message(_ s: String) -> String { s.components(separatedBy: " at Optional").first ?? s }
        let (tree, _) = outputWithTier(text, tier: false)
        let (numeric, _) = outputWithTier(text, tier: true)
        XCTAssertEqual(message(numeric), message(tree))
        XCTAssertTrue(tree.contains("error: a number is not callable"), tree)
    }

    /// A global the loop reads must still be a number when it runs again (a REPL entry may
    /// rebind it); a function it calls may be rebound between runs.
    func testKindsAndFunctionsChangeBetweenRuns() {
        let text = """
            fn g(x) = x * 2
            r = 1
            for rep in 0..<4 {
                if rep == 2 { r = "now a string" }
                if rep == 3 {
                    fn g(x) = x + 100
                    r = 3
                }
                t = 0
                for i in 0..<3 {
                    if rep == 2 { break }
                    t += g(i) + r
                }
                print(t)
            }
            """
        let (tree, _) = outputWithTier(text, tier: false)
        let (numeric, _) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, tree)
    }

    /// A function of numbers returning a tuple of numbers runs in the tier (issue 15: it gave
    /// up on `return (v: v, s: s)`); a numeric caller of it, which needs a number, leaves the
    /// call to the general code. Same text either way, and the tier ran it.
    func testFunctionsReturningTuplesOfNumbers() {
        let text = """
            fn ewa(n, b) {
                v = 0
                s = 0
                for t in 0..<n {
                    v = b * v + (1 - b) * sin(t)
                    s += v
                }
                return (v: v, s: s)
            }
            fn pair(x) {
                if x > 1 { return (x, -x, x / 3) }
                if x < -1 { return () }
                return x
            }
            fn uses(x) = pair(x) + 1
            fn down(n) {
                if n <= 0 { return (n: n) }
                return down(n - 1)
            }
            r = ewa(50, 0.9)
            print(repr(r), repr(r.s), repr(ewa(0, 0.5)))
            print(repr(pair(2)), repr(pair(-2)), repr(pair(0.5)), repr(uses(0.5)))
            print(repr(down(3)))
            print(repr(uses(3)))
            """
        let (tree, _) = outputWithTier(text, tier: false)
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, tree)
        XCTAssertEqual(tree.split(separator: "\n").count, 4, tree)
        XCTAssertFalse(tree.contains("error"), tree)
        guard case .function(let f)? = I.global("ewa"), case .ready = unsafeDowncast(f, to: Closure.self).proto.numeric else {
            return XCTFail("ewa is not compiled")
        }
    }

    /// grad of a straight-line function of one number runs without the tape (issue 15:
    /// `x = opt.step(x, grad(f, x))` was 8x CPython's hand-written loop) and gives the tape's
    /// bits, value and derivative, with x read any number of times.
    func testScalarStraightLineGradientsAreTheTapes() {
        var compiled = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 104_729)
            func scalar(_ depth: Int, _ locals: [String]) -> String {
                if depth == 0 || g.below(3) == 0 {
                    switch g.below(4) {
                    case 0: return g.constant()
                    case 1 where !locals.isEmpty: return locals[g.below(locals.count)]
                    case 2: return "lam"
                    default: return "x"
                    }
                }
                let a = scalar(depth - 1, locals), b = scalar(depth - 1, locals)
                switch g.below(9) {
                case 0: return "(\(a) + \(b))"
                case 1: return "(\(a) - \(b))"
                case 2, 3: return "(\(a) * \(b))"
                case 4: return "(\(a) / (\(b) ^ 2 + 1))"
                case 5: return "(\(a) ^ 2)"
                case 6: return "-\(a)"
                case 7: return "\(["sin", "cos", "exp", "tanh", "sigmoid"][g.below(5)])(\(a))"
                default: return "(\(a) ^ \(["3", "0", "0.5", "-1"][g.below(4)]))"
                }
            }
            var text = "lam = \(g.constant())\nfn f(x) {\n"
            var locals: [String] = []
            for k in 0..<g.below(3) {
                text += "    v\(k) = \(scalar(2, locals))\n"
                locals.append("v\(k)")
            }
            text += "    return \(([scalar(3, locals), "x"] + locals).joined(separator: " + "))\n}\n"
            for x in ["0.5", "-3", "0", "-0.0", "2.25"] {
                text += "print(repr(grad(f, \(x))), repr(value_and_grad(f, \(x))))\n"
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

    /// Runs `text` with the tier off and on and demands the same text; after an error, `after`
    /// (typed next, as in the REPL) must print the same too: the globals hold what the
    /// iterations before the error did. Returns the tier's text and interpreter.
    @discardableResult
    private func sameInBothTiers(_ text: String, seed: UInt64, after: String? = nil, maxElements: Int? = nil,
                                 file: StaticString = #filePath, line: UInt = #line) -> (text: String, tier: Interpreter) {
        let (general, G) = outputWithTier(text, tier: false, maxElements: maxElements)
        let (numeric, I) = outputWithTier(text, tier: true, maxElements: maxElements)
        XCTAssertEqual(numeric, general, "seed \(seed):\n\(text)", file: file, line: line)
        if let after, numeric.contains("error:") {
            XCTAssertEqual(Run(after, interpreter: I).output, Run(after, interpreter: G).output, "seed \(seed):\n\(text)",
                           file: file, line: line)
        }
        return (numeric, I)
    }

    /// The same program with its statements moved into a function it then calls (all but its
    /// one-line `fn`s, and the assignments to `globals` it begins with, which stay at the top
    /// level): its loops are then loops of a function, which the numeric tier runs on the
    /// function's frame (NumericLoop.frameSlot). Tier on and off give the same text, errors
    /// and notes, bit for bit. Returns how many loops the tier ran.
    @discardableResult
    private func sameInAFunction(_ text: String, seed: UInt64, globals: [String] = [], maxElements: Int? = nil,
                                 file: StaticString = #filePath, line: UInt = #line) -> Int {
        var top = "", body = "", prologue = true
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let kept = l.hasPrefix("fn ") || (prologue && globals.contains { l.hasPrefix("\($0) = ") })
            if !kept && !l.isEmpty { prologue = false }
            if kept { top += l + "\n" } else { body += "    " + l + "\n" }
        }
        let wrapped = top + "fn main() {\n" + body + "}\nmain()\n"
        let (general, _) = outputWithTier(wrapped, tier: false, maxElements: maxElements)
        let (numeric, I) = outputWithTier(wrapped, tier: true, maxElements: maxElements)
        XCTAssertEqual(numeric, general, "seed \(seed), in a function:\n\(wrapped)", file: file, line: line)
        return I.numericMachine.loopsRun
    }

    /// A generated program run both ways at the top level (sameInBothTiers) and wrapped in a
    /// function (sameInAFunction), counted: the loops the tier ran each way, and whether it
    /// ended in an error.
    private func tally(_ text: String, seed: UInt64, after: String? = nil, maxElements: Int? = nil,
                       _ ran: inout Int, _ ranInFunction: inout Int, _ errors: inout Int,
                       file: StaticString = #filePath, line: UInt = #line) {
        let (output, I) = sameInBothTiers(text, seed: seed, after: after, maxElements: maxElements, file: file, line: line)
        if output.contains("error:") { errors += 1 }
        ran += I.numericMachine.loopsRun
        ranInFunction += sameInAFunction(text, seed: seed, maxElements: maxElements, file: file, line: line)
    }

    /// An objective's expression of `leaf` (x, or an element of w), constants and the global
    /// `lam`, with the operators and functions the tape-free derivative covers.
    private func differentiable(_ g: inout Generator, _ depth: Int, leaf: (inout Generator) -> String) -> String {
        if depth == 0 || g.below(3) == 0 {
            switch g.below(4) {
            case 0: return g.constant()
            case 1: return "lam"
            default: return leaf(&g)
            }
        }
        let a = differentiable(&g, depth - 1, leaf: leaf), b = differentiable(&g, depth - 1, leaf: leaf)
        switch g.below(8) {
        case 0: return "(\(a) + \(b))"
        case 1: return "(\(a) - \(b))"
        case 2, 3: return "(\(a) * \(b))"
        case 4: return "(\(a) / (\(b) ^ 2 + 1))"
        case 5: return "(\(a) ^ 2)"
        default: return "\(["sin", "cos", "tanh", "sigmoid"][g.below(4)])(\(a))"
        }
    }

    /// `x = opt.step(x, grad(f, x))` loops: the numeric tier steps the optimizer and takes the
    /// tape-free derivative itself. Generated objectives, optimizers, loop shapes, optimizers
    /// stepped before, reset, re-bound or re-configured between loops, and loops that must be
    /// left to the general code (a call that could give up after a step, a schedule, a tensor's
    /// state) print exactly what the general code prints: x, t and the state, bit for bit.
    func testGradAndStepLoopsAreTheGeneralCodes() {
        let optimizers = ["sgd(lr: 0.05)", "momentum(lr: 0.02, beta: 0.8)", "momentum(lr: 0.02, bias_correction: true)",
                          "rmsprop(lr: 0.01)", "adam(lr: 0.1)", "adam(lr: 0.05, bias_correction: false)",
                          "torch.sgd(lr: 0.01, momentum: 0.9, nesterov: true)", "torch.adam(lr: 0.1, weight_decay: 0.01)",
                          "torch.rmsprop(lr: 0.01, centered: true)", "torch.adamw(lr: 0.05)", "torch.adagrad(lr: 0.3)",
                          "torch.adamax(lr: 0.1)", "torch.nadam(lr: 0.1)", "torch.radam(lr: 0.1)", "torch.rprop(lr: 0.01)",
                          "lion(lr: 0.01)", "sgd(lr: schedule(\"step\", 0.1, 5, gamma: 0.5))",
                          // Fails past its 20 steps: left to the general code, which says where.
                          "momentum(lr: schedule(\"onecycle\", 0.1, 20))"]
        var ran = 0, failed = 0, ranInFunction = 0
        let count = 150
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 7919)
            let opt = optimizers[g.below(optimizers.count)]
            var text = "lam = \(g.constant())\nfn f(x) = (x - \(g.constant())) ^ 2 + \(differentiable(&g, 3) { _ in "x" })\nfn h(a) = a * 0.5\n"
            text += "opt = \(opt)\nx = \(g.constant())\ns = 0\n"
            if g.below(4) == 0 { text += "x = opt.step(x, grad(f, x))\n" }  // the first step in the general code
            let steps = 1 + g.below(40)
            for loop in 0..<(1 + g.below(3)) {
                switch g.below(4) {
                case 0:
                    text += "k = 0\nwhile k < \(steps) {\n    x = opt.step(x, grad(f, x))\n    k += 1\n}\n"
                case 1:
                    // Extra work on the loop's globals, and a derivative read without a step.
                    text += "for k in 0..<\(steps) {\n    d = grad(f, x)\n    s += d * x\n    x = opt.step(x, d)\n}\n"
                case 2 where loop > 0:
                    // A numeric call could give up after a step: the general code runs it.
                    text += "for k in 0..<\(steps) {\n    x = opt.step(x, grad(f, x))\n    s = h(s + x)\n}\n"
                default:
                    text += "for k in 1...\(steps) { x = opt.step(x, grad(f, x)) }\n"
                }
                text += "print(repr(x), repr(s), opt.t, opt.state)\n"
                switch g.below(6) {
                case 0: text += "opt.reset()\n"
                case 1: text += "opt = \(optimizers[g.below(optimizers.count)])\n"
                case 2: text += "opt.lr = \(g.constant().replacingOccurrences(of: "-", with: ""))\n"
                case 3: text += "lam = \(g.constant())\n"
                default: break
                }
            }
            text += "print(opt)\n"
            let (output, I) = sameInBothTiers(text, seed: seed)
            ran += I.numericMachine.loopsRun
            ranInFunction += sameInAFunction(text, seed: seed, globals: ["lam"])
            if output.contains("error:") {
                failed += 1
                XCTAssert(output.contains("onecycle"), "seed \(seed):\n\(text)\n\(output)")
            }
        }
        print("scalar in function", ranInFunction)
        XCTAssertLessThan(failed, count / 10)
        // Most loops are the tier's (the others are left to the general code on purpose).
        XCTAssertGreaterThan(ran, count)
    }

    /// The same loops on a small vector (`w = opt.step(w, grad(f, w))` with w a 1-D tensor held
    /// in registers): generated objectives of w's elements, vectors of 1 to 4 elements, w
    /// re-bound to another length, to a number or to a matrix between loops, w used in ways
    /// the tier leaves to the general code. Bit for bit what the general code prints.
    func testGradAndStepLoopsOnVectorsAreTheGeneralCodes() {
        let optimizers = ["sgd(lr: 0.01)", "momentum(lr: 0.01, beta: 0.9)", "rmsprop(lr: 0.01)", "adam(lr: 0.05)",
                          "torch.sgd(lr: 0.01, momentum: 0.9, nesterov: true)", "torch.adamw(lr: 0.05)",
                          "torch.rmsprop(lr: 0.01, centered: true)", "torch.adagrad(lr: 0.3)", "lion(lr: 0.01)",
                          "torch.rprop(lr: 0.01)", "torch.nadam(lr: 0.1)", "adam(lr: schedule(\"exponential\", 0.1, 0.9))"]
        var ran = 0, ranInFunction = 0
        let count = 150
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 104_729)
            let n = 1 + g.below(4)
            func vector(_ k: Int) -> String { "[" + (0..<k).map { _ in g.constant() }.joined(separator: ", ") + "]" }
            var text = "lam = \(g.constant())\nfn f(w) = (w[0] - \(g.constant())) ^ 2 + \(differentiable(&g, 3) { g in "w[\(g.below(n))]" })\n"
            text += "opt = \(optimizers[g.below(optimizers.count)])\nw = \(vector(n))\ns = 0\n"
            if g.below(4) == 0 { text += "w = opt.step(w, grad(f, w))\n" }
            let steps = 1 + g.below(30)
            for loop in 0..<(1 + g.below(3)) {
                switch g.below(5) {
                case 0:
                    text += "k = 0\nwhile k < \(steps) {\n    w = opt.step(w, grad(f, w))\n    k += 1\n}\n"
                case 1:
                    text += "for k in 0..<\(steps) {\n    d = grad(f, w)\n    w = opt.step(w, d)\n}\n"
                case 2 where loop > 0:
                    // w read as a number: the general code runs it (and reports what it reports).
                    text += "for k in 0..<\(steps) {\n    w = opt.step(w, grad(f, w))\n    s += w[0]\n}\n"
                default:
                    text += "for k in 1...\(steps) { w = opt.step(w, grad(f, w)) }\n"
                }
                text += "print(w, repr(s), opt.t, opt.state)\n"
                switch g.below(7) {
                case 0: text += "opt.reset()\n"
                case 1: text += "opt = \(optimizers[g.below(optimizers.count)])\n"
                case 2: text += "w = \(vector(1 + g.below(4)))\nopt.reset()\n"
                case 3: text += "w = \(vector(n))\n"
                case 4: text += "lam = \(g.constant())\n"
                default: break
                }
            }
            text += "print(opt, w)\n"
            ran += sameInBothTiers(text, seed: seed).tier.numericMachine.loopsRun
            ranInFunction += sameInAFunction(text, seed: seed, globals: ["lam"])
        }
        XCTAssertGreaterThan(ran, count)
        print("vector in function", ranInFunction)
        // The tier runs the vector loop, and leaves a tensor of the same values behind.
        let text = """
            fn f(w) = (w[0] - 1) ^ 2 + w[1] ^ 2
            opt = sgd(lr: 0.1)
            w = [3, 4]
            for k in 0..<5 { w = opt.step(w, grad(f, w)) }
            print(w, shape(w), opt.state)
            """
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, outputWithTier(text, tier: false).0)
        XCTAssertEqual(I.numericMachine.loopsRun, 1)
    }

    /// Element reads and writes of tensor globals in top-level loops (`t[i]`, `m[i, j]`,
    /// `t[j] = v`, `m[i, j] += v`): the tier holds the buffers and writes in place. Generated
    /// loops over vectors and matrices, with indices that go wrong (not whole, out of range,
    /// negative, nan, inf, 1e308, -0), compound writes, a tensor shared with another variable
    /// before the loop writes it, nested loops and while loops: the same text, values,
    /// diagnostics and loop notes as the general code, and the tensors the same after an error.
    func testElementLoopsAreTheGeneralCodes() {
        var ran = 0, errors = 0, ranInFunction = 0
        let count = 300
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 1_000_003)
            let n = 2 + g.below(6), rows = 2 + g.below(3), columns = 2 + g.below(3)
            func index(_ bound: Int, _ variable: String) -> String {
                switch g.below(14) {
                case 0: return "\(variable) + 1"
                case 1: return "\(bound - 1) - \(variable)"
                case 2: return "-\(variable) - 1"
                case 3 where g.below(4) == 0: return ["nan", "inf", "1e308", "-0", "\(variable) * 0.5", "\(variable) - \(bound)", "\(bound)"][g.below(7)]
                case 4: return "\(variable) % \(bound)"
                default: return variable
                }
            }
            var text = "v = [" + (0..<n).map { _ in g.constant() }.joined(separator: ", ") + "]\n"
            text += "m = reshape(range(\(rows * columns)), \(rows), \(columns)) * \(g.constant())\ns = 0\n"
            if g.below(4) == 0 { text += "alias = v\n" }
            let op = ["=", "=", "+=", "-=", "*="][g.below(5)]
            switch g.below(6) {
            case 0:
                text += "for i in 0..<\(n) {\n    s += v[\(index(n, "i"))] * \(g.constant())\n    v[\(index(n, "i"))] \(op) s\n}\n"
            case 1:
                text += "for i in 0..<\(rows) {\n    for j in 0..<\(columns) {\n        s += m[\(index(rows, "i")), \(index(columns, "j"))]\n    }\n}\n"
            case 2:
                text += "for k in 0..<\(rows * columns) {\n    i = floor(k / \(columns))\n    j = k % \(columns)\n"
                text += "    m[\(index(rows, "i")), \(index(columns, "j"))] \(op) v[\(index(n, "0 * k"))] + k\n}\n"
            case 3:
                text += "k = 0\nwhile k < \(n) {\n    v[\(index(n, "k"))] \(op) k * 2\n    k += 1\n}\n"
            case 4:
                text += "for i in 0..<\(n) {\n    if v[i] > \(g.constant()) { v[\(index(n, "i"))] = 0 } else { s -= v[i] }\n}\n"
            default:
                text += "for i in 0..<\(rows) {\n    for j in 0..<\(columns) {\n        m[\(index(rows, "i")), j] \(op) i - j\n    }\n}\n"
            }
            text += "print(v, m, repr(s))\n"
            if text.contains("alias") { text += "print(alias)\n" }
            let after = "print(v, m, repr(s))\n" + (text.contains("alias") ? "print(alias)\n" : "")
            tally(text, seed: seed, after: after, &ran, &ranInFunction, &errors)
        }
        XCTAssertGreaterThan(ran, count / 2)
        print("elements in function", ranInFunction)
        XCTAssertGreaterThan(errors, count / 20)
    }

    /// Tensors a loop reads as a tuple's labelled items (`cfg.data[i]`, `len(cfg.data)`,
    /// `cfg.m[i, j]`, passed on as `total(cfg.data, n)`): generated loops with indices that go
    /// wrong, tuples that lack the label, hold a number, a string or a view there, or are
    /// rebound between loops; at the top level and in a function. The general code's text,
    /// errors and loop notes, bit for bit.
    func testTensorsInTuplesAreTheGeneralCodes() {
        var ran = 0, ranInFunction = 0, errors = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 65_537)
            let n = 2 + g.below(5)
            func index(_ variable: String) -> String {
                switch g.below(24) {
                case 0: return "\(variable) + 1"
                case 1: return ["nan", "-1", "1e308", "\(variable) * 0.5", "\(n)", "-0"][g.below(6)]
                default: return variable
                }
            }
            let data = "[" + (0..<n).map { _ in g.constant() }.joined(separator: ", ") + "]"
            var text = "fn total(xs, k) { s = 0; for i in 0..<k { s += xs[i] }; return s }\n"
            text += "cfg = (lr: \(g.constant()), data: \(data), m: reshape(range(\(2 * n)), 2, \(n)), name: \"run\")\n"
            switch g.below(10) {
            case 0: text += "cfg = (lr: 0.5, data: 3, m: [[1, 2]], name: \"x\")\n"
            case 1: text += "cfg = (lr: 0.5, info: \(data), m: [[1, 2]])\n"
            case 2: text += "cfg = (lr: 0.5, data: transpose(reshape(range(\(n)), 1, \(n)))[0], m: [[1, 2]])\n"
            default: break
            }
            text += "s = 0\n"
            for _ in 0..<(1 + g.below(2)) {
                switch g.below(5) {
                case 0:
                    text += "for i in 0..<len(cfg.data) {\n    s += cfg.data[\(index("i"))] * cfg.lr\n}\n"
                case 1:
                    text += "for i in 0..<2 {\n    for j in 0..<\(n) { s += cfg.m[\(index("i")), \(index("j"))] - cfg.data[j] }\n}\n"
                case 2:
                    text += "k = 0\nwhile k < \(n) {\n    s = s * 0.5 + cfg.data[\(index("k"))]\n    k += 1\n}\n"
                case 3:
                    text += "for r in 0..<3 { s += total(cfg.data, \(n - g.below(2) + g.below(2))) }\n"
                default:
                    text += "for i in 0..<\(n) {\n    if cfg.data[i] > s { s = cfg.data[i] } else { s -= cfg.lr }\n}\n"
                }
                // Rebound between loops: a tuple of the same labels and ranks, of other values.
                if g.below(3) == 0 { text += "cfg = (lr: 1, data: \(data) * -1, m: reshape(range(\(2 * n)), 2, \(n)) / 3)\n" }
            }
            text += "print(repr(s), cfg.data)\n"
            tally(text, seed: seed, &ran, &ranInFunction, &errors)
        }
        XCTAssertGreaterThan(ran, count / 2)
        XCTAssertGreaterThan(ranInFunction, count / 2)
        XCTAssertGreaterThan(errors, count / 20)
        XCTAssertLessThan(errors, count / 2)
    }

    /// A variable the loop binds first, to a string (`g = grade(x)` with g unbound before):
    /// a string register, written back only if the loop assigned it. Generated loops that bind
    /// it on some paths, in zero iterations, read it after binding, compare and measure it,
    /// give it a number on another path, or read it before any binding; at the top level and
    /// in a function. The general code's text and errors, bit for bit.
    func testStringsBoundFirstInALoop() {
        var ran = 0, ranInFunction = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 31_337)
            let n = g.below(6)
            func bind() -> String {
                switch g.below(6) {
                case 0: return "label = grade(k)"
                case 1: return "label = \"k=\\(k)\""
                case 2: return "label = \"fixed\""
                case 3: return "label = grade(k) + \"!\""
                case 4 where g.below(4) == 0: return "label = k"  // a number on this path: the general code's
                default: return "label = format(k * 0.5, \".2f\")"
                }
            }
            var text = "fn grade(s) { if s > 2 { return \"hi\" }; return \"lo\" }\ncount = 0\nchars = 0\n"
            var body = ""
            switch g.below(4) {
            case 0: body += "    \(bind())\n"
            case 1: body += "    if k % 2 == 0 { \(bind()) }\n"
            case 2: body += "    if k > 1 { \(bind()) } else { \(bind()) }\n"
            default: body += "    \(bind())\n    \(bind())\n"
            }
            if g.below(2) == 0 { body += "    if label == \"hi\" { count += 1 }\n" }
            if g.below(2) == 0 { body += "    chars += len(label)\n" }
            if g.below(8) == 0 { body = "    chars += len(label)\n" + body }  // read before it is bound
            if g.below(2) == 0 {
                text += "for k in 0..<\(n) {\n\(body)}\n"
            } else {
                text += "k = 0\nwhile k < \(n) {\n\(body)    k += 1\n}\n"
            }
            text += "print(count, chars)\nprint(label)\n"
            ran += sameInBothTiers(text, seed: seed).tier.numericMachine.loopsRun
            ranInFunction += sameInAFunction(text, seed: seed)
        }
        // The others read it where it may not be bound yet, or bind a number on a path: the
        // general code's by construction (about half).
        XCTAssertGreaterThan(ran, count / 3)
        XCTAssertGreaterThan(ranInFunction, count / 3)
    }

    /// Strings built by `+` in a loop (`s = s + "#"`, `line = line + k + "=" + str(v)`): the
    /// pieces appended to the variable's string in place; a join past the size rule gives up
    /// and the general code raises it at its `+`. Generated loops with a small element limit
    /// (some cross it, also after lines are printed), joins of texts, numbers' str and format,
    /// other strings, the variable twice (`s = s + s`), prepends, at the top level and in a
    /// function. The general code's text, errors and loop notes, bit for bit.
    func testStringsBuiltByJoins() {
        var ran = 0, ranInFunction = 0, errors = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 7_919)
            let limit = [40, 100, 1000, 100_000][g.below(4)]
            func piece() -> String {
                ["\"#\"", "\"é∑\"", "str(k)", "format(k * 0.25, \".2f\")", "sep", "\"\""][g.below(6)]
            }
            var body = ""
            for _ in 0..<(1 + g.below(3)) {
                switch g.below(6) {
                case 0, 1: body += "    s = s + \(piece())\n"
                case 2: body += "    s = s + \(piece()) + \(piece())\n"
                case 3: body += "    if k % 3 == 0 { s = s + s }\n"
                case 4: body += "    t = \(piece()) + s\n"  // a prepend: a new string
                default: body += "    n += len(s)\n"
                }
            }
            if g.below(4) == 0 { body += "    print(k)\n" }  // an effect: joins after it may not give up
            var text = "sep = \", \"\ns = \"\"\nt = \"\"\nn = 0\n"
            let steps = 1 + g.below(30)
            text += g.below(2) == 0 ? "for k in 0..<\(steps) {\n\(body)}\n" : "k = 0\nwhile k < \(steps) {\n\(body)    k += 1\n}\n"
            text += "print(len(s), len(t), n, s)\n"
            tally(text, seed: seed, maxElements: limit, &ran, &ranInFunction, &errors)
        }
        XCTAssertGreaterThan(ran, count / 2)
        XCTAssertGreaterThan(ranInFunction, count / 2)
        XCTAssertGreaterThan(errors, count / 10)
        XCTAssertLessThan(errors, count / 2)
    }

    /// `for ch in text` in a loop (NumericCompiler.stringLoop): text's code points, counted when
    /// the loop starts, each made a string in turn; and `ch = text[i]` by position (a bad one
    /// gives up to the general code, which says what is wrong). Generated texts (empty, combining marks,
    /// emoji, ASCII), bodies that compare, count, join, break, continue, print, index a tensor
    /// out of range (the error's note names ch's value), reassign the text (the general code's);
    /// ch read after the loop; at the top level and in a function. Bit for bit the general code's.
    func testLoopsOverAStringsCodePoints() {
        var ran = 0, ranInFunction = 0, errors = 0
        let count = 200
        let texts = ["\"\"", "\"abc\"", "\"héllo, wörld\"", "\"e\u{301}x\"", "\"😀∑é\"", "\"a,b,,c\"",
                     "\"the quick brown fox\""]
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 104_723)
            func char() -> String { ["\"a\"", "\"o\"", "\",\"", "\"é\"", "\"\u{301}\"", "\"😀\"", "\" \""][g.below(7)] }
            let form = g.below(3)
            var body = ""
            for _ in 0..<(1 + g.below(3)) {
                switch g.below(14) {
                case 0, 1: body += "    if ch == \(char()) or ch == \(char()) { n += 1 }\n"
                case 2: body += "    if ch != \(char()) { s = s + ch }\n"
                case 3: body += "    if ch == \(char()) { break }\n"
                case 4: body += "    if ch == \(char()) { continue }\n    m += len(ch)\n"
                case 5: body += "    if ch == \(char()) { x = v[n + \(g.below(4))] }\n"  // out of range on some: the error's note
                case 6 where g.below(3) == 0: body += "    print(ch, n)\n"
                case 7 where g.below(4) == 0 && form != 2:  // (a while loop over a growing text would not end)
                    body += "    text = text + \"!\"\n"  // the text reassigned: the general code's
                // Code points compared as numbers where ch holds one (NumericCompiler.codePointShadows):
                // by order, either side; against another code point (d); against ch reassigned in
                // a branch (then strings, and d after the loop's first iteration), or read before
                // its assignment in the loop (the last iteration's).
                case 8: body += "    if ch \(["<", "<=", ">", ">="][g.below(4)]) \(char()) { n += 1 }\n"
                case 9: body += "    if \(char()) \(["<", ">=", "==", "!="][g.below(4)]) ch { m += 1 }\n"
                case 10: body += "    d = text[\(g.below(4))]\n    if ch == d or d < ch { n += 1 }\n"
                case 11: body += "    if n > \(g.below(3)) { ch = \(["\"xy\"", char(), "d"][g.below(3)]) }\n    if ch == \(char()) { m += 1 }\n"
                case 12: body += "    for q in \(["text", "d"][g.below(2)]) { ch = \(["q", "\"zz\""][g.below(2)]) }\n    if ch \(["==", "<"][g.below(2)]) \(char()) { m += 1 }\n"
                default: body += "    n += 1\n"
                }
            }
            var text = "v = [1, 2, 3]\ntext = \(texts[g.below(texts.count)])\nn = 0\nm = 0\ns = \"\"\nd = \"o\"\nch = \"a\"\n"
            // By position (`text[i]`), some positions out of range, negative, not whole.
            let at = ["i", "i", "i", "-1 - i", "i + 1", "i * 0.5", "nan", "-0"][g.below(8)]
            switch form {
            case 0:
                text += "for ch in text {\n\(body)}\n"
            case 1:
                let read = g.below(4) == 0 ? "    if ch == \(char()) { n += 1 }\n" : ""
                text += "for i in 0..<len(text) {\n\(read)    ch = text[\(at)]\n\(body)}\n"
            default:
                // A while loop whose condition reads ch, assigned in its body.
                // In a loop where ch holds a code point before it (whose shadow does not hold in it).
                text += "for r in 0..<2 {\n    ch = text[\(g.below(2))]\n    i = 0\n"
                text += "    while i < len(text) and ch != \(char()) {\n    ch = text[\(at)]\n    i += 1\n\(body)}\n}\n"
            }
            text += "print(n, m, s, len(text))\nprint(ch)\n"
            tally(text, seed: seed, &ran, &ranInFunction, &errors)
        }
        XCTAssertGreaterThan(ran, count / 2)
        XCTAssertGreaterThan(ranInFunction, count / 2)
        XCTAssertGreaterThan(errors, count / 10)
    }

    /// `print` in a top-level loop (a training log, a line every k steps): generated loops that
    /// print numbers, strings, formatted numbers and several values a line, beside element
    /// writes whose bad indices fail after some lines are out, and loops that call a function
    /// (which could give up after a line: the general code's). The same lines, errors and
    /// globals after, bit for bit, and most loops run in the tier.
    func testLoopsThatPrint() {
        var ran = 0, errors = 0, ranInFunction = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 7_777)
            let n = 2 + g.below(6)
            func line() -> String {
                switch g.below(7) {
                case 0: return "print(i)"
                case 1: return "print(\"i=\\(i) s=\\(format(s, \"\([".3f", "e", "+.1%", "8.2f", ",.1f"][g.below(5)])\"))\")"
                case 2: return "print(s, v[i % \(n)], \"é∑\")"
                case 3: return "print()"
                case 4: return "print(str(s / 3), format(i, \">4\"))"
                case 5: return "print(\"\\(x)\", x * \(["nan", "1e308", "-0.0", "5e-324"][g.below(4)]))"
                default: return "if i % \(1 + g.below(3)) == 0 { print(\"step \\(i): \\(format(x, \".4f\"))\") }"
                }
            }
            var text = "fn h(p) { if p > 1e300 { return p }; return p * 0.5 + 1 }\n"
            text += "v = [" + (0..<n).map { _ in g.constant() }.joined(separator: ", ") + "]\ns = 0\nx = \(g.constant())\n"
            var body = ""
            for _ in 0..<(2 + g.below(4)) {
                switch g.below(6) {
                case 0, 1: body += "    \(line())\n"
                case 2: body += "    s += v[\(g.below(8) == 0 ? "i + 2" : "i")] * \(g.constant())\n"
                case 3: body += "    v[\(g.below(8) == 0 ? "\(n) - i - 2" : "i")] \(["=", "+=", "*="][g.below(3)]) s\n"
                case 4: body += g.below(4) == 0 ? "    x = h(x)\n" : "    x = x * \(g.constant()) + s\n"
                default: body += "    if s > \(g.constant()) { \(line()) } else { s -= 1 }\n"
                }
            }
            if g.below(2) == 0 {
                text += "for i in 0..<\(n) {\n\(body)}\n"
            } else {
                text += "i = 0\nwhile i < \(n) {\n\(body)    i += 1\n}\n"
            }
            text += "print(v, repr(s), repr(x))\n"
            tally(text, seed: seed, after: "print(v, repr(s), repr(x))\n", &ran, &ranInFunction, &errors)
        }
        XCTAssertGreaterThan(ran, count / 2)
        print("print in function", ranInFunction)
        XCTAssertGreaterThan(errors, count / 20)
    }

    /// Ctrl-C while a loop prints: raised at the same point (print checks for it before it
    /// writes, as does each iteration), so the same lines are out, and the globals hold what
    /// the iterations so far assigned, tier on and off.
    func testInterruptWhileALoopPrints() {
        let text = """
            v = [1, 2, 3, 4]
            s = 0
            x = 0.5
            log = ""
            for i in 0..<100000 {
                s += v[i % 4]
                print("step \\(i): \\(format(s, ".2f"))")
                x = x * 0.9 + s
                v[i % 4] = x
                log = "\\(i)"
                if i % 3 == 0 { print(i, x) }
            }
            """
        guard case .complete(let program) = Parser.parse(SourceFile(name: "t.opt", text: text)) else { return XCTFail() }
        for k in [1, 2, 3, 5, 17, 40] {
            var outcomes: [String] = []
            for tier in [false, true] {
                let (out, I) = interrupted(program, afterLine: k, tier: tier)
                let state = Run("print(v, repr(s), repr(x), log)", interpreter: I).output
                outcomes.append(out + state)
                if tier { XCTAssertEqual(I.numericMachine.loopsRun, 1) }
            }
            XCTAssertEqual(outcomes[1], outcomes[0], "interrupted after line \(k)")
            XCTAssertTrue(outcomes[0].contains("error: interrupted"), outcomes[0])
        }
    }

    /// Tuples of numbers held in registers by a top-level loop (`p = (x: p.x - lr * gx, y: ...)`,
    /// `p.x`, `p.x += g`): generated loops over labelled tuples, assignments that swap or
    /// reorder elements or write one by its label, tuples assigned with other labels or
    /// lengths, holding a tensor or a string, labels the tuple lacks. The general code's text and errors, the tuple the same after.
    func testTupleLoopsAreTheGeneralCodes() {
        var ran = 0, ranInFunction = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 92_821)
            let names = Array(["x", "y", "z", "w"].prefix(2 + g.below(3)))
            func number(_ depth: Int) -> String {
                if depth == 0 || g.below(3) == 0 {
                    return [g.constant(), "p.\(names[g.below(names.count)])", "lr", "k"][g.below(4)]
                }
                let a = number(depth - 1), b = number(depth - 1)
                return ["(\(a) + \(b))", "(\(a) - \(b))", "(\(a) * \(b))", "sin(\(a))"][g.below(4)]
            }
            func literal(_ labels: [String]) -> String {
                "(" + labels.map { "\($0): \(number(2))" }.joined(separator: ", ") + ")"
            }
            var text = "lr = \(g.constant())\np = (" + names.map { "\($0): \(g.constant())" }.joined(separator: ", ") + ")\n"
            switch g.below(8) {
            case 0: text += "p = (\(names.map { "\($0): [1, 2]" }.joined(separator: ", ")))\n"  // not numbers
            case 1: text += "p = (1, 2)\n"  // no labels: p.x is an error
            default: break
            }
            let steps = 1 + g.below(20)
            text += "for k in 0..<\(steps) {\n"
            text += "    g = \(number(2))\n"
            switch g.below(6) {
            case 0: text += "    p = (\(names.reversed().map { "\($0): p.\($0)" }.joined(separator: ", ")))\n"  // other order
            case 1: text += "    p = (\(names.map { "\($0): p.\(names[(names.firstIndex(of: $0)! + 1) % names.count])" }.joined(separator: ", ")))\n"
            case 2: text += "    p = \(literal(Array(names.dropLast())))\n"  // shorter
            case 3: text += "    if g > 0 { p = \(literal(names)) }\n    s = p.\(names[0]) + p.q\n"  // no label q
            default: text += "    p = \(literal(names))\n"
            }
            // Items written by their labels (`p.x += g`): the tuple's registers, or the
            // general code for a value that is not a number or a label the tuple lacks.
            let name = names[g.below(names.count)]
            switch g.below(7) {
            case 0: text += "    p.\(name) += \(number(1))\n"
            case 1: text += "    p.\(name) = \(number(2))\n"
            case 2: text += "    if g > 0 { p.\(names.last!) *= 0.5 } else { p.\(name) -= g }\n    p.\(name) /= 2\n"
            case 3: text += ["    p.q = 1\n", "    p.x = \"s\"\n", "    p.y = g > 0\n", "    p.x -= [1, 2]\n", "    p.x = p.x ^ k\n"][g.below(5)]
            default: break
            }
            text += "}\nprint(p, repr(g))\n"
            ran += sameInBothTiers(text, seed: seed, after: "print(p)\n").tier.numericMachine.loopsRun
            ranInFunction += sameInAFunction(text, seed: seed, globals: ["lr"])
        }
        print("tuples", ran, "in function", ranInFunction)
        // Those with the tuple's own labels in its order (about 3 in 8 by construction), less
        // the 1 in 7 that write a label the tuple lacks or an item that is not a number.
        XCTAssertGreaterThan(ran, count / 5)
    }

    /// Numbers read through tuples of tuples (`cfg.opt.lr`, `cfg.model.init.scale`): loaded at
    /// each run as a flat tuple's `h.lr` is. Generated loops at the top level and in a function
    /// (where the config is the function's local), a function that reads the global config
    /// called before and after it is rebound, configs rebound between runs to other shapes
    /// (a label missing at either depth, a string, a tensor or an optimizer in its place, an
    /// item that is a tuple without labels, other labels beside them, another order): the general code's
    /// text and errors, bit for bit.
    func testNestedTupleFieldsAreTheGeneralCodes() {
        var ran = 0
        let count = 200
        let shapes = ["(opt: (lr: 0.1, beta: 0.9), model: (init: (scale: 2, shift: -0.0)), n: 3)",
                      "(model: (init: (shift: 1, scale: 0.5)), n: 2, opt: (beta: 0.5, lr: nan))",
                      "(opt: (beta: 0.9, lr: 0.2), model: (extra: 1, init: (shift: 1, scale: 2)), n: 3)",
                      "(opt: (lr: \"fast\", beta: 0.9), model: (init: (scale: 2, shift: 1)), n: 3)",
                      "(opt: (lr: 0.1,), model: (init: (scale: 2, shift: 1)), n: 1)",
                      "(opt: sgd(lr: 0.1), model: (init: (scale: 2, shift: 1)), n: 3)",
                      "(opt: (0.1, 0.9), model: (init: (scale: [1, 2], shift: 1)), n: 3)",
                      "(opt: (lr: 1e308, beta: -inf), model: (init: 5), n: 4)"]
        let reads = ["cfg.opt.lr", "cfg.opt.beta", "cfg.model.init.scale", "cfg.model.init.shift", "cfg.n", "w", "k"]
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 7_919)
            func number(_ depth: Int) -> String {
                if depth == 0 || g.below(3) == 0 { return g.below(4) == 0 ? g.constant() : reads[g.below(reads.count)] }
                let a = number(depth - 1), b = number(depth - 1)
                return ["(\(a) + \(b))", "(\(a) - \(b))", "(\(a) * \(b))", "sin(\(a))"][g.below(4)]
            }
            var text = "cfg = \(shapes[g.below(4) == 0 ? g.below(shapes.count) : 0])\nw = \(g.constant())\n"
            // A function that reads the global config, called again after it is rebound: its
            // code reads the fields anew at each call.
            text += "fn run(w, n) {\n    for k in 0..<n {\n        w = \(number(3))\n    }\n    return w\n}\n"
            for _ in 0..<(1 + g.below(3)) {
                if g.below(3) == 0 { text += "cfg = \(shapes[g.below(shapes.count)])\n" }
                if g.below(2) == 0 {
                    text += "w = run(w, \(1 + g.below(4)))\n"
                } else {
                    text += "for k in 0..<\(1 + g.below(6)) {\n    w = \(number(3))\n    if w > 1e6 { w = cfg.n }\n}\n"
                }
                text += "print(repr(w))\n"
            }
            ran += sameInBothTiers(text, seed: seed, after: "print(w)\n").tier.numericMachine.loopsRun
            sameInAFunction(text, seed: seed)
        }
        XCTAssertGreaterThan(ran, count / 2)
    }
}

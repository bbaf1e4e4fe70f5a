import XCTest
@testable import Runtime

/// The fast paths of `x = opt.step(x, grad(f, x))` against the general paths they shortcut, on
/// the same generated inputs, to the bit: a number stepped alone (`scalarKernel`) and as the one
/// leaf of a tuple (the tree step), a tensor stepped in place and as a tuple's leaf, both with
/// the kernel kept from step to step and made again (a schedule as lr, a field set between
/// steps); and argument binding's positional fast path against the general binding for every
/// built-in and optimizer method.
final class StepFastPathTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    /// Every optimizer that steps numbers, in the forms whose kernels differ.
    static let optimizers = [
        "sgd(lr: 0.1)", "momentum(lr: 0.05, beta: 0.8)", "momentum(lr: 0.05, bias_correction: true)",
        "rmsprop(lr: 0.01)", "rmsprop(lr: 0.01, momentum: 0.5, weight_decay: 0.1, bias_correction: false)",
        "adam(lr: 0.01)", "adam(lr: 0.01, eps_in_sqrt: true)", "adam(lr: 0.01, bias_correction: false)",
        "lion(lr: 0.01)",
        "torch.sgd(lr: 0.1)", "torch.sgd(lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01)",
        "torch.rmsprop(lr: 0.01, momentum: 0.3, centered: true)", "torch.adam(lr: 0.01, amsgrad: true)",
        "torch.adamw(lr: 0.01)", "torch.adagrad(lr: 0.1)", "torch.adadelta(lr: 1)", "torch.adamax(lr: 0.01)",
        "torch.nadam(lr: 0.01)", "torch.radam(lr: 0.01)", "torch.rprop(lr: 0.01)", "torch.asgd(lr: 0.01)",
        "torch.adafactor(lr: 0.01)", "adam(lr: schedule(\"step\", 0.05, 3, gamma: 0.5))",
        "torch.sgd(lr: schedule(\"exponential\", 0.1, gamma: 0.9), momentum: 0.5)",
    ]

    /// Gradients a run meets, and the edge cases (signed zeros, large and tiny magnitudes).
    private func gradients(_ g: inout Generator, _ n: Int) -> [String] {
        (0..<n).map { _ in
            switch g.below(8) {
            case 0: return ["0", "-0.0", "1e300", "-1e-300", "1", "-1"][g.below(6)]
            default: return NumberFormat.repr(g.uniform(-50, 50))
            }
        }
    }

    private func run(_ program: String) -> [String] {
        let run = Run(program)
        var lines = run.output.split(separator: "\n").map(String.init)
        if let e = run.error { lines.append("error: \(e.message)") }
        return lines
    }

    /// Each line prints the fast path's numbers, then the general path's: the two halves agree.
    private func assertHalvesAgree(_ lines: [String], _ program: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(lines.isEmpty, program, file: file, line: line)
        for l in lines {
            XCTAssertFalse(l.hasPrefix("error"), "\(l)\n\(program)", file: file, line: line)
            let halves = l.components(separatedBy: " | ")
            XCTAssertEqual(halves.count, 2, "\(l)\n\(program)", file: file, line: line)
            if halves.count == 2 { XCTAssertEqual(halves[0], halves[1], "\(program)", file: file, line: line) }
        }
    }

    func testNumberStepIsTheTreeStep() {
        var g = Generator(state: 11)
        for ctor in Self.optimizers {
            for _ in 0..<3 {
                let grads = gradients(&g, 12)
                let x0 = NumberFormat.repr(g.uniform(-5, 5))
                let program = """
                a = \(ctor)
                b = \(ctor)
                G = [\(grads.joined(separator: ", "))]
                x = \(x0)
                p = (w: \(x0))
                for k in 0..<len(G) {
                    if k == 9 { a.lr = 0.02; b.lr = 0.02 }
                    x = a.step(x, G[k])
                    p = b.step(p, (w: G[k]))
                    print(repr(x), "|", repr(p.w))
                }
                print(repr(a.state), "|", repr(b.state.w))
                print(a.t, "|", b.t)
                """
                assertHalvesAgree(run(program), program)
            }
        }
    }

    func testInPlaceTensorStepIsTheTreeStep() {
        var g = Generator(state: 12)
        for ctor in Self.optimizers {
            for n in [1, 2, 5, 17] {
                let rows = (0..<10).map { _ in "[" + gradients(&g, n).joined(separator: ", ") + "]" }
                let w0 = "[" + (0..<n).map { _ in NumberFormat.repr(g.uniform(-5, 5)) }.joined(separator: ", ") + "]"
                let program = """
                a = \(ctor)
                b = \(ctor)
                G = [\(rows.joined(separator: ", "))]
                w = \(w0)
                p = (w: \(w0))
                for k in 0..<len(G) {
                    if k == 6 { a.lr = 0.03; b.lr = 0.03 }
                    w = a.step(w, G[k])
                    p = b.step(p, (w: G[k]))
                    print(repr(w), "|", repr(p.w))
                }
                print(repr(a.state), "|", repr(b.state.w))
                """
                assertHalvesAgree(run(program), program)
            }
        }
    }

    /// Two optimizers stepping in turn keep their own kernels; a number then a tensor on
    /// fresh optimizers give the errors of the general path.
    func testKernelsAreKeptPerOptimizerAndErrorsStay() {
        let lines = run("""
        a = adam(lr: 0.1)
        b = adam(lr: 0.2)
        x = 1
        y = 1
        for k in 0..<5 { x = a.step(x, 0.5); y = b.step(y, 0.5) }
        c = adam(lr: 0.1)
        z = 1
        for k in 0..<5 { z = c.step(z, 0.5) }
        print(repr(x), "|", repr(z))
        """)
        assertHalvesAgree(lines, "two optimizers")
        let mismatch = run("""
        a = momentum()
        x = a.step(1, 2)
        x = a.step([1], [2])
        """)
        XCTAssertEqual(mismatch.last?.hasPrefix("error: momentum.step: the parameters differ"), true, "\(mismatch)")
        let kinds = run("""
        a = momentum()
        x = a.step(1, 2)
        x = a.step(x, "g")
        """)
        XCTAssertEqual(kinds.last?.hasPrefix("error: momentum.step: params and grads differ"), true, "\(kinds)")
        let closure = run("""
        a = torch.lbfgs()
        x = a.step(1, 2)
        """)
        XCTAssertEqual(closure.last?.contains("needs the objective"), true, "\(closure)")
    }

    /// The tape-free gradient's operand layout (constants, globals read at each call, an
    /// output that is a constant, a global or untraced) against the tape, to the bit.
    func testTapeFreeOperandsAreTheTapes() {
        let program = """
        lam = 0.37
        mu = -2.5
        fn c(x) = 4
        fn gl(x) = lam
        fn untraced(w) = lam * mu + 1
        fn mixed(w) = lam * w[0] ^ 2 + mu * sin(w[1]) - (lam - mu) * w[0] * w[1] + exp(lam) / w[1]
        fn s(x) = lam * x ^ 2 + mu * sin(x) - x * lam + 3 * x * x - -x
        for f in (c, gl, s) {
            for x in (0.5, -1.25, 0, -0.0, 3e10) {
                vg = value_and_grad(f, x)
                print(repr(vg.value), repr(vg.grad))
            }
        }
        for w in ([0.5, -1.5], [2, 3e-5], [-0.0, 1]) {
            print(repr(value_and_grad(untraced, w)), repr(value_and_grad(mixed, w)))
            lam = lam * 1.5
            mu = mu - 0.25
        }
        """
        let (fast, _) = outputWithTier(program, tier: true)
        let (taped, _) = outputWithTier(program, tier: false)
        XCTAssertFalse(fast.contains("error"), fast)
        XCTAssertEqual(fast, taped)
    }

    // MARK: argument binding

    private func value(_ g: inout Generator) -> Value {
        switch g.below(6) {
        case 0: return .number(g.uniform(-3, 3))
        case 1: return .string(["float64", "half", "x", "a long string that is not small at all"][g.below(4)])
        case 2: return .bool(g.below(2) == 0)
        case 3: return .tensor(Tensor(vector: [g.uniform(-1, 1), g.uniform(-1, 1)]))
        case 4: return .tuple(TupleValue([.number(1), .null]))
        default: return .null
        }
    }

    /// What a binding gives the implementation, read every way it can be read.
    private func summary(_ a: Arguments) -> String {
        var parts = ["bound: " + a.bound.map { $0.map(Interpreter.repr) ?? "unbound" }.joined(separator: ", ")]
        parts.append("items: " + a.parameters.indices.map { Interpreter.repr(a[$0]) + " " + a.position($0) }.joined(separator: ", "))
        parts.append("rest: " + a.rest.map(Interpreter.repr).joined(separator: ", "))
        parts.append("extra: \(a.extraLabelled.count), positional: \(a.positional.count)")
        return parts.joined(separator: "; ")
    }

    func testDirectBindingIsTheGeneralBinding() {
        var g = Generator(state: 13)
        let methods = [Optimizer.stepMethod, Optimizer.resetMethod, Optimizer.torchMethod]
        var directCount = 0
        for b in Builtins.table + methods {
            for count in 0...(b.parameters.count + 1) {
                let values = (0..<count).map { _ in value(&g) }
                var direct = Arguments(function: b.name, positional: values)
                var general = Arguments(function: b.name, positional: values)
                var directError: String?, generalError: String?
                do { try direct.bind(b.parameters, keepsViews: b.keepsViews) } catch { directError = error.message }
                do { try general.bind(b.parameters, keepsViews: b.keepsViews, direct: false) } catch { generalError = error.message }
                XCTAssertEqual(directError, generalError, "\(b.name) with \(count)")
                guard directError == nil, generalError == nil else { continue }
                if Arguments.bindsDirectly(count, b.parameters) { directCount += 1 }
                XCTAssertEqual(summary(direct), summary(general), "\(b.name) with \(count)")
                // Taking a value out leaves nil in its place on both paths.
                for i in 0..<min(count, b.parameters.count) where b.parameters[i].kind == .normal {
                    var d = direct, q = general
                    XCTAssertEqual(d.take(i).map(Interpreter.repr), q.take(i).map(Interpreter.repr), "\(b.name) take \(i)")
                    XCTAssertNil(d.bound[i], "\(b.name) take \(i)")
                    XCTAssertEqual(Interpreter.repr(d[i]), Interpreter.repr(q[i]), "\(b.name) take \(i)")
                    XCTAssertEqual(d.bound.map { $0.map(Interpreter.repr) }, q.bound.map { $0.map(Interpreter.repr) })
                    break
                }
                // Writing a bound value (the tape's path does) works the same on both.
                if !b.parameters.isEmpty {
                    var d = direct, q = general
                    d.bound[0] = .number(42)
                    q.bound[0] = .number(42)
                    XCTAssertEqual(summary(d), summary(q), "\(b.name) with \(count), bound[0] written")
                }
            }
        }
        XCTAssertGreaterThan(directCount, 100, "the fast path ran")
    }
}

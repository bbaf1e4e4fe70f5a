import XCTest
import Lexer
import Parser
@testable import Runtime

/// Objects called once per step inside a function and at the top level: `w = opt.step(w, g)`
/// (the member site's bound method rebound instead of made per call, the receiver and two
/// arguments through the method's direct entry), `a.update(x)`, `s(t)`. Generated programs run
/// with the shortcuts and without them (`Interpreter.usesFastPaths`), numeric tier on and off,
/// `:trace` on and off, and must print the same text and end with the same diagnostic (message,
/// place, notes, loop values, call chain), bit for bit. Their inputs: every optimizer kind,
/// numbers, tensors and trees, wrong kinds and counts, labels, nan/inf/-0/1e308, an error
/// mid-loop, the object rebound to another kind mid-loop, recursion through the same site, a
/// tape running. The cosine schedule's cached cosines are checked against the recursion written
/// out in the language.
final class MethodCallTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    static let kinds = ["sgd", "momentum", "rmsprop", "adam", "lion", "torch.sgd", "torch.rmsprop", "torch.adam", "torch.adamw",
                        "torch.adagrad", "torch.adadelta", "torch.adamax", "torch.nadam", "torch.radam", "torch.rprop",
                        "torch.asgd", "torch.adafactor", "torch.lbfgs", "torch.muon"]
    static let worst = ["0", "-0.0", "1", "-2.5", "nan", "inf", "-inf", "1e308", "-1e308", "5e-324", "3"]

    private func optimizer(_ g: inout Generator) -> String {
        let lr = g.below(6) == 0
            ? pick(&g, ["nan", "-1", "1e308", "schedule(\"step\", 0.1, 2)", "schedule(\"cosine\", 0.1, 3)", "\"x\""])
            : pick(&g, ["0.01", "0.1", "1"])
        return "\(pick(&g, Self.kinds))(lr: \(lr))"
    }

    /// The call once per step: plain mostly, else labels, wrong counts, a missing member, a
    /// field, the bound method held in a variable, the object in a tuple.
    private func stepCall(_ g: inout Generator, grads: String) -> String {
        switch g.below(16) {
        case 0: return "opt.step(w, grads: \(grads))"
        case 1: return "opt.step(params: w, grads: \(grads))"
        case 2: return pick(&g, ["opt.step(w)", "opt.step()", "opt.step(w, \(grads), 1)", "opt.stepp(w, \(grads))",
                                      "opt.t(w, \(grads))", "opt.lr(w, \(grads))", "opt.step(w, \(grads), w: 1)"])
        case 3: return "held(w, \(grads))"
        case 4: return "(opt,)[0].step(w, \(grads))"
        case 5: return "id(opt).step(id(w), \(grads))"
        default: return "opt.step(w, \(grads))"
        }
    }

    private func grads(_ g: inout Generator) -> String {
        g.below(5) == 0
            ? pick(&g, ["[1, 2]", "\"x\"", "nil", "gs[k % 3]", "(a: 1,)", "undefined_g"] + Self.worst)
            : pick(&g, ["2 * (w - 1)", "w", "w * 0.5 - 1", "map(fn(x) = x - 1, w)"])
    }

    private func start(_ g: inout Generator) -> String {
        g.below(4) == 0
            ? pick(&g, ["[1.5, -2]", "(a: 1, b: [1, 2])", "\"s\"", "nil", "reshape(range(4), 2, 2)", "transpose(reshape(range(4), 2, 2))"])
            : pick(&g, Self.worst + ["5", "0.25"])
    }

    /// Mid-loop: nothing, the object rebound to another kind, or an error.
    private func rebind(_ g: inout Generator) -> String {
        guard g.below(3) == 0 else { return "" }
        let other = pick(&g, [optimizer(&g), "ewa(beta: 0.5)", "schedule(\"plateau\", 0.1)", "schedule(\"cosine\", 0.1, 10)",
                                   "3", "(step: fn(a, b) = a - b,)", "(step: 1,)", "grad_scaler()"])
        return "if k == \(g.below(4)) { opt = \(other) }\n"
    }

    private func program(_ g: inout Generator) -> String {
        var text = """
            fn id(x) = x
            gs = (1, 2, "x")

            """
        let n = g.below(6)
        let ctor = optimizer(&g)
        let w0 = start(&g)
        let body = rebind(&g) + "w = \(stepCall(&g, grads: grads(&g)))\n"
        switch g.below(5) {
        case 0:
            // At the top level (a compiled loop may step the optimizer itself).
            text += "opt = \(ctor)\nheld = opt.step\nw = \(w0)\nfor k in 0..<\(n) {\n\(body)}\nprint(repr(w), opt)\n"
        case 1:
            // Recursion through the same site: its bound method is still held by the outer call.
            text += """
                fn rec(opt, w, d) {
                    if d == 0 { return w }
                    return opt.step(w, rec(opt, w, d - 1))
                }
                o = \(ctor)
                print(repr(rec(o, \(w0), \(n))), o)

                """
        case 2:
            // Under a tape: the step's arguments traced.
            text += """
                o = \(ctor)
                fn f(w) {
                    v = o.step(w, 2 * w)
                    return v * v
                }
                print(repr(grad(f, \(w0))), o)

                """
        default:
            text += """
                fn fit(n, w0) {
                    opt = \(ctor)
                    held = opt.step
                    w = w0
                    for k in 0..<n {
                \(body)    }
                    print(opt)
                    return w
                }
                print(repr(fit(\(n), \(w0))))
                print(repr(fit(\(n + 1), \(start(&g)))))

                """
        }
        return text
    }

    func testOptimizerStepsInFunctionsAreTheBoundCalls() {
        checkShortcuts(500, seed: 71, trace: { $0 % 5 == 0 }) { g in program(&g) }
    }

    /// A bound method still held when its site is read again keeps its receiver: the site
    /// binds a new one then (held in a variable, a tuple, an outer call's register).
    func testHeldBoundMethodsKeepTheirReceivers() {
        let text = """
            fn getter(o) = o.step
            a = sgd(lr: 0.1)
            b = adam(lr: 0.1)
            fa = getter(a)
            fb = getter(b)
            print(repr(fa(1, 1)), repr(fb(1, 1)), a, b)
            fs = (getter(a), getter(b), getter(momentum(lr: 0.1)), getter(a))
            print(fs, repr(fs[0](2, 1)), repr(fs[1](2, 1)), a, b)
            fn rec(o, others, w, d) {
                if d == 0 { return w }
                return o.step(w, rec(others[d % 2], others, w, d - 1))
            }
            print(repr(rec(a, (a, b), 2, 3)), a, b)

            """
        let expected = shortcutOutcome(text, fast: false, tier: false, trace: false)
        XCTAssertFalse(expected.contains("error"), expected)
        XCTAssertEqual(assertSameWithShortcuts(text, trace: false), expected)
        XCTAssertEqual(assertSameWithShortcuts(text, trace: true), shortcutOutcome(text, fast: false, tier: false, trace: true))
    }

    private func averagerProgram(_ g: inout Generator) -> String {
        let x = g.below(4) == 0
            ? pick(&g, ["xs[i % 3]", "[1, 2]", "\"x\"", "nil"] + Self.worst)
            : pick(&g, ["sin(i * 0.01)", "i", "i * 0.5 - 1"])
        let beta = g.below(5) == 0 ? pick(&g, ["0", "0.999999", "1", "nan"]) : "0.9"
        let rebound = g.below(4) == 0
            ? "if i == \(g.below(4)) { a = \(pick(&g, ["ewa(beta: 0.5)", "sgd(lr: 0.1)", "(update: fn(x) = (corrected: x),)", "2"])) }\n"
            : ""
        let call = g.below(6) == 0
            ? pick(&g, ["a.update(x: \(x))", "a.update()", "a.update(\(x), 1)", "a.updat(\(x))", "a.t(\(x))"])
            : "a.update(\(x))"
        let read = pick(&g, ["r.corrected", "r.v", "r.t", "r[2]", "a.corrected"])
        let loop = "for i in 0..<\(g.below(6)) {\n\(rebound)r = \(call)\ns += \(read)\n}\n"
        let top = g.below(3) == 0
        return """
            xs = (1, [1, 2], nan)
            \(top ? "a = ewa(beta: \(beta))\ns = 0\n\(loop)print(repr(s), a)" : """
            fn smooth(n) {
                a = ewa(beta: \(beta))
                s = 0
                \(loop)
                print(a)
                return s
            }
            print(repr(smooth(0)), repr(smooth(1)))
            """)

            """
    }

    func testAveragersInFunctionsAreTheBoundCalls() {
        checkShortcuts(300, seed: 72, trace: { $0 % 5 == 0 }) { g in averagerProgram(&g) }
    }

    private func scheduleProgram(_ g: inout Generator) -> String {
        let made = pick(&g, ["schedule(\"cosine\", 0.1, \(pick(&g, ["1", "3", "10", "1000"])))",
                                  "schedule(\"cosine\", 0.1, 4, eta_min: 0.01)", "schedule(\"step\", 0.1, 3, gamma: 0.5)",
                                  "schedule(\"exponential\", 0.1, 0.9)", "schedule(\"lambda\", 0.1, fn(e) = 1 / (e - 2))",
                                  "schedule(\"linear\", 0.1, start_factor: 0.5, total_iters: 4)",
                                  "schedule(\"cosine_restarts\", 0.1, 3)", "schedule(\"plateau\", 0.1)", "ewa(beta: 0.5)"])
        let e = g.below(5) == 0
            ? pick(&g, ["-1", "0.5", "nan", "\"x\"", "1e308", "t - 2"])
            : pick(&g, ["t % 7", "t", "n - t", "(t * 7) % 13", "0"])
        let call = g.below(8) == 0 ? pick(&g, ["s(epoch: \(e))", "s()", "s(\(e), 1)"]) : "s(\(e))"
        return """
            fn run(n) {
                s = \(made)
                w = 5
                for t in 0..<n {
                    w = w - \(call) * 2 * (w - 1)
                }
                return w
            }
            print(repr(run(\(g.below(20)))), repr(run(\(g.below(20)))))

            """
    }

    func testSchedulesInFunctionsAreTheBoundCalls() {
        checkShortcuts(300, seed: 73, trace: { $0 % 5 == 0 }) { g in scheduleProgram(&g) }
    }

    /// The cosine schedule's rates, asked in any order (the cached cosine hit and missed), are
    /// PyTorch's recursion written out here, bit for bit.
    func testCosineScheduleIsItsRecursion() {
        var g = Generator(state: 74)
        for _ in 0..<30 {
            let tMax = pick(&g, ["1", "2", "3", "7", "10", "1000"])
            let etaMin = pick(&g, ["0", "0.01", "-0.0"])
            let order = (0..<40).map { _ in String(g.below(60)) }.joined(separator: ", ")
            let text = """
                s = schedule("cosine", 0.1, \(tMax), eta_min: \(etaMin))
                fn reference(e) {
                    lr = 0.1
                    for k in 1..<(e + 1) {
                        if (k - 1 - \(tMax)) % (2 * \(tMax)) == 0 {
                            lr = lr + (0.1 - \(etaMin)) * (1 - cos(pi / \(tMax))) / 2
                        } else {
                            lr = (1 + cos(pi * k / \(tMax))) / (1 + cos(pi * (k - 1) / \(tMax))) * (lr - \(etaMin)) + \(etaMin)
                        }
                    }
                    return lr
                }
                for e in [\(order)] {
                    if repr(s(e)) != repr(reference(e)) { print("differs at", e, repr(s(e)), repr(reference(e))) }
                }
                print("done")

                """
            for tier in [true, false] {
                let out = shortcutOutcome(text, fast: true, tier: tier, trace: false)
                XCTAssertTrue(out.hasPrefix("done\n"), "\(out)\n\(text)")
            }
        }
    }
}

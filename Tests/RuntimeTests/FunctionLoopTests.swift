import XCTest
@testable import Runtime

/// Loops of functions the numeric tier does not take as a whole (NumericLoop.frameSlot): the
/// tier runs such a loop on the function's frame, as it runs a top-level loop on the globals.
/// The generated programs of TopLevelLoopTests run this way too (sameInAFunction); these are
/// the cases that only a function has: locals that hold another function, optimizer or kind
/// at each call, parameters, recursion, a loop the tier must leave, errors with their call
/// chain. Tier on and off give the same text, bit for bit, and the tier runs the loops.
final class FunctionLoopTests: XCTestCase {
    private func same(_ text: String, loops: Int? = nil, file: StaticString = #filePath, line: UInt = #line) -> String {
        let (general, _) = outputWithTier(text, tier: false)
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, general, text, file: file, line: line)
        if let loops { XCTAssertEqual(I.numericMachine.loopsRun, loops, "loops the tier ran", file: file, line: line) }
        return numeric
    }

    /// The function returns a tuple holding a tensor and a string, which the tier does not
    /// return: its loop runs there all the same, and what it leaves in the frame is read after.
    func testALoopOfAFunctionTheTierRefuses() {
        let out = same("""
            fn train(cfg) {
                w = cfg.w0
                v = 0
                for t in 0..<1000 {
                    g = 2 * (w - cfg.goal)
                    v = 0.9 * v + g
                    w = w - cfg.lr * v
                }
                return (w: w, v: v, t: t, name: cfg.name, data: [w, v])
            }
            r = train((w0: 5.0, goal: 1.0, lr: 0.01, name: "run"))
            print(repr(r.w), repr(r.v), r.t, r.name, r.data)
            print(train((w0: -2, goal: 3, lr: 0.001, name: "again")).w)
            """, loops: 2)
        XCTAssertTrue(out.hasPrefix("1 -7.704100653196766e-29 999 run"), out)
    }

    /// A loop calls a function, or differentiates one, held by a parameter: another at each
    /// call (a closure with captures, a built-in, a function of another shape, not a function),
    /// which the tier checks at each run, as it checks an optimizer made in the function.
    func testFunctionsAndOptimizersHeldByLocalsChangeBetweenCalls() {
        _ = same("""
            fn sq(x) = x * x
            fn cube(x) = x * x * x
            fn scaled(c) = fn(x) = c * x
            fn apply(f, x, n) {
                s = 0
                for k in 0..<n { s += f(x + k) }
                return (s: s, f: f)
            }
            print(apply(sq, 1, 10).s, apply(cube, 1, 10).s, apply(sq, 2, 10).s)
            print(apply(scaled(3), 1, 10).s, apply(scaled(-1), 1, 10).s, apply(sin, 1, 10).s)
            print(apply(fn(a, b) = a, 1, 3).s)
            """, loops: 3)
        _ = same("""
            fn bowl(x) = (x - 1) ^ 2
            fn quartic(x) = x ^ 4 + x
            fn train(f, x0, n, fast) {
                opt = sgd(lr: 0.01)
                if fast { opt = adam(lr: 0.1) }
                x = x0
                for k in 0..<n { x = opt.step(x, grad(f, x)) }
                return (x: x, opt: opt)
            }
            for f in (bowl, quartic, bowl) {
                r = train(f, 3.0, 50, true)
                print(repr(r.x), r.opt.t, r.opt.state)
                print(repr(train(f, 3.0, 50, false).x))
            }
            print(train(bowl, [1, 2], 3, true).x)
            """, loops: 4)
        _ = same("""
            fn run(f, n) {
                s = 0
                for k in 0..<n { s += f(k) }
                return (s: s, f: f)
            }
            print(run(fn(k) = k * 2, 5).s)
            print(run("not a function", 5).s)
            """, loops: 1)
    }

    /// A loop that reads a cell (a local a closure captured), returns from the function or
    /// makes a function is the general code's; one whose function recurses runs at each depth.
    func testLoopsTheTierLeavesAndRecursion() {
        _ = same("""
            fn counter(n) {
                c = 0
                inc = fn() = c + 1
                for k in 0..<n { c = inc() }
                return c
            }
            fn first(xs, limit) {
                for k in 0..<len(xs) { if xs[k] > limit { return k } }
                return -1
            }
            fn makers(n) {
                fs = ()
                for k in 0..<n { f = fn(x) = x + k }
                return f(1)
            }
            print(counter(5), first([1, 5, 9], 4), first([1], 4), makers(3))
            """, loops: 0)
        _ = same("""
            fn tree(depth, label) {
                s = 0
                for k in 0..<3 { s += k * depth }
                if depth == 0 { return (s: s, label: label) }
                r = tree(depth - 1, label + ".")
                return (s: s + r.s, label: r.label)
            }
            print(tree(4, "x"))
            """, loops: 5)
    }

    /// Errors raised in a loop of a function (a bad index, an interrupt's partner: an element
    /// out of range after writes, a name not bound yet) carry the same message, loops and call
    /// chain; what the frame held is gone with it, and a caller's tensor is unchanged.
    func testErrorsCarryTheirCallChain() {
        for bad in ["k + 1", "-k - 4", "k * 0.5", "nan", "1e308"] {
            let out = same("""
                fn fill(t, n) {
                    s = 0
                    for k in 0..<n {
                        t[k] = s
                        s += t[\(bad)]
                    }
                    return (t: t, s: s, name: "fill")
                }
                fn outer(t) = fill(t, 3)
                v = [1.0, 2, 3]
                print(outer(v))
                """, loops: 1)
            XCTAssertTrue(out.contains("called from"), out)
            XCTAssertEqual(Run("v = [1.0, 2, 3]\nfn f(t) { for k in 0..<3 { t[k] = 0 }; return (t: t, x: \"x\") }\nf(v)\nprint(v)").output,
                           "[1, 2, 3]\n")
        }
        _ = same("""
            fn late(n) {
                for k in 0..<n {
                    if k > 1 { y = x + 1 }
                    x = k
                }
                return (x: x, y: y, s: "late")
            }
            print(late(5))
            """)
    }
}

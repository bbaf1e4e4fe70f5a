import XCTest
import Lexer
import Parser
@testable import Runtime

/// The numeric tier's writes into a function's tensor parameters (NumericTensorWrites.swift)
/// against the general code: generated functions that write elements of their parameter
/// (`x[j] = x[j + 1]`, `x[i, j] op= v`) and return it, called with tensors the caller keeps
/// (shared with another variable too), views and slices, 2-D tensors, other kinds, with keys
/// that are fractions, negative, out of range or nan, values nan, ±inf, -0, 1e308, errors in the
/// middle of a loop (after writes) and calls at the recursion limit. The tier on and off must
/// print the same text and end with the same diagnostic, bit for bit; the caller's tensors are
/// printed after each call (value semantics: a callee's writes never reach them), and the tier
/// must have run most of the calls. Then top-level loops that call functions with their tensor
/// globals (`s += bsearch(xs, t)`), which the tier runs whole, the function's parameter
/// reading the global in place.
final class NumericTensorParameterTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    static let values = ["0", "-0.0", "1", "-1", "0.5", "nan", "inf", "-inf", "1e308", "-1e308", "5e-324", "c", "x[0]"]

    /// Keys: mostly in range, else fractions, negative, out of range, nan, huge.
    private static func key(_ g: inout Generator) -> String {
        if g.below(5) != 0 { return pick(&g, ["0", "1", "j", "j + 1", "j - 1", "-1", "-2", "n - 1 - j", "len(x) - 1"]) }
        return pick(&g, ["0.5", "j + 0.5", "-9", "9", "j + 9", "nan", "inf", "1e308", "9007199254740994", "-0.0", "len(x)"])
    }

    private static func body(_ g: inout Generator, matrix: Bool) -> String {
        let v = pick(&g, values)
        if matrix {
            switch g.below(4) {
            case 0: return "x[\(key(&g)), \(key(&g))] = \(v)"
            case 1: return "x[j, 0] \(pick(&g, ["+=", "-=", "*=", "/="])) \(v)"
            case 2: return "t = x[\(key(&g)), 1]\n        x[\(key(&g)), 1] = x[j, 0]\n        x[j, 0] = t"
            default: return "s = s + x[\(key(&g)), \(key(&g))]"
            }
        }
        switch g.below(9) {
        case 0: return "x[\(key(&g))] = \(v)"
        case 1: return "x[\(key(&g))] = x[\(key(&g))]"
        case 2: return "t = x[\(key(&g))]\n        x[\(key(&g))] = t"
        case 3: return "if x[j] > x[j + 1] { t = x[j]\n x[j] = x[j + 1]\n x[j + 1] = t }"
        case 4: return "s = s + x[\(key(&g))]"
        case 5: return "x[\(key(&g))] \(pick(&g, ["+=", "-=", "*=", "/="])) \(v)"
        case 6: return "if x[\(key(&g))] > c { x[\(key(&g))] = c } else { s += 1 }"
        case 7: return "x[j] = s\n        s = s + x[\(key(&g))] * 0.5"
        default: return "if j == \(g.below(4)) { x[\(key(&g))] = \(v) }"
        }
    }

    /// What the function is given: a tensor the caller keeps, a view or slice, a 2-D tensor,
    /// another kind.
    private static func argument(_ g: inout Generator, matrix: Bool) -> String {
        if g.below(5) != 0 { return matrix ? pick(&g, ["m", "m", "copy_of_m", "m * 1"]) : pick(&g, ["a", "b", "copy_of_a", "a * 1", "b"]) }
        return pick(&g, ["a[1:5]", "a[::2]", "m.T", "m[0]", "m", "a", "5", "\"text\"", "(1, 2, 3)", "[]", "[nan]", "nil"])
    }

    /// The generated programs: both tiers, the same text; how many the tier ran with writes.
    func testWritesIntoTensorParametersAreTheGeneralCode() {
        var ran = 0, failed = 0
        let count = 300
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 48_271)
            let matrix = g.below(4) == 0
            let n = pick(&g, matrix ? ["len(x)", "2", "len(x) + 1"] : ["len(x) - 1", "len(x) - 2", "3", "len(x)"])
            let result = pick(&g, ["x", "x", "x", "s", "x[0]", matrix ? "x[0, 0]" : "x[-1]"])
            var text = """
                a = [3, -0.0, nan, 1, 2, inf, -1e308, 5e-324]
                b = sin(range(9) * 12.9898) * 43758.5453 % 1
                copy_of_a = a
                m = reshape(range(6) * 0.5 - 1, 3, 2)
                copy_of_m = m
                fn walk(x, c) {
                    s = 0
                    n = len(x)
                    for j in 0..<\(n) {
                        \(Self.body(&g, matrix: matrix))
                        \(g.below(2) == 0 ? Self.body(&g, matrix: matrix) : "")
                    }
                    return \(result)
                }

                """
            for _ in 0..<(1 + g.below(3)) {
                let arg = Self.argument(&g, matrix: matrix)
                let c = pick(&g, ["0.5", "-1", "nan", "1e308"])
                text += "r = walk(\(arg), \(c))\nprint(repr(r))\nprint(repr(a), repr(copy_of_a), repr(b), repr(m), repr(copy_of_m))\n"
            }
            if g.below(3) == 0 {
                // Fed back: the caller keeps what the call returns.
                text += "for k in 0..<3 { b = walk(b, k) }\nprint(repr(b))\n"
            }
            let general = shortcutOutcome(text, fast: true, tier: false)
            let I = Interpreter(output: { _ in })
            let numeric = outcomeText(text, in: I)
            XCTAssertEqual(numeric, general, "seed \(seed):\n\(text)")
            XCTAssertEqual(shortcutOutcome(text, fast: false, tier: false), general, "seed \(seed):\n\(text)")
            if general.contains("error: ") { failed += 1 }
            if Self.wroteInTier(I, "walk") { ran += 1 }
        }
        XCTAssertGreaterThan(ran, count / 3, "the tier runs the writes")
        XCTAssertGreaterThan(failed, count / 10, "too few programs fail")
        XCTAssertLessThan(failed, count * 9 / 10, "too few programs end cleanly")
    }

    /// A tensor no one else holds (a temporary; a local the caller assigns again, `b = walk(b, c)`;
    /// a local no code reads after the call) is lent to the call, which writes it in place
    /// (NumericTensorWrites.swift): the same generated functions, with keys that give up in the
    /// middle of the loop after writes (the log written back), on tensors long enough that the
    /// writes outgrow the log (the elements kept whole); both tiers, the same text.
    func testALentTensorIsWrittenInPlaceAndGivenBackAtAGiveUp() {
        var lent = 0, gaveUp = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 69_621)
            // A write that is not the same when made twice, and a give-up where an element the
            // writes changed passes a bound: had the give-up not given the elements back, the
            // general code run again would change them again and stop elsewhere, or not at all.
            // A counter in x[0] gives up late, after more writes than the log keeps on the long
            // tensors (the elements kept whole).
            let counter = g.below(3) == 0
            let again = counter ? "x[0] += 1"
                : "x[\(pick(&g, ["j", "j + 1", "0"]))] \(pick(&g, ["+=", "-=", "*="])) \(pick(&g, ["1", "x[j]", "0.5", "-2"]))"
            let late = pick(&g, ["x[j + 0.5] = 1", "x[len(x)] = 1", "x[nan] = 1", "x[j] = x[j - 0.5]"])
            let at = counter ? "x[0] > \(pick(&g, ["5", "90", "150"]))"
                : pick(&g, ["j == 3", "j == n - 3", "x[j] > c", "x[0] > 3", "x[j + 1] < -5"])
            let arg = pick(&g, ["a * 1", "b * 1", "range(300) * 0.5", "sin(range(200) * 12.9898)"])
            var text = """
                a = [3, -0.0, nan, 1, 2, inf, -1e308, 5e-324]
                b = sin(range(9) * 12.9898) * 43758.5453 % 1
                m = reshape(range(6) * 0.5 - 1, 3, 2)
                fn walk(x, c) {
                    s = 0
                    n = len(x)
                    for j in 0..<n - 1 {
                        \(Self.body(&g, matrix: false))
                        \(again)
                        if \(at) { \(late) }
                    }
                    return x
                }
                fn drive(b, c) {
                    for k in 0..<3 { b = walk(b, c + k) }
                    return b
                }
                fn once(c) {
                    t = \(arg)
                    r = walk(t, c)
                    return r
                }

                """
            for _ in 0..<(1 + g.below(3)) {
                let c = pick(&g, ["0.5", "-1", "nan", "1e308"])
                text += pick(&g, ["print(repr(walk(\(arg), \(c))))", "print(repr(drive(\(arg), \(c))))", "print(repr(once(\(c))))"]) + "\n"
            }
            let general = shortcutOutcome(text, fast: true, tier: false)
            let I = Interpreter(output: { _ in })
            XCTAssertEqual(outcomeText(text, in: I), general, "seed \(seed):\n\(text)")
            guard case .function(let fn)? = I.global("walk"),
                  case .ready(let code) = unsafeDowncast(fn, to: Closure.self).proto.numericWithTensors else { continue }
            if code.lentTensors > 0 { lent += 1 }
            if code.lentTensors > 0 && code.givenUp > 0 { gaveUp += 1 }
        }
        XCTAssertGreaterThan(lent, count / 2, "the tier writes lent tensors in place")
        XCTAssertGreaterThan(gaveUp, count / 5, "lent tensors given back at a give-up")
    }

    /// Whether `name`'s code for tensor arguments writes a parameter and ran without giving up.
    static func wroteInTier(_ I: Interpreter, _ name: String) -> Bool {
        guard case .function(let fn)? = I.global(name), fn.kind == .closure,
              case .ready(let code) = unsafeDowncast(fn, to: Closure.self).proto.numericWithTensors else { return false }
        return code.tensors.contains { $0.writable } && code.givenUp == 0
    }

    /// Bubble sort of a parameter, as people write it: sorted, the caller's tensor (and another
    /// variable sharing it) untouched, the call run by the tier; the sort of a sort, and a tensor
    /// written by the caller after the call.
    func testBubbleSortOfAParameterLeavesTheCallersTensor() {
        let text = """
            fn bsort(x) {
                n = len(x)
                for i in 0..<n {
                    swapped = false
                    for j in 0..<n - 1 - i {
                        if x[j] > x[j + 1] {
                            t = x[j]
                            x[j] = x[j + 1]
                            x[j + 1] = t
                            swapped = true
                        }
                    }
                    if not swapped { break }
                }
                return x
            }
            a = [3, -0.0, 2, 0.0, -1, 1e308, -inf, 0.5, 5e-324]
            keep = a
            y = bsort(a)
            print(repr(y), repr(a), repr(keep))
            print(repr(bsort(y)), repr(bsort([1])), repr(bsort(range(4) * -1)))
            a[0] = 7
            print(repr(a), repr(keep), repr(y))
            y[1] = 9
            print(repr(bsort(y)), repr(y))
            """
        let general = shortcutOutcome(text, fast: true, tier: false)
        let I = Interpreter(output: { _ in })
        XCTAssertEqual(outcomeText(text, in: I), general)
        XCTAssertEqual(general, """
            [-inf, -1, -0.0, 0, 5e-324, 0.5, 2, 3, 1e+308] [3, -0.0, 2, 0, -1, 1e+308, -inf, 0.5, 5e-324] [3, -0.0, 2, 0, -1, 1e+308, -inf, 0.5, 5e-324]
            [-inf, -1, -0.0, 0, 5e-324, 0.5, 2, 3, 1e+308] [1] [-3, -2, -1, -0.0]
            [7, -0.0, 2, 0, -1, 1e+308, -inf, 0.5, 5e-324] [3, -0.0, 2, 0, -1, 1e+308, -inf, 0.5, 5e-324] [-inf, -1, -0.0, 0, 5e-324, 0.5, 2, 3, 1e+308]
            [-inf, -0.0, 0, 5e-324, 0.5, 2, 3, 9, 1e+308] [-inf, 9, -0.0, 0, 5e-324, 0.5, 2, 3, 1e+308]
            vars: bsort=<fn bsort> a=[7, -0.0, 2, 0, -1, 1e+308, -inf, 0.5, 5e-324] keep=[3, -0.0, 2, 0, -1, 1e+308, -inf, 0.5, 5e-324] y=[-inf, 9, -0.0, 0, 5e-324, 0.5, 2, 3, 1e+308]

            """)
        XCTAssertTrue(Self.wroteInTier(I, "bsort"))
    }

    /// An error after writes, in the middle of the loop: the general rule's error, its place, the
    /// loop's values and the call chain; the caller's tensor as it was. Then the same function at
    /// the recursion limit (a recursive caller reaching it around the call), and a function that
    /// writes its parameter and also prints (an effect: only where it cannot give up after it).
    func testErrorsAfterWritesAndTheRecursionLimit() {
        for bad in ["j + 0.5", "j * 3", "nan", "-j - 9", "\"a\"", "[j]"] {
            let text = """
                fn fill(x, v) {
                    for j in 0..<len(x) {
                        x[j] = v
                        x[\(bad)] = x[j] + 1
                    }
                    return x
                }
                a = [1, 2, 3, 4, 5, 6]
                print(repr(fill(a * 1, 0)))
                """
            let general = shortcutOutcome(text, fast: true, tier: false)
            XCTAssertEqual(shortcutOutcome(text, fast: true, tier: true), general, text)
            XCTAssertTrue(general.contains("error: ") || bad == "[j]", general)
        }
        for depth in [9_990, 9_996, 9_997, 9_998, 9_999, 10_000] {
            let text = """
                fn swap01(x) {
                    t = x[0]
                    x[0] = x[1]
                    x[1] = t
                    return x
                }
                fn down(n, x) {
                    if n == 0 { return swap01(x) }
                    return down(n - 1, x)
                }
                a = [1, 2]
                print(repr(down(\(depth), a)), repr(a))
                """
            XCTAssertEqual(shortcutOutcome(text, fast: true, tier: true), shortcutOutcome(text, fast: true, tier: false), text)
        }
        let printing = """
            fn show(x) {
                for j in 0..<len(x) {
                    x[j] = x[j] * 2
                    print(x[j])
                }
                x[9] = 1
                return x
            }
            a = [1, 2]
            print(repr(show(a)))
            """
        XCTAssertEqual(shortcutOutcome(printing, fast: true, tier: true), shortcutOutcome(printing, fast: true, tier: false))
    }

    /// The same tensor passed for two parameters, one written: the other still reads the
    /// caller's elements (each parameter is its own value); a written parameter captured by a
    /// closure made in the function; a global function rebound between calls.
    func testAliasedAndCapturedParameters() {
        let text = """
            fn two(x, y) {
                for j in 0..<len(x) { x[j] = y[j] + x[j] }
                return x
            }
            a = [1, -0.0, nan]
            print(repr(two(a, a)), repr(a))
            fn held(x) {
                x[0] = 5
                h = fn() = x[0]
                x[0] = 6
                return h()
            }
            print(repr(held(a)), repr(a))
            print(repr(two(a, a)))
            two = fn(x, y) = y
            print(repr(two(a, [0])))
            """
        XCTAssertEqual(shortcutOutcome(text, fast: true, tier: true), shortcutOutcome(text, fast: true, tier: false))
        XCTAssertEqual(shortcutOutcome(text, fast: false, tier: false), shortcutOutcome(text, fast: true, tier: false))
    }

    // MARK: top-level loops passing tensor globals

    private static func searchKey(_ g: inout Generator) -> String {
        g.below(5) != 0 ? "mid" : pick(&g, ["mid + 0.5", "mid - hi", "-1", "hi", "nan", "lo - 1"])
    }

    /// A binary search (bounded: some of its midpoints make no progress) called from a top-level
    /// loop with a tensor global:
    /// vectors, matrices, views, empty tensors and numbers; indices that go wrong in the middle
    /// of the loop; the global re-bound by the loop, or to another kind before it; a callee that
    /// writes or returns its parameter; a loop that prints. The general code's text every time,
    /// and the tier runs most of the loops.
    func testLoopsPassingTensorGlobals() {
        var loops = 0, failed = 0
        let count = 200
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 69_621)
            let matrix = g.below(4) == 0
            let xs = matrix ? pick(&g, ["reshape(range(12) * 0.5, 6, 2)", "reshape(range(12) * 0.5, 6, 2)", "reshape(range(4), 2, 2).T"])
                : pick(&g, ["range(40) * 0.5", "range(40) * 0.5", "range(7) - 3", "[-inf, -0.0, 0, 5e-324, 1, nan]",
                            "(range(40) * 0.5)[1:]", "[]", "3", "[1e308]"])
            let read = matrix ? "x[\(Self.searchKey(&g)), \(pick(&g, ["0", "1", "-1", "c", "2"]))]" : "x[\(Self.searchKey(&g))]"
            let mid = pick(&g, ["floor((lo + hi) / 2)", "floor((lo + hi) / 2)", "(lo + hi) / 2", "floor((lo + hi) / 2) + c"])
            let result = pick(&g, ["lo", "lo", "lo + len(x)", "x[0\(matrix ? ", 0" : "")]", "x"])
            var text = """
                fn find(x, t, c) {
                    lo = 0
                    hi = len(x)
                    for step in 0..<40 {
                        if lo >= hi { break }
                        mid = \(mid)
                        if \(read) < t { lo = mid + 1 } else { hi = mid }
                    }
                    \(g.below(8) == 0 ? "x[0\(matrix ? ", 0" : "")] = t" : "")
                    return \(result)
                }
                xs = \(xs)
                ys = xs
                s = 0

                """
            let t = pick(&g, ["(k * 7919) % 20", "k * 0.5 - 3", "k", "nan", "-inf"])
            var body = "s += find(\(pick(&g, ["xs", "xs", "xs", "ys", "xs * 1"])), \(t), \(pick(&g, ["0", "0", "1", "-1"])))"
            switch g.below(8) {
            case 0: body += "\n    if k == 5 { xs = xs * 2 }"
            case 1: body += "\n    print(s)"
            case 2: body += "\n    s += find(ys, k, 0) * 0.5"
            default: break
            }
            text += "for k in 0..<\(pick(&g, ["12", "30", "3"])) {\n    \(body)\n}\nprint(repr(s), repr(xs))\n"
            if g.below(3) == 0 {
                text += "print(repr(find(xs[0:2], 1, 0)))\nfor k in 0..<4 { s = s + find(xs, k, 0) }\nprint(repr(s))\n"
            }
            let general = shortcutOutcome(text, fast: true, tier: false)
            let I = Interpreter(output: { _ in })
            XCTAssertEqual(outcomeText(text, in: I), general, "seed \(seed):\n\(text)")
            if general.contains("error: ") { failed += 1 }
            loops += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(loops, count / 5, "the tier runs the loops")
        XCTAssertGreaterThan(failed, count / 20, "too few programs fail")
        XCTAssertLessThan(failed, count * 9 / 10, "too few programs end cleanly")
    }

    /// The cliff's program: the loop runs in the tier, the search's results are the general code's.
    func testBinarySearchLoopRunsInTheTier() {
        let text = """
            fn bsearch(xs, target) {
                lo = 0
                hi = len(xs)
                while lo < hi {
                    mid = floor((lo + hi) / 2)
                    if xs[mid] < target { lo = mid + 1 } else { hi = mid }
                }
                return lo
            }
            xs = range(1000) * 0.5
            s = 0
            for k in 0..<600 { s += bsearch(xs, (k * 7919) % 500) }
            print(s)
            m = reshape(range(6), 3, 2)
            fn corner(a, b, i) = a[i, 0] + b[-1] + len(a)
            for k in 0..<3 { s += corner(m, xs, k) }
            print(s)
            """
        let general = shortcutOutcome(text, fast: true, tier: false)
        let I = Interpreter(output: { _ in })
        XCTAssertEqual(outcomeText(text, in: I), general)
        XCTAssertTrue(general.hasPrefix("298600\n300113.5\n"), general)
        XCTAssertEqual(I.numericMachine.loopsRun, 2)
    }
}

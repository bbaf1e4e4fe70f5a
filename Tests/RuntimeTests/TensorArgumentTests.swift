import XCTest
import Lexer
import Parser
@testable import Runtime

/// The compiled code's shortcuts for tensors passed to functions against the general rules they
/// stand for: elements read and written where the tensor is (`x[j]`, `x[j] = x[j + 1]`, the key
/// `j + k` in the instruction), slices of 1-D tensors and views made straight into a view
/// (`x[0:h]`), and `len` and `sum` of a view without gathering it. Generated programs run with the
/// shortcuts and without them (`Interpreter.usesFastPaths`), numeric tier on and off, and must
/// print the same text and end with the same diagnostic (message, place, notes, loop values, call
/// chain), bit for bit. They break each shortcut's precondition: the tensor shared with the caller
/// or another variable, a view or slice of another tensor, captured by a closure, 2-D, keys that
/// are fractions, negative, out of range, nan or not numbers, values nan, -0, ±inf, 1e308, wrong
/// kinds, and errors in the middle of a loop. The caller's tensor is printed after the call: a
/// callee writing its parameter never changes it (value semantics, spec §4).
final class TensorArgumentTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    /// Element values that compare and print unusually.
    static let worstValues = ["0", "-0.0", "1", "-1", "0.5", "nan", "inf", "-inf", "1e308", "-1e308", "5e-324", "2.5"]

    /// Keys: mostly in range, else fractions, negative, out of range, nan, huge, not numbers.
    private static func key(_ g: inout Generator) -> String {
        if g.below(4) != 0 { return pick(&g, ["0", "1", "2", "j", "j + 1", "j - 1", "1 + j", "-1", "-2", "j + 2"]) }
        return pick(&g, ["0.5", "j + 0.5", "-9", "9", "j + 9", "nan", "inf", "1e308", "9007199254740994", "-0.0",
                         "\"a\"", "nil", "true", "[0]", "(0,)", "undefined_k"])
    }

    /// What the function is given: a tensor the caller keeps, a view, a slice, a 2-D tensor,
    /// another kind.
    private static func argument(_ g: inout Generator) -> String {
        if g.below(4) != 0 { return pick(&g, ["a", "b", "copy_of_a", "a[1:5]", "a[::2]", "c[0:3]"]) }
        return pick(&g, ["m", "m.T", "m[0]", "m.T[1]", "\"text\"", "(1, 2, 3)", "5", "nil", "[]", "[nan]"])
    }

    private static func body(_ g: inout Generator) -> String {
        let v = pick(&g, worstValues)
        switch g.below(10) {
        case 0: return "x[\(key(&g))] = \(v)"
        case 1: return "x[\(key(&g))] = x[\(key(&g))]"
        case 2: return "t = x[\(key(&g))]\n        x[\(key(&g))] = t"
        case 3: return "if x[j] > x[j + 1] { t = x[j]\n x[j] = x[j + 1]\n x[j + 1] = t }"
        case 4: return "s = s + x[\(key(&g))]"
        case 5: return "y = x\n        y[\(key(&g))] = \(v)\n        print(repr(x[\(key(&g))]), repr(y[\(key(&g))]))"
        case 6: return "x[\(key(&g))] += \(v)"
        case 7: return "h = fn() = x[\(key(&g))]\n        x[\(key(&g))] = h()"
        case 8: return "x[j, \(key(&g))] = \(v)"
        default: return "print(repr(x[\(key(&g))]), repr(x[j - 1]))"
        }
    }

    /// A function that walks its tensor parameter with element reads and writes; the caller
    /// prints its own tensor after the call.
    func testElementsOfTensorParametersAreTheGeneralIndex() {
        checkShortcuts(300, seed: 101) { g in
            let n = pick(&g, ["len(x) - 1", "len(x)", "3", "len(x) + 1"])
            var text = """
                a = [3, -0.0, nan, 1, 2, inf, -1e308, 5e-324]
                b = sin(range(8) * 12.9898) * 43758.5453 % 1
                copy_of_a = a
                c = range(6) * 1.5
                m = reshape(range(6), 2, 3)
                fn walk(x) {
                    s = 0
                    for j in 0..<\(n) {
                        \(Self.body(&g))
                        \(g.below(3) == 0 ? Self.body(&g) : "")
                    }
                    return x
                }

                """
            for _ in 0..<(1 + g.below(3)) {
                let arg = Self.argument(&g)
                text += "r = walk(\(arg))\nprint(repr(r))\nprint(repr(a), repr(copy_of_a), repr(b), repr(m))\n"
            }
            return text
        }
    }

    /// Bubble sort of a parameter, as people write it: the result sorted, the caller's tensor
    /// untouched, a second variable holding the same tensor inside the function untouched too.
    func testWritesIntoAParameterLeaveTheCallersTensor() {
        let text = """
            fn bsort(x) {
                keep = x
                n = len(x)
                for i in 0..<n {
                    for j in 0..<n - 1 - i {
                        if x[j] > x[j + 1] {
                            t = x[j]
                            x[j] = x[j + 1]
                            x[j + 1] = t
                        }
                    }
                }
                print(repr(keep))
                return x
            }
            a = [3, -0.0, 2, 0.0, -1, 1e308, -inf, 0.5]
            y = bsort(a)
            print(repr(y), repr(a))
            v = reshape(range(6), 2, 3).T[1]
            print(repr(bsort(v)), repr(v))
            fn fill(x) {
                x2 = x
                for k in 0..<2 { x[k] = 10 + k }
                print(repr(x), repr(x2))
                return x
            }
            g = [1, 0]
            print(repr(fill(g)), repr(g))
            for k in 0..<2 { g[k] = 20 + k }
            print(repr(g))
            """
        XCTAssertEqual(assertSameWithShortcuts(text), """
            [3, -0.0, 2, 0, -1, 1e+308, -inf, 0.5]
            [-inf, -1, -0.0, 0, 0.5, 2, 3, 1e+308] [3, -0.0, 2, 0, -1, 1e+308, -inf, 0.5]
            [1, 4]
            [1, 4] [1, 4]
            [10, 11] [1, 0]
            [10, 11] [1, 0]
            [20, 21]
            vars: bsort=<fn bsort> a=[3, -0.0, 2, 0, -1, 1e+308, -inf, 0.5] y=[-inf, -1, -0.0, 0, 0.5, 2, 3, 1e+308] v=[1, 4] fill=<fn fill> g=[20, 21] k=1

            """)
    }

    // MARK: slices

    private static func bound(_ g: inout Generator) -> String {
        if g.below(3) != 0 { return pick(&g, ["", "0", "1", "h", "n", "-1", "-3", "h + 1", "n + 5", "-20"]) }
        return pick(&g, ["0.5", "nan", "inf", "-0.0", "1e308", "nil", "\"a\"", "true", "[1]", "undefined_b"])
    }

    private static func slice(_ g: inout Generator) -> String {
        let a = bound(&g), b = bound(&g)
        switch g.below(6) {
        case 0: return "x[\(a):\(b):\(pick(&g, ["1", "2", "-1", "-2", "0", "0.5", "nil", "h"]))]"
        case 1: return "x[\(a):]"
        case 2: return "x[:\(b)]"
        default: return "x[\(a):\(b)]"
        }
    }

    /// A recursion over slices (rsum) and slices of every kind of value, with `len` and `sum`
    /// of what they give.
    func testSlicesOfTensorsAndViewsAreTheGeneralIndex() {
        checkShortcuts(300, seed: 102) { g in
            let s1 = Self.slice(&g), s2 = Self.slice(&g)
            var text = """
                a = [3, -0.0, nan, 1, 2, inf, -1e308, 5e-324, 0.25]
                z = [-0.0, -0.0, -0.0]
                m = reshape(range(12), 3, 4)
                fn rsum(x) {
                    n = len(x)
                    if n <= \(pick(&g, ["1", "2", "4"])) { return sum(x) }
                    h = floor(n / 2)
                    return rsum(x[0:h]) + rsum(x[h:n])
                }
                fn cut(x) {
                    n = len(x)
                    h = floor(n / 2)
                    p = \(s1)
                    q = \(s2)
                    print(repr(p), repr(len(p)), repr(sum(p)))
                    print(repr(q), repr(sum(q)))
                    return q
                }

                """
            for _ in 0..<(1 + g.below(3)) {
                let arg = pick(&g, ["a", "z", "a[1:7]", "a[::2]", "a[::-1]", "m[1]", "m.T[2]", "m", "m.T", "\"text\"",
                                         "(1, 2, 3, 4)", "[]", "range(64) * 0.1", "-0.0"])
                text += g.below(3) == 0 ? "print(repr(rsum(\(arg))))\n" : "print(repr(cut(\(arg))))\nprint(repr(a))\n"
            }
            return text
        }
    }

    /// `sum` of a slice adds the same elements in the same pairwise order as of a gathered copy;
    /// `len` of a view is its first axis.
    func testSumAndLenOfViews() {
        let text = """
            x = range(300) * 0.1 - 7
            print(repr(sum(x[3:290])), repr(sum(x[3:290] * 1)), repr(sum(x[::3])), repr(sum(x[::-1])))
            print(repr(sum([-0.0, -0.0][0:1])), repr(sum([nan, 1][1:])), repr(sum(x[5:5])), repr(len(x[5:5])))
            m = reshape(range(6), 2, 3)
            print(repr(sum(m.T)), repr(len(m.T)), repr(sum(m[1:])), repr(sum(m[1:], axis: 1)))
            x = nil
            m = nil
            """
        XCTAssertEqual(assertSameWithShortcuts(text), """
            2181.2000000000007 2181.2000000000007 785.0000000000001 2385.0000000000005
            0 1 0 0
            15 3 12 [12]
            vars: x=nil m=nil

            """)
    }
}

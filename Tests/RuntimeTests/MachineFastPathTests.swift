import XCTest
import Lexer
import Parser
@testable import Runtime

/// The compiled code's shortcuts against the general rules they stand for: a tuple's item by a
/// number or a label (`p[0]`, `lrs[t % 5]`, `t[-1]`, `cfg["lr"]`), a built-in's direct entry
/// (`min(a, b)`, `max(a, b)` and the others), a method's (`a.update(x)`), an object's member
/// found through the site's cache, a schedule called with a number, and `map` over one tree or several. Generated programs run with the shortcuts and without them
/// (`Interpreter.usesFastPaths`), numeric tier on and off, and must print the same text and end
/// with the same diagnostic (message, place, notes, loop values, call chain), bit for bit. Their
/// inputs are the worst cases: nan, -0, ±inf, 1e308, 2^53 and past it, fractions, indices just
/// out of range, labels missing or near one, tuples of non-numbers, views, wrong kinds.
final class MachineFastPathTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    /// Numbers that break conversions to an index or an extremum.
    static let worstNumbers = ["0", "-0.0", "1", "-1", "2", "-2", "3", "-4", "0.5", "-0.5", "2.0000000000000004", "nan",
                               "inf", "-inf", "1e308", "-1e308", "5e-324", "9007199254740992", "9007199254740994",
                               "-9007199254740993", "4503599627370497"]

    // MARK: tuple elements

    /// The shared start of a tuple program: tuples labelled, unlabelled, partly labelled, empty,
    /// of non-numbers; the same labels in another order (the label's cached position must not
    /// be reused for it); non-tuples to index.
    static let tupleSetup = """
        u = (1.5, -0.0, "s", [1, 2], nan, (a: 1, b: 2))
        l = (lr: 0.1, m: -0.0, name: "adam", w: [1, 2], big: 1e308)
        l2 = (m: 2, lr: 3)
        mixed = (1, lr: 2, 3)
        e = ()
        one = (fn(x) = x * 2,)
        s = "abc"
        v = [10, 20, 30]
        mt = transpose(reshape(range(4), 2, 2))
        n = 5
        fn pick(t, k) = t[k]
        fn id(x) = x
        fn walk(t, past) {
            for i in 0..<len(t) + past { print(repr(t[i])) }
        }

        """

    /// Keys each tuple has (a whole number in range, from either end, or a label), and keys that
    /// are wrong for every tuple or for some.
    static let validKeys: [String: [String]] = {
        let numbers: (ClosedRange<Int>) -> [String] = { r in r.map { String($0) } + ["-0.0"] }
        let labels: ([String]) -> [String] = { names in names.map { "\"" + $0 + "\"" } }
        return [
            "u": numbers(-6...5),
            "l": numbers(-5...4) + labels(["lr", "m", "name", "w", "big"]),
            "l2": numbers(-2...1) + labels(["m", "lr"]) + ["1.0"],
            "mixed": numbers(-3...2) + labels(["lr"]),
        ]
    }()

    /// A key for tuple `t`: right for it most of the time, else one of the worst.
    private func tupleKey(_ g: inout Generator, for t: String) -> String {
        if let valid = Self.validKeys[t], g.below(10) < 8 { return pick(&g, valid) }
        switch g.below(3) {
        case 0: return pick(&g, Self.worstNumbers)
        case 1: return pick(&g, ["\"lr\"", "\"m\"", "\"name\"", "\"l\"", "\"x\"", "\"\"", "\"w\""])
        default: return pick(&g, ["true", "nil", "[0]", "(0,)", "-7", "5", "6", "-6", "4", "undefined_key"])
        }
    }

    private func tupleStatement(_ g: inout Generator) -> String {
        let t = g.below(12) == 0
            ? pick(&g, ["e", "one", "s", "v", "mt", "n"])
            : pick(&g, ["u", "l", "l2", "mixed"])
        let k = tupleKey(&g, for: t)
        switch g.below(9) {
        case 0: return "print(repr(\(t)[\(k)]))"                        // globals read in place
        case 1: return "print(repr(pick(\(t), \(k))))"                  // locals in registers
        case 2: return "print(repr(id(\(t))[id(\(k))]))"                // temporaries moved out
        case 3: return "for tt in (l, l2, mixed) { print(repr(tt[\"lr\"]), repr(tt[-1])) }"  // one site, labels changing
        case 4: return "for i in -len(\(t))..<len(\(t)) + \(g.below(6) == 0 ? 1 : 0) { print(repr(\(t)[i])) }"  // loop notes
        case 5: return "walk(\(t), \(g.below(6) == 0 ? 1 : 0))"           // a call chain on an error
        case 6: return "print(repr(u[5][\(pick(&g, ["0", "1", "-1", "\"a\"", "\"b\"", "2"]))]), repr(l[\"w\"][1]))"  // nested
        case 7: return "print(one[0](3), repr(\(t)[\(k)] == \(t)[\(k)]))"
        default: return "q = \(t)[\(k)]\nprint(repr(q))"
        }
    }

    func testTupleElementsAreTheGeneralIndex() {
        checkShortcuts(300, seed: 91) { g in
            var text = Self.tupleSetup
            for _ in 0..<(2 + g.below(5)) { text += tupleStatement(&g) + "\n" }
            return text
        }
    }

    /// The label's cached position at a site follows the tuple read there: labels in another
    /// order, a tuple without it, the same labels object again.
    func testLabelSitesFollowTheTuple() {
        let text = Self.tupleSetup + """
            for tt in (l, l2, l, (lr: 7,), l2, (m: 1, lr: "s"), mixed) { print(repr(tt["lr"]), repr(tt[-1])) }
            fn get(t) = t["m"]
            print(get(l), get(l2), get((m: nan,)), get(l))
            print(get(u))
            """
        let out = assertSameWithShortcuts(text)
        XCTAssertTrue(out.hasPrefix("0.1 1e+308\n3 3\n0.1 1e+308\n7 7\n3 3\n\"s\" \"s\"\n2 3\n-0.0 2 nan -0.0\n"), out)
        XCTAssertTrue(out.contains("error: tuple has no label 'm'"), out)
    }

    /// `t[label] = v` and `t[label] op= x` written in place (Machine+Access.swift writeItem)
    /// against the general update: of globals, parameters and cells (a local a closure reads),
    /// with loop variables as the key;
    /// a copy taken before the write keeps the old items; every operator on numbers, strings,
    /// tensors, views, nil and tuples as the item or the value; labels missing or near one,
    /// numbers and wrong kinds as the key, non-tuples written into; a tuple of more labels than
    /// the scan takes (TupleLabels.position hashes them); items written by a number key
    /// (`counts[b] += 1`, whole, negative, past either end, fractions) and by a member
    /// (`rec.n += 1`, `t.lr = x`, in a loop, a function and on a copy).
    func testItemWritesAreTheGeneralUpdate() {
        let setup = """
            l = (lr: 0.1, m: -0.0, name: "adam", w: [1, 2], big: 1e308, t: (a: 1,), z: nil)
            l2 = (m: 2, lr: 3)
            mixed = (1, lr: 2, 3)
            wide = (a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10)
            s = "abc"
            v = [10, 20, 30]
            n = 5
            mt = transpose(reshape(range(4), 2, 2))
            fn put(t, k, x) {
                t[k] = x
                return t
            }
            fn bump(t, k, x) {
                t[k] += x
                t[k] *= 2
                return t
            }
            fn counter(t, k) {
                seen = fn() = t
                t[k] -= 1
                return (seen(), t)
            }

            """
        let labelsOf = ["l": ["lr", "m", "lr", "big", "name", "w", "t", "z"], "l2": ["m", "lr"], "mixed": ["lr"],
                        "wide": ["a", "j", "e", "b"]].mapValues { $0.map { "\"" + $0 + "\"" } }
        let targets = ["l", "l2", "mixed", "wide"]
        let wrongKeys = ["\"x\"", "\"\"", "\"Lr\"", "0", "-1", "1.5", "nan", "nil", "true", "[0]"]
        let values = Self.worstNumbers + ["\"s\"", "[1, 2]", "mt[0]", "nil", "(1, 2)", "true", "(a: 2,)"]
        let numberKeys = ["0", "1", "-1", "2", "-2", "3.0", "-0.0", "6", "-8", "9", "-10", "0.5", "1e308", "-inf"]
        let ops = ["+=", "-=", "*=", "/=", "="]
        checkShortcuts(400, seed: 1414) { g in
            var text = setup
            for _ in 0..<(2 + g.below(5)) {
                let t = g.below(30) == 0 ? pick(&g, ["s", "v", "n", "mt"]) : pick(&g, targets)
                let labels = labelsOf[t] ?? ["\"lr\""]
                let k = g.below(20) == 0 ? pick(&g, wrongKeys) : g.below(3) == 0 ? pick(&g, numberKeys) : pick(&g, labels)
                let x = g.below(5) == 0 ? pick(&g, values) : pick(&g, ["1", "2.5", "-1", "0.1"])
                let op = pick(&g, ops)
                // The member form of a label key (`t.lr`), or of a label no tuple has.
                let name = k.hasPrefix("\"") && k.count > 2 && k != "\"Lr\"" ? String(k.dropFirst().dropLast()) : pick(&g, ["q", "Lr"])
                switch g.below(11) {
                case 8: text += "\(t).\(name) \(op) \(x)\nprint(repr(\(t)))\n"
                case 9: text += "c = \(t)\nfor i in 0..<3 { \(t).\(name) \(op) i }\nprint(repr(c), repr(\(t)))\n"
                case 10: text += "fn member() {\n    q = \(t)\n    q.\(name) \(op) \(x)\n    return q\n}\nprint(repr(member()), repr(\(t)))\n"
                case 0: text += "\(t)[\(k)] \(op) \(x)\nprint(repr(\(t)))\n"
                case 1: text += "print(repr(put(\(t), \(k), \(x))), repr(\(t)))\n"
                case 2: text += "print(repr(bump(\(t), \(k), \(x))), repr(\(t)))\n"
                case 3: text += "c = \(t)\n\(t)[\(k)] \(op) \(x)\nprint(repr(c), repr(\(t)))\n"
                case 4: text += "print(repr(counter(\(t), \(k))), repr(\(t)))\n"
                case 5:
                    let ks = (0..<3).map { _ in g.below(20) == 0 ? pick(&g, wrongKeys) : pick(&g, labels) }.joined(separator: ", ")
                    text += "for b in (\(ks)) { \(t)[b] \(op) \(x) }\nprint(repr(\(t)))\n"
                case 6: text += "for i in 0..<3 { \(t)[\(k)] \(op) i }\nprint(repr(\(t)))\n"
                default: text += "fn local() {\n    q = \(t)\n    q[\(k)] \(op) \(x)\n    return q\n}\nprint(repr(local()), repr(\(t)))\n"
                }
            }
            return text
        }
    }

    /// `ps[1].w += 1`, `m.layers[k].w = x`, `g[i][j] -= 1`: paths of two or three steps through
    /// tuples written in place (Machine+Access.swift writeNested) against the general update:
    /// of globals, locals and cells, in loops and functions, with copies kept before the write;
    /// labels missing, keys whole, negative, past either end, fractional, nan, nil, strings and
    /// labels by index; items that are tensors, strings, nil or tuples under `op=`; steps that
    /// meet a tensor, a string or a number instead of a tuple.
    func testNestedPathWritesAreTheGeneralUpdate() {
        let setup = """
            ps = ((w: 1.0, b: -0.0), (w: 2.0, b: nan), (w: [1, 2], b: "s"))
            m = (layers: ((w: 0.5, g: 1e308), (w: -1, g: (a: 1,))), name: "net", lr: 0.1)
            g = ((1, 2, 3), (4, 5, 6), [7, 8], "ab", nil)
            fn local(t, i, x) {
                t[i].w += x
                return t
            }
            fn cell(t, i, x) {
                seen = fn() = t
                t[i]["w"] -= x
                return (seen(), t)
            }

            """
        let keys = ["0", "1", "-1", "2", "-3", "3", "-0.0", "0.5", "nan", "1e308", "nil", "\"w\"", "\"layers\"", "true"]
        let labels = ["w", "b", "g", "a", "x", "layers", "lr"]
        let values = ["1", "2.5", "-1", "nan", "-0.0", "1e308", "\"s\"", "nil", "[1, 1]", "(1, 2)"]
        let ops = ["+=", "-=", "*=", "/=", "="]
        checkShortcuts(300, seed: 2424) { g in
            var text = setup
            for _ in 0..<(2 + g.below(5)) {
                let k = g.below(3) == 0 ? pick(&g, keys) : pick(&g, ["0", "1", "-1"])
                let j = g.below(4) == 0 ? pick(&g, keys) : pick(&g, ["0", "2", "-1"])
                let name = g.below(4) == 0 ? pick(&g, labels) : "w"
                let x = g.below(4) == 0 ? pick(&g, values) : pick(&g, ["1", "0.25", "-2"])
                let op = pick(&g, ops)
                let path = pick(&g, ["ps[\(k)].\(name)", "ps[\(k)][\"\(name)\"]", "m.layers[\(k)].\(name)",
                                     "m[\"layers\"][\(k)][\"\(name)\"]", "g[\(k)][\(j)]", "m.layers[\(k)].g.a"])
                let root = String(path.prefix { $0 != "[" && $0 != "." })
                switch g.below(7) {
                case 0: text += "c = \(root)\n\(path) \(op) \(x)\nprint(repr(c), repr(\(root)))\n"
                case 1: text += "for i in 0..<3 { \(path) \(op) i }\nprint(repr(\(root)))\n"
                case 2: text += "print(repr(local(ps, \(k), \(x))), repr(ps))\n"
                case 3: text += "print(repr(cell(ps, \(k), \(x))), repr(ps))\n"
                case 4:
                    let inner = path.replacingOccurrences(of: root, with: "q")
                    text += "fn f() {\n    q = \(root)\n    \(inner) \(op) \(x)\n    return q\n}\nprint(repr(f()), repr(\(root)))\n"
                default: text += "\(path) \(op) \(x)\nprint(repr(\(root)))\n"
                }
            }
            return text
        }
    }

    /// `size(x)` and `keys(t)` by their direct entries against their general binding, on
    /// operands of every kind (views, trees, labels missing or partial, nil, functions).
    func testSizeAndKeysAreTheGeneralCalls() {
        checkShortcuts(200, seed: 77) { g in
            let arrays = ["[1, 2, 3]", "zeros(2, 3)", "mt", "mt[0]", "5", "nan", "reshape(range(6), 2, 3)", "[]"]
            let tuples = ["(a: 1, b: [1, 2])", "(1, lr: 2, 3)", "()", "(x: (y: 1),)", "(w: mt, b: [1.0])", "(1, 2)"]
            let wrong = ["\"abc\"", "nil", "true", "sin", "(a: 1, b: \"s\")"]
            var text = "mt = transpose(reshape(range(6), 2, 3))\nfn id(x) = x\n"
            for _ in 0..<(2 + g.below(3)) {
                let bad = g.below(12) == 0
                let a = bad ? pick(&g, wrong) : pick(&g, arrays), t = bad ? pick(&g, wrong) : pick(&g, tuples)
                switch g.below(6) {
                case 0: text += "print(size(\(a)), keys(\(t)))\n"
                case 1: text += "print(keys(id(\(t))), size(id(\(a))))\n"
                case 2: text += "print(size(x: \(a)), keys(t: \(t)))\n"  // labelled: the general binding
                case 3: text += "t = \(t)\nfor k in keys(t) { print(k, size(t[k])) }\n"
                case 4: text += "print(str(size(\(a))) + \"/\" + str(keys(\(t))))\n"
                default: text += "v = \(t)\nprint(size(\(a)) + len(keys(v)))\n"
                }
            }
            return text
        }
    }

    /// `number(x)` and `repr(x)` by their direct entries (session 22: `number(tok)` in a token
    /// loop built an argument list per call) against the general binding: strings that read as
    /// numbers and ones that do not, numbers at the edges, views, and every other kind.
    func testNumberAndReprAreTheGeneralCalls() {
        let values = ["\"7\"", "\" 12 \"", "\"-0\"", "\"1e308\"", "\"1e999\"", "\"nan\"", "\"-inf\"", "\"0x10\"", "\"1_000\"",
                      "\"\"", "\"abc\"", "\"٣\"", "\"1.5e\"", "-0.0", "nan", "1e308", "5e-324", "true", "nil", "[1, 2]", "mt[0]",
                      "mt", "(a: 1, b: \"s\")", "()", "sin", "\"3\" + \"4\""] + Self.worstNumbers
        checkShortcuts(200, seed: 2222) { g in
            var text = "mt = transpose(reshape(range(6), 2, 3))\nfn id(x) = x\n"
            for _ in 0..<(2 + g.below(4)) {
                let v = pick(&g, values)
                switch g.below(5) {
                case 0: text += "print(repr(number(\(v))))\n"
                case 1: text += "print(repr(\(v)), number(id(\(v))))\n"
                case 2: text += "s = 0\nfor t in (\(v), \"2\", \(v)) { s += number(t) }\nprint(s)\n"
                case 3: text += "print(number(s: \(v)), repr(x: \(v)))\n"  // labelled: the general binding
                default: text += "x = repr(\(v))\nprint(x + repr(number(repr(len(x)))))\n"
                }
            }
            return text
        }
    }

    // MARK: calls with labels and defaults

    /// A call with labels or defaults left out, bound once per site (CallOperands.boundOrder)
    /// against the general binding: labels in every order, defaults taken or given, the site
    /// calling closures of other functions in turn, closures of one function with other
    /// defaults, and every binding error (a label it lacks or near one, one given twice, too
    /// many arguments, a missing one), the numeric tier on and off.
    func testLabelledCallsAreTheGeneralBinding() {
        checkShortcuts(300, seed: 57) { g in
            var text = """
                fn f(a, b: 2, c: 3) = (a: a, b: b, c: c)
                fn h(x, scale: 0.5) = x * scale
                fn make(d) = fn(p, q: d) = p - q
                fn k(a, b) = a / b
                m1 = make(10)
                m2 = make(-1)

                """
            let calls = ["f(1)", "f(1, c: 9)", "f(c: 9, a: 1)", "f(b: nan, a: -0.0)", "f(1, 2, c: 3)", "f(a: 1, b: 2, c: 3)",
                         "h(4)", "h(4, scale: 2)", "h(scale: 1e308, x: 2)", "m1(1)", "m2(1)", "m1(1, q: 5)", "k(b: 2, a: 1)",
                         "f(1, d: 2)", "f(1, cc: 2)", "f(1, a: 2)", "f(1, b: 1, a: 2)", "h(1, 2, 3)", "k(a: 1)", "h()", "m1(q: 1)"]
            let callees = ["f", "h", "m1", "m2", "k"]
            for _ in 0..<(2 + g.below(4)) {
                switch g.below(3) {
                case 0:
                    text += "print(\(calls[g.below(calls.count)]))\n"
                case 1:
                    // One site calling closures of other functions in turn.
                    let chosen = (0..<3).map { _ in callees[g.below(callees.count)] }
                    text += "for g in (\(chosen.joined(separator: ", "))) { print(g(1, \(["b", "c", "q", "scale", "x"][g.below(5)]): 4)) }\n"
                default:
                    text += "s = 0\nfor i in 0..<4 { s += h(i, scale: i * 0.5) + f(i, c: 2).c }\nprint(s)\n"
                }
            }
            return text
        }
    }

    // MARK: min and max, and the other direct entries

    private func extremumOperand(_ g: inout Generator) -> String {
        switch g.below(10) {
        case 0: return pick(&g, ["[1, nan]", "[-0.0, 0.0]", "[inf, -inf]", "[[1, 2], [3, 4]]", "[]"])
        case 1: return pick(&g, ["\"a\"", "true", "nil", "(1, 2)", "mt", "mt[0]", "undefined_x"])
        default: return pick(&g, Self.worstNumbers)
        }
    }

    private func extremumStatement(_ g: inout Generator) -> String {
        let f = pick(&g, ["min", "max"])
        let a = extremumOperand(&g), b = extremumOperand(&g)
        switch g.below(8) {
        case 0: return "print(repr(\(f)(\(a), \(b))))"                   // operands read in place
        case 1: return "print(repr(two(\(a), \(b))))"                    // locals
        case 2: return "print(repr(\(f)(id(\(a)), id(\(b)))))"           // temporaries
        case 3: return "print(repr(\(f)(\(a), \(b), \(extremumOperand(&g)))))"
        case 4: return "print(repr(\(f)(\(a))))"
        case 5: return "for x in (\(a), \(b)) { y = \(f)(x, \(b)); print(repr(y), repr(len(str(y)))) }"
        case 6: return "print(repr(clamp(\(a))))"
        default: return "print(repr(\(f)(\(a), \(b), axis: nil)))"      // labelled: the general binding
        }
    }

    func testTwoArgumentExtremaAreTheVariadicRule() {
        checkShortcuts(300, seed: 92) { g in
            var text = """
                mt = transpose(reshape(range(4), 2, 2))
                fn id(x) = x
                fn two(a, b) = [min(a, b), max(a, b)]
                fn clamp(x) = max(min(x, 1), -1)

                """
            for _ in 0..<(2 + g.below(5)) { text += extremumStatement(&g) + "\n" }
            return text
        }
    }

    /// `clip(x, lo, hi)` of three numbers by its direct entry and by the numeric tier's two
    /// halves (session 22: a clipped gradient sent a whole scalar loop to the general code, 10x
    /// slower) against the general rule: NaN in any place, signed zeros at a bound, bounds
    /// crossed, infinities, a bound that is the destination (`h = clip(x, lo, h)`), tensors and
    /// wrong kinds, labelled calls; in loops at the top level, in functions, shortcuts and tier
    /// on and off.
    func testClipOfNumbersIsTheTreeRule() {
        func operand(_ g: inout Generator) -> String {
            switch g.below(12) {
            case 0: return pick(&g, ["[1, nan]", "[-0.0, 0.0]", "mt", "mt[0]", "[]"])
            case 1: return pick(&g, ["\"a\"", "true", "nil", "(1, 2)", "undefined_x"])
            default: return pick(&g, Self.worstNumbers + ["0.0", "-0.0", "-0.0", "1", "-1"])
            }
        }
        // The shortcuts against the general binding, and the tier's halves against the general
        // code (checkShortcuts compares tier on with tier on).
        checkShortcuts(300, seed: 2323) { g in
            var text = """
                mt = transpose(reshape(range(4), 2, 2))
                fn id(x) = x
                fn clamp(x, lo, hi) = clip(x, lo, hi)
                fn halves(x, h) {
                    h = clip(x, -1, h)
                    return h
                }

                """
            for _ in 0..<(2 + g.below(4)) {
                let x = operand(&g), lo = operand(&g), hi = operand(&g)
                switch g.below(7) {
                case 0: text += "print(repr(clip(\(x), \(lo), \(hi))))\n"
                case 1: text += "print(repr(clamp(\(x), \(lo), \(hi))))\n"
                case 2: text += "print(repr(clip(id(\(x)), id(\(lo)), id(\(hi)))))\n"
                case 3: text += "print(repr(halves(\(x), \(hi))))\n"
                case 4: text += "s = 0\nfor i in 0..<3 { s += clip(\(x) * i, \(lo), \(hi)) }\nprint(repr(s))\n"
                case 5: text += "w = \(x)\nfor t in 0..<4 { g = clip(w - \(lo), -0.5, 0.5); w -= g }\nprint(repr(w), repr(g))\n"
                default: text += "print(repr(clip(\(x), lo: \(lo), hi: \(hi))))\n"  // labelled: the general binding
                }
            }
            XCTAssertEqual(outputWithTier(text, tier: true).0, outputWithTier(text, tier: false).0, text)
            return text
        }
        // The rule pinned (np.clip with number bounds): NaN anywhere is NaN, x stays at a tie.
        XCTAssertEqual(Run("""
            fn c(x, lo, hi) = clip(x, lo, hi)
            for k in 0..<1 {
                print(repr(c(-0.0, 0, 0)), repr(c(0.0, -0.0, -0.0)), repr(c(nan, 0, 1)), repr(c(0.5, nan, 1)), repr(c(0.5, 0, nan)))
                print(repr(c(2, 1, 0)), repr(c(-inf, -1, 1)), repr(c(inf, -1, 1)), repr(c(3, -inf, inf)))
            }
            """).output, "-0.0 0 nan nan nan\n0 -1 1 3\n")
    }

    /// What else kept a scalar loop from the numeric tier (session 22): `isnan(x)`, `isinf(x)`,
    /// `isfinite(x)` of a number, `==` and `!=` between bools (`if flag == false`), and `min`
    /// and `max` of three or more numbers. Tier on against tier off, on the worst numbers, bools
    /// against numbers (never equal), bools passed as arguments, ordered bools (an error), a
    /// destination that is an argument (`m = min(a, b, m)`), in functions and top-level loops.
    func testNaNChecksBoolComparisonsAndExtremaInTheTier() {
        let numbers = Self.worstNumbers + ["-0.0", "0.0", "x", "-x", "x * 0", "1 / x", "x - x"]
        checkShortcuts(300, seed: 2424) { g in
            var text = """
                fn id(x) = x
                fn flags(x) = (isnan(x), isinf(x), isfinite(x))
                fn same(a, b) = a == b
                fn lowest(a, m, b) {
                    m = min(a, b, m)
                    return m
                }

                """
            for _ in 0..<(2 + g.below(4)) {
                let a = pick(&g, numbers), b = pick(&g, numbers), c = pick(&g, numbers)
                let p = pick(&g, ["isnan", "isinf", "isfinite"]), q = pick(&g, ["isnan", "isinf", "isfinite"])
                let op = pick(&g, ["==", "!=", "==", "!=", "<"])
                let other = g.below(6) == 0 ? pick(&g, ["1", "0", "true", "nil"]) : "\(q)(x + \(c))"
                switch g.below(7) {
                case 0: text += "x = \(a)\nprint(flags(\(b)), \(p)(\(b)) \(op) \(other))\n"
                case 1: text += "n = 0\nfor k in 0..<4 { x = \(a) * k; if \(p)(x) \(op) \(other) { n += 1 } }\nprint(n)\n"
                case 2: text += "x = \(a)\nprint(repr(lowest(\(b), \(c), x)), repr(\(pick(&g, ["min", "max"]))(\(a), \(b), \(c), x)))\n"
                case 3: text += "m = 0\nfor k in 0..<3 { x = \(a) + k; m = max(x, \(b), m); m = min(\(c), x, m) }\nprint(repr(m))\n"
                case 4: text += "done = false\nk = 0\nwhile done == false { k += 1; x = \(a) * k; done = \(p)(x) != \(q)(x) or k > 5 }\nprint(k)\n"
                case 5: text += "x = \(a)\nfor k in 0..<2 { y = \(p)(x * k); print(y \(op) (k == 0), repr(min(x, \(b), -k))) }\n"
                default: text += "x = \(a)\nprint(same(\(p)(x), \(q)(x + 1)), same(\(p)(x), \(pick(&g, ["1", "0", "true", "nil"]))))\n"
                }
            }
            XCTAssertEqual(outputWithTier(text, tier: true).0, outputWithTier(text, tier: false).0, text)
            return text
        }
    }

    /// NumPy's NaN rule and signed zeros, pinned: the shortcut may not change them. (On a tie
    /// of zeros the second argument, as np.minimum(-0.0, 0.0) is 0.0; until session 20 the
    /// first, as Swift.min: EmptyTensorTests checks the rule against NumPy's own results.)
    func testExtremaOfNumbersKeepTheirRule() {
        let text = """
            print(repr(min(nan, 1)), repr(min(1, nan)), repr(max(nan, -inf)), repr(max(-inf, nan)))
            print(repr(min(-0.0, 0.0)), repr(min(0.0, -0.0)), repr(max(-0.0, 0.0)), repr(max(0.0, -0.0)))
            print(repr(min(1e308, inf)), repr(max(-1e308, -inf)), repr(min(5e-324, 0)))
            """
        XCTAssertEqual(assertSameWithShortcuts(text), """
            nan nan nan nan
            0 -0.0 0 -0.0
            1e+308 -1e+308 0
            vars: \n
            """)
    }

    // MARK: methods, schedules, map

    private func methodStatement(_ g: inout Generator) -> String {
        let x = g.below(8) == 0
            ? pick(&g, ["[1, 2]", "[nan, -0.0]", "\"x\"", "nil", "(1, 2)", "mt", "mt[0]", "undefined_x"])
            : pick(&g, Self.worstNumbers)
        let e = g.below(8) == 0
            ? pick(&g, ["[3]", "[1, 2]", "\"x\"", "true", "nil", "(1,)", "undefined_e", "-1", "0.5", "nan", "inf",
                             "1e308", "9007199254740994"])
            : pick(&g, ["0", "1", "2", "7", "30", "-0.0", "3.0", "4"])
        let s = g.below(10) == 0 ? "sp" : pick(&g, ["si", "ss", "sx", "sl", "sc"])
        switch g.below(17) {
        case 14: return "for obj in (a, b) { print(repr(obj.update(\(x))), repr(obj.corrected), obj.beta) }"
        case 15: return "for obj in (si, sp, ss, sl, sc) { print(repr(obj.lr)) }"   // one site, tables changing
        case 16: return "for obj in (si, sx\(g.below(4) == 0 ? ", sp" : "")) { print(repr(obj.table(\(e)))) }"
        case 0, 1: return "r = a.update(\(x))\nprint(repr(r), repr(a.corrected))"
        case 2: return "print(repr(upd(a, \(x))))"
        case 3: return "f = a.update\nprint(repr(f(id(\(x)))), a.t)"
        case 4: return "print(repr(a.update(x: \(x))))"
        case 5: return "for k in 0..<3 { print(repr(b.update(\(x) * k).v)) }"
        case 6: return "a.reset()\nprint(repr(a.update(\(x))), repr(a.update(\(x)\(g.below(4) == 0 ? ", 1" : ""))))"
        case 7, 8: return "print(repr(\(s)(\(e))))"
        case 9: return "print(repr(sched(\(s), \(e))))"
        case 10: return "print(repr(\(s)(id(\(e)))), repr(\(s)(epoch: \(e))))"
        case 11: return "for k in 0...3 { print(repr(\(s)(k * \(e)))) }"
        case 12: return "print(repr(\(s).table(\(e))))\(g.below(4) == 0 ? "\nprint(\(s)(\(e), 1))" : "")"
        default: return "o.lr = \(s)\nprint(repr(o.step(1.0, \(x))))"
        }
    }

    func testMethodAndScheduleCallsAreTheBoundCalls() {
        checkShortcuts(300, seed: 93) { g in
            var text = """
                mt = transpose(reshape(range(4), 2, 2))
                fn id(x) = x
                fn upd(av, x) = av.update(x)
                fn sched(f, e) = f(e)
                a = ewa(beta: 0.9)
                b = ewa(beta: 0.5)
                si = schedule("inverse_time", 0.1, 0.01)
                ss = schedule("step", 0.1, 3, gamma: 0.5)
                sx = schedule("exponential", 0.1, 0.9)
                sl = schedule("lambda", 0.1, fn(e) = 1 / (e - 2))
                sp = schedule("plateau", 0.1)
                sc = schedule("constant", 0.1)
                o = sgd(lr: 0.1)

                """
            for _ in 0..<(2 + g.below(5)) { text += methodStatement(&g) + "\n" }
            return text
        }
    }

    private func mapStatement(_ g: inout Generator) -> String {
        let f = g.below(8) == 0
            ? pick(&g, ["fn(x) = x + \"s\"", "fn(x, y) = x", "3", "a.update", "fn(x) = transpose(reshape(x, 1, -1))",
                             "fn(x) = undefined_y"])
            : pick(&g, ["fn(x) = x * 2", "half", "fn(x, y: 3) = x * y", "abs", "si", "deep", "fn(x) = (x, -x)",
                             "fn(x) = nil", "fn(x) = transpose(x)", "str"])
        let t = g.below(8) == 0
            ? pick(&g, ["\"str\"", "(1, \"s\")", "undefined_t", "[[1, 2]]"])
            : pick(&g, ["1", "-0.0", "nan", "(1, 2, 3)", "(a: 1, b: (2, [3, 4]))", "(a: -0.0, b: inf)", "()",
                             "(1e308, (5e-324,))", "[1, 2]", "mt", "(mt, 1)", "p", "(v: [nan, 1], w: ((((1,),),),))"])
        // Functions of two and three leaves, and trees of another shape beside t.
        let f2 = pick(&g, ["fn(x, y) = x - y", "fn(p, g) = p - 0.1 * g", "fn(x, y) = transpose(x)", "fn(x, y, z: 2) = x * z + y",
                           "max", "fn(x, y) = say(x)", "fn(x) = x", "fn(x, y) = nope"])
        let f3 = pick(&g, ["fn(p, g, s) = p - s * g", "fn(x, y, z) = (x, y, z)", "fn(x, y, z) = say(z)", "fn(x, y) = x"])
        let other = g.below(4) == 0 ? pick(&g, ["(1, 2)", "(b: 1, a: 2)", "5", "(a: 1, b: (2, 3))", "\"s\""]) : t
        switch g.below(10) {
        case 0, 1: return "print(repr(map(\(f), \(t))))"
        case 2: return "print(repr(apply(\(f), \(t))))"
        case 3: return "for k in 0..<2 { p = map(\(f), p) }\nprint(repr(p))"
        case 4: return "print(repr(map(\(f), \(t), \(t))))"
        case 7: return "print(repr(map(\(f2), \(t), \(other))))"
        case 8: return "print(repr(map(\(f3), \(t), \(other), \(t))))"
        case 9: return "for k in 0..<2 { p = map(\(f2), p, map(fn(x) = x * 2, p)) }\nprint(repr(p))"
        case 5: return "h = \(f)\ntree = \(t)\nprint(repr(map(h, tree)))"
        default: return "print(repr(map(id(\(f)), id(\(t)))))"
        }
    }

    func testMapOverTreesIsTheGeneralMap() {
        checkShortcuts(400, seed: 94) { g in
            var text = """
                mt = transpose(reshape(range(4), 2, 2))
                fn id(x) = x
                fn say(x) {
                    print("leaf", repr(x))
                    return x
                }
                fn half(x) = x / 2
                fn deep(x) = map(fn(y) = y - 1, (x, x))
                fn apply(f, t) = map(f, t)
                si = schedule("inverse_time", 0.1, 0.01)
                a = ewa(beta: 0.9)
                p = (W: [[1, 2]], b: 0.5)

                """
            for _ in 0..<(2 + g.below(5)) { text += mapStatement(&g) + "\n" }
            return text
        }
    }

    // MARK: tuples in loops: growing, walking, looked up by label

    /// Collections a function or the top level grows with `pts = append(pts, v)` (tuples of
    /// every label shape, tensors, a view, kinds append refuses).
    private static let growStarts = ["()", "()", "(1, \"a\")", "(a: 1, b: -0.0)", "((x: 1, y: 2),)", "()", "[]", "[1.5, nan]",
                                     "zeros(0, 2)", "mt", "(1,)", "5", "\"s\"", "nil"]

    /// The value appended at step k: numbers of the worst kinds, labelled points (the same
    /// labels or others), rows, strings, now and then one that a tensor refuses mid-loop.
    private func grownValue(_ g: inout Generator) -> String {
        switch g.below(9) {
        case 0: return "(x: k, y: \(pick(&g, Self.worstNumbers)))"
        case 1: return pick(&g, ["(y: k, x: 1)", "(x: k,)", "(k, -0.0)"])
        case 2: return pick(&g, ["[k, 1]", "[k]", "\"s\"", "mt[0]", "vals"])
        case 3: return "vals[k % len(vals)]"
        default: return "k * \(pick(&g, Self.worstNumbers))"
        }
    }

    /// What else holds the collection while it grows: nothing (in place), a second variable,
    /// another tuple, a closure that reads it (a cell), or the loop's own step ahead of it.
    private static let holders = ["", "keep = pts", "box = (pts, 1)", "peek = fn() = len(pts)", "pts2 = pts"]

    private func growStatement(_ g: inout Generator) -> String {
        let start = pick(&g, Self.growStarts)
        let v = grownValue(&g)
        let n = pick(&g, ["0", "1", "3", "7"])
        let holder = pick(&g, Self.holders)
        let inside = g.below(3) == 0 ? holder : ""
        let show = holder.hasPrefix("peek") ? "peek()" : (holder.isEmpty ? "0" : "repr(\(holder.split(separator: " ")[0]))")
        switch g.below(4) {
        case 0:
            // At the top level: pts a global.
            return """
                pts = \(start)
                \(holder)
                for k in 0..<\(n) {
                    v = \(v)
                    pts = append(pts, v)
                    \(inside)
                }
                print(repr(pts), \(show))
                """
        case 1:
            // `append` rebound now and then: the call is no longer the built-in's.
            return """
                \(g.below(2) == 0 ? "append = fn(c, x) = (c, x)" : "")
                print(repr(grow(\(n), \(start), vals)))
                """
        default:
            let name = "grow_\(g.below(1000))"
            let second = g.below(2) == 0 ? "pts = append(pts, (x: k, y: v))" : ""
            return """
                fn \(name)(n, start) {
                    pts = start
                    \(holder)
                    for k in 0..<n {
                        v = \(v)
                        pts = append(pts, v)
                        \(inside)
                        \(second)
                    }
                    return (pts, \(show))
                }
                print(repr(\(name)(\(n), \(start))))
                """
        }
    }

    /// Pairs walked by `for p in data`: numbers of the worst kinds, a pair too short, a kind
    /// that is not a tuple, labelled pairs.
    private func pairs(_ g: inout Generator) -> String {
        let items = (0..<(1 + g.below(5))).map { _ -> String in
            switch g.below(12) {
            case 0: return g.below(3) == 0 ? pick(&g, ["(1,)", "5", "\"ab\"", "()"]) : pick(&g, ["[1, 2]", "(x: 1, y: 2)"])
            default: return "(\(pick(&g, Self.worstNumbers)), \(pick(&g, Self.worstNumbers)))"
            }
        }
        return "(" + items.joined(separator: ", ") + ",)"
    }

    private func walkStatement(_ g: inout Generator) -> String {
        let data = pairs(&g)
        let i = pick(&g, ["0", "0", "0", "-2", "1.0"])
        let j = g.below(8) == 0 ? pick(&g, ["2", "0.5", "\"y\""]) : pick(&g, ["1", "1", "-1"])
        switch g.below(4) {
        case 0:
            return "print(repr(fit(\(data), \(1 + g.below(3)))))"
        case 1:
            // The tuple changed while it is walked: the loop walks the value it started with.
            let name = "walk_\(g.below(1000))"
            return """
                fn \(name)(data) {
                    s = 0
                    for p in data {
                        s = s + p[\(i)] * p[\(j)]
                        data = append(data, (1, 2))
                    }
                    return (s, len(data))
                }
                print(repr(\(name)(\(data))))
                """
        case 2:
            return "for p in \(data) { print(repr(p[\(i)]), repr(p[\(j)])) }"
        default:
            return "d = \(data)\nfor q in d { print(repr(id(q)[\(i)] - q[\(j)])) }"
        }
    }

    private func labelStatement(_ g: inout Generator) -> String {
        let key = g.below(6) == 0 ? pick(&g, ["\"m\"", "\"x\"", "\"\""]) : pick(&g, ["\"lr\"", "\"beta\""])
        switch g.below(5) {
        case 0: return "for t in 0..<3 { w = w - hp[\(key)] * (w - hp[\"beta\"]) }\nprint(repr(w))"
        case 1: return "for h in (hp, l2, hp, (beta: nan, lr: -0.0), l2, \(pick(&g, ["5", "\"s\"", "hp", "mt", "()"]))) { print(repr(h[\(key)])) }"
        case 2: return "fn look(h) = h[\(key)] + h[\"beta\"]\nprint(repr(look(hp)), repr(look(l2)))"
        case 3: return "print(repr(id(hp)[\(key)]), repr(hp[\(key)]))"
        default: return "hp = \(pick(&g, ["(lr: inf, beta: 1e308)", "(beta: -0.0, lr: nan)", "l2", "(lr: 1,)", "[1]"]))\nprint(repr(hp[\(key)]))"
        }
    }

    /// `pts = append(pts, v)` (the grown collection held alone or not), `for p in data` with
    /// `p[0]`, `p[1]`, and `hp["lr"]`, against the general code: the same text and diagnostic.
    func testTuplesInLoopsAreTheGeneralCode() {
        checkShortcuts(300, seed: 95) { g in
            var text = """
                mt = transpose(reshape(range(4), 2, 2))
                vals = (2, -0.0, nan, "s", (1, 2), [1, 2], inf)
                hp = (lr: 0.001, beta: 0.9, target: 1.5)
                l2 = (m: 2, lr: 3, beta: -0.0)
                w = 5
                fn id(x) = x
                fn grow(n, start, vals) {
                    pts = start
                    for k in 0..<n { pts = append(pts, vals[k % len(vals)]) }
                    return pts
                }
                fn fit(data, epochs) {
                    a = 0
                    b = 0
                    for e in 0..<epochs {
                        for p in data {
                            r = a * p[0] + b - p[1]
                            a = a - 0.01 * r * p[0]
                            b = b - 0.01 * r
                        }
                    }
                    return (a, b)
                }

                """
            for _ in 0..<(2 + g.below(4)) {
                switch g.below(3) {
                case 0: text += growStatement(&g) + "\n"
                case 1: text += walkStatement(&g) + "\n"
                default: text += labelStatement(&g) + "\n"
                }
            }
            return text
        }
    }

    // MARK: functions entered in the machine's loop

    /// Calls of functions the numeric tier declines, which the machine enters in its own loop
    /// (Machine.swift, `inlinable`) instead of calling itself, against the calls it makes with
    /// the shortcuts off: recursion over trees of labelled tuples with nil children (leaves of
    /// the worst kinds: a string child, a missing label, nan), calls from loops inside such
    /// functions (an error's loop notes in each frame), returns from inside loops, mutual
    /// recursion, recursion past the depth limit, a function reassigned between calls, and such
    /// functions called back by `map`. The same text and diagnostic (call chain included).
    func testFunctionsEnteredInTheLoopAreCalls() {
        checkShortcuts(200, seed: 131) { g in
            let leaf = pick(&g, ["(v: v, l: nil, r: nil)", "(v: v, l: nil, r: nil)", "nil", "(v: v, l: nil, r: \"x\")",
                                 "(v: nan, l: nil, r: nil)", "(w: v, l: nil, r: nil)", "(v: -0.0, l: nil, r: nil)"])
            var text = """
                fn build(d, v) {
                    if d == 0 { return \(leaf) }
                    return (v: v, l: build(d - 1, 2 * v), r: build(d - 1, 2 * v + 1))
                }
                fn tsum(t) {
                    if t == nil { return 0 }
                    return t.v + tsum(t.l) + tsum(t.r)
                }
                fn depth(t) {
                    if t == nil { return 0 }
                    return 1 + max(depth(t.l), depth(t.r))
                }
                fn leftmost(t, k) {
                    for i in 0..<k {
                        if t.l == nil { return i }
                        t = t.l
                    }
                    return k
                }
                fn scaled(t, v) {
                    if t == nil { return nil }
                    for j in 0..<2 { x = v[j] }
                    return (v: t.v * v[0], l: scaled(t.l, v), r: scaled(t.r, v))
                }
                fn even(t, n) {
                    if n == 0 { return t }
                    return odd(t, n - 1)
                }
                fn odd(t, n) = even(t, n - 1)
                fn deep(t, n) = deep(t, n + 1)
                v = [2, 3]

                """
            text += "tree = build(\(g.below(5)), \(pick(&g, ["1", "-0.0", "0.5", "1e308"])))\n"
            for _ in 0..<(1 + g.below(4)) {
                switch g.below(10) {
                case 0, 1: text += "print(repr(tsum(tree)), depth(tree))\n"
                case 2: text += "print(leftmost(tree, \(g.below(6))))\n"
                case 3: text += "v = \(pick(&g, ["[2, 3]", "[2]", "[nan, 1]", "(2, 3)"]))\nprint(repr(tsum(scaled(tree, v))))\n"
                case 4: text += "print(repr(even(tree, \(pick(&g, ["0", "4", "7", "-1"])))))\n"
                case 5 where g.below(6) == 0: text += "deep(tree, 0)\n"
                case 6: text += "s = 0\nfor k in 0..<\(1 + g.below(3)) { s += tsum(\(pick(&g, ["tree", "tree", "tree.l", "nil", "1"]))) }\nprint(repr(s))\n"
                case 7: text += "print(map((tree, tree), fn(t) = tsum(t)))\n"
                case 8: text += "tsum = fn(t) = \(pick(&g, ["0", "t.v", "depth(t)"]))\nprint(repr(tsum(tree)))\n"
                default: text += "print(repr(tsum(build(\(g.below(4)), \(pick(&g, ["1", "nan", "-2"]))))))\n"
                }
            }
            return text
        }
    }

    /// `f(t.name)` with `t` an assigned local: the call reads the member itself after checking
    /// its callee (CallOperand.member), against the member instruction and callee check the
    /// code has without shortcuts. Bases of every kind (tuples of two shapes at one site, so
    /// the cached position must follow, objects, strings, nil, tensors), missing labels, a
    /// callee that is not callable, arguments around the member that run code or fail, local
    /// and global callees, built-ins with direct entries, growing calls and recursion.
    func testMembersReadByTheCallAreTheMemberInstruction() {
        let bases = ["(a: 1, b: -0.0, s: \"x\")", "(b: nan, a: 1e308, s: \"\")", "(a: (a: 2, b: 3), b: [1, 2], s: \"yz\")",
                     "(a: 1,)", "(1, 2)", "()", "nil", "\"ab\"", "[1, 2]", "transpose(ones(2, 3))", "zeros(0, 1000000)",
                     "adam(lr: 0.1)", "ewa(beta: 0.9)", "fn(x) = x", "(a: inf, b: -inf, s: \"x\", lr: 5e-324)"]
        let members = ["a", "a", "a", "b", "b", "s", "lr", "beta", "zz"]
        checkShortcuts(300, seed: 151) { g in
            var text = callAroundPrelude + """
                fn down(t, n) {
                    if n == 0 { return repr(t.a) }
                    return down(t.a, n - 1)
                }
                nf = 3
                out = ()

                """
            for _ in 0..<(1 + g.below(3)) {
                // Mostly tuples that have the label, so a program runs on past its first call.
                let worst = g.below(4) == 0
                let b = worst ? pick(&g, bases) : pick(&g, Array(bases.prefix(3)))
                let m = worst ? pick(&g, members) : pick(&g, ["a", "b"]), m2 = worst ? pick(&g, members) : "a"
                let call: String
                switch worst ? g.below(12) : [0, 1, 2, 3, 7, 8, 9, 11][g.below(8)] {
                case 10: call = "len(t.\(m))"
                case 11: call = "down(t, \(g.below(3)))"
                case let k: call = callAround("t.\(m)", "t.\(m2)", shape: k)
                }
                text += "fn f(t) {\n    h = two\n    k = 7\n    return \(call)\n}\n"
                let b2 = worst ? pick(&g, bases) : pick(&g, Array(bases.prefix(3)))
                text += "for t in (\(b), \(b2)) { print(repr(f(t))) }\n"
                text += "fn g2(t) {\n    out = ()\n    for i in 0..<2 { out = append(out, t.\(m)) }\n    return out\n}\nprint(repr(g2(\(b))))\n"
            }
            return text
        }
    }

    /// Element-wise expressions on large tensors (a fusion plan: the block loop when the leaves
    /// fit) against the operators one by one, which the code has without shortcuts: callees of
    /// every kind where a call goes (element-wise built-ins, a user's function, a number, a
    /// tensor, an optimizer, an averager, a schedule, nil, unbound), a function where a number
    /// goes, unknown names, a string, a bool, a tree, views, small and mixed shapes, an empty
    /// tensor with a huge dimension, the worst numbers, a
    /// function that prints, at the top level and in a function, each evaluated three times
    /// (a plan undecided, then plain or fusing). A plan once read every leaf before any operator
    /// ran and evaluated its calls itself: a number called gave nan, an unknown name was reported
    /// before an operator's error, and a function ran after it.
    func testFusedExpressionsAreTheOperatorsOneByOne() {
        let callees = ["sqrt", "exp", "abs", "h", "h", "g", "noisy", "undefined_fn"]
        let held = ["sqrt", "exp", "fn(x) = x * 2", "3", "A", "[1, 2]", "nil", "\"s\"", "adam(lr: 0.1)", "ewa(beta: 0.9)",
                    "schedule(\"cosine\", 0.1, 10)"]
        let operands = ["A", "B", "A", "B", "2", "0.5", "-0.0", "nan", "inf", "1e308", "C", "[1, 2]", "transpose(A)", "\"s\"",
                        "sqrt", "nil", "nope", "E", "T", "true"]
        let ops = ["+", "-", "*", "/", "%", "^"]
        checkShortcuts(200, seed: 191) { g in
            func operand(_ depth: Int) -> String {
                switch depth > 1 ? 0 : g.below(4) {
                case 0: return g.below(3) == 0 ? pick(&g, operands) : pick(&g, Array(operands.prefix(10)))
                case 1: return "\(pick(&g, callees))(\(operand(depth + 1)))"
                case 2: return "-\(operand(depth + 1))"
                default: return "(\(operand(depth + 1)) \(pick(&g, ops)) \(operand(depth + 1)))"
                }
            }
            var text = """
                A = ones(130, 130) * 0.5
                B = transpose(A) + 1
                C = ones(140, 130)
                E = zeros(0, 1000000)
                T = (w: A, b: 1)
                fn noisy(x) { print("ran"); return x }
                g = \(pick(&g, held))

                """
            for _ in 0..<(1 + g.below(2)) {
                let e = "\(operand(0)) \(pick(&g, ops)) \(operand(0)) \(pick(&g, ops)) \(operand(1))"
                let h = g.below(2) == 0 ? pick(&g, held) : pick(&g, ["sqrt", "exp"])
                if g.below(2) == 0 {
                    text += "h = \(h)\nfor k in 0..<3 { y = \(e)\n    print(repr(sum(y))) }\n"
                } else {
                    text += "fn f(h) {\n    for k in 0..<3 { y = \(e)\n        print(repr(sum(y))) }\n    return y\n}\nf(\(h))\n"
                }
            }
            return text
        }
    }

    /// The functions `callAround`'s calls call.
    private let callAroundPrelude = """
        fn two(x, y) = repr(x) + "|" + repr(y)
        fn one(x) = repr(x)
        fn noisy(x) { print("ran"); return x }
        fn bad() = 1 + "s"

        """

    /// A call with the argument `a` (and `b` where a second goes) in one of the shapes the
    /// call operands' tests drive (0-9): user functions of one and two arguments, arguments
    /// that print before and after it or fail after it, a callee that is a number or unbound,
    /// a built-in, a local callee (`h`, with the local `k`) and `append` growing `out`.
    private func callAround(_ a: String, _ b: String, shape: Int) -> String {
        switch shape {
        case 0: return "one(\(a))"
        case 1: return "two(\(a), \(b))"
        case 2: return "two(noisy(1), \(a))"
        case 3: return "two(\(a), noisy(2))"
        case 4: return "two(\(a), bad())"
        case 5: return "nf(\(a))"
        case 6: return "undefined_fn(\(a))"
        case 7: return "max(\(a), \(b))"
        case 8: return "h(\(a), k)"
        default: return "append(out, \(a))"
        }
    }

    /// `f(n - 1)`, `f(2 * v)` (CallOperand.arithmetic: the call computes the argument after its
    /// callee check) against the operator instruction after a checkCallable, which the code has
    /// without shortcuts: every operator with the literal on either side, the worst numbers and
    /// values of every kind as the local, callees that are not callable or unbound, arguments
    /// around it that print or fail, recursion, a built-in, a local callee, `append`, and
    /// `grad` through it (traced values).
    func testArithmeticArgumentsAreTheOperatorInstruction() {
        let ops = ["+", "-", "*", "/", "%", "^"]
        let literals = ["1", "0", "-0.0", "0.5", "2", "-3", "1e308", "5e-324", "nan", "inf", "9007199254740993"]
        let values = ["3", "0", "-0.0", "7.5", "-2", "1e308", "nan", "-inf", "5e-324", "[1, 2]", "transpose(ones(2, 3))",
                      "zeros(0, 1000000)", "\"s\"", "nil", "(a: 1,)", "true", "adam(lr: 0.1)", "fn(x) = x"]
        checkShortcuts(300, seed: 181) { g in
            var text = callAroundPrelude + """
                fn down(n) {
                    if not (n > 0 and n < 4) { return repr(n) }
                    return down(n - 1)
                }
                fn sq(w) = w * w
                nf = 3
                out = ()

                """
            for _ in 0..<(1 + g.below(3)) {
                let worst = g.below(3) == 0
                let x = worst ? pick(&g, values) : pick(&g, Array(values.prefix(9)))
                let op = pick(&g, ops), k = pick(&g, literals)
                let a = g.below(2) == 0 ? "x \(op) \(k)" : "\(k) \(op) x"
                let b = "x \(pick(&g, ops)) \(pick(&g, literals))"
                let call: String
                switch worst ? g.below(12) : [0, 1, 2, 3, 7, 8, 9, 11][g.below(8)] {
                case 10: call = "grad(fn(w) = sq(w \(op) \(k)), x)"
                case 11: call = "down(\(a))"
                case let shape: call = callAround(a, b, shape: shape)
                }
                text += "fn f(x) {\n    h = two\n    k = 7\n    return \(call)\n}\nprint(repr(f(\(x))))\n"
                if g.below(4) == 0 {
                    text += "fn u(b) {\n    if b { y = \(x) }\n    return one(y \(op) \(k))\n}\nprint(u(\(g.below(2) == 0 ? "true" : "false")))\n"
                }
            }
            return text
        }
    }

    /// `x op= 1` (compoundNumber: the literal read where it is) against the compound with the
    /// literal in a register, which the code has without shortcuts: every operator, the worst
    /// numbers on both sides, x of every kind (a tensor and a view updated in place, a string,
    /// nil, a tuple, an optimizer), unassigned and unknown, a local, a global, a cell a
    /// closure reads, in loops and recursion.
    func testCompoundWithANumberLiteralIsTheGeneralCompound() {
        let ops = ["+=", "-=", "*=", "/="]
        let literals = ["1", "0", "-0.0", "0.5", "2", "-3", "1e308", "5e-324", "nan", "inf", "9007199254740993"]
        let starts = ["0", "1", "-0.0", "7.5", "-2", "1e308", "nan", "-inf", "[1, 2]", "transpose(ones(2, 3))",
                      "zeros(0, 1000000)", "\"s\"", "nil", "(a: 1,)", "true", "adam(lr: 0.1)"]
        checkShortcuts(300, seed: 171) { g in
            var text = ""
            for _ in 0..<(1 + g.below(3)) {
                let x = g.below(3) == 0 ? pick(&g, starts) : pick(&g, Array(starts.prefix(8)))
                let op = pick(&g, ops), k = pick(&g, literals), n = 1 + g.below(4)
                switch g.below(6) {
                case 0: text += "x = \(x)\nfor i in 0..<\(n) { x \(op) \(k) }\nprint(repr(x))\n"
                case 1: text += "fn f(x) {\n    for i in 0..<\(n) { x \(op) \(k) }\n    return x\n}\nprint(repr(f(\(x))))\n"
                case 2: text += "fn c(x) {\n    peek = fn() = x\n    x \(op) \(k)\n    return peek()\n}\nprint(repr(c(\(x))))\n"
                case 3: text += "fn u(b) {\n    if b { y = 1 }\n    y \(op) \(k)\n    return y\n}\nprint(repr(u(\(g.below(2) == 0 ? "true" : "false"))))\n"
                case 4 where g.below(3) == 0: text += "undefined_total \(op) \(k)\n"
                default: text += "fn r(x, m) {\n    if m == 0 { return x }\n    x \(op) \(k)\n    return r(x, m - 1)\n}\nprint(repr(r(\(x), \(n))))\n"
                }
            }
            return text
        }
    }

    /// `if a and b`, `while i < len(xs) and j < len(ys)`, `if a or b or c`: each operand tested
    /// by a jump of its own (ChunkCompiler.jumpsUnless, jumpsIf) against the operator's bool
    /// tested once, which the code has without shortcuts. Operands of every kind (numbers, nan, -0, tensors of one element
    /// and of two, strings, nil, an unknown name), nested `and`, `or` and `not`, operands that
    /// print (what runs, in what order, and what the short circuit skips), in an `if` and a
    /// `while`, at the top level and in a function: the same text and diagnostic, bit for bit.
    func testAndAndOrInConditionsAreTheOperators() {
        let setup = """
            fn say(x) {
                print("say", repr(x))
                return x
            }
            v = [1, 2]
            s = "s"
            n = 3

            """
        let operands = ["i < n", "i <= 2", "say(i < 2)", "say(true)", "say(false)", "i", "n - i", "0", "1", "nan", "-0.0",
                        "v > 1", "v[0] < 2", "s", "nil", "say(v)", "ones(1) > 0", "nope", "i != 1", "not (i == 2)",
                        // `==`/`!=` with a string: the `or`'s left operand jumps by the other operator (session 21).
                        "s == \"s\"", "s != \"s\"", "s == \"t\"", "v == \"s\"", "say(s) != \"t\"", "nope == \"s\"",
                        "i == \"1\"", "nil != \"s\""]
        func condition(_ g: inout Generator, _ depth: Int) -> String {
            if depth == 0 || g.below(3) == 0 { return pick(&g, operands) }
            let a = condition(&g, depth - 1), b = condition(&g, depth - 1)
            switch g.below(6) {
            case 0: return "(\(a) or \(b))"
            case 1: return "(\(a) and \(b))"
            case 2: return "not (\(a) and \(b))"
            case 3: return "\(a) or \(b)"  // `or` jumps past b when a holds (session 20)
            default: return "\(a) and \(b)"
            }
        }
        checkShortcuts(300, seed: 2718) { g in
            var text = setup
            for _ in 0..<(1 + g.below(3)) {
                let c = condition(&g, 3)
                switch g.below(4) {
                case 0: text += "i = \(g.below(4))\nif \(c) { print(\"then\") } else { print(\"else\") }\n"
                case 1: text += "i = 0\nwhile \(c) {\n    print(\"at\", i)\n    i += 1\n    if i > 5 { break }\n}\n"
                case 2: text += "fn f(i) {\n    if \(c) { return \"then\" }\n    return \"else\"\n}\nprint(f(\(g.below(4))))\n"
                default: text += "fn w() {\n    i = 0\n    while \(c) {\n        i += 1\n        if i > 5 { break }\n    }\n    return i\n}\nprint(w())\n"
                }
            }
            return text
        }
    }

    /// A tuple written whole in the code (`((1, 0), (-1, 0))`, labels, strings, nil, negated
    /// numbers) is a constant of the chunk, made once (ChunkCompiler.written): it must behave as
    /// the tuple built at each pass that the code without shortcuts makes. Generated loops and
    /// functions that take such a tuple again and again and write into the variable holding it
    /// (an item, a label, a nested item, append, a += through a path, a write that fails), so a
    /// write that reached the shared constant would show in the next pass.
    func testTuplesWrittenInTheCodeAreMadeOnce() {
        let literals = ["((1, 0), (-1, 0), (0, 1), (0, -1))", "(a: 1, b: (2, 3))", "(1, \"x\", nil, true)", "()", "(-0.0, -2, (a: -1,))",
                        "((1, 2), (3, 4))", "(x: (y: (z: 5)))"]
        let writes = ["t[0] = k", "t[-1] = (k, k)", "t = append(t, k)", "t[0][0] = k", "t.a = k", "t.b[1] += k", "t.x.y.z += k",
                      "t[1] = \"s\"", "t[5] = 1", "t[0] += 1"]
        checkShortcuts(250, seed: 4242) { g in
            let literal = pick(&g, literals)
            var text = "fn f(k) {\n    t = \(literal)\n    \(pick(&g, writes))\n    return t\n}\n"
            text += "for k in 0..<3 {\n    t = \(literal)\n    print(t)\n    \(pick(&g, writes))\n    print(t, f(k))\n}\n"
            if g.below(2) == 0 { text += "for d in \(literal) { print(d) }\nprint(f(7), \(literal))\n" }
            return text
        }
    }

    /// A path write after which the locals its value read are read no more lets go of them
    /// first (ChunkCompiler.clearDeadLocals), against code without shortcuts, which keeps them:
    /// generated functions that thread tuples and tensors through calls and write them by a
    /// label, a number key or a member, with the value reading locals that later statements
    /// read or not, keys that read them (they run after the value), the value a local itself,
    /// copies taken before, writes in a branch or a loop, closures and defaults that read the
    /// locals, keys that fail. The same text and diagnostic, bit for bit.
    func testDeadLocalsLetGoBeforeAWrite() {
        let setup = """
            fn pair(t, x) = (v: x, memo: t)
            fn bump(t, k) {
                t[k] += 1
                return t
            }

            """
        checkShortcuts(300, seed: 4242) { g in
            var text = setup
            let locals = ["a", "b", "c", "n"]
            func value(_ depth: Int) -> String {
                if depth == 0 || g.below(3) == 0 {
                    return pick(&g, ["a.v", "b.v", "c.v", "n", "len(a.memo)", "b.memo[0]", "1", "2.5", "a", "b.memo", "nope"])
                }
                return "(\(value(depth - 1)) + \(value(depth - 1)))"
            }
            for f in 0..<(1 + g.below(2)) {
                let start = pick(&g, ["(1, 2, 3)", "(x: 1, y: 2)", "[1, 2, 3]", "(\"s\", 2)", "(1, (2, 3))"])
                text += "fn f\(f)(t, n) {\n    a = pair(t, n)\n    b = pair(bump(a.memo, 0), n + 1)\n    c = pair(b.memo, 2)\n"
                text += "    m = c.memo\n"
                let keeps = g.below(4) == 0
                if keeps { text += "    keep = m\n" }
                let key = pick(&g, ["0", "1", "-1", "n - n", "a.v - a.v", "5", "0.5", "\"x\""])
                let op = pick(&g, ["=", "+=", "*="])
                let write: String
                switch g.below(3) {
                case 0: write = "m[\(key)] \(op) \(value(2))"
                case 1: write = "m.x \(op) \(value(2))"
                default: write = "m[\(key)] = \(pick(&g, ["a", "b.memo", "c", "n"]))"
                }
                switch g.below(5) {
                case 0: text += "    if n > 1 { \(write) } else { m = bump(m, 0) }\n"
                case 1: text += "    for i in 0..<2 { \(write) }\n"
                case 2: text += "    g = fn() = n\n    \(write)\n    n = g()\n"
                default: text += "    \(write)\n"
                }
                // What later code reads: some of the locals, or none.
                let later = locals.filter { _ in g.below(3) == 0 }
                if g.below(4) == 0 { text += "    h = fn(z: \(later.first ?? "n")) = z\n    print(repr(h()))\n" }
                text += "    return (m, \(later.isEmpty ? "0" : later.joined(separator: ", "))\(keeps ? ", keep" : ""))\n}\n"
                text += "print(repr(f\(f)(\(start), \(pick(&g, ["1", "2", "0", "-1"])))))\n"
            }
            return text
        }
    }

    /// `grad(f, x)` and `value_and_grad(f, x)` by their direct entries against the general
    /// binding: functions of every kind (closures of one parameter and of two, a built-in, a
    /// number, nil, an optimizer, a function that fails, prints, returns a tensor or a string,
    /// calls grad itself), points of every kind (the worst numbers, tensors, views, trees, an
    /// empty tensor with a huge axis, nil, strings), at the top level, in a function and in a
    /// loop.
    func testGradAndValueAndGradAreTheGeneralCalls() {
        let setup = """
            fn sq(x) = sum(x * x)
            fn two(x, y) = x * y
            fn loud(x) {
                print("at", repr(x))
                return x * 3
            }
            fn bad(x) = x + "s"
            fn inner(x) = grad(sq, x)
            fn vec(x) = x * [1, 2]
            o = sgd(lr: 0.1)
            w = [0.5, -1.0]

            """
        let goodF = ["sq", "sin", "loud", "fn(p) = sum(p * p) + 1", "abs", "fn(x) = x^3"]
        let badF = ["two", "bad", "inner", "vec", "3", "nil", "o", "fn(x) = \"s\"", "fn(t) = t.a * t.b"]
        let goodX = Array(Self.worstNumbers.prefix(8)) + ["[1, 2]", "w", "(a: -0.0, b: nan)"]
        let badX = ["transpose(ones(2, 3))[0]", "(a: 1, b: 2)", "(1, [2, 3])", "zeros(0, 1000000)", "nil", "\"s\""]
        checkShortcuts(300, seed: 3141) { g in
            var text = setup
            for _ in 0..<(1 + g.below(3)) {
                let f = g.below(4) == 0 ? pick(&g, badF) : pick(&g, goodF)
                let x = g.below(4) == 0 ? pick(&g, badX) : pick(&g, goodX)
                switch g.below(5) {
                case 0: text += "print(repr(grad(\(f), \(x))))\n"
                case 1: text += "fn step(p) = p - 0.1 * grad(\(f), p)\nprint(repr(step(\(x))))\n"
                case 2: text += "p = \(x)\nfor k in 0..<3 { p = p - 0.1 * grad(\(f), p) }\nprint(repr(p))\n"
                case 3: text += "h = grad\nprint(repr(h(\(f), \(x))), repr(grad(\(f))(\(x))))\n"
                default: text += "vg = value_and_grad(\(f), \(x))\nprint(repr(vg.value), repr(vg.grad))\n"
                }
            }
            return text
        }
    }

    /// `x == nil` and `x != nil` (one instruction that looks at the register, Machine.swift
    /// compareNil) against `nil == x` and `nil != x`, which the general comparison runs, for
    /// values of every kind and the worst numbers: at the top level, in a function, in an `if`
    /// and as a value, a global read in its slot and a local; an unbound name fails at its read.
    func testComparisonsWithNilAreTheGeneralComparison() {
        let values = ["nil", "0", "-0.0", "nan", "inf", "-inf", "1e308", "5e-324", "true", "false", "\"\"", "\"nil\"",
                      "[]", "[nil_guard]", "zeros(0, 1000000)", "[1, 2]", "transpose(ones(2, 3))", "()", "(nil,)",
                      "(a: nil, b: 1)", "fn(x) = x", "adam(lr: 0.1)", "ewa(beta: 0.9)", "schedule(\"cosine\", 0.1, 10)"]
        for v in values {
            let value = v.replacingOccurrences(of: "nil_guard", with: "0")
            let text = """
                x = \(value)
                fn f(t) {
                    if t == nil { a = "yes" } else { a = "no" }
                    if nil == t { b = "yes" } else { b = "no" }
                    if t != nil { c = "yes" } else { c = "no" }
                    if nil != t { d = "yes" } else { d = "no" }
                    return a + b + c + d + str(t == nil) + str(nil == t) + str(t != nil) + str(nil != t)
                }
                print(f(x))
                print(str(x == nil) + str(nil == x) + str(x != nil) + str(nil != x))
                if x == nil { print("nil") } else { print("not nil") }
                print(undefined_name == nil)

                """
            let isNil = value == "nil"
            let expected = (isNil ? "yesyesnono" : "nonoyesyes") + (isNil ? "truetruefalsefalse" : "falsefalsetruetrue") + "\n"
                + (isNil ? "truetruefalsefalse" : "falsefalsetruetrue") + "\n" + (isNil ? "nil" : "not nil") + "\n"
            for (fast, tier) in [(true, true), (false, true), (true, false), (false, false)] {
                let outcome = shortcutOutcome(text, fast: fast, tier: tier)
                XCTAssertTrue(outcome.hasPrefix(expected), "\(v):\n\(outcome)")
                let at = text.utf8.distance(from: text.startIndex, to: text.range(of: "undefined_name")!.lowerBound)
                XCTAssertTrue(outcome.contains("\nerror: unknown name 'undefined_name' at \(at)+14\n"), "\(v):\n\(outcome)")
            }
        }
    }
}

import XCTest
import Parser
@testable import Runtime

/// String comparisons by code points (spec: `==`, `<` on strings): the one rule
/// (Interpreter.compareStrings, with its shortcuts for equality) against the scalars' order, and
/// the numeric tier's comparisons with a text written in the code (compareText) against the
/// general code's, bit for bit.
final class StringComparisonTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    /// Every comparison of generated strings (1- to 4-byte code points, combining marks, empty,
    /// longer than a small string holds, equal text in another storage) agrees with the order
    /// of their scalars: equality's shortcuts (same bits, byte counts) change no answer.
    func testStringComparisonsFollowCodePoints() {
        func byScalars(_ s: String, _ t: String) -> Int {
            let a = Array(s.unicodeScalars), b = Array(t.unicodeScalars)
            for (x, y) in zip(a, b) where x != y { return x.value < y.value ? -1 : 1 }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        }
        let alphabet: [Unicode.Scalar] = ["a", "b", "\u{7F}", "é", "e", "\u{301}", "\u{800}", "∑", "\u{FFFF}", "😀", "\u{10FFFF}"]
        var g = Generator(state: 1_618_033)
        func word() -> String {
            var s = String.UnicodeScalarView()
            for _ in 0..<g.below(g.below(3) == 0 ? 24 : 5) { s.append(alphabet[g.below(alphabet.count)]) }
            return String(s)
        }
        /// The same text in a string of its own storage (not a small string's bits).
        func elsewhere(_ s: String) -> String {
            var t = String()
            t.reserveCapacity(64)
            t += s
            return t
        }
        let I = Interpreter(output: { _ in })
        for _ in 0..<20_000 {
            let s = word()
            let t: String
            switch g.below(4) {
            case 0: t = s
            case 1: t = elsewhere(s)
            case 2: t = s + word()
            default: t = word()
            }
            // The shortcut's premise (Interpreter.isSmall): text of up to 15 bytes made as a
            // program makes it is small, the same text in storage of its own is not.
            if s.utf8.count <= 15 { XCTAssertTrue(Interpreter.isSmall(s), "\(Array(s.unicodeScalars))") }
            XCTAssertFalse(Interpreter.isSmall(elsewhere(s)), "\(Array(s.unicodeScalars))")
            let order = byScalars(s, t)
            for op in ComparisonOperator.allCases {
                XCTAssertEqual(I.compareStrings(op, s, t), Arithmetic.compare(op, Double(order), 0),
                               "\(Array(s.unicodeScalars)) \(op.rawValue) \(Array(t.unicodeScalars))")
            }
        }
    }

    /// Texts a program compares with.
    private static let words = ["\"relu\"", "\"\"", "\"é\"", "\"e\u{301}\"", "\"tanh\"", "\"a\"", "\"∑x\"",
                                "\"layer_normalised_relu\"", "\"layer_normalised_relv\"", "\"sigmoid\""]
    /// Strings a program makes as it runs, equal in text to some of the words.
    private static let made = ["\"re\" + \"lu\"", "\"\\(\"tanh\")\"", "\"layer_normalised_\" + \"relu\"", "\"e\" + \"\u{301}\"",
                               "\"\" + \"\"", "str(1)"]

    /// `name == "relu"` and every other comparison of a string argument with a text, on either
    /// side, in `if`, `and`/`not` and in values; from compiled callers and top-level loops, with
    /// strings equal in text but made at run time, then a number where the string was and
    /// ordering against it (an error inside the loops): the general code's text every time, and
    /// the tier runs the functions.
    func testComparisonsWithTextInTheTier() {
        var compiled = 0
        let count = 160
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 49_979_687)
            func word() -> String { StringComparisonTests.words[g.below(StringComparisonTests.words.count)] }
            func anyString() -> String { g.below(3) == 0 ? StringComparisonTests.made[g.below(StringComparisonTests.made.count)] : word() }
            let ops = ["<", "<=", ">", ">=", "==", "!=", "==", "!="]
            func op() -> String { ops[g.below(ops.count)] }
            var text = "sep = \(anyString())\n"
            // Strings of one length (and one small string's second word) told apart.
            text += "fn code(name) {\n    if name == \"relu\" { return 1 }\n    if name == \"tanh\" { return 2 }\n"
            text += "    if name == \"∑x\" { return 3 }\n    if name == \"\" { return 4 }\n    return 5\n}\n"
            text += "fn act(name, x) {\n"
            text += "    if name \(op()) \(word()) { return x * 2 }\n"
            text += "    if \(word()) \(op()) name and not (name \(op()) \(word())) { return -x }\n"
            text += "    same = name \(op()) \(word())\n"
            text += "    if same { return x + 1 }\n    return x + len(name)\n}\n"
            // act's register holds the last string passed: a call with another must pass it.
            let other = g.below(2) == 0 ? "name" : anyString()
            text += "fn total(name, n) {\n    s = 0\n    for i in 0..<n {\n        s += act(name, i * \(g.constant()))\n"
            text += "        if i % \(1 + g.below(3)) == 0 { s += act(\(other), i) + len(\"\\(name)\\(i)\") }\n"
            text += "        s += code(name) * 10 + code(\(other)) * 100 + code(\(anyString())) * 1000\n    }\n    return s\n}\n"
            var names: [String] = []
            for _ in 0..<(2 + g.below(3)) { names.append(anyString()) }
            if g.below(3) == 0 { names.insert("\(g.below(5))", at: g.below(names.count + 1)) }  // a number mid-loop
            text += "for name in (\(names.joined(separator: ", ")),) {\n    print(name, total(name, \(1 + g.below(30))))\n}\n"
            text += "n = 0\nfor k in 0..<\(1 + g.below(20)) {\n    if sep \(op()) \(word()) { n += 1 }\n    n += act(sep, k)\n}\nprint(n)\n"
            let (general, _) = outputWithTier(text, tier: false)
            let (numeric, I) = outputWithTier(text, tier: true)
            XCTAssertEqual(numeric, general, "seed \(seed):\n\(text)")
            if case .function(let f)? = I.global("total"), f.kind == .closure,
               case .ready = unsafeDowncast(f, to: Closure.self).proto.numericWithTensors { compiled += 1 }
        }
        XCTAssertGreaterThan(compiled, count / 2, "functions comparing strings with texts run in the tier")
    }

    /// Names built in the tier (`prefix + "_" + str(k) + ".w"`, measured by `len` at the top
    /// level) from every kind of number (-0, whole numbers near 1e16, 1e21, 0.1, nan, ±inf,
    /// 1e308, 5e-324 and generated ones), prefixes not ASCII or longer than a small string,
    /// then a number where the prefix was (the `+` error inside the loop): the general code's
    /// text every time, the last name kept by the loop printed too.
    func testBuiltNamesInTheTier() {
        let edges = ["-0.0", "0", "1e16", "9999999999999998", "1e21", "0.1", "nan", "inf", "-inf", "1e308", "5e-324",
                     "-7", "123456789", "2.5", "1e-05"]
        let prefixes = ["\"layer\"", "\"\"", "\"é\u{301}\"", "\"a_prefix_longer_than_sixteen\"", "\"∑\""]
        var g = Generator(state: 99_991)
        var ran = 0
        for seed in 1...60 {
            let x = g.below(4) == 0 ? NumberFormat.repr(g.uniform(-1, 1) * pow(10, Double(g.below(600)) - 300)) : edges[g.below(edges.count)]
            let prefix = prefixes[g.below(prefixes.count)]
            var text = "fn name(prefix, k) = prefix + \"_\" + str(k) + \".w\"\n"
            text += "x = \(x)\nn = 0\nlast = \"\"\nfor k in 0..<\(8 + g.below(40)) {\n    n += len(name(\(prefix), x * (k % 3) + k % \(1 + g.below(4))))\n"
            text += "    if k % 7 == 0 { last = name(\(prefix), x * k) }\n}\nprint(n, last)\n"
            if g.below(3) == 0 {
                text += "ps = (\(prefix), \(prefix), 3)\nfor k in 0..<6 {\n    n += len(name(ps[k % 3], k))\n}\nprint(n)\n"
            }
            let (general, _) = outputWithTier(text, tier: false)
            let (numeric, I) = outputWithTier(text, tier: true)
            XCTAssertEqual(numeric, general, "seed \(seed):\n\(text)")
            ran += I.numericMachine.loopsRun
        }
        XCTAssertGreaterThan(ran, 40, "the loops building names run in the tier")
    }

    /// The machine's comparisons read in place (Machine.compareInPlace: two strings, a value
    /// against nil) against its general path (operands read from globals, which the in-place
    /// reading leaves to it): generated values of every kind, each pair with ==, != and <,
    /// the same text, errors included.
    func testComparisonsInPlaceAreTheGeneralPaths() {
        var g = Generator(state: 2_718_281)
        let values = ["nil", "\"a\"", "\"e\"", "\"\"", "\"é\"", "\"e\u{301}\"", "\"ab\" + \"c\"", "\"abc\"", "1", "0", "nan",
                      "true", "[1, 2]", "(a: 1, b: nil)", "(1, 2)", "sin", "fn(x) = x", "\"a long string that no small string holds\""]
        for seed in 0..<300 {
            let x = values[g.below(values.count)], y = values[g.below(values.count)]
            let op = ["==", "!=", "<", ">="][g.below(4)]
            // In a function: registers read in place; at the top level: globals, the general path.
            let inPlace = """
                fn f(a, b) {
                    r = a \(op) b
                    if a \(op) b { return (r: r, jumped: false) }
                    return (r: r, jumped: true)
                }
                print(f(\(x), \(y)))
                """
            let general = """
                x = \(x)
                y = \(y)
                r = x \(op) y
                jumped = true
                if x \(op) y { jumped = false }
                print((r: r, jumped: jumped))
                """
            func outcome(_ text: String) -> String {
                let run = Run(text)
                return run.output + (run.error.map { "error: \($0.message)" } ?? "")
            }
            XCTAssertEqual(outcome(inPlace), outcome(general), "seed \(seed): \(x) \(op) \(y)")
        }
    }

    /// A comparison with a string literal on the right (compareString, compareStringJump: the
    /// operand read in place) against the comparison with the literal in a register, which the
    /// code has without shortcuts: values of every kind, the six operators, in an `if`, a
    /// `while` and as a value; a global, a local, a member of a tuple and a temporary; texts
    /// equal, in another normal form, empty and long; unassigned locals and unknown names.
    func testComparisonsWithAStringLiteralAreTheGeneralCompare() {
        let values = ["\"num\"", "\"num\"", "\"x\"", "\"\"", "\"é\"", "\"e\u{301}\"", "\"nu\" + \"m\"",
                      "\"a long string that no small string holds\"", "1", "nan", "-0.0", "1e308", "-inf", "true", "nil", "[1, 2]",
                      "zeros(0, 1000000)", "(op: \"num\",)", "fn(x) = x", "adam(lr: 0.1)"]
        let texts = ["\"num\"", "\"x\"", "\"\"", "\"é\"", "\"e\u{301}\"", "\"a long string that no small string holds\"", "\"nuM\""]
        let ops = ["==", "!=", "<", "<=", ">", ">="]
        checkShortcuts(300, seed: 161) { g in
            var text = """
                fn tag(e) = e.op
                fn f(v, w) {
                    e = (op: v, n: 0)
                    r = ()
                    if e.op \(pick(&g, ops)) \(pick(&g, texts)) { r = append(r, "m") }
                    if v \(pick(&g, ops)) \(pick(&g, texts)) { r = append(r, "l") }
                    if tag(e) \(pick(&g, ops)) \(pick(&g, texts)) { r = append(r, "t") }
                    k = 0
                    while w \(pick(&g, ops)) \(pick(&g, texts)) and k < 2 { k += 1 }
                    return (r: r, k: k, b: v \(pick(&g, ops)) \(pick(&g, texts)))
                }

                """
            // `if e.op == "num"` on a parameter (compareMemberStringJump): tuples of two shapes
            // at one site, items of every kind, a missing label, bases that are no tuple.
            text += """
                fn tagged(e) {
                    if e.op \(pick(&g, ops)) \(pick(&g, texts)) { return "yes" }
                    return "no"
                }

                """
            let bases = ["(op: \"num\", n: \"x\")", "(n: \"num\", op: \"x\")", "(op: \"e\u{301}\",)", "(op: \"\",)", "(op: 1,)",
                         "(op: nil,)", "(a: 1,)", "nil", "\"op\"", "[1, 2]", "adam(lr: 0.1)", "(op: (op: \"num\",),)"]
            text += "for e in (\(pick(&g, Array(bases.prefix(4)))), \(pick(&g, Array(bases.prefix(4))))) { print(tagged(e)) }\n"
            if g.below(3) == 0 { text += "print(tagged(\(pick(&g, bases))))\n" }
            let count = 1 + g.below(3)
            for _ in 0..<count {
                let v = g.below(3) == 0 ? pick(&g, values) : pick(&g, Array(values.prefix(8)))
                let w = g.below(3) == 0 ? pick(&g, values) : pick(&g, Array(values.prefix(8)))
                switch g.below(5) {
                case 0: text += "x = \(v)\nprint(repr(x \(pick(&g, ops)) \(pick(&g, texts))))\n"
                case 1: text += "x = \(v)\nif x \(pick(&g, ops)) \(pick(&g, texts)) { print(\"yes\") } else { print(\"no\") }\n"
                case 2: text += "n = 0\nfor i in 0..<3 { if \(v) \(pick(&g, ops)) \(pick(&g, texts)) { n += i } }\nprint(n)\n"
                case 3 where g.below(4) == 0: text += "print(\(pick(&g, ["undefined_name", "q"])) == \"x\")\n"
                default: text += "print(repr(f(\(v), \(w))))\n"
                }
            }
            return text
        }
    }

    /// An interpolation (appendPiece, which leaves a string inline until it passes 15 bytes and
    /// then takes the whole size it expects at once) is its pieces joined with `+` and `str`:
    /// text and values of every length around the inline limit (numbers of 1 to 24 bytes,
    /// strings with code points of 1 to 4 bytes, bools, tuples, tensors), in the general code
    /// and in the tier, shortcuts on and off, and the size rule at the same byte.
    func testInterpolationsAreTheirPiecesJoined() {
        var g = Generator(state: 1515)
        let values = ["0", "7", "1234", "-0.0", "1e308", "nan", "1 / 3", "-2.5e-300", "\"\"", "\"é\"", "\"∑😀\"",
                      "\"abcdefghijklmn\"", "\"abcdefghijklmnop\"", "true", "(1, 2)", "[0.5, 1]", "i", "str(i) + \"é\""]
        let texts = ["", "run_", "_adam", "=", "é", "a longer text piece"]
        for round in 0..<60 {
            var text = "fn both(i) {\n"
            var checks: [String] = []
            for k in 0..<4 {
                let n = 1 + g.below(3)
                var interpolation = "\"", joined = ""
                for p in 0..<n {
                    let t = pick(&g, texts), v = pick(&g, values)
                    interpolation += t + "\\(" + v + ")"
                    joined += (p == 0 ? "" : " + ") + "\"" + t + "\" + str(" + v + ")"
                }
                let tail = pick(&g, texts)
                interpolation += tail + "\""
                joined += " + \"" + tail + "\""
                // Into a local, an argument's register and a tuple item's register.
                text += "    a\(k) = \(interpolation)\n    b\(k) = \(joined)\n"
                text += "    c\(k) = same(\(interpolation))\n    d\(k) = (v: \(interpolation), w: 0).v\n"
                checks.append("a\(k) == b\(k)")
                checks.append("len(a\(k)) - len(b\(k))")
                checks.append("c\(k) == b\(k) and d\(k) == b\(k)")
            }
            text = "fn same(s) = s\n" + text
            text += "    q = \"ab\"\n    for j in 0..<2 { q = \"\\(q)\\(j)\\(q)\" }\n"
            checks.append("q == \"ab0ab1ab0ab\"")
            text += "    return str(" + checks.joined(separator: ") + \" \" + str(") + ")\n}\n"
            text += "for i in (0, 3, 12345678, -1) { print(both(i)) }\n"
            text += "x = 12345\nfor j in 0..<2 { print(\"run_\\(x + j)_adam\", \"\\(x)\\(x)\\(x)\\(x)\") }\n"
            // A piece reading the local the interpolation is assigned to (a global; `q` is a local in `both`).
            text += "s = \"ab\"\nfor j in 0..<3 { s = \"\\(s)\\(j)\\(s)\" }\nprint(s)\n"
            let expected = String(repeating: "true 0 true true 0 true true 0 true true 0 true true\n", count: 4)
                + "run_12345_adam 12345123451234512345\nrun_12346_adam 12345123451234512345\n"
                + "ab0ab1ab0ab2ab0ab1ab0ab\n"
            let outcome = assertSameWithShortcuts(text)
            XCTAssertTrue(outcome.hasPrefix(expected) && !outcome.contains("error"), "round \(round):\n\(text)\n\(outcome)")
            XCTAssertEqual(shortcutOutcome(text, fast: true, tier: false), outcome, "round \(round):\n\(text)")
        }
        // The size rule counts the bytes as each piece is appended, at the same byte either way.
        let limited = "s = \"abcdefghijklm\"\nprint(\"\\(s)\\(s)\")\nprint(\"\\(s)\\(s)\\(s)\")\n"
        for limit in [26, 27, 38, 39] {
            let (general, _) = outputWithTier(limited, tier: false, maxElements: limit)
            let (numeric, _) = outputWithTier(limited, tier: true, maxElements: limit)
            XCTAssertEqual(general, numeric, "limit \(limit)")
            XCTAssertEqual(general.contains("error: "), limit < 39, "limit \(limit): \(general)")
        }
    }

    /// `s[i]` and `for ch in s` give the same code points (not grapheme clusters), and s[i]
    /// keeps giving the right one when the string indexed changes between reads (its code
    /// points are kept for the string indexed last: Interpreter.codePoints).
    func testIndexingAndIteratingAStringAgree() {
        let text = """
            fn points(s) {
                out = ""
                for ch in s { out = out + "[" + ch + "]" }
                return out
            }
            fn indexed(s) {
                out = ""
                for i in 0..<len(s) { out = out + "[" + s[i] + "]" }
                return out
            }
            fn interleaved(s, t) {
                out = ""
                for i in 0..<min(len(s), len(t)) { out = out + s[i] + t[-1 - i] }
                return out
            }
            for s in ("abc", "e\u{301}x", "∑😀é", "", "a long string that no small string holds, ∑") {
                print(points(s) == indexed(s), len(s), indexed(s))
            }
            s = "abc"
            t = s + "def"
            print(interleaved(s, t), interleaved(t, s), s[1], t[1], s[-1], t[-1])
            s = s + "x"
            print(s[3], t[3])
            """
        let run = Run(text)
        XCTAssertNil(run.error)
        XCTAssertEqual(run.output, """
            true 3 [a][b][c]
            true 3 [e][\u{301}][x]
            true 3 [∑][😀][é]
            true 0 \n\
            true 43 [a][ ][l][o][n][g][ ][s][t][r][i][n][g][ ][t][h][a][t][ ][n][o][ ][s][m][a][l][l][ ][s][t][r][i][n][g][ ][h][o][l][d][s][,][ ][∑]
            afbecd acbbca b b c f
            x d

            """)
    }
}

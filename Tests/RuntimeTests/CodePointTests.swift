import XCTest
@testable import Runtime

/// Strings by code point (CodePoints.swift, session 21): `len(s)`, `s[i]` and `for ch in s`
/// read one rule, O(1) on ASCII strings, and it gives what the string's Unicode scalars give
/// for strings made every way the language makes them.
final class CodePointTests: XCTestCase {
    static let pieces = ["", "a", "(", ")", " ", "step 12: loss 0.5", "é", "e\u{301}", "日本語", "🙂", "👩‍👩‍👧", "\u{10FFFF}",
                         "\r\n", "ß", "\u{7F}", String(repeating: "x", count: 40)]

    /// Strings of the pieces above, made as literals, by `+`, by `+=` on a growing string, from
    /// UTF-8 bytes and as a substring's copy: small and heap strings, ASCII and not.
    static func strings(_ count: Int, seed: UInt64) -> [String] {
        var g = GradPropertyTests.Generator(state: seed)
        var out: [String] = []
        for _ in 0..<count {
            var s = ""
            for _ in 0..<g.below(7) { s += pieces[g.below(pieces.count)] }
            switch g.below(4) {
            case 0: out.append(s)
            case 1: out.append(String(decoding: Array(s.utf8), as: UTF8.self))
            case 2: out.append(String(s.dropFirst()))
            default: out.append(s + pieces[g.below(pieces.count)])
            }
        }
        return out
    }

    func testCountAndPositionAreTheScalars() {
        let I = Interpreter(output: { _ in })
        for s in Self.strings(3000, seed: 21) {
            let scalars = Array(s.unicodeScalars)
            XCTAssertEqual(CodePoints.count(s), scalars.count, s.debugDescription)
            XCTAssertEqual(I.codePointCount(s), scalars.count, s.debugDescription)
            // Long enough for `len` to keep its code points, and counted again from them.
            let long = String(repeating: s, count: 40)
            XCTAssertEqual(I.codePointCount(long), scalars.count * 40, s.debugDescription)
            XCTAssertEqual(I.codePointCount(long), scalars.count * 40, s.debugDescription)
            XCTAssertEqual(CodePoints.isASCII(s), scalars.allSatisfy(\.isASCII), s.debugDescription)
            for i in (-scalars.count - 2)...(scalars.count + 1) {
                let j = i < 0 ? i + scalars.count : i
                let want = j >= 0 && j < scalars.count ? String(scalars[j]) : nil
                XCTAssertEqual(I.codePoint(s, at: i), want, "\(s.debugDescription) at \(i)")
            }
        }
    }

    /// Programs that walk a string three ways (`for ch in s`, `s[i]` for i up to `len(s)`, and
    /// from the end by negative positions), at the top level and in a function, numeric tier on
    /// and off: each prints what the scalars give, and `s[len(s)]` the error with the count.
    func testLenIndexAndForWalkTheScalars() {
        // Source text: no quote or backslash, which the literal would read otherwise.
        for s in Self.strings(150, seed: 5) where !s.contains("\"") && !s.contains("\\") {
            let scalars = Array(s.unicodeScalars).map { String($0) }
            let body = """
                s = "\(s)"
                out = ""
                for ch in s { out = out + ch + "|" }
                i = 0
                while i < len(s) { out = out + s[i] + ","; i += 1 }
                k = -1
                while k >= -len(s) { out = out + s[k]; k -= 1 }
                print(len(s), out)
                """
            let want = "\(scalars.count) " + scalars.map { $0 + "|" }.joined() + scalars.map { $0 + "," }.joined()
                + scalars.reversed().joined() + "\n"
            let fail = "error: index \(scalars.count) is out of range for axis 0 with size \(scalars.count)"
            let top = body + "\nprint(s[len(s)])\n"
            let wrapped = "fn f() {\n" + body + "\n  return s\n}\ns = f()\nprint(s[len(s)])\n"
            for program in [top, wrapped] {
                for tier in [false, true] {
                    let (got, _) = outputWithTier(program, tier: tier)
                    XCTAssertTrue(got.hasPrefix(want + fail), "tier \(tier):\n\(program)\n\(got)")
                }
            }
        }
    }

    /// `s[x]` read in place by the element instruction (Machine+Access, tupleItem) against the
    /// general index, shortcuts on and off: every kind of position (whole, fractional, negative,
    /// past either end, huge, -0, nan, a string, nil) of ASCII and other strings, in a variable,
    /// a temporary and a global, at the top level and in functions and loops.
    func testStringPositionsReadInPlaceAreTheGeneralIndex() {
        let texts = ["abc", "", "é日🙂x", "a", "e\u{301}"]
        let keys = ["0", "1", "-1", "2", "3", "-4", "0.5", "-0.0", "1e300", "nan", "\"a\"", "nil", "i", "len(s) - 1", "-len(s)"]
        checkShortcuts(300, seed: 2121) { g in
            let t = pick(&g, texts), k = pick(&g, keys), k2 = pick(&g, keys)
            switch g.below(4) {
            case 0: return "s = \"\(t)\"\ni = 1\nprint(s[\(k)])\nprint(s[\(k2)])\n"
            case 1: return "fn f(s, i) { return s[\(k)] + s[\(k2)] }\nprint(f(\"\(t)\", \(g.below(3))))\n"
            case 2: return "fn f(s) {\n  out = \"\"\n  for i in 0..<len(s) { out = out + (s + \"z\")[\(k)] }\n  return out\n}\nprint(f(\"\(t)\"))\n"
            default: return "s = \"\(t)\"\nout = \"\"\nfor i in 0..<3 { out = out + s[\(k)] }\nprint(out)\n"
            }
        }
    }

    /// `s[a:b:c]` on a string: the code points a tuple of them would give for the same slice
    /// (the tuple's rule is tested against NumPy's positions), for generated strings and bounds
    /// (nil, negative, past either end, steps of either sign), at the top level and in a
    /// function, numeric tier on and off; a step of 0 and a bound that is not a number fail as
    /// the tuple's slice fails.
    func testStringSlicesAreTheCodePointsSliced() {
        var g = GradPropertyTests.Generator(state: 31)
        for s in Self.strings(120, seed: 9) where !s.contains("\"") && !s.contains("\\") {
            let points = Array(s.unicodeScalars)
            let tuple = "(" + points.map { "\"\($0)\"" }.joined(separator: ", ") + (points.count == 1 ? ",)" : ")")
            var lines: [String] = []
            for _ in 0..<6 {
                func bound() -> String { g.below(4) == 0 ? "" : "\(g.below(2 * points.count + 5) - points.count - 2)" }
                let step = ["", "", ":1", ":2", ":-1", ":-3", ":0", ":\"a\""][g.below(8)]
                lines.append("[\(bound()):\(bound())\(step)]")
            }
            for slice in lines {
                let program = "s = \"\(s)\"\nt = \(tuple)\nout = \"\"\nfor ch in t\(slice) { out = out + ch }\nprint(out)\nprint(s\(slice))\n"
                let wrapped = "fn f(s, t) {\n  out = \"\"\n  for ch in t\(slice) { out = out + ch }\n  print(out)\n  return s\(slice)\n}\nprint(f(\"\(s)\", \(tuple)))\n"
                for text in [program, wrapped] {
                    for tier in [false, true] {
                        let (got, _) = outputWithTier(text, tier: tier)
                        if got.contains("error: ") {
                            XCTAssertTrue(got.hasPrefix("error: "), "the tuple's slice should fail first:\n\(text)\n\(got)")
                        } else {
                            // The text twice, each with its newline (the text may hold newlines).
                            let bytes = Array(got.utf8), half = bytes.count / 2
                            XCTAssertEqual(bytes.count % 2, 0, got.debugDescription)
                            XCTAssertEqual(bytes.last, 10, got.debugDescription)
                            XCTAssertEqual(Array(bytes[..<half]), Array(bytes[half...]), "tier \(tier):\n\(text)\n\(got.debugDescription)")
                        }
                    }
                }
            }
        }
        XCTAssertEqual(Run("print(\"abc\"[\"a\"])").error?.message, "a string index must be a number or a slice, not a string")
        XCTAssertEqual(Run("print(\"abc\"[0:1:0])").error?.message, Run("print((1, 2)[0:1:0])").error?.message)
    }

    /// `expect_eq` on strings is the language's `==` (code points), not Swift's canonical
    /// equivalence: generated pairs, canonically equivalent spellings among them ("e" and a
    /// combining accent against "é", the Ångström sign against "Å"), alone and inside tuples.
    func testExpectEqOnStringsIsTheOperator() {
        let spellings = ["é", "e\u{301}", "\u{212B}", "\u{C5}", "A\u{30A}", "a", "ﬁ", "fi", ""]
        var g = GradPropertyTests.Generator(state: 12)
        for _ in 0..<300 {
            let a = spellings[g.below(spellings.count)] + spellings[g.below(spellings.count)]
            let b = g.below(3) == 0 ? a : spellings[g.below(spellings.count)] + spellings[g.below(spellings.count)]
            let (x, y) = g.below(2) == 0 ? ("\"\(a)\"", "\"\(b)\"") : ("(\"\(a)\",)", "(\"\(b)\",)")
            let equal = Run("print(\(x) == \(y))").output
            XCTAssertEqual(equal, Array(a.unicodeScalars) == Array(b.unicodeScalars) ? "true\n" : "false\n", "\(x) == \(y)")
            let check = Run("expect_eq(\(x), \(y))")
            XCTAssertEqual(check.error == nil, equal == "true\n", "expect_eq(\(x), \(y)): \(String(describing: check.error?.message))")
        }
    }

    /// A whole slice bound past ±2^53 (`s[0:1e300]`, `2^62`) clamps as one past the length
    /// does, as Python's and NumPy's slices clamp any integer: strings, tuples and tensors,
    /// read and written, against the same slices with ±100 (past each length here); a fraction
    /// still fails.
    func testHugeSliceBoundsClampAsSmallOnes() {
        let huge = ["1e300", "-1e300", "2^62", "-(2^62)", "9007199254740994"]
        let seqs = ["\"abcde\"", "(1, 2, 3, 4)", "[1, 2, 3]", "\"é日🙂\""]
        var g = GradPropertyTests.Generator(state: 53)
        for _ in 0..<200 {
            let seq = pick(&g, seqs)
            var big: [String] = [], small: [String] = []
            for _ in 0..<3 {
                switch g.below(3) {
                case 0:
                    let h = pick(&g, huge)
                    big.append(h); small.append(h.hasPrefix("-") ? "-100" : "100")
                case 1: let k = "\(g.below(7) - 3)"; big.append(k); small.append(k == "0" && big.count == 3 ? "1" : k)
                default: big.append(""); small.append("")
                }
            }
            if big[2] == "0" { big[2] = "1"; small[2] = "1" }
            let a = "print(\(seq)[\(big[0]):\(big[1]):\(big[2])])\n", b = "print(\(seq)[\(small[0]):\(small[1]):\(small[2])])\n"
            XCTAssertEqual(outputWithTier(a, tier: true).0, outputWithTier(b, tier: true).0, a)
            XCTAssertEqual(outputWithTier(a, tier: false).0, outputWithTier(b, tier: true).0, a)
        }
        XCTAssertEqual(Run("x = [1, 2, 3]\nx[1:1e300] = 0\nprint(x)").output, "[1, 0, 0]\n")
        XCTAssertEqual(Run("print(\"abc\"[0:0.5])").error?.message, "index 0.5 is not a whole number")
    }
}

import XCTest
import Lexer
import Parser
@testable import Runtime

/// `x = append(x, v)` and `x = x + e1 + e2 ...` grow x in place when x holds its storage alone
/// (Builtins.grow, Machine.concatStart). Generated programs run each statement three ways, with
/// the same text on every line where something can fail: alone (the fast path), with a second
/// variable holding x's value (the same statement, its storage shared: copied on write), and
/// through that variable (`x = append(y, v)`, `s = u + ...`: the general code). They must print
/// the same text and fail with the same diagnostic (message, place, notes, loop values, call
/// chain), and leave x as it was when a step fails; the shared variant must leave the second
/// holder as the general code does. Values include nan, -0.0, 1e308, inf, empty collections,
/// views, labelled tuples, numbers where a tensor goes, and counts beyond a small
/// --max-elements.
final class InPlaceGrowthTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    enum Variant: CaseIterable {
        /// x holds its storage alone: the in-place path.
        case alone
        /// A second variable holds x's value before each step.
        case shared
        /// The step reads that second variable instead of x: the general code.
        case general
    }

    /// Printed text, the diagnostic of a failure, and what `after` prints in the same session.
    private func outcome(_ program: String, maxElements: Int?, tier: Bool = true, after: String? = nil) -> String {
        let I = Interpreter(output: { _ in })
        I.usesNumericTier = tier
        if let maxElements { I.maxElements = maxElements }
        let run = Run(program, interpreter: I)
        var text = run.output
        if let e = run.error { text += diagnosticText(e.diagnostic) }
        if let after { text += Run(after, interpreter: I).output }
        return text
    }

    /// The text without the lines that show the second holder (which only the shared and
    /// general variants have).
    private func withoutHolder(_ text: String, _ prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix(prefix) }.joined(separator: "\n")
    }

    /// Runs the three variants of `program(variant)` and demands the agreements; returns
    /// whether the run failed.
    @discardableResult
    private func assertVariantsAgree(_ program: (Variant) -> String, holder: String, maxElements: Int?, after: String?,
                                     file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let alone = outcome(program(.alone), maxElements: maxElements, after: after)
        let shared = outcome(program(.shared), maxElements: maxElements, after: after)
        let general = outcome(program(.general), maxElements: maxElements, after: after)
        let untiered = outcome(program(.alone), maxElements: maxElements, tier: false, after: after)
        XCTAssertEqual(shared, general, "shared vs general:\n\(program(.shared))", file: file, line: line)
        XCTAssertEqual(withoutHolder(alone, holder), withoutHolder(general, holder), "alone vs general:\n\(program(.alone))",
                       file: file, line: line)
        XCTAssertEqual(alone, untiered, "numeric tier on vs off:\n\(program(.alone))", file: file, line: line)
        return general.contains("error: ")
    }

    // MARK: append

    /// A collection to start from: the source of its value, what goes into it, and lines that
    /// define what it reads.
    private struct Start {
        let source: String
        let kind: Kind
        enum Kind { case vector, matrix, tuple, notCollection }
    }

    private static let starts: [Start] = [
        Start(source: "[]", kind: .vector), Start(source: "[1.5, -0.0]", kind: .vector), Start(source: "range(3)", kind: .vector),
        Start(source: "[nan, 1e308, -inf]", kind: .vector), Start(source: "base[1:3]", kind: .vector),
        Start(source: "[[1, 2]]", kind: .matrix), Start(source: "zeros(0, 2)", kind: .matrix),
        Start(source: "transpose([[1, 2], [3, 4]])", kind: .matrix),
        Start(source: "()", kind: .tuple), Start(source: "(1, \"a\")", kind: .tuple), Start(source: "(a: 1, b: [2, 3])", kind: .tuple),
        Start(source: "5", kind: .notCollection), Start(source: "\"s\"", kind: .notCollection),
    ]

    private static let numbers = ["nan", "-0.0", "1e308", "-inf", "inf", "2.5", "-1e-320", "1e308 * 10", "0", "-7"]

    /// A value appended to a collection of this kind; now and then one it refuses.
    private func item(_ g: inout Generator, _ kind: Start.Kind) -> String {
        if g.below(20) == 0 { return ["\"a\"", "true", "(1, 2)", "[1]", "[1, 2, 3]", "[[1, 2]]", "nil"][g.below(7)] }
        let n = Self.numbers
        switch kind {
        case .vector, .notCollection:
            return n[g.below(n.count)]
        case .matrix:
            return "[\(n[g.below(n.count)]), \(n[g.below(n.count)])]"
        case .tuple:
            switch g.below(5) {
            case 0: return "\"s\(g.below(9))\""
            case 1: return "[\(n[g.below(n.count)]), 1]"
            case 2: return "(p: \(n[g.below(n.count)]))"
            default: return n[g.below(n.count)]
            }
        }
    }

    /// `x = append(x, v)` in the form of the variant (x or its holder y read), with `v` by
    /// position or label, or a call that binding refuses.
    private func appendCall(_ variant: Variant, _ value: String, form: Int) -> String {
        let first = variant == .general ? "y" : "x"
        switch form {
        case 0: return "x = append(\(first), x: \(value))"
        case 1: return "x = append(\(first))"
        case 2: return "x = append(\(first), \(value), 1)"
        default: return "x = append(\(first), \(value))"
        }
    }

    /// Where x lives: a global at the top level, a local, a local captured by a closure.
    enum Place: CaseIterable { case global, local, captured }

    /// A loop appending generated values to x (read in place by the call, or copied to a
    /// register before an argument that runs code), printing x and the holder y at each step,
    /// then a literal appended. Under a small --max-elements the holder is not printed (a tree
    /// too large to print fails where only the holder is), with a line as long, so every place
    /// stays where it was.
    private func appendProgram(_ seed: UInt64, _ place: Place, _ variant: Variant, limited: Bool) -> String {
        var g = Generator(state: seed)
        // A number or a string now and then (the first append fails).
        let collections = Self.starts.filter { $0.kind != .notCollection }
        let start = g.below(12) == 0 ? Self.starts.filter { $0.kind == .notCollection }[g.below(2)] : collections[g.below(collections.count)]
        let count = 1 + g.below(12)
        let values = (0..<count).map { _ in item(&g, start.kind) }
        let form = g.below(40) < 37 ? 3 : g.below(3)
        let literal = item(&g, start.kind)
        // The second holder: assigned x (shared, general) or a value of the same length.
        let hold = variant == .alone ? "y = 0" : "y = x"
        let step = appendCall(variant, "vals[k]", form: form)
        let last = appendCall(variant, literal, form: 3)
        var body = """
        base = [1, 2, 3, 4]
        x = \(start.source)
        y = 0

        """
        if place == .captured { body += "peek = fn() = repr(x)\n" }
        body += """
        for k in 0..<len(vals) {
            \(hold)
            \(step)
            print("ys:", repr(\(limited ? "0" : "y")))
            \(place == .captured ? "print(peek())" : "print(len(x))")
        }
        \(hold)
        \(last)
        print("ys:", repr(\(limited ? "0" : "y")))

        """
        let valuesLine = "vals = (\(values.joined(separator: ", ")),)\n"
        switch place {
        case .global:
            return valuesLine + body + "print(repr(x))\n"
        case .local, .captured:
            let indented = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }
            return valuesLine + "fn build(vals) {\n" + indented.joined(separator: "\n") + "    return x\n}\nprint(repr(build(vals)))\n"
        }
    }

    func testAppendInPlaceIsTheGeneralAppend() {
        var failures = 0, completions = 0
        for seed in 1...UInt64(240) {
            for place in Place.allCases {
                // Every fifth program under a small --max-elements.
                let limit: Int? = seed % 5 == 0 ? 7 : nil
                let failed = assertVariantsAgree({ self.appendProgram(seed, place, $0, limited: limit != nil) }, holder: "ys:",
                                                 maxElements: limit, after: place == .global ? "print(\"after:\", repr(x))" : nil)
                if failed { failures += 1 } else { completions += 1 }
            }
        }
        XCTAssertGreaterThan(failures, 60, "programs that fail")
        XCTAssertGreaterThan(completions, 200, "programs that complete")
    }

    /// A row that does not fit says so in append's terms, whether x grows in place (held
    /// alone), is shared, or is no variable at all; an empty tensor takes its first row.
    func testARowThatDoesNotFitSaysSo() {
        let hint = "hint: concat(a, b) joins two tensors end to end; stack(rows) makes rows into a matrix"
        let cases: [(String, String, [String])] = [
            ("[1, 2]", "[3, 4]", ["bad argument #2 to 'append' (a number expected, got a tensor of shape (2,))", hint]),
            ("[1, 2]", "\"a\"", ["bad argument #2 to 'append' (a number expected, got string)"]),
            ("[1, 2]", "(1, 2)", ["bad argument #2 to 'append' (a number expected, got tuple)"]),
            ("zeros(2, 2)", "[1, 2, 3]", ["bad argument #2 to 'append' (a row of shape (2,) expected, got a tensor of shape (3,))"]),
            ("zeros(2, 2)", "1", ["bad argument #2 to 'append' (a row of shape (2,) expected, got number)"]),
            ("zeros(2, 2)", "ones(1, 2)", ["bad argument #2 to 'append' (a row of shape (2,) expected, got a tensor of shape (1, 2))", hint]),
        ]
        for (collection, row, want) in cases {
            for program in ["x = \(collection)\nx = append(x, \(row))", "x = \(collection)\ny = x\nx = append(x, \(row))",
                            "print(append(\(collection), \(row)))", "fn f() {\n  x = \(collection)\n  x = append(x, \(row))\n}\nf()"] {
                let e = Run(program).error
                XCTAssertEqual(e.map { [$0.message] + $0.notes }, want, program)
            }
        }
        XCTAssertEqual(Run("print(append(zeros(0), [1, 2]), append(zeros(0, 2), [1, 2]))").output, "[[1, 2]] [[1, 2]]\n")
    }

    /// The loss recorder of the course, against the same loop with a second holder and a
    /// copy per step, to the bit.
    func testLossRecorderIsTheGeneralOne() {
        let program = { (variant: Variant) -> String in
            """
            w = 5
            losses = []
            keep = 0
            for k in 0..<3000 {
                loss = (w - 1) ^ 2
                \(variant == .alone ? "keep = 0     " : "keep = losses")
                losses = append(\(variant == .general ? "keep  " : "losses"), loss)
                w = w - 0.001 * 2 * (w - 1)
            }
            print(len(losses), repr(losses[0]), repr(losses[len(losses) - 1]), repr(sum(losses)))
            print(repr(losses[100:105]))
            """
        }
        assertVariantsAgree(program, holder: "keep:", maxElements: nil, after: "print(len(losses))")
        assertVariantsAgree(program, holder: "keep:", maxElements: 2500, after: "print(len(losses), repr(losses[2499]))")
    }

    /// Under a tape (a function differentiated) append takes the general call, which lets
    /// go of x too: a traced value refused, numbers appended, the same on every path.
    func testAppendUnderATape() {
        let program = { (variant: Variant) -> String in
            """
            fn f(w) {
                x = [1]
                y = 0
                \(variant == .alone ? "y = 0" : "y = x")
                x = append(\(variant == .general ? "y" : "x"), 2)
                print(repr(x))
                \(variant == .alone ? "y = 0" : "y = x")
                x = append(\(variant == .general ? "y" : "x"), w)
                return sum(x)
            }
            print(repr(value_and_grad(f, 1.5)))
            """
        }
        assertVariantsAgree(program, holder: "ys:", maxElements: nil, after: nil)
        XCTAssertTrue(outcome(program(.alone), maxElements: nil).contains("error: "))
    }

    // MARK: string concatenation

    private static let stringStarts = ["\"\"", "\"ab\"", "\"é∑\"", "5", "[1]", "nan", "-0.0"]

    /// A piece of `s = s + ...`; now and then one `+` refuses, or one with an effect.
    private func piece(_ g: inout Generator) -> String {
        switch g.below(16) {
        case 0: return g.below(3) > 0 ? "str(k)" : ["1", "nan", "[1]", "(1,)", "true", "-0.0", "1e308"][g.below(7)]
        case 1: return "note(k)"
        case 2: return "str(len(s))"
        case 3: return "s"
        case 4: return "\"\""
        case 5: return "(\"x\" + str(k))"
        case 6: return "parts[k % len(parts)]"
        case 7: return "format(k, \".2f\")"
        case 8: return "\"é\\(k)∑\""
        case 9: return "repr(-0.0)"
        // Literals, one long enough to pass the 40-byte limit at its own `+`, before or after
        // a piece that prints.
        default: return ["str(k)", "\",\"", "\"ab\"", "str(nan)", "\"abcdefghijklmnopqrstuvwx\"", "\"=\""][g.below(6)]
        }
    }

    /// A loop of `s = s + pieces` (strings, numbers and tensors now and then, a call that
    /// prints, reads of s itself), printing s and the holder u at each step.
    private func concatProgram(_ seed: UInt64, _ place: Place, _ variant: Variant, limited: Bool) -> String {
        var g = Generator(state: seed &+ 1000)
        // Not a string now and then (the general code, or the first `+` fails).
        let start = g.below(6) == 0 ? Self.stringStarts[3 + g.below(4)] : Self.stringStarts[g.below(3)]
        let count = 1 + g.below(10)
        let pieces = (0..<(1 + g.below(3))).map { _ in piece(&g) }
        let parts = (0..<3).map { _ in g.below(5) == 0 ? "2" : "\"p\(g.below(9))\"" }
        let hold = variant == .alone ? "u = 0" : "u = s"
        let step = "s = \(variant == .general ? "u" : "s") + " + pieces.joined(separator: " + ")
        var body = """
        s = \(start)
        u = 0

        """
        if place == .captured { body += "peek = fn() = s\n" }
        body += """
        for k in 0..<\(count) {
            \(hold)
            \(step)
            print("us:", repr(\(limited ? "0" : "u")))
            \(place == .captured ? "print(repr(peek()))" : "print(repr(s))")
        }

        """
        let head = "parts = (\(parts.joined(separator: ", ")),)\nfn note(k) {\n    print(\"note\", k)\n    return \"n\\(k)\"\n}\n"
        switch place {
        case .global:
            return head + body + "print(repr(s))\n"
        case .local, .captured:
            let indented = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }
            return head + "fn build() {\n" + indented.joined(separator: "\n") + "    return s\n}\nprint(repr(build()))\n"
        }
    }

    func testConcatenationInPlaceIsTheGeneralConcatenation() {
        var failures = 0, completions = 0
        for seed in 1...UInt64(240) {
            for place in Place.allCases {
                // Every fourth program under a small size limit (bytes count as elements).
                let limit: Int? = seed % 4 == 0 ? 40 : nil
                let failed = assertVariantsAgree({ self.concatProgram(seed, place, $0, limited: limit != nil) }, holder: "us:", maxElements: limit,
                                                 after: place == .global ? "print(\"after:\", repr(s))" : nil)
                if failed { failures += 1 } else { completions += 1 }
            }
        }
        XCTAssertGreaterThan(failures, 60, "programs that fail")
        XCTAssertGreaterThan(completions, 200, "programs that complete")
    }

    /// `return s + e1 + e2` of a local s (ChunkCompiler.concatenatedLocal: appended to where s
    /// holds it, then returned) against `return (s,)[0] + ...`, which builds a new string, in
    /// one length so a diagnostic reads the same: s a string, a number or a tuple, pieces that
    /// fail, read s or print, strings past a small size limit, helpers lent the caller's string
    /// (`t = add(t, x)`); numeric tier on and off.
    func testAReturnedConcatenationIsTheGeneralOne() {
        var g = GradPropertyTests.Generator(state: 5353)
        var failures = 0
        for n in 0..<200 {
            func piece() -> String {
                ["\"ab\"", "x", "str(k)", "\"\\(k),\"", "1", "s", "note(k)", "\"\"", "(1,)", "x + x"][g.below(10)]
            }
            let pieces = (0..<(1 + g.below(3))).map { _ in piece() }.joined(separator: " + ")
            let start = ["\"\"", "\"z\"", "0", "()"][g.below(8) == 0 ? 1 + g.below(3) : 0]
            let program = """
                fn note(k) {
                  if k == 3 { print("note", k) }
                  return "n"
                }
                fn add(s, x, k) {
                  if k == 99 { print(k) }
                  return S + \(pieces)
                }
                t = \(start)
                for k in 0..<\(1 + g.below(12)) {
                  t = add(t, \(["\"ab\"", "\"c\"", "k"][g.below(3)]), k)
                  if k % 4 == 0 { print(t) }
                }
                print(t)

                """
            let limit: Int? = g.below(4) == 0 ? 30 : nil
            let taken = program.replacingOccurrences(of: "S +", with: "s       +")
            let built = program.replacingOccurrences(of: "S +", with: "(s,)[0] +")
            for tier in [false, true] {
                let want = outcome(built, maxElements: limit, tier: tier)
                XCTAssertEqual(outcome(taken, maxElements: limit, tier: tier), want, "program \(n), tier \(tier):\n\(taken)")
                if want.contains("error") { failures += 1 }
            }
        }
        XCTAssertGreaterThan(failures, 20, "programs that fail")
    }

    // MARK: in place, by storage identity

    private func global(_ I: Interpreter, _ name: String) -> Value? { I.globals[I.globalSlot(name)] }

    /// Where a global's tensor, tuple or string keeps its elements.
    private func storage(_ I: Interpreter, _ name: String) -> UnsafeRawPointer? {
        switch global(I, name) {
        case .string(var s)?: return s.withUTF8 { UnsafeRawPointer($0.baseAddress) }
        case let v?: return v.storageIdentity
        case nil: return nil
        }
    }

    /// A step that fits the storage writes into it (over 200 steps it moves only when it grows,
    /// geometrically); one with a second holder makes a new one and leaves the holder as it was.
    func testGrowthIsInPlaceUnlessShared() {
        let cases = [
            ("x = []\nfor k in 0..<1000 { x = append(x, k) }", "x = append(x, 1)", "len(x)"),
            ("x = zeros(0, 3)\nfor k in 0..<700 { x = append(x, [k, 1, 2]) }", "x = append(x, [9, 9, 9])", "shape(x)"),
            ("x = ()\nfor k in 0..<1000 { x = append(x, (k: k)) }", "x = append(x, 1)", "len(x)"),
            ("x = \"\"\nfor k in 0..<1000 { x = x + str(k % 10) + \",\" + \"\" }", "x = x + \"ab\"", "len(x)"),
            ("fn f(x) {\n    x = append(x, 1)\n    return x\n}\nx = [1]", "x = f(x)", "len(x)"),
        ]
        for (k, (build, step, size)) in cases.enumerated() {
            let I = Interpreter(output: { _ in })
            _ = Run(build, interpreter: I)
            var moves = 0
            for _ in 0..<200 {
                let before = storage(I, "x")
                _ = Run(step, interpreter: I)
                if storage(I, "x") != before { moves += 1 }
            }
            if k < 4 {
                XCTAssertLessThanOrEqual(moves, 8, "in place: \(build)")
            } else {
                // A function's own local, not the caller's x: a new tensor every call.
                XCTAssertEqual(moves, 200, "a copy: \(build)")
            }
            let sizeBefore = Run("print(\(size))", interpreter: I).output
            _ = Run("keep = x", interpreter: I)
            let kept = storage(I, "keep")
            _ = Run(step, interpreter: I)
            XCTAssertNotEqual(storage(I, "x"), kept, "shared: \(build)")
            XCTAssertEqual(storage(I, "keep"), kept, "shared: \(build)")
            XCTAssertEqual(Run("print(\(size.replacingOccurrences(of: "(x)", with: "(keep)")))", interpreter: I).output, sizeBefore)
        }
    }
}

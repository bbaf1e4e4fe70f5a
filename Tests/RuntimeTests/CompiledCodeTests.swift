import XCTest
import Lexer
import Parser
import TestSupport
@testable import Runtime
#if canImport(Glibc)
import Glibc
#endif

/// The compiled code (Interpreter/Compiled/) against the tree walker it replaced: generated
/// programs over every construct (numbers, tensors and their elements, tuples and labels,
/// strings and interpolation, closures and captured variables, defaults and labelled
/// arguments, every loop form, break/continue/return, errors) print the same text, show the
/// same values in the REPL and fail with the same diagnostic (message, place, notes, call
/// chain, loop values), bit for bit, with the numeric tier on and off, as the walker did. The
/// walker is gone; what it gave is recorded in Tests/reference/compiled_agreement.txt, written
/// from it at commit 6e11d8a (the last with the walker) by testRecordOutcomes.
final class CompiledCodeTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    static let fixture = repositoryRoot + "/Tests/reference/compiled_agreement.txt"
    static let programCount = 400
    static let shownCount = 100

    /// What a run gave: printed text, the values shown (as the REPL would), the diagnostic.
    private func outcome(_ text: String, tier: Bool = true, display: Bool = false) -> String {
        let I = Interpreter(output: { _ in })
        I.usesNumericTier = tier
        return outcomeText(text, in: I, shown: display, value: { Interpreter.short($0) })
    }

    // MARK: the recorded outcomes

    /// One recorded run: the fingerprint of the program it ran (so a changed generator is
    /// caught instead of compared against outcomes of other programs) and its outcome. A long
    /// outcome (a loop printing thousands of lines) keeps its first lines as text and the
    /// whole as a fingerprint.
    struct Record {
        let program: String
        let text: String
        /// The whole outcome's fingerprint when `text` is only its first lines.
        let outcome: String?
    }

    /// Outcomes up to `wholeLines` lines are recorded whole, longer ones by their first `keptLines`.
    static let wholeLines = 60, keptLines = 40

    /// The runs recorded, by name: "run N" (seed N, numeric tier on), "run N without tier"
    /// (only where it differs from "run N"), "shown N" (seed N in the REPL, its shown values).
    static func records(_ text: String) -> [String: Record] {
        var records: [String: Record] = [:]
        var name = "", fields: [String: String] = [:], lines: [Substring] = []
        func flush() {
            guard !name.isEmpty else { return }
            records[name] = Record(program: fields["program"] ?? "", text: lines.map { $0 + "\n" }.joined(),
                                   outcome: fields["outcome"])
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            guard line.hasPrefix("@@ ") else {
                if !name.isEmpty { lines.append(line) }
                continue
            }
            flush()
            var words: [Substring] = []
            fields = [:]
            for word in line.dropFirst(3).split(separator: " ") {
                let pair = word.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) } else { words.append(word) }
            }
            name = words.joined(separator: " ")
            lines = []
        }
        flush()
        return records
    }

    /// FNV-1a over the text's bytes.
    static func fingerprint(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The header of the fixture: where it comes from and how to write it again.
    static let header = """
        # The outcomes of CompiledCodeTests' generated programs (seeds 1...\(programCount), numeric
        # tier on and off; seeds 1...\(shownCount) as the REPL shows them) as the tree walker ran
        # them: written from the walker at commit 6e11d8a, the last that had it, and checked
        # against it there. A record is "@@ NAME program=FINGERPRINT" (FNV-1a of the program's
        # text), then the outcome's lines; "run N without tier" is there only where it differs
        # from "run N". An outcome over \(wholeLines) lines keeps its first \(keptLines) here and adds
        # "outcome=FINGERPRINT lines=COUNT" of the whole.
        # Written by CompiledCodeTests.testRecordOutcomes, run by hand, never edited by hand:
        #   OPTREPL_RECORD_AGREEMENT=1 swift test --filter CompiledCodeTests/testRecordOutcomes
        # Run now, it records the compiled code: only for a change of behaviour meant, whose
        # diff here is that change, record by record.

        """

    /// One record's text for `outcome` of the program `text`.
    static func record(_ name: String, _ text: String, _ outcome: String) -> String {
        let lines = outcome.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        precondition(!lines.contains { $0.hasPrefix("@@ ") }, "\(name): an outcome line starts as a record does")
        var head = "@@ \(name) program=\(fingerprint(text))"
        guard lines.count > wholeLines else { return head + "\n" + outcome }
        head += " outcome=\(fingerprint(outcome)) lines=\(lines.count)\n"
        return head + lines.prefix(keptLines).map { $0 + "\n" }.joined()
    }

    /// The fixture's text from running every program with `run(text, tier, display)`.
    private func recording(_ run: (String, Bool, Bool) -> String) -> String {
        var out = Self.header
        for seed in 1...UInt64(Self.programCount) {
            let text = program(seed)
            let withTier = run(text, true, false), withoutTier = run(text, false, false)
            out += Self.record("run \(seed)", text, withTier)
            if withoutTier != withTier { out += Self.record("run \(seed) without tier", text, withoutTier) }
        }
        for seed in 1...UInt64(Self.shownCount) {
            let text = program(seed)
            out += Self.record("shown \(seed)", text, run(text, true, true))
        }
        return out
    }

    /// The generator of the fixture, run by hand (skipped otherwise). It wrote the tree walker's
    /// outcomes while the walker existed; it now writes the compiled code's, so a change of
    /// behaviour meant shows as the fixture's diff.
    func testRecordOutcomes() throws {
        guard getenv("OPTREPL_RECORD_AGREEMENT") != nil else {
            throw XCTSkip("writes \(Self.fixture) when OPTREPL_RECORD_AGREEMENT is set")
        }
        let text = recording { self.outcome($0, tier: $1, display: $2) }
        guard let f = fopen(Self.fixture, "wb") else { throw TestFileError(description: "cannot write \(Self.fixture)") }
        let bytes = Array(text.utf8)
        fwrite(bytes, 1, bytes.count, f)
        fclose(f)
    }

    /// Checks `outcome` of the program `text` against the record `name` (or `fallback`'s).
    private func check(_ outcome: String, _ records: [String: Record], _ name: String, or fallback: String? = nil,
                       of text: String, line: UInt = #line) {
        guard let r = records[name] ?? fallback.flatMap({ records[$0] }) else {
            XCTFail("\(name) is not recorded in \(Self.fixture)", line: line)
            return
        }
        guard r.program == Self.fingerprint(text) else {
            XCTFail("\(name) was recorded for another program: the generator changed since the fixture was written", line: line)
            return
        }
        guard let whole = r.outcome else {
            XCTAssertEqual(outcome, r.text, "\(name):\n\(text)", line: line)
            return
        }
        XCTAssertEqual(String(outcome.prefix(r.text.count)), r.text, "\(name), its first lines:\n\(text)", line: line)
        XCTAssertEqual(Self.fingerprint(outcome), whole, "\(name), the whole outcome:\n\(text)", line: line)
    }

    // MARK: the generator

    private struct Writer {
        var g: Generator
        /// Numbers the program may read at this point.
        var numbers: [String]

        mutating func constant() -> String {
            switch g.below(8) {
            case 0: return "0"
            case 1: return "-1.5"
            case 2: return "\(g.below(5))"
            case 3: return "0.1"
            case 4: return "1e308"
            case 5: return "nan"
            default: return "\(g.below(20)).25"
            }
        }

        mutating func number(_ depth: Int) -> String {
            if depth == 0 || g.below(3) == 0 {
                return g.below(3) == 0 ? constant() : numbers[g.below(numbers.count)]
            }
            let a = number(depth - 1), b = number(depth - 1)
            switch g.below(16) {
            case 0: return "(\(a) + \(b))"
            case 1: return "(\(a) - \(b))"
            case 2: return "(\(a) * \(b))"
            case 3: return "(\(a) / \(b))"
            case 4: return "(\(a) % 3)"
            case 5: return "(\(a) ^ 2)"
            case 6: return "-\(a)"
            case 7: return "sqrt(abs(\(a)))"
            case 8: return "t[\(g.below(4))]"
            case 9: return "p.x"
            case 10: return "p[1]"
            case 11: return "f(\(a))"
            case 12: return "add(\(a), k: \(b))"
            case 13:
                switch g.below(3) {
                case 0: return "len(s)"
                case 1: return "m[\(g.below(4)), \(g.below(3) - 1)]"
                default: return "mt[\(g.below(3) - 1), \(numbers[g.below(numbers.count)])]"  // a view's element
                }
            case 14: return "counter()"
            default: return "sum(t * \(a))"
            }
        }

        mutating func condition() -> String {
            let ops = ["<", "<=", ">", ">=", "==", "!="]
            let c = "\(number(1)) \(ops[g.below(6)]) \(number(1))"
            switch g.below(5) {
            case 0: return "\(c) and \(number(1)) > 0"
            case 1: return "not (\(c)) or s == \"ab\""
            default: return c
            }
        }

        /// A statement that may fail (an error the program reaches on some seeds).
        mutating func risky() -> String {
            switch g.below(8) {
            case 0: return "t[\(g.below(8))] = \(number(1))"
            case 1: return "q = undefined_name + 1"
            case 2: return "q = t[\(number(1))]"
            case 3: return "q = p.z"
            case 4: return "q = \"a\" - 1"
            case 5: return "q = f(\"x\")"
            case 6: return "q = reshape(t, 3)"
            default: return "q = [1, 2] + [1, 2, 3]"
            }
        }

        mutating func statements(_ depth: Int, indent: String, inLoop: Bool) -> String {
            var out = ""
            for _ in 0..<(1 + g.below(4)) {
                switch g.below(depth > 0 ? 16 : 10) {
                case 0: out += "\(indent)x = \(number(2))\n"
                case 1: out += "\(indent)y \(["+=", "-=", "*=", "/="][g.below(4)]) \(number(1))\n"
                case 2: out += "\(indent)t[\(g.below(4))] \(["=", "+=", "*="][g.below(3)]) \(number(1))\n"
                case 3: out += "\(indent)p = (x: \(number(1)), y: p.y + 1)\n"
                case 4:
                    if g.below(2) == 0 {
                        out += "\(indent)p.y = \(number(1))\n"
                    } else {
                        out += "\(indent)m[\(g.below(4)), \(numbers[g.below(numbers.count)])] \(["=", "+=", "-="][g.below(3)]) \(number(1))\n"
                    }
                case 5: out += "\(indent)s += \"\\(\(number(1))),\"\n"
                case 6: out += "\(indent)print(\"x=\\(x) \\(format(y, \".3f\")) \\(p) \\(t)\")\n"
                case 7: out += "\(indent)w = w * 0.5 + t\n"
                case 8: out += g.below(3) == 0 ? "\(indent)\(risky())\n" : "\(indent)print(repr(\(number(2))))\n"
                case 9:
                    if inLoop {
                        out += "\(indent)if \(condition()) { \(g.below(2) == 0 ? "break" : "continue") }\n"
                    } else {
                        out += "\(indent)print(\(condition()))\n"
                    }
                case 10, 11:
                    out += "\(indent)if \(condition()) {\n" + statements(depth - 1, indent: indent + "    ", inLoop: inLoop)
                    if g.below(2) == 0 {
                        out += "\(indent)} else if \(condition()) {\n" + statements(depth - 1, indent: indent + "    ", inLoop: inLoop)
                        out += "\(indent)} else {\n" + statements(depth - 1, indent: indent + "    ", inLoop: inLoop)
                    }
                    out += "\(indent)}\n"
                case 12:
                    let sequences = ["0..<\(g.below(4))", "1...3", "range(\(g.below(3)), 7, 2)", "t", "(1, \"b\", 3)",
                                     "\"xyz\"", "reshape(range(6), 3, 2)"]
                    let name = "e\(depth)"
                    out += "\(indent)for \(name) in \(sequences[g.below(sequences.count)]) {\n"
                    let saved = numbers
                    out += "\(indent)    x = x + len(\"\\(\(name))\")\n"
                    out += statements(depth - 1, indent: indent + "    ", inLoop: true)
                    numbers = saved
                    out += "\(indent)}\n"
                case 13:
                    // A counter of its own per depth: an inner loop must not reset the outer one's.
                    let n = "n\(depth)"
                    out += "\(indent)\(n) = 0\n\(indent)while \(n) < \(g.below(5)) {\n\(indent)    \(n) += 1\n"
                    out += statements(depth - 1, indent: indent + "    ", inLoop: true)
                    out += "\(indent)}\n"
                case 14:
                    out += "\(indent)r = g(\(number(1)))\n\(indent)print(r.a, r.b)\n"
                default:
                    out += "\(indent)print(map(fn(v) = v * \(number(1)), (1, 2)), counter())\n"
                }
            }
            return out
        }
    }

    private func program(_ seed: UInt64) -> String {
        var w = Writer(g: Generator(state: seed &* 7919), numbers: ["x", "y", "k0"])
        var text = """
            x = 1.5
            y = -2
            k0 = 3
            t = [1, 2, 3, 4] * 1
            m = reshape(range(6), 3, 2) * 1
            mt = transpose(m)
            w = zeros(4)
            p = (x: 1, y: 2)
            s = "ab"
            fn f(v) = v * 2 + k0
            fn add(a, k: 1) = a + k
            fn make_counter() {
                c = 5
                fn step() = c * 2
                c = c + 1
                return step
            }
            counter = make_counter()

            """
        // A function whose body is generated too: its locals, a tuple returned, an early return.
        w.numbers = ["a", "b", "k0"]
        text += "fn g(a) {\n    b = a * 2\n    if a > 100 { return (a: a, b: \"big\") }\n"
        text += w.statements(1, indent: "    ", inLoop: false).replacingOccurrences(of: "x =", with: "b =")
        text += "    return (a: a, b: b)\n}\n"
        w.numbers = ["x", "y", "k0"]
        text += w.statements(2, indent: "", inLoop: false)
        text += "print(repr(x), repr(y), p, s, t, w, m)\n"
        return text
    }

    func testGeneratedProgramsRunAsTheWalkerRanThem() throws {
        let records = Self.records(try readTextFile(Self.fixture))
        var failed = 0
        for seed in 1...UInt64(Self.programCount) {
            let text = program(seed)
            let compiled = outcome(text)
            check(compiled, records, "run \(seed)", of: text)
            check(outcome(text, tier: false), records, "run \(seed) without tier", or: "run \(seed)", of: text)
            if compiled.contains("error: ") { failed += 1 }
        }
        // Both kinds of ending are exercised.
        XCTAssertGreaterThan(failed, Self.programCount / 10)
        XCTAssertLessThan(failed, Self.programCount * 9 / 10)
    }

    /// The REPL shows the value of each top-level statement that has one, as the walker did.
    func testShownValuesAreTheWalkers() throws {
        let records = Self.records(try readTextFile(Self.fixture))
        for seed in 1...UInt64(Self.shownCount) {
            let text = program(seed)
            check(outcome(text, display: true), records, "shown \(seed)", of: text)
        }
    }

    /// A callee that is not callable is named by the error (its range, not the call's) whether
    /// its call site ran before or not: an expression whose fusion is undecided goes operator
    /// by operator through the fusion plan on its first run, which pointed at the whole call.
    func testANotCallableCalleeIsNamedColdOrWarm() {
        for callee in ["3", "\"s\"", "(1, 2)", "[1, 2]", "true", "nil"] {
            let function = "fn iterate(f, x) = f(x) + f(0.5)\n"
            let cold = Run(function + "iterate(\(callee), 1)")
            let warm = Run(function + "iterate(sin, 1)\niterate(\(callee), 1)")
            XCTAssertNotNil(cold.error, callee)
            XCTAssertEqual(cold.error?.message, warm.error?.message, callee)
            XCTAssertEqual(cold.error?.range, warm.error?.range, callee)
            XCTAssertEqual(cold.error?.range?.length, 1, callee)
        }
    }
}

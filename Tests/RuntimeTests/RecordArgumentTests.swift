import XCTest
@testable import Runtime

/// A labelled tuple of numbers and other things passed to a function (`score(cfg, x)` with
/// `cfg = (name: "run", w: [0.5, -1, 2], scale: 0.1)`), by a compiled caller (a top-level loop,
/// a loop of a function, a function passing its own on): the numeric tier's record parameter
/// (NumericParameter.record), read by its labels. Generated programs, with the tuple rebound
/// between loops to other values, labels, orders and kinds, labels the function reads that the
/// tuple lacks, bad indices into its tensors, and strings compared and printed: the same text,
/// errors and call chains, tier on and off, bit for bit.
final class RecordArgumentTests: XCTestCase {
    typealias Generator = GradPropertyTests.Generator

    private func same(_ text: String, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) -> (String, Int) {
        let (general, _) = outputWithTier(text, tier: false)
        let (numeric, I) = outputWithTier(text, tier: true)
        XCTAssertEqual(numeric, general, "seed \(seed):\n\(text)", file: file, line: line)
        return (numeric, I.numericMachine.loopsRun)
    }

    func testRecordsPassedByCompiledCallers() {
        var ran = 0, errors = 0
        let count = 250
        for seed in 1...UInt64(count) {
            var g = Generator(state: seed &* 48_271)
            let n = 2 + g.below(4)
            func vector() -> String { "[" + (0..<n).map { _ in g.constant() }.joined(separator: ", ") + "]" }
            func index() -> String {
                switch g.below(16) {
                case 0: return "i + 1"
                case 1: return ["nan", "-1", "\(n)", "i * 0.5", "1e308"][g.below(5)]
                default: return "i"
                }
            }
            // The function: numbers, a tensor by element and length, a string compared and
            // built into a number's choice, a label the tuple may lack.
            var body = "    s = cfg.bias * x\n"
            switch g.below(4) {
            case 0: body += "    for i in 0..<len(cfg.w) { s += cfg.w[\(index())] * x ^ i }\n"
            case 1: body += "    i = 0\n    while i < \(n) { s = s * cfg.decay + cfg.w[\(index())]; i += 1 }\n"
            case 2: body += "    s += cfg.w[\(g.below(n + 1))] - cfg.bias\n"
            default: body += "    if x > cfg.bias { s -= cfg.decay }\n"
            }
            if g.below(2) == 0 { body += "    if cfg.name == \"\(["run", "test", "é"][g.below(3)])\" { s = s * 2 }\n" }
            if g.below(8) == 0 { body += "    s += cfg.missing\n" }
            var text = "fn score(cfg, x) {\n\(body)    return s\n}\n"
            text += "fn twice(cfg, x) = score(cfg, x) + score(cfg, -x)\n"
            text += "cfg = (name: \"run\", w: \(vector()), bias: \(g.constant()), decay: \(g.constant()), tag: nil)\n"
            text += "total = 0\n"
            for loop in 0..<(1 + g.below(3)) {
                let call = g.below(3) == 0 ? "twice" : "score"
                switch g.below(3) {
                case 0: text += "for k in 0..<\(1 + g.below(20)) { total += \(call)(cfg, k * \(g.constant())) }\n"
                case 1: text += "k = 0\nwhile k < \(1 + g.below(20)) { total = total * 0.5 + \(call)(cfg, k); k += 1 }\n"
                default:
                    // A loop of a function, its record a local.
                    text += "fn run\(loop)(c, m) { t = 0; for k in 0..<m { t += \(call)(c, k) }; return (t: t, c: c) }\n"
                    text += "total += run\(loop)(cfg, \(1 + g.below(20))).t\n"
                }
                text += "print(repr(total))\n"
                switch g.below(8) {
                case 0: text += "cfg = (name: \"test\", w: \(vector()), bias: \(g.constant()), decay: 1, tag: \"x\")\n"
                case 1: text += "cfg = (decay: 0.5, bias: 2, w: \(vector()), tag: [1, 2], name: \"é\")\n"  // other order and kinds
                case 2: text += "cfg = (name: \"run\", w: \(vector()), bias: \"not a number\", decay: 1, tag: nil)\n"
                case 3: text += "cfg = (name: 3, w: \(vector()), bias: 1, decay: 1, tag: nil)\n"
                case 4: text += "cfg = (name: \"run\", w: reshape(range(4), 2, 2), bias: 1, decay: 1, tag: nil)\n"
                case 5: text += "cfg = (name: \"run\", w: \(vector()), bias: 1, decay: 1, tag: nil, missing: 4)\n"
                default: break
                }
            }
            let (output, loops) = same(text, seed: seed)
            ran += loops
            if output.contains("error:") { errors += 1 }
        }
        XCTAssertGreaterThan(ran, count / 2)
        XCTAssertGreaterThan(errors, count / 20)
        XCTAssertLessThan(errors, count / 2)
    }

    /// The record passed by a loop is read at each run, by label; the function also called
    /// from the general code (which does not enter code for a record) gives the same.
    func testRecordsAreReadAtEachRun() {
        let (out, loops) = same("""
            fn score(cfg, x) {
                s = 0
                for i in 0..<len(cfg.w) { s += cfg.w[i] * x }
                if cfg.name == "double" { s = s * 2 }
                return s + cfg.bias
            }
            cfg = (name: "run", w: [1, 2, 3], bias: 0.5)
            total = 0
            for k in 0..<4 { total += score(cfg, k) }
            print(total, score(cfg, 10))
            cfg = (bias: -1, name: "double", w: [1, 1])
            for k in 0..<4 { total += score(cfg, k) }
            print(total, score(cfg, 10))
            """, seed: 0)
        XCTAssertEqual(out, "38 60.5\n58 39\n")
        // The first loop in the tier, with the function's code for that record; the second
        // passes labels in another order, other kinds than the code's, so the general code
        // runs it, and each of its 4 calls runs the function's loop in the tier (as do the two
        // calls in print).
        XCTAssertEqual(loops, 7)
    }
}

import XCTest
import Lexer
import Parser
@testable import Runtime

/// Values updated where they are held (ReusedPlace, session 21): `x = x[a:b]` cutting x's tuple
/// in place (Interpreter.cutInPlace), and `x.a.b = append(x.a.b, v)` growing the item in place,
/// give what the copies give, errors included.
final class ReusedPlaceTests: XCTestCase {
    /// `x = x[a:b]` with the tuple cut in place against `y = x[a:b]; x = y`, which copies: random
    /// pushes, cuts by every kind of bound (negative, past the ends, empty, a step, a bound that
    /// is not a number), copies into other variables kept and printed, labelled items, x a
    /// global, a local and a local a nested function captures; numeric tier on and off. The
    /// printed text and the error are the same.
    func testATupleCutInPlaceIsTheSlice() {
        var g = GradPropertyTests.Generator(state: 2121)
        for n in 0..<200 {
            var lines: [String] = []
            for _ in 0..<(4 + g.below(12)) {
                switch g.below(9) {
                case 0, 1, 2: lines.append(g.below(3) == 0 ? "x = append(x, (v: \(g.below(50))))" : "x = append(x, \(g.below(50)))")
                case 3: lines.append("y = x")
                case 4: lines.append("print(x, y, len(x))")
                case 5: lines.append("CUT[0:len(x) - 1]")
                default:
                    func bound() -> String { ["", "0", "1", "-1", "-3", "2", "len(x)", "len(x) + 4", "-len(x) - 2"][g.below(9)] }
                    let step = ["", "", "", ":1", ":2", ":-1"][g.below(6)]
                    lines.append(g.below(40) == 0 ? "CUT[0:\"a\"]" : "CUT[\(bound()):\(bound())\(step)]")
                }
            }
            lines.append("print(x, y)")
            let body = lines.joined(separator: "\n")
            // Of one length, so that an error's position is the same in both.
            let inPlace = body.replacingOccurrences(of: "CUT[", with: "x = x[").replacingOccurrences(of: "]\n", with: "]; x = x\n")
            let copied = body.replacingOccurrences(of: "CUT[", with: "z = x[").replacingOccurrences(of: "]\n", with: "]; x = z\n")
            func programs(_ b: String) -> [String] {
                let indented = b.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
                return ["x = (1, 2, 3)\ny = ()\nz = 0\n" + b + "\n",
                        "fn f() {\n  x = (1, 2, 3)\n  y = ()\n  z = 0\n" + indented + "\n  return x\n}\nprint(f())\n",
                        "fn f() {\n  x = (1, 2, 3)\n  y = ()\n  z = 0\n  fn size() { return len(x) }\n" + indented
                            + "\n  return (x, size())\n}\nprint(f())\n"]
            }
            if body.contains("CUT") { XCTAssertNotEqual(inPlace, copied) }
            for (a, b) in zip(programs(inPlace), programs(copied)) {
                for tier in [false, true] {
                    let want = outputWithTier(b, tier: tier).0
                    XCTAssertEqual(outputWithTier(a, tier: tier).0, want, "program \(n), tier \(tier):\n\(a)")
                }
            }
            // Typed into the REPL, line by line: each entry shows its last assignment's new value
            // (the cut alone, against the copy stored), and one that fails leaves x as it was.
            let typed = body.replacingOccurrences(of: "CUT[", with: "x = x[")
            XCTAssertEqual(Self.entries(programs(typed)[0]), Self.entries(programs(copied)[0]), "program \(n) as REPL entries")
        }
    }

    /// In the REPL an entry that fails leaves its variables as they were: a cut whose bound is
    /// wrong keeps the tuple the variable held.
    func testAFailedCutKeepsTheTuple() {
        let I = Interpreter(output: { _ in })
        XCTAssertNil(Run("x = (1, 2, 3)\ny = x", interpreter: I).error)
        XCTAssertEqual(Run("x = x[0:\"a\"]", interpreter: I).error?.message, "a slice bound must be a number, not a string")
        XCTAssertEqual(Run("x = x[0:1.5]", interpreter: I).error?.message, "index 1.5 is not a whole number")
        XCTAssertEqual(Run("print(x)\nx = x[0:2]\nprint(x, y)", interpreter: I).output, "(1, 2, 3)\n(1, 2) (1, 2, 3)\n")
    }

    /// `r.log = append(r.log, v)`, `r.inner.xs = ...`, `b[k] = append(b[k], v)`, `r["log"]`,
    /// `runs[k % 2].loss`, a tensor item (the item grown in place, the tuples around it written
    /// where they are) against the same call into another variable and then stored, which
    /// copies: random appends, cuts, keys changed between them (out of range and fractional
    /// too), copies of the tuples and their items kept and printed, the tuples a global, a local
    /// and a local a nested function reads, numeric tier on and off. Each statement pair has one
    /// length in both, so an error reads the same.
    func testAnItemGrownInPlaceIsTheCopy() {
        var g = GradPropertyTests.Generator(state: 4242)
        let paths = ["r.log", "r.inner.xs", "r.inner.deep.ys", "r[\"log\"]", "r.inner[\"xs\"]", "b[k]", "b[k % 2]", "b[-1]",
                     "b[1]", "runs[k % 2].loss", "runs[k % 2][\"loss\"]", "curves[k % 2]"]
        for n in 0..<300 {
            var inPlace: [String] = [], copied: [String] = [], typed: [String] = [], typedCopy: [String] = []
            func pair(_ p: String, _ value: String) {
                let pad = String(repeating: " ", count: p.count - 1)
                inPlace.append("\(p) = \(value); w\(pad) = w")
                copied.append("w\(pad) = \(value); \(p) = w")
                // As REPL entries each shows the new value of its target (spec: an assignment).
                typed.append("\(p) = \(value)")
                typedCopy.append("w = \(value); \(p) = w")
            }
            func same(_ line: String) { inPlace.append(line); copied.append(line); typed.append(line); typedCopy.append(line) }
            for _ in 0..<(4 + g.below(12)) {
                let p = paths[g.below(paths.count)]
                switch g.below(12) {
                case 0, 1, 2:
                    // A string appended to a tensor item fails after the item left its record:
                    // the REPL's entries must find it back.
                    let v = p.hasPrefix("curves") ? (g.below(6) == 0 ? "\"s\"" : "\(g.below(50))")
                        : ["\(g.below(50))", "(v: \(g.below(9)))", "\"s\(g.below(9))\"", "len(\(p))"][g.below(4)]
                    pair(p, "append(\(p), \(v))")
                case 10, 11:
                    // The program's own helpers, the item passed first or later (enterFrame takes
                    // it from the record), one failing after it grew the item.
                    pair(p, ["push(\(p), \(g.below(50)))", "push2(\(g.below(50)), \(p))", "grow3(\(p), \(g.below(9)))"][g.below(3)])
                case 3: pair(p, "\(p)[0:len(\(p)) - 1]")
                case 4: pair(p, g.below(20) == 0 ? "\(p)[0:\"a\"]" : "\(p)[\(["", "1", "-2"][g.below(3)]):\(["", "2", "-1"][g.below(3)])]")
                case 5: same("k = \(["0", "1", "2", "2", "1", "5", "0.5", "-1"][g.below(8)])")
                case 6: same(["y = r", "z = \(p)", "r.n += 1", "y = b", "y = runs", "z = curves"][g.below(6)])
                default: same("print(r, b, runs, curves, y, z)")
                }
            }
            func programs(_ lines: [String]) -> [String] {
                let start = [
                    "r = (log: (), n: 0, inner: (xs: (1, 2), deep: (ys: (\"a\",))))",
                    "b = ((), (1,), (2, 3))", "runs = ((loss: (), lr: 0.1), (loss: (4,), lr: 0.2))", "curves = (zeros(0), ones(2))",
                    "k = 1", "y = ()", "z = ()", "w = 0"]
                let body = start + lines + ["print(r, b, runs, curves, y, z)"]
                let indented = body.map { "  " + $0 }.joined(separator: "\n")
                let helpers = "fn push(t, v) = append(t, v)\nfn push2(v, t) { t = append(t, v); return t }\n"
                    + "fn grow3(t, v) { t = append(t, v); if v == 7 { return t + \"x\" }; return t }\n"
                return [helpers + body.joined(separator: "\n") + "\n",
                        helpers + "fn f() {\n" + indented + "\n  return r\n}\nprint(f())\n",
                        helpers + "fn f() {\n" + indented + "\n  fn size() { return len(r.log) + len(b) }\n  return (r, size())\n}\nprint(f())\n"]
            }
            for (a, c) in zip(programs(inPlace), programs(copied)) {
                for tier in [false, true] {
                    let want = outputWithTier(c, tier: tier).0
                    XCTAssertEqual(outputWithTier(a, tier: tier).0, want, "program \(n), tier \(tier):\n\(a)")
                    // As a script: the top level's globals lent to the helpers too.
                    XCTAssertEqual(scriptOutput(a, tier: tier), scriptOutput(c, tier: tier), "script \(n), tier \(tier):\n\(a)")
                }
            }
            XCTAssertEqual(Self.entries(programs(typed)[0]), Self.entries(programs(typedCopy)[0]), "program \(n) as REPL entries")
        }
    }

    /// A program's lines run as REPL entries in one session (`run(display:)`): what each shows,
    /// prints or fails with; a failed entry does not stop the next.
    static func entries(_ program: String) -> String {
        let I = Interpreter(output: { _ in })
        var out = ""
        I.host.output = { out += $0 }
        for (k, line) in program.split(separator: "\n").enumerated() {
            guard case .complete(let parsed) = Parser.parse(SourceFile(name: "<repl:\(k)>", text: String(line))) else {
                out += "does not parse: \(line)\n"
                continue
            }
            do { try I.run(parsed, display: { out += I.displayText($0) + "\n" }) } catch { out += "error: \(error.message)\n" }
        }
        return out
    }

    /// An entry that fails leaves the record as it was (the REPL keeps what was computed).
    func testAFailedUpdateKeepsTheRecord() {
        let I = Interpreter(output: { _ in })
        XCTAssertNil(Run("r = (log: (1, 2, 3), inner: (xs: (4,)))\nq = r.log", interpreter: I).error)
        XCTAssertEqual(Run("r.log = r.log[0:\"a\"]", interpreter: I).error?.message, "a slice bound must be a number, not a string")
        XCTAssertEqual(Run("r.inner.xs = append(r.inner.xs, 5, 6)", interpreter: I).error?.message.isEmpty, false)
        XCTAssertEqual(Run("print(r)\nr.log = append(r.log, 4)\nr.inner.xs = r.inner.xs[1:]\nprint(r, q)", interpreter: I).output,
                       "(log: (1, 2, 3), inner: (xs: (4,)))\n(log: (1, 2, 3, 4), inner: (xs: ())) (1, 2, 3)\n")
    }

    /// `x = f(x, ...)` with x a local and f a function of the program (x lets go of its value for
    /// the call: enterFrame), and `return append(t, v)` / `return t[a:b]` in f (t's value taken
    /// by the call or the slice: nothing reads t after the return), against `w = f(x, ...);
    /// x = w`, which keeps x's copy: random pushes, pops, cuts, helpers that fail part way,
    /// copies kept and printed, the same argument twice, numeric tier on and off. One length
    /// per statement pair, so an error reads the same.
    func testAValueLentToAFunctionIsTheCopy() {
        let helpers = """
            fn push(t, x) { return append(t, x) }
            fn pop(t) { return t[0:len(t) - 1] }
            fn cut(t, a, b) { return t[a:b] }
            fn twice(t, x) { t = append(t, x); return append(t, x) }
            fn both(t, u) { return append(t, len(u)) }
            fn bad(t, x) { u = append(t, x); return u[0:x] }
            fn keep(t, x) { y = t; t = append(t, x); return (t, y)[0] }
            fn later(x, t) { t = append(t, x); return t }
            fn text(t, x) { t += "\\(x)"; return t }

            """
        var g = GradPropertyTests.Generator(state: 777)
        for n in 0..<200 {
            var lent: [String] = [], copied: [String] = []
            func pair(_ call: String) {
                lent.append("x = \(call); w = w")
                copied.append("w = \(call); x = w")
            }
            for _ in 0..<(4 + g.below(12)) {
                switch g.below(11) {
                case 0, 1, 2: pair("push(x, \(["\(g.below(50))", "(v: 1)", "\"s\"", "len(x)"][g.below(4)]))")
                case 3: pair("pop(x)")
                case 4: pair("cut(x, \(["0", "1", "-2", "nil"][g.below(4)]), \(["len(x)", "2", "-1", "nil"][g.below(4)]))")
                case 5: pair(["twice(x, 7)", "both(x, x)", "keep(x, 3)", "later(4, x)", "later(x, x)"][g.below(5)])
                case 6: pair(g.below(10) == 0 ? "bad(x, \"a\")" : "bad(x, 1)")
                case 7:
                    lent.append("y = x"); copied.append("y = x")
                case 8:
                    // A string grown by a helper: lent as a tuple is.
                    let call = g.below(12) == 0 ? "text(u, x)" : "text(u, \(g.below(9)))"
                    lent.append("u = \(call); w = w"); copied.append("w = \(call); u = w")
                default:
                    lent.append("print(x, y, u)"); copied.append("print(x, y, u)")
                }
            }
            func program(_ lines: [String]) -> String {
                let body = (["x = (1, 2)", "y = ()", "w = 0", "u = \"\""] + lines + ["return (x, y, u)"]).map { "  " + $0 }
                return helpers + "fn main() {\n" + body.joined(separator: "\n") + "\n}\nprint(main())\n"
            }
            // At a script's top level: globals no function names, lent the same way.
            func script(_ lines: [String]) -> String {
                helpers + (["x = (1, 2)", "y = ()", "w = 0", "u = \"\""] + lines + ["print(x, y, u)"]).joined(separator: "\n") + "\n"
            }
            for tier in [false, true] {
                let want = outputWithTier(program(copied), tier: tier).0
                XCTAssertEqual(outputWithTier(program(lent), tier: tier).0, want, "program \(n), tier \(tier):\n\(program(lent))")
                XCTAssertEqual(scriptOutput(script(lent), tier: tier), scriptOutput(script(copied), tier: tier),
                               "script \(n), tier \(tier):\n\(script(lent))")
            }
        }
    }

    /// A top-level `x = f(x, ...)` in a run an error ends (a script), with x a global no function
    /// names: f's frame takes x's value (ChunkCompiler.Lending), against the same run
    /// with the REPL's rule, which lends nothing: random pushes, pops, cuts and tensor writes by
    /// helpers, helpers that fail after growing the value, that name x or another global
    /// (directly, through another helper or a function they make), that misspell a name (the
    /// error suggests the lent x), copies kept and printed, the same argument twice, in loops;
    /// numeric tier on and off. The printed text and the error are the same.
    func testAGlobalLentToAFunctionInAScriptIsTheCopy() {
        let helpers = """
            fn push(t, v) { return append(t, v) }
            fn pop(t) { return t[0:len(t) - 1] }
            fn twice(t, v) { t = append(t, v); return append(t, v) }
            fn both(t, u) { return append(t, len(u)) }
            fn bad(t, v) { u = append(t, v); return u[0:v] }
            fn bump(t, i) { t[i % 3] = i; return t }
            fn fill(t, k) {
                for j in 0..<len(t) { t[j] += k }
                t[k] = -k
                return t
            }
            fn via(t, v) = push(t, v)

            """
        let naming = [
            "fn push2(t, v) { print(len(x)); return append(t, v) }\n",
            "fn peek() = len(x)\nfn push2(t, v) { n = peek(); return append(t, n) }\n",
            "fn push2(t, v) = append(t, map(fn(a) = a + len(y), (v,))[0])\n",
            "fn push2(t, v) { u = append(t, v); return u + w[0] }\n",
            "fn push2(t, v) { u = append(t, v); return xz }\n",
            "fn push2(t, v) = append(t, v)\nfn later() = x\n",
            "push2 = fn(t, v) = append(t, len(x) + v)\n",
        ]
        var g = GradPropertyTests.Generator(state: 9191)
        for n in 0..<200 {
            var lines: [String] = []
            for _ in 0..<(3 + g.below(8)) {
                let line: String
                switch g.below(11) {
                case 0, 1, 2: line = "x = push(x, \(["\(g.below(50))", "(v: 1)", "\"s\"", "len(x)"][g.below(4)]))"
                case 3: line = ["x = pop(x)", "y = pop(y)", "x = via(x, 2)"][g.below(3)]
                case 4: line = ["x = twice(x, 7)", "x = both(x, x)", "y = push(y, len(x))"][g.below(3)]
                case 5: line = g.below(8) == 0 ? "x = bad(x, \"a\")" : "x = bad(x, 1)"
                case 6:
                    // fill runs in the numeric tier, which writes a lent w in place and gives
                    // the writes back when k is past the end (the general code then fails).
                    line = g.below(6) == 0 ? "w = bump(w, \"a\")"
                        : g.below(2) == 0 ? "w = fill(w, \(g.below(4)))" : "w = bump(w, \(g.below(5)))"
                case 7: line = "x = push2(x, \(g.below(9)))"
                case 8: line = ["y = x", "v = w", "y = push(x, 1)"][g.below(3)]
                case 9: line = "for i in 0..<\(g.below(4)) { x = push(x, i); w = bump(w, i); print(len(x)) }"
                default: line = "print(x, y, w, v)"
                }
                lines.append(line)
            }
            let program = helpers + naming[g.below(naming.count)] + "x = (1, 2)\ny = ()\nw = zeros(3)\nv = w\n"
                + lines.joined(separator: "\n") + "\nprint(x, y, w, v)\n"
            for tier in [false, true] {
                func outcome(lending: Bool) -> String {
                    let I = Interpreter(output: { _ in })
                    I.usesNumericTier = tier
                    I.host.errorsEndTheRun = lending
                    let run = Run(program, interpreter: I)
                    return run.output + (run.error.map { "error: \($0.message) at \(String(describing: $0.range))\n" } ?? "")
                }
                XCTAssertEqual(outcome(lending: true), outcome(lending: false), "program \(n), tier \(tier):\n\(program)")
            }
        }
    }

    /// A record rebuilt from its own items, `s = (xs: append(s.xs, v), n: s.n + 1, ...)`, `p =
    /// (append(p[0], v), p[1] + 1)` and `return (xs: append(s.xs, v), ...)` (ChunkCompiler.
    /// reusedItems: the item taken from the local as the element runs; grownRecord for a global
    /// or a cell: the item grown last, when the call cannot fail), the item reached by a label,
    /// a string index or a position, against the same text reading it through `id(s)`, which
    /// takes nothing: random appends and cuts, labels in other orders, later elements that read
    /// the item, the whole record or a position that may be the same (nothing may be taken
    /// then), errors after the take, helpers the record is lent to and that read it, copies kept
    /// and printed; s a local, a global and a local a nested function reads; numeric tier on and
    /// off; and as REPL entries. Each taking text has the length of its copy, so an error reads
    /// the same.
    func testARecordRebuiltFromItsItemsIsTheCopy() {
        let helpers = """
            fn id(x) = x
            fn step(s, v) { return (xs: append(S.xs, v), n: s.n + 1, log: s.log) }
            fn late(s, v) { return (xs: append(S.xs, v), n: s.n + v, log: s.log) }
            fn swap(s, v) { return (n: s.n + 1, log: s.log, xs: append(S.xs, v)) }
            fn cut(s) { return (xs: S.xs[1:], n: s.n - 1, log: s.log) }
            fn both(s, v) { return (xs: append(S.xs, v), n: len(s.xs), log: s.log) }
            fn logit(s, v) { return (xs: s.xs, n: s.n, log: (a: append(s.log.a, v))) }
            fn pstep(p, v) { return (append(P0, v), p[1] + 1) }

            """
        var g = GradPropertyTests.Generator(state: 9090)
        for n in 0..<200 {
            var lines: [String] = []
            func value() -> String { ["\(g.below(50))", "(v: \(g.below(9)))", "\"s\"", "len(s.xs)"][g.below(4)] }
            for _ in 0..<(4 + g.below(14)) {
                switch g.below(14) {
                case 0, 1: lines.append("SET(xs: append(S.xs, \(value())), n: s.n + 1, log: s.log)")
                case 2: lines.append("SET(n: s.n + 1, xs: append(S.xs, \(value())), log: s.log)")
                case 3: lines.append("SET(xs: append(S.xs, 1), n: s.n + \(g.below(8) == 0 ? "\"a\"" : "1"), log: s.log)")
                case 4: lines.append("SET(xs: S.xs[\(["", "1", "-2", "\"a\""][g.below(4)]):], n: s.n, log: s.log)")
                case 5: lines.append("SET(xs: append(S.xs, 2), n: len(s), log: s.log)")
                case 6:
                    lines.append(["SET(xs: append(S.xs, 3), n: len(s.xs), log: (a: append(s.log.a, s.n)))",
                                  "SET(log: (a: s.xs), xs: append(S.xs, 9), n: s.n)",
                                  "SET(xs: append(S.xs, s.n), n: s.n * 2 - s.n + 1, log: (a: (s.log.a, \"t\")))",
                                  "SET(xs: append(S.xs, 4), n: size(), log: s.log)",
                                  "SET(xs: append(S.xs, 5), n: s[\"n\"], log: (a: s[\"xs\"]))"][g.below(5)])
                case 7:
                    let call = ["step(s, \(value()))", "late(s, \(g.below(6) == 0 ? "\"a\"" : "2"))", "swap(s, 4)", "cut(s)",
                                "both(s, 5)", "logit(s, 6)"][g.below(6)]
                    lines.append("SET\(call)")
                case 8: lines.append(["y = s", "z = s.xs", "y = s.log", "y = s", "z = s.xs", "s.xs = 7"][g.below(6)])
                case 9, 10:
                    lines.append(["PSET(append(P0, \(value())), p[1] + 1)", "PSET(append(PL, 2), p[-1] + 1)",
                                  "PSET(append(P0, 3), p[-1] + 1)", "PSET(append(P0, 1), len(p[\(g.below(2) == 0 ? 0 : -2)]))",
                                  "PSET(append(P0, 4), p[1] + \(g.below(4) == 0 ? "\"a\"" : "2"))", "PSETpstep(p, 5)",
                                  "y = p", "z = p[0]"][g.below(8)])
                default: lines.append("print(s, p, y, z)")
                }
            }
            func programs(_ lines: [String]) -> [String] {
                // size() reads s.xs where s is global (at the top level) or captured; in the
                // middle program s is f's own local, which no function can read.
                let size = "fn size() { return len(s.xs) }"
                let body = ["s = (xs: (1, 2), n: 2, log: (a: ()))", "p = ((0,), 0)", "y = ()", "z = ()", "w = 0"] + lines
                    + ["print(s, p, y, z)"]
                let indented = body.map { "  " + $0 }.joined(separator: "\n")
                return [size + "\n" + body.joined(separator: "\n") + "\n",
                        "fn size() { return 0 }\nfn f() {\n" + indented + "\n  return (s, p)\n}\nprint(f())\n",
                        "fn f() {\n  " + size + "\n" + indented + "\n  return (s, p, size())\n}\nprint(f())\n"]
            }
            // The item by a label, or by a string index, as the program's number says.
            let items = n % 2 == 0 ? ["S.xs": "s.xs    ", "P0": "p[0]    ", "PL": "p[-2]    "]
                                   : ["S.xs": "s[\"xs\"] ", "P0": "p[0]    ", "PL": "p[-2]    "]
            let copies = ["S.xs": "id(s).xs", "P0": "id(p)[0]", "PL": "id(p)[-2]"]
            func placed(_ text: String, _ taking: Bool) -> String {
                var out = text
                for (k, v) in taking ? items : copies { out = out.replacingOccurrences(of: k, with: v) }
                return out
            }
            // As REPL entries each shows its target's new value (spec: an assignment), so the
            // taking text is the assignment alone there.
            func text(_ lines: [String], taking: Bool, entries: Bool = false) -> [String] {
                let body = lines.map { line -> String in
                    for (prefix, target, open) in [("SET", "s", ""), ("PSET", "p", "(")] where line.hasPrefix(prefix) {
                        let value = placed(open + line.dropFirst(prefix.count) + (open.isEmpty ? "" : ")"), taking)
                        return taking ? "\(target) = " + value + (entries ? "" : "; w = w") : "w = " + value + "; \(target) = w"
                    }
                    return line
                }
                return programs(body).map { placed(helpers, taking) + $0 }
            }
            let inPlace = text(lines, taking: true), copied = text(lines, taking: false)
            for (a, c) in zip(inPlace, copied) {
                for tier in [false, true] {
                    let want = outputWithTier(c, tier: tier).0
                    XCTAssertEqual(outputWithTier(a, tier: tier).0, want, "program \(n), tier \(tier):\n\(a)")
                }
            }
            XCTAssertEqual(Self.entries(text(lines, taking: true, entries: true)[0]), Self.entries(copied[0]),
                           "program \(n) as REPL entries")
        }
    }

    /// `return build(append(acc, i), i + 1, n)` and other calls and slices inside a returned
    /// expression (ChunkCompiler.takenInReturn: a local no other part of it reads is taken)
    /// against the same text reading the local through `(t,)[0]`: recursive accumulators, a slice
    /// passed on, the local read a second time (nothing taken then), a later part that fails,
    /// the local passed in a later position (`flip(k - 1, t)`) and to a call inside a call,
    /// copies kept by the caller and printed; numeric tier on and off.
    func testACallInAReturnTakesADeadLocal() {
        var g = GradPropertyTests.Generator(state: 3131)
        for n in 0..<150 {
            let forms = ["build(append(T, k), k - 1)", "build(T[1:], k - 1)", "build(append(T, len(t)), k - 1)",
                         "(append(T, k), k)[0]", "build(append(T, k), k - \"a\")", "build(append(append(T, k), k), k - 2)",
                         "id(append(T, (v: k)))", "build(append(T, t[0]), k - 1)", "build(append(T, k), min(k - 1, len(t)))",
                         "(append(T, k), len(t))[0]", "flip(k - 1, T)", "build(build(T, k - 1), k - 2)", "id(flip(k - 2, T))"]
            // flip passes t last: a function of the program takes it in any position.
            var helpers = "fn id(x) = x\nfn flip(k, t) = build(t, k)\n"
            helpers += "fn build(t, k) {\n  if k <= 0 or len(t) == 0 { return t }\n  return \(forms[g.below(forms.count)])\n}\n"
            helpers += "fn other(t, k) = \(forms[g.below(forms.count)].replacingOccurrences(of: "build", with: "id(0) + len"))\n"
            var lines = ["x = (1, 2, 3)", "y = x"]
            for _ in 0..<(2 + g.below(5)) {
                switch g.below(4) {
                case 0: lines.append("x = build(x, \(g.below(30)))")
                case 1: lines.append("y = build(y, \(g.below(6)))")
                case 2: lines.append("print(other(x, 2))")
                default: lines.append("print(len(x), len(y), x[-1], y[0])")
                }
            }
            let body = lines.joined(separator: "\n") + "\n"
            let indented = lines.map { "  " + $0 }.joined(separator: "\n")
            for program in [body, "fn f() {\n" + indented + "\n  return (len(x), y)\n}\nprint(f())\n"] {
                // `(t,)[0]` passes t's value through a tuple: no call reads t itself.
                let taking = helpers.replacingOccurrences(of: "T", with: "t      ") + program
                let copying = helpers.replacingOccurrences(of: "T", with: "(t,)[0]") + program
                for tier in [false, true] {
                    XCTAssertEqual(outputWithTier(taking, tier: tier).0, outputWithTier(copying, tier: tier).0,
                                   "program \(n), tier \(tier):\n\(taking)")
                }
            }
        }
    }

    /// `r.text += piece` (and by a label or position key, nested, in a record a function keeps)
    /// appending to the string where the record holds it (Interpreter.combineItem) against
    /// `w = r.text + piece; r.text = w`: pieces that are no strings (the `+` error, the record as
    /// it was), non-ASCII text, copies of the record and of the text kept and printed, the size
    /// limit (`--max-elements` 30), at the top level and in a function.
    func testAStringItemGrownInPlaceIsTheConcatenation() {
        var g = GradPropertyTests.Generator(state: 5151)
        let places = ["r.text", "r[\"text\"]", "r.inner.s", "r[1]"]
        for n in 0..<200 {
            var grown: [String] = [], copied: [String] = []
            for _ in 0..<(3 + g.below(10)) {
                let p = places[g.below(places.count)]
                let pad = String(repeating: " ", count: p.count - 1)
                switch g.below(6) {
                case 0, 1, 2:
                    let piece = ["\"ab\"", "\"é∑\"", "str(len(\(p)))", "\"\"", "5", "\"x\" + \"y\"", "\"abcdefghijklm\""][g.below(7)]
                    grown.append("\(p) += \(piece); w\(pad)  = w")
                    copied.append("w\(pad) = \(p) + \(piece); \(p) = w")
                case 3:
                    let line = ["y = r", "z = \(p)", "z = r.inner"][g.below(3)]
                    grown.append(line); copied.append(line)
                default:
                    grown.append("print(r, y, z)"); copied.append("print(r, y, z)")
                }
            }
            func programs(_ lines: [String]) -> [String] {
                let body = ["r = (text: \"\", \"t\", inner: (s: \"q\",))", "y = 0", "z = 0", "w = 0"] + lines + ["print(r, y, z)"]
                let indented = body.map { "  " + $0 }.joined(separator: "\n")
                return [body.joined(separator: "\n") + "\n", "fn f() {\n" + indented + "\n  return r\n}\nprint(f())\n"]
            }
            // `p += x` reports its error at the statement, `p + x` at the operator, in programs of
            // other lengths: the messages, the calls and what was printed are compared.
            func outcome(_ program: String, _ limit: Int?) -> String {
                outputWithTier(program, tier: true, maxElements: limit).0.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { line in line.hasPrefix("error: ") || line.hasPrefix("called from ")
                        ? String(line.components(separatedBy: " at ")[0]) : String(line) }
                    .joined(separator: "\n")
            }
            for (a, c) in zip(programs(grown), programs(copied)) {
                for limit in [nil, 30] as [Int?] {
                    XCTAssertEqual(outcome(a, limit), outcome(c, limit), "program \(n), limit \(String(describing: limit)):\n\(a)")
                }
            }
        }
    }

    /// `r = step(xs, t); xs = r[0]; t = r[1]` in a function (ChunkCompiler.statement(_:before:):
    /// xs lent to the call when the block assigns it again before anything reads it, and r let
    /// go of first) against the same text passing `(xs,)[0]`, which lends nothing: random
    /// statements between the call and the new value (reads of xs, copies kept, `break`,
    /// `continue` and `return` on the way, an assignment on one path only, errors inside the
    /// helper after it grew xs, a misspelled name whose suggestion is the target let go of),
    /// in loops and out; numeric tier on and off. Also lent: a local no code after reads (`last`:
    /// in an `if` after which only ys is read; in a loop, `spin`, whose next step may read it), the target passed to a call inside its value
    /// (`xs = append(append(xs, t), t)`), and `b2 = append(xs, t); xs = b2`, whose target's old
    /// value goes with it; and moved, `y = xs` before xs is assigned again (against the code
    /// without shortcuts too).
    func testALocalAssignedAgainIsLentToTheCall() {
        let helpers = """
            fn id(x) = x
            fn step(xs, t) = (append(xs, t), t + 1)
            fn grow(xs, t) {
              xs = append(xs, t)
              return (xs, len(xs) + t)
            }
            fn count(xs) = len(xs) + len(xs)
            fn miss(xs, t) {
              if t > 4 { return rr }
              return (append(xs, t), t + 1)
            }
            fn both2(xs, ys) = (append(xs, 1), append(ys, len(xs)))

            """
        var g = GradPropertyTests.Generator(state: 6161)
        for n in 0..<200 {
            var body: [String] = []
            for _ in 0..<(3 + g.below(8)) {
                switch g.below(16) {
                case 14: body.append(["r = both2(XS, YS)", "r = both2(YS, XS)"][g.below(2)])
                case 15: body.append(["ys = r[1]", "ys = r[0]", "print(len(ys))"][g.below(3)])
                case 0, 1: body.append("r = \(["step", "grow", "miss"][g.below(3)])(XS, \(g.below(12) == 0 ? "\"a\"" : "t"))")
                case 2, 3: body.append("xs = r[0]")
                case 4: body.append("t = r[1]")
                case 5: body.append("print(len(xs), t)")
                case 6: body.append(["if t > \(g.below(9)) { break }", "if t % 3 == 0 { continue }", "if t > 20 { return (xs, y) }"][g.below(3)])
                case 7: body.append("y = xs")
                case 8: body.append("if t % 2 == 0 { xs = r[0] }")
                case 9: body.append("q = count(XS)")
                case 10: body.append("xs = append(xs, t)")
                case 11: body.append(["r = step(XS, len(xs))", "r = step(XS, r[1])", "z = step(XS, 1)[1] + len(xs)",
                                       "r = (step(XS, t)[0], len(r))"][g.below(4)])
                case 12:
                    // The target passed to a call inside its value, the target of a built-in's
                    // growing call assigned to the variable it grew.
                    body.append(["xs = append(append(XS, t), t)", "xs = id(step(XS, t)[0])", "xs = append(id(XS), 1)", "xs = append(append(XS, t), len(xs))", "xs = append(append(XS, t), xz)",
                                 "b2 = append(XS, t)\nxs = b2", "b2 = append(XS, t)\nxs = b2\nprint(len(b2))"][g.below(7)])
                default: body.append("z = step(XS, 0)[1]")
                }
            }
            let lines = body.flatMap { $0.split(separator: "\n").map(String.init) }
            let loop = lines.map { "    " + $0 }.joined(separator: "\n")
            let flat = lines.filter { !$0.hasPrefix("if") }.map { "  " + $0 }.joined(separator: "\n")
            /// A function that starts with xs, ys, t, r and y, runs `body`, and returns `result`.
            func function(_ header: String, _ start: String, _ body: String, _ result: String) -> String {
                "fn \(header) {\n  xs = \(start)\n  ys = (8,)\n  t = 0\n  r = (xs, t)\n  y = ()\n\(body)\n  return \(result)\n}\n"
            }
            let inLoop = "  for i in 0..<n {\n\(loop)\n  }"
            let inIf = "  if k > 0 {\n\(flat.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))\n  }\n  print(len(ys))"
            let program = function("go(n)", "(9,)", inLoop, "(xs, y, ys)") + function("once()", "(1, 2)", flat, "(xs, r, y, ys)")
                + function("spin(n)", "(9,)", inLoop, "(len(r), t)") + function("last(k)", "(1, 2)", inIf, "(len(r), t)")
                + "print(go(6))\nprint(once())\nprint(last(1), last(0))\nprint(spin(6))\n"
            // `(xs,)[0]` passes xs's value through a tuple: no call reads xs itself.
            let lent = helpers + program.replacingOccurrences(of: "XS", with: "xs      ").replacingOccurrences(of: "YS", with: "ys      ")
            let copied = helpers + program.replacingOccurrences(of: "XS", with: "(xs,)[0]").replacingOccurrences(of: "YS", with: "(ys,)[0]")

            // At the top level of a script, xs, r and the rest are globals no function names,
            // lent as locals are.
            let topBody = lines.filter { !$0.contains("return") }.map { "  " + $0 }.joined(separator: "\n")
            let top = "xs = (9,)\nys = (8,)\nt = 0\nr = (xs, t)\ny = ()\nfor i in 0..<6 {\n\(topBody)\n}\nprint(xs, y, ys)\n"
            let topLent = helpers + top.replacingOccurrences(of: "XS", with: "xs      ").replacingOccurrences(of: "YS", with: "ys      ")
            let topCopied = helpers + top.replacingOccurrences(of: "XS", with: "(xs,)[0]").replacingOccurrences(of: "YS", with: "(ys,)[0]")
            for tier in [false, true] {
                XCTAssertEqual(outputWithTier(lent, tier: tier).0, outputWithTier(copied, tier: tier).0, "program \(n), tier \(tier):\n\(lent)")
                // `y = xs` moves xs when the block assigns it again before reading it: against
                // the code without shortcuts, which moves and lends nothing.
                XCTAssertEqual(shortcutOutcome(lent, fast: true, tier: tier), shortcutOutcome(lent, fast: false, tier: tier),
                               "program \(n), tier \(tier), shortcuts:\n\(lent)")
                XCTAssertEqual(scriptOutput(topLent, tier: tier), scriptOutput(topCopied, tier: tier), "script \(n), tier \(tier):\n\(topLent)")
            }
        }
    }

    /// Take a field out, change it, put it back (`xs = s.xs; xs = append(xs, i); s.xs = xs`, by a
    /// label, a string index or a position; a tensor field written element by element): the item
    /// moves out of s when the block writes it back before anything reads s (takeItem), against
    /// the same text reading it through `(s,)[0]`, which moves nothing: reads of s on the way,
    /// other fields updated, copies kept, `break`, errors, numeric tier on and off.
    func testAFieldTakenOutAndPutBackIsTheCopy() {
        var g = GradPropertyTests.Generator(state: 7171)
        for n in 0..<200 {
            var body: [String] = []
            for _ in 0..<(3 + g.below(9)) {
                switch g.below(15) {
                case 0, 1: body.append("xs = S.xs")
                case 2, 3: body.append(["xs = append(xs, i)", "xs = append(xs, (v: i))", "xs = xs[1:]"][g.below(3)])
                case 4, 5: body.append("s.xs = xs")
                case 6: body.append(["print(len(xs))", "print(s.n)", "y = s", "y = xs"][g.below(4)])
                case 7: body.append(["s.n += 1", "s.xs = append(s.xs, 0)", "s = (xs: xs, n: s.n, w: s.w)"][g.below(3)])
                case 8: body.append("if i > \(g.below(6)) { break }")
                case 9: body.append("w = SW")
                case 10: body.append(["w[0] = i", "w = append(w, i)", "w[\(g.below(3))] = 1"][g.below(3)])
                case 11: body.append("s[\"w\"] = w")
                case 12: body.append(["p = S0", "p = append(p, 7)", "s[0] = p"][g.below(3)])
                case 13: body.append(["ys = append(S.xs, i)", "s.xs = ys", "ys = append(S.xs, i)[0:\(g.below(3))]"][g.below(3)])
                default: body.append(["xs = append(xs, \"a\" + 1)", "s.xs = 5"][g.below(2)])
                }
            }
            let loop = body.map { "    " + $0 }.joined(separator: "\n")
            let program = """
                fn go(n) {
                  s = (xs: (1,), n: 0, w: [0, 0])
                  xs = ()
                  w = 0
                  p = ()
                  y = ()
                  ys = ()
                  for i in 0..<n {
                \(loop)
                  }
                  return (s, xs, y)
                }
                print(go(5))

                """
            let taking = program.replacingOccurrences(of: "S.xs", with: "s.xs      ").replacingOccurrences(of: "SW", with: "s[\"w\"]      ")
                .replacingOccurrences(of: "S0", with: "s[0]      ")
            let copying = program.replacingOccurrences(of: "S.xs", with: "(s,)[0].xs").replacingOccurrences(of: "SW", with: "(s,)[0][\"w\"]")
                .replacingOccurrences(of: "S0", with: "(s,)[0][0]")
            // The same at the top level of a script: s, xs and the rest globals no function names.
            // (`fn size()` names y, which is then never lent.)
            func script(_ text: String) -> String {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let body = lines.drop { !$0.contains("for i in") }.dropFirst().prefix { $0 != "  }" }
                return "fn size() = len(y)\ns = (xs: (1,), n: 0, w: [0, 0])\nxs = ()\nw = 0\np = ()\ny = ()\nys = ()\n"
                    + "for i in 0..<5 {\n" + body.map { String($0.dropFirst(2)) }.joined(separator: "\n") + "\n}\nprint(s, xs, y, size())\n"
            }
            for tier in [false, true] {
                XCTAssertEqual(outputWithTier(taking, tier: tier).0, outputWithTier(copying, tier: tier).0, "program \(n), tier \(tier):\n\(taking)")
                XCTAssertEqual(scriptOutput(script(taking), tier: tier), scriptOutput(script(copying), tier: tier),
                               "script \(n), tier \(tier):\n\(script(taking))")
            }
        }
    }
}

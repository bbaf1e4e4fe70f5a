import XCTest
import Lexer
import Parser
@testable import Runtime

final class ResolverTests: XCTestCase {
    private func analyse(_ text: String) -> [String: FunctionScopeInfo] {
        guard case .complete(let p) = Parser.parse(SourceFile(name: "t", text: text)) else {
            XCTFail("does not parse")
            return [:]
        }
        var a = ScopeAnalysis()
        a.analyseTopLevel(p.statements)
        var byName: [String: FunctionScopeInfo] = [:]
        func walk(_ stmts: [Stmt]) {
            for s in stmts {
                if case .function(let d) = s.kind {
                    byName[d.name ?? "_"] = a.functions[d.headerRange.start]
                    walk(d.body)
                }
            }
        }
        walk(p.statements)
        return byName
    }

    func testAssignmentAnywhereMakesALocal() {
        let info = analyse("fn f(a, b) {\n  x = a\n  if b { y = 1 }\n  for i in 1...2 { z = i }\n  w[0] = 1\n  return g\n}")
        XCTAssertEqual(info["f"]?.locals, ["a", "b", "x", "y", "i", "z", "w"])
        XCTAssertEqual(info["f"]?.captured, [])
    }

    func testCapturedLocalsAreCells() {
        let info = analyse("fn outer(k) {\n  n = 1\n  m = 2\n  fn inner(x) { return x + k + n }\n  return inner\n}")
        XCTAssertEqual(info["outer"]?.locals, ["k", "n", "m", "inner"])
        XCTAssertEqual(info["outer"]?.captured, ["k", "n"])
        XCTAssertEqual(info["inner"]?.locals, ["x"])
    }

    func testSlotsAndCellsAtRuntime() {
        let r = Run("""
        fn outer(k) {
          n = 1
          fn mid() {
            fn inner() { return k + n }
            return inner
          }
          n = 10
          return mid()
        }
        print(outer(5)())
        x = 1
        fn readsGlobal() { return x }
        x = 2
        print(readsGlobal())
        fn shadowsLate() { y = x; x = 3; return y }
        """)
        XCTAssertNil(r.error)
        XCTAssertEqual(r.output, "15\n2\n")
        let err = Run("x = 1\nfn f() { y = x; x = 3; return y }\nf()").error
        XCTAssertEqual(err?.message, "local variable 'x' is read before it is assigned")
    }

    /// The cycle breaker frees a closure that captures its own cell only when nothing else can
    /// reach it: recursion through a captured local, a returned self-referencing closure, a
    /// closure reached through another that escapes, and closures inside a returned tuple all
    /// keep working after their frame ends.
    func testCyclesThroughClosuresAreFreedOnlyWhenUnreachable() {
        let run = Run("""
        fn f() { g = fn() = g; return 1 }
        fn rec(n) {
            go = fn(k) { if k < 1 { return 0 } return 1 + go(k - 1) }
            return go(n)
        }
        fn escape() {
            g = fn(k) { if k < 1 { return 0 } return 1 + g(k - 1) }
            return g
        }
        fn escape2() {
            g = fn() = 42
            h = fn() = g()
            return h
        }
        fn pair() {
            a = fn() = b() + 1
            b = fn() = 10
            return (a: a, self: fn() = a)
        }
        s = 0
        for i in 0..<100 { s += f() + rec(3) }
        e = escape()
        e2 = escape2()
        p = pair()
        print(s, e(5), e2(), p.a(), p.self()())
        """)
        XCTAssertNil(run.error)
        XCTAssertEqual(run.output, "400 5 42 11 11\n")
    }

    func testClosuresBindLate() {
        let r = Run("""
        fs = ()
        fn make() {
          out = ()
          for i in 0..<3 { out = append(out, fn() = i) }
          return out
        }
        for f in make() { print(f()) }
        """)
        XCTAssertNil(r.error)
        XCTAssertEqual(r.output, "2\n2\n2\n")
    }
}

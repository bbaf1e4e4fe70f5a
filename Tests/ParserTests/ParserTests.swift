import XCTest
import Lexer
@testable import Parser

final class ParserTests: XCTestCase {
    private func parse(_ text: String) -> String {
        switch Parser.parse(SourceFile(name: "t", text: text)) {
        case .complete(let p): return p.sexpr
        case .incomplete(let d): return "incomplete: \(d.message)"
        case .failed(let ds): return ds.map { d in "\(d.location!.line):\(d.location!.column): \(d.message)" }.joined(separator: "\n")
        }
    }

    /// `:help for`, `:help nil`, ...: every keyword of the lexer has a row in the language help.
    func testEveryKeywordHasLanguageHelp() {
        XCTAssertEqual(LanguageHelp.undocumentedKeywords, [])
        XCTAssertNotNil(LanguageHelp.entries["syntax"])
    }

    func testPrecedenceTable() {
        XCTAssertEqual(parse("1 + 2 * 3"), "(+ 1 (* 2 3))")
        XCTAssertEqual(parse("-2^2"), "(neg (^ 2 2))")
        XCTAssertEqual(parse("2^-1"), "(^ 2 -1)")
        XCTAssertEqual(parse("-2^-2"), "(neg (^ 2 -2))")
        XCTAssertEqual(parse("2^3^2"), "(^ 2 (^ 3 2))")
        XCTAssertEqual(parse("2**3"), "(^ 2 3)")
        XCTAssertEqual(parse("a or b and not c == d"), "(or a (and b (not (== c d))))")
        XCTAssertEqual(parse("1 + 2..<n - 1"), "(..< (+ 1 2) (- n 1))")
        XCTAssertEqual(parse("a - b - c"), "(- (- a b) c)")
        XCTAssertEqual(parse("A @ x * 2"), "(* (@ A x) 2)")
        XCTAssertEqual(parse("x.T.shape[0](1)"), "(call (index (. (. x T) shape) 0) 1)")
        XCTAssertEqual(parse("-x.T"), "(neg (. x T))")
    }

    func testChainedComparisonIsAnError() {
        XCTAssertEqual(parse("a < b < c"), "1:7: comparisons cannot be chained")
        XCTAssertEqual(parse("a == b == c"), "1:8: comparisons cannot be chained")
        XCTAssertEqual(parse("1..<2..<3"), "1:6: ranges cannot be chained")
    }

    func testCallsAndLabels() {
        XCTAssertEqual(parse("adam(lr: 0.01, beta1: 0.8)"), "(call adam lr: 0.01 beta1: 0.8)")
        XCTAssertEqual(parse("f(lr = 1)"), "1:3: labelled arguments are written 'lr: value', not 'lr = value'")
        XCTAssertEqual(parse("f(a: 1, 2)"), "1:9: a positional argument cannot follow a labelled one")
        XCTAssertEqual(parse("f(a: 1, a: 2)"), "1:9: duplicate label 'a'")
    }

    func testTuplesAndGrouping() {
        XCTAssertEqual(parse("()"), "(tuple)")
        XCTAssertEqual(parse("(x,)"), "(tuple x)")
        XCTAssertEqual(parse("(x)"), "x")
        XCTAssertEqual(parse("(W: w, b: 0)"), "(tuple W: w b: 0)")
        XCTAssertEqual(parse("(W: 1)"), "(tuple W: 1)")
    }

    func testIndexingAndSlices() {
        XCTAssertEqual(parse("m[:, 0]"), "(index m (slice _ _ _) 0)")
        XCTAssertEqual(parse("t[::-1]"), "(index t (slice _ _ -1))")
        XCTAssertEqual(parse("t[1:3]"), "(index t (slice 1 3 _))")
        XCTAssertEqual(parse("t[::2]"), "(index t (slice _ _ 2))")
    }

    func testStatements() {
        XCTAssertEqual(parse("w[0] = 5; p.W = zeros(2)"), "(= w[0] 5)\n(= p.W (call zeros 2))")
        XCTAssertEqual(parse("x += 1"), "(+= x 1)")
        XCTAssertEqual(parse("fn f(x, lr: 0.1) = x - lr"), "(fn f (x lr: 0.1) (return (- x lr)))")
        XCTAssertEqual(parse("fn f(x) {\n  y = x\n  return y\n}"), "(fn f (x) (= y x) (return y))")
        XCTAssertEqual(parse("if a { 1 }\nelse if b { 2 }\nelse { 3 }"), "(if a (1) b (2) else (3))")
        XCTAssertEqual(parse("for i in 1...3 { print(i) }"), "(for i (... 1 3) (call print i))")
        XCTAssertEqual(parse("while x { break; continue }"), "(while x (break) (continue))")
        XCTAssertEqual(parse("g = fn(x) = x^2"), "(= g (fn _ (x) (return (^ x 2))))")
    }

    func testNewlineRules() {
        XCTAssertEqual(parse("f(1,\n 2)"), "(call f 1 2)")
        XCTAssertEqual(parse("x = 1 +\n 2"), "(= x (+ 1 2))")
        XCTAssertEqual(parse("x = [1,\n2]"), "(= x [1 2])")
        XCTAssertEqual(parse("x = 1\n- 2"), "(= x 1)\n-2")
        XCTAssertEqual(parse("minimize(fn(w) {\n return w\n}, w0)"), "(call minimize (fn _ (w) (return w)) w0)")
    }

    func testIncompleteInput() {
        for text in ["f(1,", "x = 1 +", "fn f(x) {", "[1, 2", "\"abc", "if x {\n y = 1", "x = "] {
            guard case .incomplete = Parser.parse(SourceFile(name: "t", text: text)) else {
                return XCTFail("\(text) should be incomplete")
            }
        }
        guard case .failed = Parser.parse(SourceFile(name: "t", text: "f(1))")) else {
            return XCTFail("an extra ')' is an error, not incomplete")
        }
    }

    func testSyntaxErrorsResynchronise() {
        XCTAssertEqual(parse("x = (1 +\ny = 2)\nz = 3 3\nw = 4"),
                       "2:3: expected ')' after the tuple's elements (to close '(' at line 1), found '='\n3:7: expected a new line or ';' after the statement, found '3'")
    }

    func testControlStatementsOutsideTheirPlace() {
        XCTAssertEqual(parse("return 1"), "1:1: 'return' outside a function")
        XCTAssertEqual(parse("break"), "1:1: 'break' outside a loop")
        XCTAssertEqual(parse("fn f() { continue }"), "1:10: 'continue' outside a loop")
        XCTAssertEqual(parse("while true { fn g() { break } }"), "1:23: 'break' outside a loop")
    }

    func testDeepNestingIsASyntaxErrorNotACrash() {
        let text = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let out = parse(text)
        XCTAssertTrue(out.hasPrefix("1:"), out)
        XCTAssertTrue(out.contains("too deeply nested (limit 200"), out)
    }
}

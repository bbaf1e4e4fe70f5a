import XCTest
import Lexer
import Parser
@testable import Runtime

/// What the REPL shows for each top-level statement (spec §11, §14.7), through `run(display:)`.
final class DisplayTests: XCTestCase {
    private func shown(_ lines: [String]) -> [String] {
        let I = Interpreter(output: { _ in })
        var out: [String] = []
        for line in lines {
            guard case .complete(let p) = Parser.parse(SourceFile(name: "<repl>", text: line)) else {
                XCTFail("does not parse: \(line)")
                continue
            }
            do {
                try I.run(p) { out.append(I.display($0)) }
            } catch {
                out.append("error: " + error.message)
            }
        }
        return out
    }

    func testValuesAssignmentsAndSemicolons() {
        XCTAssertEqual(shown(["1 + 2", "x = 5", "x += 1", "w = [1, 2, 3]", "w[0] = 5", "p = (W: 1)", "p.W += 1",
                              "y = 7;", "\"text\"", "print(\"hi\")", "nil", "1; 2", "3;"]),
                       ["3", "5", "6", "[1, 2, 3]", "5", "(W: 1)", "2", "\"text\"", "2"])
    }

    func testAnsHoldsTheLastShownValue() {
        XCTAssertEqual(shown(["2 * 21", "ans + 1", "y = 10;", "ans"]), ["42", "43", "43"])
    }

    func testVariablesSurviveErrors() {
        XCTAssertEqual(shown(["a = 1", "b = a + undefined_name", "a", "fn f() = a * 10", "f()"]),
                       ["1", "error: unknown name 'undefined_name'", "1", "10"])
    }

    func testFunctionsDefinedInEarlierEntriesSeeLaterGlobals() {
        XCTAssertEqual(shown(["fn g() = later + 1", "later = 41", "g()"]), ["41", "42"])
    }
}

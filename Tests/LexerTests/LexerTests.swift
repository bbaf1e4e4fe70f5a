import XCTest
@testable import Lexer

final class LexerTests: XCTestCase {
    private func tokens(_ text: String) -> String {
        Lexer.tokenize(SourceFile(name: "t", text: text)).map(\.description).joined(separator: " ")
    }

    func testNumbersWithUnderscoresAndExponents() {
        XCTAssertEqual(tokens("12 0.5 1e-8 2.5E3 1_000_000"),
                       "num(12.0) num(0.5) num(1e-08) num(2500.0) num(1000000.0) EOF")
    }

    func testMalformedNumbers() {
        XCTAssertEqual(tokens("1."), "error(expected digits after '.' in a number) EOF")
        XCTAssertEqual(tokens("2e"), "error(expected digits in the exponent of a number) EOF")
        XCTAssertEqual(tokens("1__0"), "error('_' in a number must stand between digits) EOF")
        XCTAssertEqual(tokens("1_"), "error('_' in a number must stand between digits) EOF")
        XCTAssertEqual(tokens(".5"), ". num(5.0) EOF")
    }

    func testRangesAreNotDecimals() {
        XCTAssertEqual(tokens("1..<3 1...3"), "num(1.0) ..< num(3.0) num(1.0) ... num(3.0) EOF")
    }

    func testStringsEscapesAndInterpolation() {
        XCTAssertEqual(tokens(#""a\tb\n\"q\" \\""#), "str(a\tb\n\"q\" \\) EOF")
        XCTAssertEqual(tokens(#""loss \(c + 1)!""#), "str(loss \\(id(c) + num(1.0) EOF)!) EOF")
        XCTAssertEqual(tokens(#""f(\(g(x)))""#), "str(f(\\(id(g) ( id(x) ) EOF))) EOF")
    }

    func testStringErrors() {
        XCTAssertEqual(tokens(#""abc"#), "error(unterminated string) EOF")
        XCTAssertEqual(tokens(#""a\qb""#), "error(unknown escape '\\q' in string) EOF")
        XCTAssertEqual(tokens("'x'"), "error(strings use double quotes) EOF")
        let t = Lexer.tokenize(SourceFile(name: "t", text: "x = \"open"))
        guard case .error(_, _, let incomplete) = t[2].kind else { return XCTFail("expected an error token") }
        XCTAssertTrue(incomplete)
        XCTAssertEqual(t[2].range, SourceRange(start: 4, length: 1))
    }

    func testRawNewlineInsideString() {
        XCTAssertEqual(tokens("\"a\nb\""), "str(a\nb) EOF")
    }

    func testUnicodeIdentifiersAndSubscripts() {
        XCTAssertEqual(tokens("β₁ = 0.9; α m̂"), "id(β₁) = num(0.9) ; id(α) id(m̂) EOF")
    }

    func testKeywordsCommentsAndShebang() {
        XCTAssertEqual(tokens("#!/usr/bin/env optrepl\nfn f() # c\nnot nil"),
                       "NL fn id(f) ( ) NL not nil EOF")
    }

    func testOperatorsLongestMatch() {
        XCTAssertEqual(tokens("a ** b ^ c <= d != e += 1 @ f"),
                       "id(a) ** id(b) ^ id(c) <= id(d) != id(e) += num(1.0) @ id(f) EOF")
    }

    func testHintsForForeignOperatorsAndCharacters() {
        XCTAssertEqual(tokens("a // b"), "id(a) error(there is no '//' operator) id(b) EOF")
        XCTAssertEqual(tokens("x²"), "id(x) error(unexpected character '²') EOF")
        XCTAssertEqual(tokens("a − b"), "id(a) error(unexpected character '−' (U+2212 MINUS SIGN)) id(b) EOF")
        XCTAssertEqual(tokens("a · b"), "id(a) error(unexpected character '·') id(b) EOF")
        XCTAssertEqual(tokens("a && b"), "id(a) error(there is no '&&' operator) id(b) EOF")
        XCTAssertEqual(tokens("$"), "error(unexpected character '$') EOF")
    }

    func testTokensCarryByteRanges() {
        let t = Lexer.tokenize(SourceFile(name: "t", text: "β₁ = 10"))
        XCTAssertEqual(t[0].range, SourceRange(start: 0, length: 5))
        XCTAssertEqual(t[1].range, SourceRange(start: 6, length: 1))
        XCTAssertEqual(t[2].range, SourceRange(start: 8, length: 2))
    }

    func testColumnsCountCodePoints() {
        let f = SourceFile(name: "t", text: "x = 1\nβ₁ = y")
        XCTAssertEqual(f.location(of: 6 + 6), SourceLocation(line: 2, column: 4))
        XCTAssertEqual(f.location(of: 6 + 8), SourceLocation(line: 2, column: 6))
        XCTAssertEqual(f.lineText(2), "β₁ = y")
    }

    /// A UTF-8 byte order mark first in a file (some editors write one) is skipped, as Python
    /// skips it: no token, and columns on the first line count from after it.
    func testAByteOrderMarkIsSkipped() {
        let f = SourceFile(name: "t", text: "\u{FEFF}x = 1\ny")
        XCTAssertEqual(Lexer.tokenize(f).map(\.description).joined(separator: " "), "id(x) = num(1.0) NL id(y) EOF")
        XCTAssertEqual(f.location(of: 3 + 4), SourceLocation(line: 1, column: 5))
        XCTAssertEqual(f.lineText(1), "x = 1")
        let inside = SourceFile(name: "t", text: "x = \u{FEFF}1")
        XCTAssertEqual(Lexer.tokenize(inside).map(\.description).joined(separator: " "),
                       "id(x) = error(unexpected character '\u{FEFF}') num(1.0) EOF", "only the first bytes of a file")
    }

    func testInvalidUTF8IsAnErrorToken() {
        let f = SourceFile(name: "t", text: String(decoding: [0x78, 0x20, 0xFF, 0x20, 0x79], as: UTF8.self))
        // The decoder replaced 0xFF by U+FFFD, which is not a letter.
        XCTAssertEqual(Lexer.tokenize(f).map(\.description).joined(separator: " "),
                       "id(x) error(unexpected character '\u{FFFD}') id(y) EOF")
    }
}

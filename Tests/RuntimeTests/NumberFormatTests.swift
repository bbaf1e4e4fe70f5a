import XCTest
@testable import Runtime

/// Number text against ../shared/reference/format.json (Python's repr of ~150 doubles).
final class NumberFormatTests: XCTestCase {
    func testEveryReferenceCase() throws {
        let json = try JSON.load(referenceRoot + "/format.json")
        XCTAssertEqual(json["exact"]?.bool, true)
        let cases = json["cases"]!.array!
        XCTAssertGreaterThan(cases.count, 100)
        for c in cases {
            let name = c["name"]!.string!
            let value = c["value"]!.double!
            let expected = c["repr"]!.string!
            // Python's repr exactly, and the project's whole-number rule (spec §7) for repr/print:
            // a whole number drops its ".0", except -0.0.
            XCTAssertEqual(NumberFormat.pythonRepr(value), expected, name)
            let whole = value == 0 && value.sign == .minus ? expected : (c["repr_whole"]?.string ?? expected)
            XCTAssertEqual(NumberFormat.repr(value), whole, name)
            let back = Double(NumberFormat.repr(value))!
            XCTAssertTrue(back.bitPattern == value.bitPattern || (back.isNaN && value.isNaN), "reads back: \(name)")
        }
    }

    func testSpecExamples() {
        let cases: [(Double, String)] = [
            (0.1, "0.1"), (0.30000000000000004, "0.30000000000000004"), (1e-8, "1e-08"), (1e16, "1e+16"),
            (.infinity, "inf"), (-.infinity, "-inf"), (.nan, "nan"), (3, "3"), (-7, "-7"), (100, "100"),
            (-0.0, "-0.0"), (9999999999999998, "9999999999999998"), (1e-4, "0.0001"), (1e-5, "1e-05"),
            (1.2345678901234568e17, "1.2345678901234568e+17"), (2.5e-5, "2.5e-05"),
        ]
        for (x, text) in cases { XCTAssertEqual(NumberFormat.repr(x), text) }
    }

    func testGeneralFormatMatchesPythonG() {
        XCTAssertEqual(NumberFormat.general(0.1 + 0.2, precision: 6), "0.3")
        XCTAssertEqual(NumberFormat.general(1e-8, precision: 6), "1e-08")
        XCTAssertEqual(NumberFormat.general(123456789, precision: 6), "1.23457e+08")
        XCTAssertEqual(NumberFormat.general(-0.0, precision: 6), "-0")
        XCTAssertEqual(NumberFormat.general(2.5, precision: 1), "2")
    }

    func testFormatSpecs() throws {
        let cases: [(Double, String, String)] = [
            (3.14159, ".2f", "3.14"), (1234567.891, ",.2f", "1,234,567.89"), (0.25, "%", "25.000000%"),
            (42, ">8", "      42"), (42, "<6", "42    "), (42, "^7", "  42   "), (1e-8, "e", "1.000000e-08"),
            (0.5, "+.1f", "+0.5"), (-3, "08.2f", "-0003.00"), (1.5, ".3", "1.5"), (2, ".3", "2.0"),
            (123456, ".3", "1.23e+05"), (.nan, ".2f", "nan"), (.infinity, "E", "INF"), (1234.5, "_.1f", "1_234.5"),
            (0.000123, ".3g", "0.000123"), (5, "*^5", "**5**"),
        ]
        for (x, spec, text) in cases {
            XCTAssertEqual(try FormatSpec.parse(spec).format(x), text, "format(\(x), \"\(spec)\")")
        }
        XCTAssertThrowsError(try FormatSpec.parse("q"))
    }

    /// Python 3.11's format(x, spec) over a grid of numbers and specs
    /// (Tests/reference/format_specs.json, from generate_format_specs.py): the same text, or a
    /// refused spec where Python refuses it. Each spec also goes through the numeric tier's
    /// writer (FormatSpec.write, the fast path) where it takes the spec.
    func testFormatSpecsArePythons() throws {
        let data = try JSON.load(repositoryRoot + "/Tests/reference/format_specs.json")
        guard case .array(let cases)? = data["cases"] else { return XCTFail("no cases") }
        XCTAssertGreaterThan(cases.count, 2000)
        var failures = 0
        for c in cases {
            let spec = c["spec"]!.string!, x = c["x"]!.double!
            let name = "format(\(NumberFormat.repr(x)), \(Interpreter.quoted(spec)))"
            if c["error"] != nil {
                if let parsed = try? FormatSpec.parse(spec), (try? Builtins.format(.number(x), parsed)) != nil {
                    failures += 1
                    XCTFail("\(name) is refused by Python")
                }
                continue
            }
            guard let parsed = try? FormatSpec.parse(spec) else {
                failures += 1
                XCTFail("\(name) does not parse")
                continue
            }
            let expected = c["expected"]!.string!
            if parsed.format(x) != expected {
                failures += 1
                if failures <= 20 { XCTFail("\(name): \(parsed.format(x)) vs Python's \(expected)") }
            }
            let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: FormatSpec.stackCapacity) { buffer in
                parsed.write(x, into: buffer).map { String(decoding: UnsafeBufferPointer(rebasing: buffer[..<$0]), as: UTF8.self) }
            }
            if let written, written != expected { XCTFail("\(name) written: \(written) vs \(expected)") }
        }
        XCTAssertEqual(failures, 0)
    }

    /// format of a string: Python 3.11's text for each string and spec of the reference (a
    /// precision cuts, a width counts code points, a 0 flag fills a left-aligned string), and
    /// an error wherever Python refuses the spec for a string (a sign, `z`, `#`, `=`, grouping,
    /// a number's type).
    func testStringFormatsArePythons() throws {
        let data = try JSON.load(repositoryRoot + "/Tests/reference/format_specs.json")
        guard case .array(let cases)? = data["strings"] else { return XCTFail("no string cases") }
        XCTAssertGreaterThan(cases.count, 150)
        for c in cases {
            let s = c["s"]!.string!, spec = c["spec"]!.string!
            let name = "format(\(Interpreter.quoted(s)), \(Interpreter.quoted(spec)))"
            let result: Value?
            if let parsed = try? FormatSpec.parse(spec) { result = try? Builtins.format(.string(s), parsed) } else { result = nil }
            if c["error"] != nil {
                XCTAssertNil(result, "\(name) is refused by Python")
            } else if case .string(let text)? = result {
                XCTAssertEqual(text, c["expected"]!.string!, name)
            } else {
                XCTFail("\(name) is refused, Python gives \(c["expected"]!.string!)")
            }
        }
    }
}

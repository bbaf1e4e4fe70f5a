import XCTest
import CKernels
@testable import Runtime
#if canImport(Glibc)
import Glibc
#endif

/// The fast paths of string building against the general paths they stand for, bit for bit:
/// optrepl_format_number's own digits against glibc's snprintf, FormatSpec.format against
/// generalFormat (every spec kind, padding, signs), tensor elements' `%g` text against printf,
/// printed tensors against their Character-by-Character layout, Python's repr against its
/// String-built layout, and print of one value
/// against the general join.
final class StringFastPathTests: XCTestCase {
    /// A reproducible mix of the numbers that break formatting: random bit patterns, decimals,
    /// exact ties in binary and decimal, neighbours of powers of ten, integers up to 2^64,
    /// subnormals and the extremes.
    static func numbers(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        var xs: [Double] = [0, -0.0, 1, -1, 0.5, 1.5, 2.5, 0.125, 0.375, 1e308, -1e308, .greatestFiniteMagnitude,
                            .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 2.2250738585072014e-308,
                            Double(bitPattern: 2024), 1e22, 1e23, 9.5, 99.5, 999.5,
                            0.05, 0.15, 0.25, 0.35, 9999999999.9999943, 9.9999999999999939e+18, 4503599627370495.5,
                            4503599627370496, 9007199254740992, 1e15, 1e16, 1e17, 123456789012345680,
                            .nan, -.nan, .infinity, -.infinity]
        while xs.count < count {
            let r = next()
            var x: Double
            switch r % 10 {
            case 0: x = Double(bitPattern: next())
            case 1: x = Double(next() % 2_000_000) / pow(10, Double(next() % 12))
            case 2: x = Double(next() % 100_000) / 8 / pow(10, Double(next() % 6))
            case 3: x = scalbn(Double(next() % 1_000_001), Int32(next() % 80) - 60)
            case 4:
                let p = pow(10, Double(Int(next() % 50) - 25))
                x = Double(bitPattern: p.bitPattern &+ (next() % 7) &- 3)
            case 5: x = Double(next() >> (next() % 64))
            case 6: x = (Double(next() % 1000) + 0.5) / pow(10, Double(next() % 10))
            case 7: x = Double(next() >> 11) * 0x1p-53 * pow(10, Double(next() % 8))
            case 8: x = exp(Double(Int64(next() % 200_000) - 100_000) / 1000)
            default: x = Double(bitPattern: next() & 0x000F_FFFF_FFFF_FFFF)  // subnormals
            }
            xs.append(next() % 2 == 0 ? x : -x)
        }
        return xs
    }

    private func snprintfText(_ format: String, _ x: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        _ = optrepl_format_double(&buffer, 512, format, x)
        return text(buffer)
    }

    private func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `%#.{p}g` by C's definition (glibc's printf drops the trailing zeros when rounding carries
    /// into a new exponent: %#.3g of 999.9 is 1.e+03 there, 1.00e+03 by the standard and Python):
    /// exponent X after rounding to P digits; %#.{P-1}e when X < -4 or X >= P, else %#.{P-1-X}f.
    private func alternateGeneral(_ x: Double, _ precision: Int, _ conversion: String) -> String {
        let p = max(precision, 1)
        let probe = snprintfText("%.\(p - 1)e", x)
        let exponent = probe.split(separator: "e").last.flatMap { Int($0) } ?? 0
        if !x.isFinite { return snprintfText("%#.\(p)\(conversion)", x) }
        if exponent < -4 || exponent >= p { return snprintfText("%#.\(p - 1)\(conversion == "G" ? "E" : "e")", x) }
        return snprintfText("%#.\(p - 1 - exponent)f", x)
    }

    func testNumberDigitsMatchSnprintf() {
        var buffer = [CChar](repeating: 0, count: 512)
        var mismatches = 0
        for x in Self.numbers(6000, seed: 0x9E37_79B9_7F4A_7C15) {
            for conversion in ["f", "e", "E", "g", "G"] {
                for precision in 0...24 {
                    for alternate in [false, true] where !alternate || precision % 6 == 0 {
                        let c = CChar(conversion.utf8.first!)
                        let n = optrepl_format_number(&buffer, 512, c, alternate ? 1 : 0, Int32(precision), x)
                        let fast = text(buffer)
                        let reference = alternate && (conversion == "g" || conversion == "G")
                            ? alternateGeneral(x, precision, conversion)
                            : snprintfText("%\(alternate ? "#" : "").\(precision)\(conversion)", x)
                        if fast != reference || Int(n) != reference.utf8.count {
                            mismatches += 1
                            if mismatches <= 10 { XCTFail("%\(alternate ? "#" : "").\(precision)\(conversion) of \(x): \(fast) vs \(reference)") }
                        }
                    }
                }
            }
        }
        XCTAssertEqual(mismatches, 0)
    }

    func testFormatSpecFastPathMatchesGeneralPath() throws {
        var specs = ["", "f", "F", "e", "E", "g", "G", "n", "%", "z.2f", ",.2f", "_.1f", "020,.2f", "#.0f", "#g", "#.3e"]
        for precision in [0, 1, 2, 4, 6, 10, 15, 17, 20] {
            for type in ["f", "F", "e", "E", "g", "G", "n", "%", ""] { specs.append(".\(precision)\(type)") }
        }
        for prefix in [">12", "<12", "^13", "=12", "*>12", "0<12", "+", " ", "+012", " >9", "-^11", "08", "+=10", "é>12", "^200"] {
            for body in [".2f", ".3e", ".4g", ".1%", ".3", "E"] { specs.append(prefix + body) }
        }
        var mismatches = 0
        let xs = Self.numbers(2500, seed: 42)
        for text in specs {
            let spec = try FormatSpec.parse(text)
            for x in xs {
                let fast = spec.format(x), general = spec.generalFormat(x)
                if fast != general {
                    mismatches += 1
                    if mismatches <= 10 { XCTFail("format(\(x), \"\(text)\"): \(fast) vs \(general)") }
                }
            }
        }
        XCTAssertEqual(mismatches, 0)
        // What the corpus's tables and logs use, spelled out.
        XCTAssertEqual(try FormatSpec.parse(".0e").format(0.1 / 7), "1e-02")
        XCTAssertEqual(try FormatSpec.parse(".5f").format(-0.0), "-0.00000")
        XCTAssertEqual(try FormatSpec.parse(".1f").format(0.25), "0.2")
        XCTAssertEqual(try FormatSpec.parse(".6f").format(.nan), "nan")
        XCTAssertEqual(try FormatSpec.parse("+.2e").format(.leastNonzeroMagnitude), "+4.94e-324")
        XCTAssertEqual(try FormatSpec.parse(".3").format(1e308), "1e+308")
    }

    func testTensorElementTextMatchesPrintfG() {
        var mismatches = 0
        for x in Self.numbers(4000, seed: 1234) {
            for precision in [0, 1, 2, 3, 4, 6, 8, 12, 15, 16, 17, 20] {
                let fast = NumberFormat.general(x, precision: precision)
                let reference = x.isNaN ? "nan" : x.isInfinite ? (x < 0 ? "-inf" : "inf") : NumberFormat.cFormat("%.\(precision)g", x)
                if fast != reference {
                    mismatches += 1
                    if mismatches <= 10 { XCTFail("general(\(x), precision: \(precision)): \(fast) vs \(reference)") }
                }
            }
        }
        XCTAssertEqual(mismatches, 0)
        XCTAssertEqual(NumberFormat.general(-0.0, precision: 6), "-0")
        XCTAssertEqual(NumberFormat.general(-Double(bitPattern: 2024), precision: 6), "-9.99989e-321")
    }

    /// The printed tensor as it was written before its rows were measured in bytes: Characters
    /// counted, the spaces before a break dropped by reversing the line twice, elements from
    /// printf's `%g` (a reference for `Tensor.printed`, which must give the same text).
    private func referencePrinted(_ t: Tensor, precision: Int, lineWidth: Int) -> String {
        func element(_ x: Double) -> String {
            x.isNaN ? "nan" : x.isInfinite ? (x < 0 ? "-inf" : "inf") : NumberFormat.cFormat("%.\(precision)g", x)
        }
        let summarise = t.count > Tensor.summaryThreshold
        func positions(_ axis: Int) -> [Int?] {
            let n = t.shape[axis]
            if !summarise || n <= 2 * Tensor.edgeItems { return Array(0..<n) }
            return Array(0..<Tensor.edgeItems) + [nil] + Array((n - Tensor.edgeItems)..<n)
        }
        var width = 0
        func measure(_ axis: Int, _ offset: Int) {
            for p in positions(axis) {
                guard let p else { continue }
                if axis == t.rank - 1 { width = max(width, element(t.data[offset + p]).count) }
                else { measure(axis + 1, offset + p * t.strides[axis]) }
            }
        }
        measure(0, 0)
        func wrapped(_ axis: Int, _ offset: Int, _ hanging: String, _ lineWidth: Int) -> String {
            var s = ""
            if axis == t.rank - 1 {
                var line = hanging
                let ps = positions(axis)
                for (k, p) in ps.enumerated() {
                    let word = p.map { let e = element(t.data[offset + $0]); return String(repeating: " ", count: width - e.count) + e } ?? "..."
                    if line.count + word.count > lineWidth - 1 && line.count > hanging.count {
                        s += String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
                        line = hanging
                    }
                    line += word
                    if k < ps.count - 1 { line += ", " }
                }
                s += line
            } else {
                let separator = "," + String(repeating: "\n", count: t.rank - 1 - axis)
                let ps = positions(axis)
                for (k, p) in ps.enumerated() {
                    let row = p.map { wrapped(axis + 1, offset + $0 * t.strides[axis], hanging + " ", lineWidth - 1) } ?? "..."
                    s += hanging + row + (k < ps.count - 1 ? separator : "")
                }
            }
            return "[" + s.dropFirst(hanging.count) + "]"
        }
        let out = wrapped(0, 0, " ", lineWidth)
        return summarise ? out + " # shape \(Tensor.shapeText(t.shape))" : out
    }

    func testPrintedTensorsMatchTheCharacterLayout() {
        let xs = Self.numbers(3000, seed: 99)
        var next = 0
        let shapes: [[Int]] = [[1], [5], [12], [40], [1001], [2, 3], [7, 9], [20, 60], [3, 1, 4], [2, 3, 4, 5], [1500], [2, 700]]
        for shape in shapes {
            for (precision, lineWidth) in [(6, 75), (1, 75), (3, 20), (12, 75), (8, 120), (4, 33)] {
                let n = shape.reduce(1, *)
                var data: [Double] = []
                for _ in 0..<n {
                    // Mostly one magnitude per tensor (as real ones are), with the odd extreme.
                    let x = xs[next % xs.count]
                    data.append(next % 7 == 0 ? x : (x.isFinite ? x.truncatingRemainder(dividingBy: 1000) : x))
                    next += 1
                }
                let t = Tensor(shape: shape, data: data)
                XCTAssertEqual(t.printed(precision: precision, lineWidth: lineWidth),
                               referencePrinted(t, precision: precision, lineWidth: lineWidth),
                               "shape \(shape), precision \(precision), width \(lineWidth)")
            }
        }
    }

    /// Python's repr as it was written with String operations (before the byte layout): the
    /// digits of Swift's description, re-laid out.
    private func referencePythonRepr(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return x.sign == .minus ? "-0.0" : "0.0" }
        var text = Swift.abs(x).description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        var intPart = text, fracPart = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            fracPart = String(text[text.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var point = intPart.count + exponent
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        let sign = x < 0 ? "-" : ""
        let e = point - 1
        if e < -4 || e >= 16 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            return sign + mantissa + "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
        let cut = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<cut] + "." + digits[cut...]
    }

    func testPythonReprMatchesTheStringLayout() {
        var mismatches = 0
        var xs = Self.numbers(20000, seed: 2024)
        // Every power of ten and its neighbours, where the layout switches form.
        for k in -330...310 {
            let p = pow(10, Double(k))
            xs += [p, p.nextUp, p.nextDown, -p, p * 1.5]
        }
        for x in xs {
            let fast = NumberFormat.pythonRepr(x), reference = referencePythonRepr(x)
            if fast != reference {
                mismatches += 1
                if mismatches <= 10 { XCTFail("pythonRepr(\(x)): \(fast) vs \(reference)") }
            }
            if !x.isNaN, Double(NumberFormat.repr(x))?.bitPattern != x.bitPattern { XCTFail("\(fast) does not read back") }
        }
        XCTAssertEqual(mismatches, 0)
    }

    /// repr writes a whole number below 1e16 with its own digit writer (NumberFormat.writeInteger,
    /// which the numeric tier's interpolation shares): Swift's integer text, every digit count
    /// and sign, and the edges (1e16 itself leaves for the exponent form).
    func testWholeNumbersReprAsTheirIntegerText() {
        var xs: [Double] = [1, -1, 9, -9, 10, -10, 9_999_999_999_999_998, -9_999_999_999_999_998, 9_007_199_254_740_992, 9_007_199_254_740_994]
        var p = 1.0
        for _ in 0..<16 {
            xs += [p, p - 1, p + 1, -p, -(p - 1)]
            p *= 10
        }
        var state: UInt64 = 99
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let digits = Int(state >> 60) + 1
            let x = (Double(state >> 11) / Double(1 << 53) * pow(10, Double(digits))).rounded(.towardZero)
            xs += [x, -x]
        }
        for x in xs where x != 0 && abs(x) < 1e16 {
            XCTAssertEqual(NumberFormat.repr(x), String(Int64(x)))
        }
        XCTAssertEqual(NumberFormat.repr(1e16), "1e+16")
        XCTAssertEqual(NumberFormat.repr(-0.0), "-0.0")
        XCTAssertEqual(NumberFormat.repr(0), "0")
    }

    /// `number(s)` read from UTF-8 bytes (session 20) against the rule as it was written over
    /// characters, kept here: ASCII white space around the text, inf/infinity/nan in any case
    /// with a sign or none, digits, signs, '.', 'e' and '_' between digits (dropped) read by
    /// Double, nil for anything else; the same bits for 20,000 strings built from those pieces
    /// and a few that are none of them. (The characters' rule could not trim "\r\n", one
    /// Character, and took '_' anywhere; the bytes trim it and refuse "_1" as Python's float
    /// does, and so does the reference.)
    func testNumberOfAStringIsTheCharacterRule() {
        func reference(_ s: String) -> Double? {
            var t = Substring.UnicodeScalarView(s.unicodeScalars)
            let spaces: [Unicode.Scalar] = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
            while let c = t.first, spaces.contains(c) { t.removeFirst() }
            while let c = t.last, spaces.contains(c) { t.removeLast() }
            let text = String(t)
            let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
            switch unsigned.lowercased() {
            case "inf", "infinity": return text.hasPrefix("-") ? -.infinity : .infinity
            case "nan": return .nan
            default: break
            }
            guard !text.isEmpty, text.unicodeScalars.allSatisfy({ "0123456789+-.eE_".unicodeScalars.contains($0) }) else { return nil }
            let chars = Array(text)
            for (k, c) in chars.enumerated() where c == "_" {
                guard k > 0, k + 1 < chars.count, chars[k - 1].isASCII, chars[k - 1].isNumber, chars[k + 1].isASCII, chars[k + 1].isNumber else { return nil }
            }
            return Double(String(text.filter { $0 != "_" }))
        }
        let pieces = ["0", "1", "7", "9", "12", "5e", "E", "-", "+", ".", "_", "_", " ", "\t", "\r\n", "\n", "\u{0C}", "inf", "INF", "Infinity",
                      "nan", "NaN", "x", "é", "İ", "1e308", "1e309", "4.9e-324", "123456789012345", "9007199254740993", "0x1p3"]
        var state: UInt64 = 11
        var read = 0
        for n in 0..<20000 {
            var s = ""
            for _ in 0..<(1 + n % 5) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                s += pieces[Int(state >> 33) % pieces.count]
            }
            let got = Builtins.parseNumber(s), want = reference(s)
            if got != nil { read += 1 }
            XCTAssertEqual(got?.bitPattern, want?.bitPattern, s.debugDescription)
            XCTAssertEqual(got == nil, want == nil, s.debugDescription)
        }
        XCTAssertGreaterThan(read, 3000)
    }

    /// A tuple's slice by step 1 (`stack[0:len(stack) - 1]`) copies its run of items at once
    /// (session 20): the tuple, labels and all, that picking the slice's positions one by one
    /// makes, for generated tuples (labelled, partly labelled, not) and bounds (nil, negative,
    /// past either end, empty), and by the other steps.
    func testTupleSlicesAreThePositionsPicked() throws {
        let I = Interpreter(output: { _ in })
        var g = GradPropertyTests.Generator(state: 99)
        for _ in 0..<3000 {
            let n = g.below(7)
            let items = (0..<n).map { Value.number(Double($0 * 10 + g.below(10))) }
            let labels: TupleLabels? = g.below(3) == 0 ? nil : TupleLabels((0..<n).map { g.below(3) == 0 ? nil : "l\($0)" })
            let t = TupleValue(items, labels: labels)
            func bound() -> Int? { g.below(4) == 0 ? nil : g.below(2 * n + 5) - n - 2 }
            let a = bound(), b = bound()
            let step: Int? = [nil, 1, 1, 2, -1, -2, 3][g.below(7)]
            let got = try I.index(.tuple(t), [.slice(a.map(Double.init), b.map(Double.init), step.map(Double.init))])
            let positions = try Tensor.sliceIndices(start: a, stop: b, step: step, length: n)
            let want = TupleValue(positions.map { items[$0] }, labels: labels.map { l in TupleLabels(positions.map { l.names[$0] }) })
            guard case .tuple(let u) = got else { return XCTFail("not a tuple") }
            XCTAssertEqual(Interpreter.repr(.tuple(u)), Interpreter.repr(.tuple(want)), "\(n) \(String(describing: a)):\(String(describing: b)):\(String(describing: step))")
            XCTAssertEqual(u.labels?.names, want.labels?.names)
        }
    }

    /// print's arguments bound without copying (rest is the positional array, sep and end their
    /// defaults) read as the general binding reads them, for every built-in of that shape.
    func testLeadingVariadicBindsAsTheGeneralPath() throws {
        let shaped = Builtins.table.filter { Arguments.collectsDirectly($0.parameters) }
        XCTAssertTrue(shaped.contains { $0.name == "print" })
        for b in shaped {
            for count in 0...4 {
                let values: [Value] = (0..<count).map { k in k % 2 == 0 ? .number(Double(k)) : .string("s\(k)") }
                var direct = Arguments(function: b.name, positional: values)
                var general = Arguments(function: b.name, positional: values)
                try direct.bind(b.parameters, keepsViews: b.keepsViews)
                try general.bind(b.parameters, keepsViews: b.keepsViews, direct: false)
                let text = { (a: Arguments) -> String in
                    a.bound.map { $0.map(Interpreter.repr) ?? "unbound" }.joined(separator: ", ") + " | "
                        + b.parameters.indices.map { Interpreter.repr(a[$0]) + " " + a.position($0) }.joined(separator: ", ") + " | "
                        + a.rest.map(Interpreter.repr).joined(separator: ", ") + " | \(a.positional.count)"
                }
                XCTAssertEqual(text(direct), text(general), "\(b.name) with \(count)")
                var d = direct, q = general
                XCTAssertEqual(d.take(0).map(Interpreter.repr), q.take(0).map(Interpreter.repr))
                XCTAssertEqual(text(d), text(q), "\(b.name) with \(count), after take")
            }
        }
    }

    func testPrintOfOneValueIsTheGeneralText() {
        let run = Run("""
            print("a")
            print(1.5, end: "!")
            print((1, x: 2))
            print([1, 2])
            print(format(2, ".3f"), end: "")
            print("é", 1, sep: "-")
            print()
            """)
        XCTAssertNil(run.error)
        XCTAssertEqual(run.output, "a\n1.5!(1, x: 2)\n[1, 2]\n2.000é-1\n\n")
    }

    /// Strings order by code points (`<`, `==` on strings): the byte comparison of their UTF-8
    /// gives the order the scalars give, for generated strings of 1- to 4-byte code points
    /// (combining marks, the last before the surrogates, the last code point), prefixes included.
    func testStringOrderIsCodePointOrder() {
        func byScalars(_ s: String, _ t: String) -> Int {
            let a = Array(s.unicodeScalars), b = Array(t.unicodeScalars)
            for (x, y) in zip(a, b) where x != y { return x.value < y.value ? -1 : 1 }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        }
        let alphabet: [Unicode.Scalar] = ["a", "b", "z", "\u{7F}", "\u{80}", "é", "\u{301}", "\u{7FF}", "\u{800}", "∑",
                                          "\u{D7FF}", "\u{E000}", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "😀", "\u{10FFFF}"]
        var g = GradPropertyTests.Generator(state: 2_718_281)
        func word() -> String {
            var s = String.UnicodeScalarView()
            for _ in 0..<g.below(5) { s.append(alphabet[g.below(alphabet.count)]) }
            return String(s)
        }
        for _ in 0..<20_000 {
            let s = word(), t = g.below(4) == 0 ? s + word() : word()
            XCTAssertEqual(Interpreter.compareCodePoints(s, t), byScalars(s, t), "\(Array(s.unicodeScalars)) vs \(Array(t.unicodeScalars))")
            XCTAssertEqual(Interpreter.compareCodePoints(t, s), byScalars(t, s))
        }
    }
}

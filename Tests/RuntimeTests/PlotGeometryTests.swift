import XCTest
@testable import Runtime

/// The geometry under the plots (issue 17): MaxNLocator-style ticks, log ticks, contour lines
/// stitched into continuous polylines, filled regions as rings, glyph widths. Properties over
/// many generated cases rather than typed numbers.
final class PlotGeometryTests: XCTestCase {
    /// A small deterministic generator (the cases are the same on every run).
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    func testLinearTicksAreFourToEightMultiplesOfANiceStep() {
        var g = Generator(state: 17)
        var fiveOrMore = 0
        let cases = 5000
        for _ in 0..<cases {
            let span = Double.pow(10, 8 * g.next() - 4) * (1 + 9 * g.next())
            let lo = (g.next() - 0.5) * 20 * span
            let ticks = Ticks.linear(lo...(lo + span))
            XCTAssertLessThanOrEqual(ticks.count, 8, "\(lo)...\(lo + span): \(ticks)")
            XCTAssertGreaterThanOrEqual(ticks.count, 4, "\(lo)...\(lo + span): \(ticks)")
            if ticks.count >= 5 { fiveOrMore += 1 }
            guard ticks.count >= 2 else { continue }
            let step = ticks[1] - ticks[0]
            let decade = Double.pow(10, Double.log10(step).rounded(.down))
            let mantissa = step / decade
            XCTAssertTrue([1, 2, 2.5, 5, 10].contains { Swift.abs($0 - mantissa) < 1e-6 }, "step \(step) is not 1, 2, 2.5 or 5 times a power of ten")
            for t in ticks {
                XCTAssertTrue(t >= lo - 1e-9 * span && t <= lo + span + 1e-9 * span, "tick \(t) outside \(lo)...\(lo + span)")
                XCTAssertEqual((t / step).rounded() * step, t, accuracy: 1e-6 * step, "tick \(t) is not a multiple of \(step)")
            }
            for (a, b) in zip(ticks, ticks.dropFirst()) { XCTAssertEqual(b - a, step, accuracy: 1e-6 * step) }
        }
        // Four only when no step of 1, 2, 2.5 or 5 gives five to eight inside the range.
        XCTAssertGreaterThan(Double(fiveOrMore) / Double(cases), 0.9)
    }

    func testLogTicksArePowersOfTenWhenManyDecadesShow() {
        for (lo, hi) in [(-3.0, 4.0), (-12.0, 2.5), (0.0, 300.0)] {
            let ticks = Ticks.log(lo...hi)
            XCTAssertLessThanOrEqual(ticks.count, 8)
            XCTAssertGreaterThanOrEqual(ticks.count, 2)
            for t in ticks { XCTAssertEqual(t, t.rounded(), "\(t) is not a power of ten") }
        }
        // Fewer decades: 1, 2 and 5 times the powers of ten.
        let few = Ticks.log(Double.log10(0.1)...Double.log10(20)).map { Double.pow(10, $0) }
        for (t, want) in zip(few, [0.1, 0.2, 0.5, 1, 2, 5, 10, 20]) { XCTAssertEqual(t, want, accuracy: 1e-12 * want) }
        XCTAssertEqual(few.count, 8)
        XCTAssertEqual(Ticks.logLabels([-3, 0, 2]), ["10⁻³", "10⁰", "10²"])
    }

    func testTickLabelsShareTheirDecimals() {
        XCTAssertEqual(Ticks.labels([0, 0.25, 0.5, 0.75]), ["0.00", "0.25", "0.50", "0.75"])
        XCTAssertEqual(Ticks.labels([-1, -0.5, 0, 0.5]), ["-1.0", "-0.5", "0.0", "0.5"])
        XCTAssertEqual(Ticks.labels([0, 100, 200]), ["0", "100", "200"])
    }

    /// f on an n × n grid over (lo, hi)².
    func field(_ n: Int, _ lo: Double, _ hi: Double, _ f: (Double, Double) -> Double) -> ContourField {
        let axis = (0..<n).map { lo + (hi - lo) * Double($0) / Double(n - 1) }
        var values: [Double] = []
        for y in axis { for x in axis { values.append(f(x, y)) } }
        return ContourField(xs: axis, ys: axis, values: values)
    }

    func testABowlsLevelsAreOneClosedCircleEach() {
        let bowl = field(101, -1, 1) { $0 * $0 + $1 * $1 }
        for level in [0.05, 0.2, 0.5, 0.8] {
            let lines = bowl.isolines(level)
            XCTAssertEqual(lines.count, 1, "level \(level) in \(lines.count) pieces")
            guard let line = lines.first else { continue }
            XCTAssertEqual(line.first!.0, line.last!.0)
            XCTAssertEqual(line.first!.1, line.last!.1)
            for (x, y) in line { XCTAssertEqual((x * x + y * y).squareRoot(), level.squareRoot(), accuracy: 2e-3) }
            // f ≥ level is on the left: outside the circle, so the loop turns clockwise.
            XCTAssertLessThan(signedArea(line), 0)
        }
    }

    func testRosenbrocksValleyLinesAreContinuous() {
        let n = 200
        let xs = (0..<n).map { -2 + 4 * Double($0) / Double(n - 1) }, ys = (0..<n).map { -1 + 4 * Double($0) / Double(n - 1) }
        var values: [Double] = []
        for y in ys { for x in xs { values.append((1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)) } }
        let rosenbrock = ContourField(xs: xs, ys: ys, values: values)
        // Every piece is a closed loop or runs from border to border: none ends inside, which
        // is what broken fragments along the valley would do.
        func onBorder(_ p: (Double, Double)) -> Bool { p.0 == xs[0] || p.0 == xs[n - 1] || p.1 == ys[0] || p.1 == ys[n - 1] }
        for level in rosenbrock.levels(10) + [0.5, 2] {
            let lines = rosenbrock.isolines(level)
            XCTAssertFalse(lines.isEmpty, "level \(level)")
            for line in lines where !(line.first! == line.last!) {
                XCTAssertTrue(onBorder(line.first!) && onBorder(line.last!), "level \(level): a piece ends inside the plot at \(line.first!) or \(line.last!)")
            }
        }
        // Segments in all: as many as the cells crossed, none lost in the stitching.
        let level = 5.0
        var crossed = 0
        for r in 0..<(n - 1) { for c in 0..<(n - 1) {
            let v = [values[r * n + c], values[r * n + c + 1], values[(r + 1) * n + c + 1], values[(r + 1) * n + c]].map { $0 >= level }
            let k = (0..<4).filter { v[$0] != v[($0 + 1) % 4] }.count
            crossed += k / 2
        } }
        XCTAssertEqual(rosenbrock.isolines(level).map { $0.count - 1 }.reduce(0, +), crossed)
    }

    func testFilledRegionsAreRingsWhoseAreaIsTheRegions() {
        let bowl = field(101, -1, 1) { $0 * $0 + $1 * $1 }
        for level in [0.3, 0.5, 1.5] {
            let area = bowl.regionRings(level).map(signedArea).reduce(0, +)
            // The region outside the circle of radius √level, within the square (2 × 2).
            var inside = 0
            let m = 400
            for i in 0..<m { for j in 0..<m {
                let x = -1 + 2 * (Double(i) + 0.5) / Double(m), y = -1 + 2 * (Double(j) + 0.5) / Double(m)
                if x * x + y * y >= level { inside += 1 }
            } }
            XCTAssertEqual(area, 4 * Double(inside) / Double(m * m), accuracy: 0.01, "level \(level)")
        }
        // Islands: the rings of sin·cos cover what the cells cover.
        let waves = field(81, -2, 2) { Double.sin(3 * $0) * Double.cos(3 * $1) }
        for level in [-0.5, 0, 0.6] {
            let rings = waves.regionRings(level).map(signedArea).reduce(0, +)
            let cells = waves.regionAbove(level).map(signedArea).reduce(0, +)
            XCTAssertEqual(rings, cells, accuracy: 1e-6, "level \(level)")
        }
    }

    func signedArea(_ ring: [(Double, Double)]) -> Double {
        var sum = 0.0
        for (a, b) in zip(ring, ring.dropFirst() + [ring[0]]) { sum += a.0 * b.1 - b.0 * a.1 }
        return sum / 2
    }

    func testMarkersNeverShadeAContourBand() {
        // Without colour a path or a point over a contour must not vanish into a band.
        XCTAssertTrue(Set(TextPlot.markers).isDisjoint(with: TextPlot.shades))
        XCTAssertTrue(Set(TextPlot.classMarkers).isDisjoint(with: TextPlot.shades))
        XCTAssertTrue(Set(TextPlot.markers).isDisjoint(with: TextPlot.classMarkers))
    }

    func testLegendWidthsComeFromTheFont() {
        // DejaVu Sans: "W" is wider than "i", a label's width is the sum of its glyphs'.
        XCTAssertGreaterThan(SVGLegend.textWidth("W", size: 12), 2 * SVGLegend.textWidth("i", size: 12))
        XCTAssertEqual(SVGLegend.textWidth("sgd adam", size: 12),
                       SVGLegend.textWidth("sgd", size: 12) + SVGLegend.textWidth(" ", size: 12) + SVGLegend.textWidth("adam", size: 12), accuracy: 1e-9)
        XCTAssertEqual(SVGLegend.textWidth("β₁", size: 10), Double(GlyphWidths.other[0x3B2]! + GlyphWidths.other[0x2081]!) / 100, accuracy: 1e-9)
    }
}

// A contour plot's layers in SVG: lines at each level (continuous polylines from Contour.swift)
// with their values written on them, as matplotlib's clabel does, or filled bands between the
// levels in the viridis colour map with a colour bar beside the plot.

import RealModule

struct SVGContour {
    let plot: ContourPlot
    let frame: PlotFrame

    /// viridis at eight evenly spaced points; colours between are interpolated linearly.
    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (70, 50, 127), (54, 92, 141), (39, 127, 142),
        (31, 161, 135), (74, 194, 109), (159, 218, 58), (253, 231, 37),
    ]

    /// viridis at t in [0, 1], as "#rrggbb".
    static func color(_ t: Double) -> String {
        let (r, g, b) = rgb(t)
        let digits = Array("0123456789abcdef")
        return "#" + [r, g, b].map { v in let n = Int(v); return String([digits[n / 16], digits[n % 16]]) }.joined()
    }

    static func rgb(_ t: Double) -> (Double, Double, Double) {
        let u = Swift.min(Swift.max(t.isFinite ? t : 0, 0), 1) * Double(viridis.count - 1)
        let i = Swift.min(Int(u), viridis.count - 2), w = u - Double(i)
        let (a, b) = (viridis[i], viridis[i + 1])
        return ((a.0 + w * (b.0 - a.0)).rounded(), (a.1 + w * (b.1 - a.1)).rounded(), (a.2 + w * (b.2 - a.2)).rounded())
    }

    /// The colour of band k of n (band 0 below the first level).
    static func bandColor(_ k: Int, of n: Int) -> String { color(n > 1 ? Double(k) / Double(n - 1) : 0.5) }

    func layers() -> String { plot.filled ? bands() : lines() }

    private func f(_ v: Double) -> String { NumberFormat.cFormat("%.1f", v) }

    private func svgPath(_ polygons: [[(Double, Double)]], close: Bool) -> String {
        polygons.map { poly in
            "M" + poly.map { "\(f(frame.px($0.0))),\(f(frame.py($0.1)))" }.joined(separator: "L") + (close ? "Z" : "")
        }.joined()
    }

    /// Filled bands, painted from the lowest up: the whole area in band 0's colour, then the
    /// region above each level in the next band's. A thin stroke of the same colour closes the
    /// hairline seams anti-aliasing leaves between neighbouring cells.
    private func bands() -> String {
        let n = plot.levels.count + 1
        let c0 = SVGContour.bandColor(0, of: n)
        // Where f is nan or inf nothing is painted, as matplotlib leaves such cells blank.
        var out = plot.field.values.allSatisfy(\.isFinite)
            ? "<rect x=\"\(f(frame.left))\" y=\"\(f(frame.top))\" width=\"\(f(frame.width))\" height=\"\(f(frame.height))\" fill=\"\(c0)\"/>\n"
            : "<path d=\"\(svgPath(plot.field.regionAbove(-.infinity), close: true))\" fill=\"\(c0)\" stroke=\"\(c0)\" stroke-width=\"0.6\"/>\n"
        for (k, level) in plot.levels.enumerated() {
            let d = svgPath(plot.field.regionRings(level), close: true)
            guard !d.isEmpty else { continue }
            let c = SVGContour.bandColor(k + 1, of: n)
            out += "<path d=\"\(d)\" fill=\"\(c)\" stroke=\"\(c)\" stroke-width=\"0.6\" stroke-linejoin=\"round\"/>\n"
        }
        return out
    }

    /// A line per level in its viridis colour, each labelled with its value on its longest
    /// piece where the label fits and overlaps no other label.
    private func lines() -> String {
        var out = "", labels = ""
        var placed: [(Double, Double, Double, Double)] = []
        let n = plot.levels.count
        for (k, level) in plot.levels.enumerated() {
            let polylines = plot.field.isolines(level)
            guard !polylines.isEmpty else { continue }
            // The yellow end of viridis hardly shows on white: lines stop at 0.85 of the map,
            // labels at 0.6.
            let t = n > 1 ? Double(k) / Double(n - 1) : 0.35
            let color = SVGContour.color(0.85 * t), labelColor = SVGContour.color(0.6 * t)
            out += "<path d=\"\(svgPath(polylines, close: false))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1\" stroke-linejoin=\"round\"/>\n"
            let text = Ticks.levelLabel(level)
            if let label = placeLabel(text, polylines, avoiding: placed) {
                placed.append(label.box)
                labels += "<text x=\"\(f(label.x))\" y=\"\(f(label.y))\" text-anchor=\"middle\" dominant-baseline=\"central\" font-size=\"10\" fill=\"\(labelColor)\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\" transform=\"rotate(\(f(label.angle)) \(f(label.x)) \(f(label.y)))\">\(SVGPlot.escape(text))</text>\n"
            }
        }
        return out + labels
    }

    /// Where a label goes: the middle (by length) of the longest piece in pixels, turned along
    /// the line there (never upside down), when that piece is long enough to carry it.
    private func placeLabel(_ text: String, _ polylines: [[(Double, Double)]],
                            avoiding placed: [(Double, Double, Double, Double)]) -> (x: Double, y: Double, angle: Double, box: (Double, Double, Double, Double))? {
        let width = SVGLegend.textWidth(text, size: 10) + 4
        let pieces = polylines.map { $0.map { (frame.px($0.0), frame.py($0.1)) } }
            .map { piece in (piece, zip(piece, piece.dropFirst()).reduce(0.0) { $0 + hypot($1.0, $1.1) }) }
            .sorted { $0.1 > $1.1 }
        for (piece, length) in pieces where length > 3 * width {
            // Try the middle, then points a third and two thirds along.
            for fraction in [0.5, 0.3, 0.7] {
                var walked = 0.0
                for (a, b) in zip(piece, piece.dropFirst()) {
                    let d = hypot(a, b)
                    if walked + d >= fraction * length, d > 0 {
                        let t = (fraction * length - walked) / d
                        let x = a.0 + t * (b.0 - a.0), y = a.1 + t * (b.1 - a.1)
                        var angle = Double.atan2(y: b.1 - a.1, x: b.0 - a.0) * 180 / .pi
                        if angle > 90 { angle -= 180 } else if angle < -90 { angle += 180 }
                        let box = (x - width / 2 - 2, y - width / 2 - 2, x + width / 2 + 2, y + width / 2 + 2)
                        let inside = x - width / 2 > frame.left && x + width / 2 < frame.right && y - 8 > frame.top && y + 8 < frame.bottom
                        let clear = !placed.contains { box.0 < $0.2 && $0.0 < box.2 && box.1 < $0.3 && $0.1 < box.3 }
                        if inside && clear { return (x, y, angle, box) }
                        break
                    }
                    walked += d
                }
            }
        }
        return nil
    }

    private func hypot(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
        ((b.0 - a.0) * (b.0 - a.0) + (b.1 - a.1) * (b.1 - a.1)).squareRoot()
    }

    /// The colour bar right of the plot: one box per band, the levels as its ticks.
    func colorBar() -> String {
        let n = plot.levels.count + 1
        let x = frame.right + 16, w = 16.0, h = frame.height / Double(n)
        var out = ""
        for k in 0..<n {
            let y = frame.bottom - Double(k + 1) * h
            out += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(h + 0.5))\" fill=\"\(SVGContour.bandColor(k, of: n))\"/>\n"
        }
        out += "<rect x=\"\(f(x))\" y=\"\(f(frame.top))\" width=\"\(f(w))\" height=\"\(f(frame.height))\" fill=\"none\" stroke=\"#333\"/>\n"
        for (k, level) in plot.levels.enumerated() {
            let y = frame.bottom - Double(k + 1) * h
            out += "<line x1=\"\(f(x + w))\" y1=\"\(f(y))\" x2=\"\(f(x + w + 4))\" y2=\"\(f(y))\" stroke=\"#333\"/>\n"
            out += "<text x=\"\(f(x + w + 7))\" y=\"\(f(y + 4))\" font-size=\"11\">\(SVGPlot.escape(Ticks.levelLabel(level)))</text>\n"
        }
        return out
    }
}

extension Ticks {
    /// A contour level's label: up to 4 significant digits ("0.5", "1200", "3.2e-05").
    static func levelLabel(_ v: Double) -> String { NumberFormat.cFormat("%.4g", v) }
}

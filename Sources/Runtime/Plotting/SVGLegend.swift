// The SVG legend: its box sized from the font's advance widths (GlyphWidths.swift), so no
// label runs past it, and placed as matplotlib's loc="best": of the ten places matplotlib
// tries, in its order, the first that covers the fewest data points and line segments.

struct LegendEntry {
    var name: String
    var color: String
    /// The line's dash pattern, nil for a solid line.
    var dash: String?
    /// A dot (a class of points) rather than a line.
    var dot: Bool
}

struct SVGLegend {
    let entries: [LegendEntry]
    static let fontSize = 12.0, rowHeight = 18.0, padding = 8.0, swatch = 22.0, gap = 6.0

    /// The width of `text` at `size` pixels in DejaVu Sans.
    static func textWidth(_ text: String, size: Double) -> Double {
        var thousandths = 0
        for s in text.unicodeScalars {
            if s.value >= 0x20, s.value < 0x7F {
                thousandths += GlyphWidths.ascii[Int(s.value) - 0x20]
            } else if let w = GlyphWidths.other[s.value] {
                thousandths += w
            } else {
                // East Asian and other wide scripts take a full em; the rest about DejaVu's average.
                thousandths += (0x1100...0x11FF).contains(s.value) || (0x2E80...0xFFEF).contains(s.value) ? 1000 : 650
            }
        }
        return Double(thousandths) * size / 1000
    }

    var size: (width: Double, height: Double) {
        let widest = entries.map { SVGLegend.textWidth($0.name, size: SVGLegend.fontSize) }.max() ?? 0
        return (2 * SVGLegend.padding + SVGLegend.swatch + SVGLegend.gap + widest,
                2 * SVGLegend.padding - 4 + Double(entries.count) * SVGLegend.rowHeight)
    }

    /// matplotlib's candidates in its order: upper right, upper left, lower left, lower right,
    /// right, center left, center right, lower center, upper center, center.
    func candidates(_ frame: PlotFrame) -> [(Double, Double)] {
        let (w, h) = size, m = 8.0
        let l = frame.left + m, r = frame.right - w - m, cx = frame.left + (frame.width - w) / 2
        let t = frame.top + m, b = frame.bottom - h - m, cy = frame.top + (frame.height - h) / 2
        return [(r, t), (l, t), (l, b), (r, b), (r, cy), (l, cy), (r, cy), (cx, b), (cx, t), (cx, cy)]
    }

    /// The place covering the fewest points (ties go to the earlier candidate).
    func place(_ frame: PlotFrame, avoiding points: [(Double, Double)]) -> (Double, Double) {
        let (w, h) = size
        var best = candidates(frame)[0], fewest = Int.max
        for (x, y) in candidates(frame) {
            var covered = 0
            for (px, py) in points where px >= x && px <= x + w && py >= y && py <= y + h { covered += 1 }
            if covered < fewest { (best, fewest) = ((x, y), covered) }
        }
        return best
    }

    func render(_ frame: PlotFrame, avoiding points: [(Double, Double)]) -> String {
        let (w, h) = size
        let (x0, y0) = place(frame, avoiding: points)
        func f(_ v: Double) -> String { NumberFormat.cFormat("%.1f", v) }
        var out = "<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(w))\" height=\"\(f(h))\" rx=\"3\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#bbb\"/>\n"
        for (k, e) in entries.enumerated() {
            let baseline = y0 + SVGLegend.padding + 10 + Double(k) * SVGLegend.rowHeight
            let sx = x0 + SVGLegend.padding
            if e.dot {
                out += "<circle cx=\"\(f(sx + SVGLegend.swatch / 2))\" cy=\"\(f(baseline - 4))\" r=\"4\" fill=\"\(e.color)\"/>\n"
            } else {
                let dash = e.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                out += "<line x1=\"\(f(sx))\" y1=\"\(f(baseline - 4))\" x2=\"\(f(sx + SVGLegend.swatch))\" y2=\"\(f(baseline - 4))\" stroke=\"\(e.color)\" stroke-width=\"2\"\(dash)/>\n"
            }
            out += "<text x=\"\(f(sx + SVGLegend.swatch + SVGLegend.gap))\" y=\"\(f(baseline))\">\(SVGPlot.escape(e.name))</text>\n"
        }
        return out
    }
}

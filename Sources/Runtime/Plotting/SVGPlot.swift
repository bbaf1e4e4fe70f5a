// Figures as standalone SVG: axes with ticks and grid lines, title, axis labels, legend;
// lines as polylines (points closer than half a pixel merged, so long runs stay small),
// scatter classes as circles, contour levels by marching squares with paths on top.

import RealModule

struct SVGPlot {
    static let width = 720.0, height = 480.0
    static let left = 72.0, right = 24.0, top = 44.0, bottom = 56.0
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    func render(_ figure: Figure) -> String {
        let (xr, yr) = figure.bounds()
        let pw = SVGPlot.width - SVGPlot.left - SVGPlot.right, ph = SVGPlot.height - SVGPlot.top - SVGPlot.bottom
        func px(_ x: Double) -> Double { SVGPlot.left + AxisMath.fraction(x, xr) * pw }
        func py(_ y: Double) -> Double {
            let v = figure.logy ? Double.log10(y) : y
            return SVGPlot.top + (1 - AxisMath.fraction(v, yr)) * ph
        }
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(SVGPlot.width))" height="\(Int(SVGPlot.height))" viewBox="0 0 \(Int(SVGPlot.width)) \(Int(SVGPlot.height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        // Grid lines and ticks.
        for t in Ticks.nice(xr, count: 6) {
            let x = f(px(t))
            out += "<line x1=\"\(x)\" y1=\"\(f(SVGPlot.top))\" x2=\"\(x)\" y2=\"\(f(SVGPlot.top + ph))\" stroke=\"#e6e6e6\"/>\n"
            out += "<text x=\"\(x)\" y=\"\(f(SVGPlot.top + ph + 16))\" text-anchor=\"middle\">\(SVGPlot.escape(Ticks.label(t)))</text>\n"
        }
        for t in figure.logy ? Ticks.log(yr, count: 6) : Ticks.nice(yr, count: 5) {
            let y = f(SVGPlot.top + (1 - AxisMath.fraction(t, yr)) * ph)
            out += "<line x1=\"\(f(SVGPlot.left))\" y1=\"\(y)\" x2=\"\(f(SVGPlot.left + pw))\" y2=\"\(y)\" stroke=\"#e6e6e6\"/>\n"
            out += "<text x=\"\(f(SVGPlot.left - 6))\" y=\"\(y)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(SVGPlot.escape(Ticks.label(t, log: figure.logy)))</text>\n"
        }
        out += "<clipPath id=\"area\"><rect x=\"\(f(SVGPlot.left))\" y=\"\(f(SVGPlot.top))\" width=\"\(f(pw))\" height=\"\(f(ph))\"/></clipPath>\n"
        out += "<g clip-path=\"url(#area)\">\n"
        switch figure.content {
        case .lines(let series):
            for (k, s) in series.enumerated() { out += polyline(s, SVGPlot.palette[k % SVGPlot.palette.count], px, py) }
        case .scatter(let groups):
            for (k, g) in groups.enumerated() {
                let color = SVGPlot.palette[k % SVGPlot.palette.count]
                for (x, y) in zip(g.x, g.y) {
                    out += "<circle cx=\"\(f(px(x)))\" cy=\"\(f(py(y)))\" r=\"3\" fill=\"\(color)\" fill-opacity=\"0.8\"/>\n"
                }
            }
        case .contour(let field, let paths):
            let levels = field.levels(14)
            for (k, level) in levels.enumerated() {
                let shade = 0.35 + 0.5 * Double(k) / Double(Swift.max(1, levels.count - 1))
                let d = field.isoline(level).map { seg in
                    "M\(f(px(seg.0))),\(f(py(seg.1)))L\(f(px(seg.2))),\(f(py(seg.3)))"
                }.joined()
                if !d.isEmpty {
                    out += "<path d=\"\(d)\" fill=\"none\" stroke=\"rgb(\(Int(60 * shade)),\(Int(120 * shade)),\(Int(200 * shade)))\" stroke-width=\"0.8\"/>\n"
                }
            }
            for (k, p) in paths.enumerated() {
                let color = SVGPlot.palette[(k + 1) % SVGPlot.palette.count]
                out += polyline(p, color, px, py)
                if let x = p.x.first, let y = p.y.first {
                    out += "<circle cx=\"\(f(px(x)))\" cy=\"\(f(py(y)))\" r=\"4\" fill=\"white\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
                }
                if let x = p.x.last, let y = p.y.last {
                    out += "<circle cx=\"\(f(px(x)))\" cy=\"\(f(py(y)))\" r=\"4\" fill=\"\(color)\"/>\n"
                }
            }
        }
        out += "</g>\n"
        out += "<rect x=\"\(f(SVGPlot.left))\" y=\"\(f(SVGPlot.top))\" width=\"\(f(pw))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"#333\"/>\n"
        if let title = figure.title {
            out += "<text x=\"\(f(SVGPlot.width / 2))\" y=\"26\" text-anchor=\"middle\" font-size=\"16\">\(SVGPlot.escape(title))</text>\n"
        }
        if let xlabel = figure.xlabel {
            out += "<text x=\"\(f(SVGPlot.left + pw / 2))\" y=\"\(f(SVGPlot.height - 12))\" text-anchor=\"middle\">\(SVGPlot.escape(xlabel))</text>\n"
        }
        if let ylabel = figure.ylabel {
            out += "<text x=\"16\" y=\"\(f(SVGPlot.top + ph / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f(SVGPlot.top + ph / 2)))\">\(SVGPlot.escape(ylabel))</text>\n"
        }
        let names = figure.legend
        if !names.isEmpty {
            let boxWidth = Double((names.map(\.count).max() ?? 0)) * 7.5 + 44
            let x0 = SVGPlot.left + pw - boxWidth - 8, y0 = SVGPlot.top + 8
            out += "<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(boxWidth))\" height=\"\(f(Double(names.count) * 18 + 8))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n"
            let offset: Int = { if case .contour = figure.content { return 1 } else { return 0 } }()
            for (k, name) in names.enumerated() {
                let y = y0 + 16 + Double(k) * 18
                let color = SVGPlot.palette[(k + offset) % SVGPlot.palette.count]
                if case .scatter = figure.content {
                    out += "<circle cx=\"\(f(x0 + 16))\" cy=\"\(f(y - 4))\" r=\"4\" fill=\"\(color)\"/>\n"
                } else {
                    out += "<line x1=\"\(f(x0 + 6))\" y1=\"\(f(y - 4))\" x2=\"\(f(x0 + 26))\" y2=\"\(f(y - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
                }
                out += "<text x=\"\(f(x0 + 32))\" y=\"\(f(y))\">\(SVGPlot.escape(name))</text>\n"
            }
        }
        if let note = figure.note {
            out += "<text x=\"\(f(SVGPlot.left))\" y=\"\(f(SVGPlot.height - 4))\" font-size=\"10\" fill=\"#666\">\(SVGPlot.escape(note))</text>\n"
        }
        return out + "</svg>\n"
    }

    private func polyline(_ s: PlotSeries, _ color: String, _ px: (Double) -> Double, _ py: (Double) -> Double) -> String {
        var points: [String] = []
        var last: (Double, Double)?
        for (x, y) in zip(s.x, s.y) {
            let p = (px(x), py(y))
            if let l = last, Swift.abs(p.0 - l.0) < 0.5, Swift.abs(p.1 - l.1) < 0.5 { continue }
            points.append("\(f(p.0)),\(f(p.1))")
            last = p
        }
        if let x = s.x.last, let y = s.y.last { points.append("\(f(px(x))),\(f(py(y)))") }
        return "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
    }

    private func f(_ v: Double) -> String { NumberFormat.cFormat("%.1f", v) }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: if c.value >= 0x20 || c == "\t" { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}

extension ContourField {
    /// Marching squares: the segments (x1, y1, x2, y2) where f crosses `level`.
    func isoline(_ level: Double) -> [(Double, Double, Double, Double)] {
        var segments: [(Double, Double, Double, Double)] = []
        let nx = xs.count, ny = ys.count
        guard nx > 1, ny > 1 else { return [] }
        for r in 0..<(ny - 1) {
            for c in 0..<(nx - 1) {
                let v = [values[r * nx + c], values[r * nx + c + 1], values[(r + 1) * nx + c + 1], values[(r + 1) * nx + c]]
                guard v.allSatisfy(\.isFinite) else { continue }
                let corners = [(xs[c], ys[r]), (xs[c + 1], ys[r]), (xs[c + 1], ys[r + 1]), (xs[c], ys[r + 1])]
                var crossings: [(Double, Double)] = []
                for e in 0..<4 {
                    let a = v[e], b = v[(e + 1) % 4]
                    guard (a < level) != (b < level) else { continue }
                    let t = (level - a) / (b - a)
                    let (p, q) = (corners[e], corners[(e + 1) % 4])
                    crossings.append((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)))
                }
                if crossings.count >= 2 { segments.append((crossings[0].0, crossings[0].1, crossings[1].0, crossings[1].1)) }
                if crossings.count == 4 { segments.append((crossings[2].0, crossings[2].1, crossings[3].0, crossings[3].1)) }
            }
        }
        return segments
    }
}

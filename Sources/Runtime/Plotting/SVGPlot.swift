// Figures as standalone SVG: axes with 5 to 8 nice ticks and grid lines, title, axis labels,
// a legend placed where it hides the fewest points; lines as paths broken at non-finite points
// (a later line that lies on an earlier one is dashed, so both show), scatter classes as
// circles, contours (SVGContour.swift) with paths on top; optionally animated.

import RealModule

/// The entry point for everything that shows a figure as SVG (files, PNG/PDF, notebooks).
public enum Plotting {
    /// The figure as a standalone SVG document (720×480).
    public static func svg(_ figure: Figure) -> String { SVGPlot().render(figure) }
}

/// The plotting area and the mapping from data to pixels.
struct PlotFrame {
    let xr: ClosedRange<Double>, yr: ClosedRange<Double>
    let left: Double, top: Double, width: Double, height: Double
    let logy: Bool

    func px(_ x: Double) -> Double { left + AxisMath.fraction(x, xr) * width }
    /// y in data units (log10 taken here under logy).
    func py(_ y: Double) -> Double { pyAxis(logy ? Double.log10(y) : y) }
    /// y in axis units (already log10 under logy).
    func pyAxis(_ v: Double) -> Double { top + (1 - AxisMath.fraction(v, yr)) * height }
    var right: Double { left + width }
    var bottom: Double { top + height }
}

struct SVGPlot {
    static let width = 720.0, height = 480.0
    static let left = 72.0, right = 24.0, top = 44.0, bottom = 56.0
    /// matplotlib's tab10, less grey and olive.
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    /// Paths over a contour: colours that stand out on the viridis bands and on white.
    static let pathPalette = ["#d62728", "#17becf", "#ff7f0e", "#e377c2", "#8c564b", "#1f77b4", "#9467bd", "#2ca02c"]
    /// Dash patterns of later lines that lie on earlier ones, so the earlier shows between dashes.
    static let dashes = ["7,4", "2,3", "9,3,2,3", "4,4"]

    func render(_ figure: Figure) -> String {
        let filled: Bool = { if case .contour(let p) = figure.content { return p.filled } else { return false } }()
        let (xr, yr) = figure.bounds()
        let rightMargin = filled ? SVGPlot.right + 76 : SVGPlot.right
        let frame = PlotFrame(xr: xr, yr: yr, left: SVGPlot.left, top: SVGPlot.top,
                              width: SVGPlot.width - SVGPlot.left - rightMargin, height: SVGPlot.height - SVGPlot.top - SVGPlot.bottom,
                              logy: figure.logy)
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(SVGPlot.width))" height="\(Int(SVGPlot.height))" viewBox="0 0 \(Int(SVGPlot.width)) \(Int(SVGPlot.height))" font-family="DejaVu Sans, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        out += axes(frame, logy: figure.logy)
        out += "<clipPath id=\"area\"><rect x=\"\(f(frame.left))\" y=\"\(f(frame.top))\" width=\"\(f(frame.width))\" height=\"\(f(frame.height))\"/></clipPath>\n"
        out += "<g clip-path=\"url(#area)\">\n"
        let animation = figure.animate ? Animation(duration: figure.duration, steps: figure.stepCount) : nil
        var legend: [LegendEntry] = []
        switch figure.content {
        case .lines(let series):
            let dashed = animation == nil ? SVGPlot.dashedSeries(series.map { pixels($0, frame) }) : series.map { _ in nil }
            for (k, s) in series.enumerated() {
                let color = SVGPlot.palette[k % SVGPlot.palette.count]
                out += line(pixels(s, frame), color, dash: dashed[k], animation)
            }
            legend = zip(figure.lineNames, series.indices).map { LegendEntry(name: $0, color: SVGPlot.palette[$1 % SVGPlot.palette.count], dash: dashed[$1], dot: false) }
        case .scatter(let groups):
            for (k, g) in groups.enumerated() { out += dots(g, SVGPlot.palette[k % SVGPlot.palette.count], frame) }
            legend = zip(figure.classNames, groups.indices).map { LegendEntry(name: $0, color: SVGPlot.palette[$1 % SVGPlot.palette.count], dash: nil, dot: true) }
        case .contour(let plot):
            out += SVGContour(plot: plot, frame: frame).layers()
            for (k, g) in plot.points.enumerated() { out += dots(g, SVGPlot.palette[k % SVGPlot.palette.count], frame, edge: true) }
            // An animated line cannot also be dashed (its dash is what draws it).
            let dashed = animation == nil ? SVGPlot.dashedSeries(plot.paths.map { pixels($0, frame) }) : plot.paths.map { _ in nil }
            for (k, p) in plot.paths.enumerated() {
                out += path(p, SVGPlot.pathPalette[k % SVGPlot.pathPalette.count], dash: dashed[k], frame, animation)
            }
            legend = zip(figure.lineNames, plot.paths.indices).map { LegendEntry(name: $0, color: SVGPlot.pathPalette[$1 % SVGPlot.pathPalette.count], dash: dashed[$1], dot: false) }
                + zip(figure.classNames, plot.points.indices).map { LegendEntry(name: $0, color: SVGPlot.palette[$1 % SVGPlot.palette.count], dash: nil, dot: true) }
        }
        out += "</g>\n"
        out += "<rect x=\"\(f(frame.left))\" y=\"\(f(frame.top))\" width=\"\(f(frame.width))\" height=\"\(f(frame.height))\" fill=\"none\" stroke=\"#333\"/>\n"
        if case .contour(let plot) = figure.content, plot.filled { out += SVGContour(plot: plot, frame: frame).colorBar() }
        out += labels(figure, frame)
        if !legend.isEmpty { out += SVGLegend(entries: legend).render(frame, avoiding: SVGPlot.dataPixels(figure, frame)) }
        return out + "</svg>\n"
    }

    /// Grid lines, tick labels, and the ticks themselves.
    private func axes(_ frame: PlotFrame, logy: Bool) -> String {
        var out = ""
        for (t, label) in Ticks.axis(frame.xr, log: false) {
            let x = f(frame.px(t))
            out += "<line x1=\"\(x)\" y1=\"\(f(frame.top))\" x2=\"\(x)\" y2=\"\(f(frame.bottom))\" stroke=\"#e6e6e6\"/>\n"
            out += "<line x1=\"\(x)\" y1=\"\(f(frame.bottom))\" x2=\"\(x)\" y2=\"\(f(frame.bottom + 4))\" stroke=\"#333\"/>\n"
            out += "<text x=\"\(x)\" y=\"\(f(frame.bottom + 17))\" text-anchor=\"middle\">\(SVGPlot.escape(label))</text>\n"
        }
        for (t, label) in Ticks.axis(frame.yr, log: logy) {
            let y = f(frame.pyAxis(t))
            out += "<line x1=\"\(f(frame.left))\" y1=\"\(y)\" x2=\"\(f(frame.right))\" y2=\"\(y)\" stroke=\"#e6e6e6\"/>\n"
            out += "<line x1=\"\(f(frame.left - 4))\" y1=\"\(y)\" x2=\"\(f(frame.left))\" y2=\"\(y)\" stroke=\"#333\"/>\n"
            out += "<text x=\"\(f(frame.left - 7))\" y=\"\(f(frame.pyAxis(t) + 4))\" text-anchor=\"end\">\(SVGPlot.escape(label))</text>\n"
        }
        return out
    }

    private func labels(_ figure: Figure, _ frame: PlotFrame) -> String {
        var out = ""
        if let title = figure.title {
            out += "<text x=\"\(f(SVGPlot.width / 2))\" y=\"26\" text-anchor=\"middle\" font-size=\"16\">\(SVGPlot.escape(title))</text>\n"
        }
        if let xlabel = figure.xlabel {
            out += "<text x=\"\(f(frame.left + frame.width / 2))\" y=\"\(f(SVGPlot.height - 14))\" text-anchor=\"middle\">\(SVGPlot.escape(xlabel))</text>\n"
        }
        if let ylabel = figure.ylabel {
            let y = f(frame.top + frame.height / 2)
            out += "<text x=\"16\" y=\"\(y)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(y))\">\(SVGPlot.escape(ylabel))</text>\n"
        }
        if let note = figure.note {
            out += "<text x=\"\(f(frame.left))\" y=\"\(f(SVGPlot.height - 3))\" font-size=\"10\" fill=\"#666\">\(SVGPlot.escape(note))</text>\n"
        }
        return out
    }

    /// A series' pieces in pixels, points closer than half a pixel to the last kept merged
    /// (a run of 10^6 points stays small); each piece keeps its last point.
    func pixels(_ s: PlotSeries, _ frame: PlotFrame) -> [[DrawnPoint]] {
        s.pieces().map { piece in
            var kept: [DrawnPoint] = []
            for (i, p) in piece.enumerated() {
                let q = DrawnPoint(x: frame.px(p.x), y: frame.py(p.y), index: p.index)
                if let l = kept.last, i < piece.count - 1, Swift.abs(q.x - l.x) < 0.5, Swift.abs(q.y - l.y) < 0.5 { continue }
                kept.append(q)
            }
            return kept
        }
    }

    /// A line as one <path> (a piece of one point is a dot), dashed when asked, animated when asked.
    private func line(_ pieces: [[DrawnPoint]], _ color: String, dash: String?, _ animation: Animation?) -> String {
        var out = ""
        for piece in pieces {
            if piece.count == 1 {
                out += "<circle cx=\"\(f(piece[0].x))\" cy=\"\(f(piece[0].y))\" r=\"1.8\" fill=\"\(color)\"/>\n"
                continue
            }
            let d = "M" + piece.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: "L")
            let dashAttribute = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            if let animation {
                out += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" stroke-linejoin=\"round\"\(dash == nil ? "" : " stroke-opacity=\"0.9\"")>\n"
                out += animation.reveal(piece) + "</path>\n"
            } else {
                out += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" stroke-linejoin=\"round\"\(dashAttribute)/>\n"
            }
        }
        return out
    }

    /// An optimizer's path: its line, a hollow circle at the start and a filled one at the end.
    private func path(_ p: PlotSeries, _ color: String, dash: String?, _ frame: PlotFrame, _ animation: Animation?) -> String {
        let pieces = pixels(p, frame)
        var out = line(pieces, color, dash: dash, animation)
        if let animation, pieces.count == 1, pieces[0].count > 1 {
            out += animation.head(pieces[0], "M" + pieces[0].map { "\(f($0.x)),\(f($0.y))" }.joined(separator: "L"), color)
        }
        let finite = zip(p.x, p.y).filter { $0.0.isFinite && $0.1.isFinite }
        if let (x, y) = finite.first {
            out += "<circle cx=\"\(f(frame.px(x)))\" cy=\"\(f(frame.py(y)))\" r=\"4\" fill=\"white\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
        }
        if let (x, y) = finite.last {
            out += "<circle cx=\"\(f(frame.px(x)))\" cy=\"\(f(frame.py(y)))\" r=\"4\" fill=\"\(color)\">"
            out += (animation?.appearAtEnd() ?? "") + "</circle>\n"
        }
        return out
    }

    private func dots(_ g: ScatterGroup, _ color: String, _ frame: PlotFrame, edge: Bool = false) -> String {
        let stroke = edge ? " stroke=\"white\" stroke-width=\"0.8\"" : ""
        return zip(g.x, g.y).map { x, y in
            "<circle cx=\"\(f(frame.px(x)))\" cy=\"\(f(frame.py(y)))\" r=\"3\" fill=\"\(color)\" fill-opacity=\"0.85\"\(stroke)/>\n"
        }.joined()
    }

    /// For each series, a dash pattern when most of it lies within 1.5 pixels of an earlier
    /// series (SGD under momentum at a tiny lr): drawn solid, it would hide the earlier one.
    static func dashedSeries(_ series: [[[DrawnPoint]]]) -> [String?] {
        var occupied = Set<Int>()
        var out: [String?] = []
        var dashedCount = 0
        func cell(_ x: Double, _ y: Double) -> Int { Int((x / 3).rounded(.down)) * 100_003 + Int((y / 3).rounded(.down)) }
        for pieces in series {
            var cells = Set<Int>()
            for piece in pieces {
                for (a, b) in zip(piece, piece.dropFirst() + [piece.last!]) {
                    let n = Swift.max(1, Int(Swift.max(Swift.abs(b.x - a.x), Swift.abs(b.y - a.y)) / 1.5))
                    for k in 0...n {
                        let t = Double(k) / Double(n)
                        cells.insert(cell(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))
                    }
                }
            }
            let shared = cells.filter { occupied.contains($0) }.count
            if !cells.isEmpty, 2 * shared > cells.count {
                out.append(dashes[dashedCount % dashes.count])
                dashedCount += 1
            } else {
                out.append(nil)
            }
            occupied.formUnion(cells)
        }
        return out
    }

    /// The data points in pixels, which the legend avoids.
    static func dataPixels(_ figure: Figure, _ frame: PlotFrame) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        func add(_ xs: [Double], _ ys: [Double]) {
            let stride = Swift.max(1, xs.count / 2000)
            for i in Swift.stride(from: 0, to: xs.count, by: stride) where xs[i].isFinite && ys[i].isFinite {
                out.append((frame.px(xs[i]), frame.py(ys[i])))
            }
        }
        /// A line's points and points every 4 pixels between them, so a segment that crosses
        /// the legend counts even when its ends do not.
        func addLine(_ s: PlotSeries) {
            for piece in s.pieces() {
                let stride = Swift.max(1, piece.count / 2000)
                var previous: (Double, Double)?
                for i in Swift.stride(from: 0, to: piece.count, by: stride) {
                    let p = (frame.px(piece[i].x), frame.py(piece[i].y))
                    if let q = previous {
                        let n = Swift.min(200, Int(Swift.max(Swift.abs(p.0 - q.0), Swift.abs(p.1 - q.1)) / 4))
                        for k in Swift.stride(from: 1, to: n, by: 1) {
                            let t = Double(k) / Double(n)
                            out.append((q.0 + t * (p.0 - q.0), q.1 + t * (p.1 - q.1)))
                        }
                    }
                    out.append(p)
                    previous = p
                }
            }
        }
        switch figure.content {
        case .lines(let series):
            for s in series { addLine(s) }
        case .scatter(let groups): for g in groups { add(g.x, g.y) }
        case .contour(let plot):
            for p in plot.paths { addLine(p) }
            for g in plot.points { add(g.x, g.y) }
        }
        return out
    }

    func f(_ v: Double) -> String { NumberFormat.cFormat("%.1f", v) }

    static func escape(_ s: String) -> String { escapeMarkup(s) }
}

extension Figure {
    /// The number of data points of the longest line or path: an animation gives each the
    /// same time, so runs of equal length move in step.
    var stepCount: Int {
        switch content {
        case .lines(let series): return series.map(\.x.count).max() ?? 1
        case .scatter: return 1
        case .contour(let plot): return plot.paths.map(\.x.count).max() ?? 1
        }
    }
}

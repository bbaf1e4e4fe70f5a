// A figure (spec §9.10, §15.4): what is drawn, independent of where. The built-ins build one
// from their arguments; TextPlot draws it in the terminal, SVGPlot writes it as SVG (and
// RasterExport turns that SVG into PNG or PDF).

import RealModule

/// Points (x[i], y[i]): a line, a trajectory or one class of a scatter.
protocol PointSet {
    var x: [Double] { get set }
    var y: [Double] { get set }
}

extension PointSet {
    /// Keeps the points that pass; returns how many were dropped (scatter points).
    mutating func keep(_ passes: (Double, Double) -> Bool) -> Int {
        let pairs = zip(x, y).filter { passes($0, $1) }
        let dropped = x.count - pairs.count
        x = pairs.map(\.0)
        y = pairs.map(\.1)
        return dropped
    }

    /// Turns the points that fail into breaks (nan, nan): a line stops there and starts again
    /// after, as matplotlib draws NaN. Returns how many there were.
    mutating func breakAt(_ passes: (Double, Double) -> Bool) -> Int {
        var count = 0
        for i in x.indices where !passes(x[i], y[i]) {
            x[i] = .nan
            y[i] = .nan
            count += 1
        }
        return count
    }
}

/// A point of a line as drawn, with the index of the data point it belongs to (an animated
/// line is drawn in the order of its data points).
struct DrawnPoint {
    var x: Double
    var y: Double
    var index: Int
}

/// One line of a line plot, or one trajectory over a contour.
struct PlotSeries: PointSet {
    var name: String?
    var x: [Double]
    var y: [Double]
    /// Drawn as steps: each value holds until the next x (matplotlib's "steps-post").
    var steps = false

    /// The runs of the line between breaks, each expanded into steps when asked.
    func pieces() -> [[DrawnPoint]] {
        var out: [[DrawnPoint]] = []
        var piece: [DrawnPoint] = []
        for i in x.indices {
            guard x[i].isFinite, y[i].isFinite else {
                if !piece.isEmpty { out.append(piece) }
                piece = []
                continue
            }
            if steps, let last = piece.last { piece.append(DrawnPoint(x: x[i], y: last.y, index: i)) }
            piece.append(DrawnPoint(x: x[i], y: y[i], index: i))
        }
        if !piece.isEmpty { out.append(piece) }
        return out
    }

    /// Whether the values mostly repeat (more than half of neighbours equal, not all): a
    /// piecewise-constant schedule (step, multistep, staircase, plateau), drawn as steps.
    var isPiecewiseConstant: Bool {
        guard y.count >= 3 else { return false }
        let equal = zip(y, y.dropFirst()).filter { $0 == $1 }.count
        return 2 * equal > y.count - 1 && equal < y.count - 1
    }
}

/// The points of one class of a scatter plot.
struct ScatterGroup: PointSet {
    var name: String
    var x: [Double]
    var y: [Double]
}

/// A contour plot: f on a grid, its levels, and what is drawn over it.
struct ContourPlot {
    var field: ContourField
    /// The levels, increasing: a line at each, or the bands between them when filled.
    var levels: [Double]
    var filled = false
    var paths: [PlotSeries] = []
    var points: [ScatterGroup] = []
}

/// A figure: what is drawn and how it is labelled. `Plotting.svg(figure)` renders it.
public struct Figure {
    enum Content {
        case lines([PlotSeries])
        case scatter([ScatterGroup])
        case contour(ContourPlot)
    }

    var content: Content
    var title: String?
    var xlabel: String?
    var ylabel: String?
    var logy = false
    /// SVG: lines and paths draw themselves over `duration` seconds, step by step.
    var animate = false
    var duration = 5.0
    /// Points left out: NaN or ±inf, or not positive on a log axis.
    var skipped = 0

    init(content: Content) {
        self.content = content
    }

    /// Marks non-finite points (and non-positive ones under logy) as breaks of their line,
    /// drops them from a scatter, and counts them.
    mutating func clean() {
        let logy = self.logy
        switch content {
        case .lines(var series):
            for k in series.indices { skipped += series[k].breakAt { $0.isFinite && $1.isFinite && (!logy || $1 > 0) } }
            content = .lines(series)
        case .scatter(var groups):
            for k in groups.indices { skipped += groups[k].keep { $0.isFinite && $1.isFinite } }
            content = .scatter(groups)
        case .contour(var plot):
            for k in plot.paths.indices { skipped += plot.paths[k].breakAt { $0.isFinite && $1.isFinite } }
            for k in plot.points.indices { skipped += plot.points[k].keep { $0.isFinite && $1.isFinite } }
            content = .contour(plot)
        }
    }

    /// The data's extent, padded when flat; y in log10 under logy.
    func bounds() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        var xs: [Double] = [], ys: [Double] = []
        switch content {
        case .lines(let series): for s in series { xs += s.x.filter(\.isFinite); ys += s.y.filter(\.isFinite) }
        case .scatter(let groups): for g in groups { xs += g.x; ys += g.y }
        case .contour(let plot):
            xs = [plot.field.xs.first!, plot.field.xs.last!]
            ys = [plot.field.ys.first!, plot.field.ys.last!]
        }
        if logy { ys = ys.map { Double.log10($0) } }
        // A margin keeps points off the frame; a contour's range is the one asked for.
        switch content {
        case .lines: return (Figure.padded(xs, 0), Figure.padded(ys, 0.04))
        case .scatter: return (Figure.padded(xs, 0.04), Figure.padded(ys, 0.04))
        case .contour: return (Figure.padded(xs, 0), Figure.padded(ys, 0))
        }
    }

    /// The values' extent widened by `margin` of it (finite values: `clean` ran first). A flat
    /// extent is widened by 1, or by enough to be seen at its magnitude (9e15 ± 1 is 9e15).
    static func padded(_ v: [Double], _ margin: Double) -> ClosedRange<Double> {
        guard let lo = v.min(), let hi = v.max() else { return 0...1 }
        if lo == hi {
            let d = Swift.max(1, Swift.abs(lo) * 0x1p-40)
            return AxisMath.clamped(lo - d)...AxisMath.clamped(hi + d)
        }
        let pad = AxisMath.span(lo...hi) * margin
        return AxisMath.clamped(lo - pad)...AxisMath.clamped(hi + pad)
    }

    var isEmpty: Bool {
        switch content {
        case .lines(let series): return series.allSatisfy { !$0.x.contains(where: \.isFinite) }
        case .scatter(let groups): return groups.allSatisfy { $0.x.isEmpty }
        case .contour: return false
        }
    }

    /// The names of the lines (or paths) in the legend; none for one unnamed line.
    var lineNames: [String] {
        switch content {
        case .lines(let series):
            return series.count > 1 || series.first?.name != nil ? series.enumerated().map { $1.name ?? "\($0 + 1)" } : []
        case .scatter: return []
        case .contour(let plot): return plot.paths.enumerated().map { $1.name ?? "\($0 + 1)" }
        }
    }

    /// The names of the classes of points in the legend, when there are two or more.
    var classNames: [String] {
        switch content {
        case .lines: return []
        case .scatter(let groups): return groups.count > 1 ? groups.map(\.name) : []
        case .contour(let plot): return plot.points.count > 1 ? plot.points.map(\.name) : []
        }
    }

    var note: String? {
        guard skipped > 0 else { return nil }
        return "note: \(skipped) point\(skipped == 1 ? "" : "s") skipped (nan, inf\(logy ? " or not positive on the log axis" : ""))"
    }
}

// A figure (spec §9.10): what is drawn, independent of where. The built-ins build one from
// their arguments; TextPlot draws it in the terminal and SVGPlot writes it to a file.

import RealModule

/// Points (x[i], y[i]): a line, a trajectory or one class of a scatter.
protocol PointSet {
    var x: [Double] { get set }
    var y: [Double] { get set }
}

extension PointSet {
    /// Keeps the points that pass; returns how many were dropped.
    mutating func keep(_ passes: (Double, Double) -> Bool) -> Int {
        let pairs = zip(x, y).filter { passes($0, $1) }
        let dropped = x.count - pairs.count
        x = pairs.map(\.0)
        y = pairs.map(\.1)
        return dropped
    }
}

/// One line of a line plot, or one trajectory over a contour.
struct PlotSeries: PointSet {
    var name: String?
    var x: [Double]
    var y: [Double]
}

/// The points of one class of a scatter plot.
struct ScatterGroup: PointSet {
    var name: String
    var x: [Double]
    var y: [Double]
}

/// f sampled on a grid: `values[row * xs.count + col]` is f(xs[col], ys[row]).
struct ContourField {
    var xs: [Double]
    var ys: [Double]
    var values: [Double]

    /// Levels at quantiles of the finite values: they follow the function's own scale, so
    /// Rosenbrock's narrow valley shows as well as a round bowl.
    func levels(_ count: Int) -> [Double] {
        let finite = values.filter(\.isFinite).sorted()
        guard finite.count > 1 else { return [] }
        var out: [Double] = []
        for k in 1...count {
            // Denser near the minimum: quantiles on a squared scale.
            let q = Double(k) / Double(count + 1)
            let v = finite[Swift.min(finite.count - 1, Int(q * q * Double(finite.count - 1)))]
            if out.last != v { out.append(v) }
        }
        return out
    }
}

struct Figure {
    enum Content {
        case lines([PlotSeries])
        case scatter([ScatterGroup])
        case contour(ContourField, paths: [PlotSeries])
    }

    var content: Content
    var title: String?
    var xlabel: String?
    var ylabel: String?
    var logy = false
    /// Points left out: NaN or ±inf, or not positive on a log axis.
    var skipped = 0

    /// Drops non-finite points (and non-positive ones under logy), counting them.
    mutating func clean() {
        let logy = self.logy
        switch content {
        case .lines(var series):
            for k in series.indices { skipped += series[k].keep { $0.isFinite && $1.isFinite && (!logy || $1 > 0) } }
            content = .lines(series)
        case .scatter(var groups):
            for k in groups.indices { skipped += groups[k].keep { $0.isFinite && $1.isFinite } }
            content = .scatter(groups)
        case .contour(let field, var paths):
            for k in paths.indices { skipped += paths[k].keep { $0.isFinite && $1.isFinite } }
            content = .contour(field, paths: paths)
        }
    }

    /// The data's extent, padded when flat; y in log10 under logy.
    func bounds() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        var xs: [Double] = [], ys: [Double] = []
        switch content {
        case .lines(let series): for s in series { xs += s.x; ys += s.y }
        case .scatter(let groups): for g in groups { xs += g.x; ys += g.y }
        case .contour(let field, _):
            xs = [field.xs.first!, field.xs.last!]
            ys = [field.ys.first!, field.ys.last!]
        }
        if logy { ys = ys.map { Double.log10($0) } }
        // A margin keeps points off the frame; a contour's range is the one asked for.
        switch content {
        case .lines: return (Figure.padded(xs, 0), Figure.padded(ys, 0.04))
        case .scatter: return (Figure.padded(xs, 0.04), Figure.padded(ys, 0.04))
        case .contour: return (Figure.padded(xs, 0), Figure.padded(ys, 0))
        }
    }

    static func padded(_ v: [Double], _ margin: Double) -> ClosedRange<Double> {
        guard let lo = v.min(), let hi = v.max() else { return 0...1 }
        if lo == hi { return (lo - 1)...(hi + 1) }
        let pad = (hi - lo) * margin
        return (lo - pad)...(hi + pad)
    }

    var isEmpty: Bool {
        switch content {
        case .lines(let series): return series.allSatisfy { $0.x.isEmpty }
        case .scatter(let groups): return groups.allSatisfy { $0.x.isEmpty }
        case .contour: return false
        }
    }

    /// The legend's entries: series names, or class names for a scatter.
    var legend: [String] {
        switch content {
        case .lines(let series): return series.count > 1 || series.first?.name != nil ? series.enumerated().map { $1.name ?? "\($0 + 1)" } : []
        case .scatter(let groups): return groups.count > 1 ? groups.map(\.name) : []
        case .contour(_, let paths): return paths.enumerated().map { $1.name ?? "\($0 + 1)" }
        }
    }

    var note: String? {
        guard skipped > 0 else { return nil }
        return "note: \(skipped) point\(skipped == 1 ? "" : "s") skipped (nan, inf\(logy ? " or not positive on the log axis" : ""))"
    }
}

/// "Nice" tick positions (1, 2, 5 times a power of ten) covering a range.
enum Ticks {
    static func nice(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(Swift.max(count, 1))
        let magnitude = Double.pow(10, (Double.log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var t = (range.lowerBound / step).rounded(.up) * step
        var out: [Double] = []
        while t <= range.upperBound + step * 1e-9 {
            out.append(Swift.abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }

    /// Ticks of a log10 axis (the range is in log10 units): whole decades when two or more
    /// fit, else nice ticks between them.
    static func log(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        let decades = stride(from: range.lowerBound.rounded(.up), through: range.upperBound, by: 1).map { $0 }
        if decades.count >= 2 {
            let step = [1, 2, 5, 10, 20, 50, 100].first { decades.count <= $0 * count } ?? 100
            return decades.filter { Int($0) % step == 0 }
        }
        return nice(range, count: count)
    }

    /// A tick's label: at most 4 significant digits, no trailing zeros.
    static func label(_ v: Double, log: Bool = false) -> String {
        if log { return NumberFormat.cFormat("%.3g", Double.pow(10, v)) }
        return NumberFormat.cFormat("%.4g", v)
    }
}

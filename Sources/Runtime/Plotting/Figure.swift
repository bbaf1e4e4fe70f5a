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

/// Positions on an axis whose ends are finite but whose span may not be: hi - lo overflows
/// for (-1e308, 1e308), so such spans are taken from halves. Finite spans keep the plain
/// formulas (and their rounding).
enum AxisMath {
    /// hi - lo, or the largest finite double when that overflows.
    static func span(_ r: ClosedRange<Double>) -> Double {
        clamped(r.upperBound - r.lowerBound)
    }

    /// (v - lo) / (hi - lo): 0 at lo, 1 at hi; 0.5 for an empty span.
    static func fraction(_ v: Double, _ r: ClosedRange<Double>) -> Double {
        let span = r.upperBound - r.lowerBound
        if span.isFinite { return span > 0 ? (v - r.lowerBound) / span : 0.5 }
        return (v / 2 - r.lowerBound / 2) / (r.upperBound / 2 - r.lowerBound / 2)
    }

    /// lo + t (hi - lo), or hi - t (hi - lo) `fromTop`.
    static func point(_ t: Double, _ r: ClosedRange<Double>, fromTop: Bool = false) -> Double {
        let span = r.upperBound - r.lowerBound
        if span.isFinite { return fromTop ? r.upperBound - t * span : r.lowerBound + t * span }
        let u = fromTop ? 1 - t : t
        return clamped(r.lowerBound * (1 - u) + r.upperBound * u)
    }

    /// ±inf pulled back to the largest finite doubles.
    static func clamped(_ v: Double) -> Double {
        Swift.min(Swift.max(v, -.greatestFiniteMagnitude), .greatestFiniteMagnitude)
    }

    /// A position in cells or dots as an Int: nan and anything far off the grid land just
    /// outside it (where drawing skips them), never in a trapping conversion.
    static func cell(_ v: Double) -> Int {
        guard v.isFinite else { return -1 }
        return Int(Swift.min(Swift.max(v.rounded(), -1e6), 1e6))
    }

    /// The part of the segment p→q inside the box (Liang–Barsky), or nil when none is.
    static func clip(_ p: (Double, Double), _ q: (Double, Double),
                     _ lo: (Double, Double), _ hi: (Double, Double)) -> ((Double, Double), (Double, Double))? {
        var t0 = 0.0, t1 = 1.0
        let d = (q.0 - p.0, q.1 - p.1)
        for (dp, from, a, b) in [(d.0, p.0, lo.0, hi.0), (d.1, p.1, lo.1, hi.1)] {
            if dp == 0 {
                if from < a || from > b { return nil }
                continue
            }
            var ta = (a - from) / dp, tb = (b - from) / dp
            if ta > tb { swap(&ta, &tb) }
            t0 = Swift.max(t0, ta)
            t1 = Swift.min(t1, tb)
            if t0 > t1 || !t0.isFinite || !t1.isFinite { return nil }
        }
        func at(_ t: Double) -> (Double, Double) {
            t == 0 ? p : (t == 1 ? q : (p.0 + t * d.0, p.1 + t * d.1))
        }
        return (at(t0), at(t1))
    }
}

/// "Nice" tick positions (1, 2, 5 times a power of ten) covering a range.
enum Ticks {
    static func nice(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, range.lowerBound.isFinite, range.upperBound.isFinite else { return [range.lowerBound] }
        // A span past the largest double: the ticks of a tenth of the range, times ten.
        if !span.isFinite {
            let tenth = (range.lowerBound / 10)...(range.upperBound / 10)
            return nice(tenth, count: count).map { $0 * 10 }.filter { $0.isFinite && range.contains($0) }
        }
        let raw = span / Double(Swift.max(count, 1))
        let magnitude = Double.pow(10, (Double.log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var t = (range.lowerBound / step).rounded(.up) * step
        var out: [Double] = []
        // At most a few ticks per count; and a step below t's spacing (ticks 0.5 apart at 1e16)
        // leaves t where it is, which ends the ticks too.
        while t <= range.upperBound + step * 1e-9, t.isFinite, out.count <= 4 * count + 8 {
            out.append(Swift.abs(t) < step * 1e-9 ? 0 : t)
            let next = t + step
            if next == t { break }
            t = next
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

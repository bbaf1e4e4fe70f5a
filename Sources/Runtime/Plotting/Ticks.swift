// Tick positions and labels, shared by the text and SVG plots: matplotlib's MaxNLocator
// (steps 1, 2, 2.5, 5 times a power of ten, 5 to 8 ticks) on linear axes, powers of ten on
// log axes.

import RealModule

enum Ticks {
    /// The step multipliers of MaxNLocator's default (`steps=[1, 2, 2.5, 5, 10]`).
    static let mantissas = [1.0, 2, 2.5, 5]

    /// Ticks on a linear axis: the smallest nice step giving at most `most` ticks inside the
    /// range (MaxNLocator's rule), and among those the first whose labels `fits` accepts (the
    /// text plot's x axis asks whether they fit side by side).
    static func linear(_ range: ClosedRange<Double>, most: Int = 8,
                       fits: ([Double]) -> Bool = { _ in true }) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, range.lowerBound.isFinite, range.upperBound.isFinite else { return [range.lowerBound] }
        // A span past the largest double: the ticks of a tenth of the range, times ten.
        if !span.isFinite {
            let tenth = (range.lowerBound / 10)...(range.upperBound / 10)
            return linear(tenth, most: most, fits: fits).map { $0 * 10 }.filter { $0.isFinite && range.contains($0) }
        }
        // Steps in increasing order from a tenth of span/most.
        var decade = Double.pow(10, Double.log10(span / Double(Swift.max(most, 1))).rounded(.down) - 1)
        var last: [Double]?
        for _ in 0..<6 {
            for m in mantissas {
                guard let ticks = multiples(of: m * decade, in: range, limit: most) else { continue }
                if fits(ticks) { return ticks }
                if ticks.count >= 2 { last = ticks }
            }
            decade *= 10
        }
        return last ?? [range.lowerBound, range.upperBound]
    }

    /// The multiples of `step` inside the range, or nil when there are more than `limit` (or
    /// the step is below the spacing of doubles there, 0.5 at 1e16).
    static func multiples(of step: Double, in range: ClosedRange<Double>, limit: Int) -> [Double]? {
        guard step > 0, step.isFinite else { return nil }
        let first = (range.lowerBound / step - 1e-9).rounded(.up), last = (range.upperBound / step + 1e-9).rounded(.down)
        guard last - first + 1 <= Double(limit) else { return nil }
        guard first <= last else { return [] }
        var out: [Double] = []
        var k = first
        while k <= last {
            let t = k * step
            if let previous = out.last, t <= previous { return nil }
            out.append(t == 0 ? 0 : t)
            k += 1
        }
        return out
    }

    /// Ticks of a log10 axis (the range is in log10 units): 1, 2 and 5 times the powers of ten
    /// when at most `most` of them fall in the range, else the powers of ten alone, every one
    /// or every 2nd, 5th, ... so that at most `most` remain.
    static func log(_ range: ClosedRange<Double>, most: Int = 8) -> [Double] {
        guard range.lowerBound.isFinite, range.upperBound.isFinite else { return [] }
        let decades = stride(from: range.lowerBound.rounded(.up), through: range.upperBound, by: 1).map { $0 }
        if decades.count <= most {
            var out: [Double] = []
            for p in Int(range.lowerBound.rounded(.down))...Int(range.upperBound.rounded(.up)) {
                for m in [1.0, 2, 5] {
                    let t = Double(p) + Double.log10(m)
                    if range.contains(t) { out.append(t) }
                }
            }
            if out.count <= most, out.count >= 2 { return out }
            if decades.count >= 2 { return decades }
            return linear(range, most: most)
        }
        let step = [2, 5, 10, 20, 50, 100, 200, 500].first { (decades.count + $0 - 1) / $0 <= most } ?? 1000
        return decades.filter { Int($0) % step == 0 }
    }

    /// Labels for ticks: the same number of decimals on every label of an axis, as the step
    /// needs (0, 0.25, 0.5 read "0.00 0.25 0.50"); %g beyond 1e5 or below 1e-4.
    static func labels(_ ticks: [Double]) -> [String] {
        guard ticks.count >= 2 else { return ticks.map { NumberFormat.cFormat("%.4g", $0) } }
        let step = Swift.abs(ticks[1] - ticks[0])
        let biggest = ticks.map { Swift.abs($0) }.max() ?? 0
        guard step > 0, biggest < 1e5, step >= 1e-4 else { return ticks.map { NumberFormat.cFormat("%.4g", $0) } }
        var decimals = 0
        while decimals < 6, Swift.abs((step * Double.pow(10, Double(decimals))).rounded() - step * Double.pow(10, Double(decimals))) > 1e-6 * step * Double.pow(10, Double(decimals)) {
            decimals += 1
        }
        return ticks.map { t in
            let s = NumberFormat.cFormat("%.\(decimals)f", t)
            return s.hasPrefix("-") && s.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(s.dropFirst()) : s
        }
    }

    /// Labels of a log axis: 10 with a superscript exponent at powers of ten ("10⁻³", as
    /// matplotlib's LogFormatterSciNotation), the value itself between them ("2", "0.05").
    static func logLabels(_ ticks: [Double]) -> [String] {
        ticks.map { t in
            let p = t.rounded()
            if Swift.abs(t - p) < 1e-9 {
                return "10" + superscript(Int(p))
            }
            return NumberFormat.cFormat("%.3g", Double.pow(10, t))
        }
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(Swift.abs(n)).map { digits[Int(String($0))!] }
    }

    /// The ticks and labels of an axis.
    static func axis(_ range: ClosedRange<Double>, log: Bool, most: Int = 8,
                     fits: ([Double]) -> Bool = { _ in true }) -> [(Double, String)] {
        let ticks = log ? Ticks.log(range, most: most) : linear(range, most: most, fits: fits)
        return Array(zip(ticks, log ? logLabels(ticks) : labels(ticks)))
    }
}

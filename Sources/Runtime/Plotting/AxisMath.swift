// Positions on axes whose ends are finite but whose span may overflow, clipping, and the
// conversion of positions to cells, shared by the text and SVG plots.

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

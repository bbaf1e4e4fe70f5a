// Contours of f sampled on a grid: the levels (a count at quantiles of f, or values given),
// the lines at a level by marching squares with linear interpolation stitched into continuous
// polylines, and the region above a level as polygons for filled bands.

import RealModule

/// f sampled on a grid: `values[row * xs.count + col]` is f(xs[col], ys[row]).
struct ContourField {
    var xs: [Double]
    var ys: [Double]
    var values: [Double]

    /// `count` levels at quantiles of the finite values, on a squared scale so they are denser
    /// near the minimum (Rosenbrock's narrow valley shows as well as a round bowl), rounded to
    /// two significant digits so their labels read well.
    func levels(_ count: Int) -> [Double] {
        let finite = values.filter(\.isFinite).sorted()
        guard finite.count > 1, count > 0 else { return [] }
        var out: [Double] = []
        for k in 1...count {
            let q = Double(k) / Double(count + 1)
            let v = ContourField.round2(finite[Swift.min(finite.count - 1, Int(q * q * Double(finite.count - 1)))])
            if v > finite[0], v < finite[finite.count - 1], out.last.map({ v > $0 }) ?? true { out.append(v) }
        }
        return out
    }

    /// v rounded to two significant digits (3.2176 → 3.2, 1234 → 1200).
    static func round2(_ v: Double) -> Double {
        guard v.isFinite, v != 0 else { return v }
        let scale = Double.pow(10, Double.log10(Swift.abs(v)).rounded(.down) - 1)
        let r = (v / scale).rounded() * scale
        return r.isFinite ? Double(NumberFormat.cFormat("%.2g", r)) ?? r : v
    }

    /// f at (x, y) by bilinear interpolation between the four grid values around it.
    func interpolated(_ x: Double, _ y: Double) -> Double {
        func locate(_ v: Double, _ axis: [Double]) -> (Int, Double) {
            guard axis.count > 1 else { return (0, 0) }
            let f = Swift.min(Swift.max(AxisMath.fraction(v, axis[0]...axis[axis.count - 1]), 0), 1) * Double(axis.count - 1)
            let i = Swift.min(Int(f), axis.count - 2)
            return (i, f - Double(i))
        }
        let (c, tx) = locate(x, xs), (r, ty) = locate(y, ys)
        let nx = xs.count
        guard xs.count > 1, ys.count > 1 else { return values[0] }
        let v00 = values[r * nx + c], v01 = values[r * nx + c + 1]
        let v10 = values[(r + 1) * nx + c], v11 = values[(r + 1) * nx + c + 1]
        return (1 - ty) * ((1 - tx) * v00 + tx * v01) + ty * ((1 - tx) * v10 + tx * v11)
    }

    // Edges are numbered so two cells sharing one name the same point: 2·(r·nx + c) is the
    // edge from (r, c) to (r, c+1), 2·(r·nx + c) + 1 the edge from (r, c) to (r+1, c).

    /// Where f crosses `level` on an edge, by linear interpolation between its ends.
    private func crossing(_ edge: Int, _ level: Double) -> (Double, Double) {
        let nx = xs.count
        let corner = edge / 2, r = corner / nx, c = corner % nx
        let (r2, c2) = edge % 2 == 0 ? (r, c + 1) : (r + 1, c)
        let a = values[r * nx + c], b = values[r2 * nx + c2]
        let t = (level - a) / (b - a)
        return (xs[c] + t * (xs[c2] - xs[c]), ys[r] + t * (ys[r2] - ys[r]))
    }

    /// The four edges of cell (r, c) in order around it: bottom, right, top, left.
    private func edges(_ r: Int, _ c: Int) -> [Int] {
        let nx = xs.count
        return [2 * (r * nx + c), 2 * (r * nx + c + 1) + 1, 2 * ((r + 1) * nx + c), 2 * (r * nx + c) + 1]
    }

    /// The cell's corner values in the order of `edges`: corner k starts edge k.
    private func corners(_ r: Int, _ c: Int) -> [Double] {
        let nx = xs.count
        return [values[r * nx + c], values[r * nx + c + 1], values[(r + 1) * nx + c + 1], values[(r + 1) * nx + c]]
    }

    /// Marching squares in one cell: pairs of edges the line at `level` joins. A saddle (two
    /// opposite corners above) is split by the centre's value, the mean of the four.
    private func cellSegments(_ v: [Double], _ level: Double) -> [(Int, Int)] {
        guard v.allSatisfy(\.isFinite) else { return [] }
        let above = v.map { $0 >= level }
        let crossed = (0..<4).filter { above[$0] != above[($0 + 1) % 4] }
        if crossed.count == 2 { return [(crossed[0], crossed[1])] }
        guard crossed.count == 4 else { return [] }
        let centre = (v[0] + v[1] + v[2] + v[3]) / 4 >= level
        // When the centre is on corner 0's side, corners 0 and 2 are joined through it and the
        // lines cut off corners 1 and 3; otherwise they cut off corners 0 and 2.
        return centre == above[0] ? [(0, 1), (2, 3)] : [(3, 0), (1, 2)]
    }

    /// The line at `level` as continuous polylines (closed ones end at their start).
    func isolines(_ level: Double) -> [[(Double, Double)]] {
        let nx = xs.count, ny = ys.count
        guard nx > 1, ny > 1 else { return [] }
        var segments: [(Int, Int)] = []
        var touching: [Int: [Int]] = [:]
        for r in 0..<(ny - 1) {
            for c in 0..<(nx - 1) {
                let e = edges(r, c)
                for (a, b) in cellSegments(corners(r, c), level) {
                    touching[e[a], default: []].append(segments.count)
                    touching[e[b], default: []].append(segments.count)
                    segments.append((e[a], e[b]))
                }
            }
        }
        var used = [Bool](repeating: false, count: segments.count)
        var lines: [[(Double, Double)]] = []
        /// Follows segments from `edge` onward, away from segment `from`.
        func walk(_ start: Int, _ edge: Int) -> [Int] {
            var chain = [edge]
            var current = start, at = edge
            while true {
                used[current] = true
                let (a, b) = segments[current]
                at = a == at ? b : a
                chain.append(at)
                guard let next = touching[at]?.first(where: { !used[$0] }) else { return chain }
                current = next
            }
        }
        // Open lines start at an edge only one segment touches (the grid's border or a gap);
        // what is left are closed loops.
        let starts = touching.filter { $0.value.count == 1 }.keys.sorted()
        for edge in starts where !used[touching[edge]![0]] {
            lines.append(walk(touching[edge]![0], edge).map { crossing($0, level) })
        }
        for k in segments.indices where !used[k] {
            lines.append(walk(k, segments[k].0).map { crossing($0, level) })
        }
        return lines
    }

    /// The region where f ≥ `level` as polygons: runs of whole cells as rectangles, and in
    /// each crossed cell the part on the high side (its corners above and the crossings, in
    /// order around the cell; a saddle whose centre is below gives two pieces).
    func regionAbove(_ level: Double) -> [[(Double, Double)]] {
        let nx = xs.count, ny = ys.count
        guard nx > 1, ny > 1 else { return [] }
        var out: [[(Double, Double)]] = []
        for r in 0..<(ny - 1) {
            var runStart: Int?
            func closeRun(_ end: Int) {
                guard let s = runStart else { return }
                out.append([(xs[s], ys[r]), (xs[end], ys[r]), (xs[end], ys[r + 1]), (xs[s], ys[r + 1])])
                runStart = nil
            }
            for c in 0..<(nx - 1) {
                let v = corners(r, c)
                guard v.allSatisfy(\.isFinite) else { closeRun(c); continue }
                let above = v.map { $0 >= level }
                if above.allSatisfy({ $0 }) {
                    if runStart == nil { runStart = c }
                    continue
                }
                closeRun(c)
                guard above.contains(true) else { continue }
                out += cellPieces(r, c, v, above, level)
            }
            closeRun(nx - 1)
        }
        return out
    }

    private func cellPieces(_ r: Int, _ c: Int, _ v: [Double], _ above: [Bool], _ level: Double) -> [[(Double, Double)]] {
        let e = edges(r, c)
        let points = [(xs[c], ys[r]), (xs[c + 1], ys[r]), (xs[c + 1], ys[r + 1]), (xs[c], ys[r + 1])]
        let saddle = above[0] == above[2] && above[1] == above[3] && above[0] != above[1]
        if saddle, ((v[0] + v[1] + v[2] + v[3]) / 4 >= level) != true {
            // Two separate corners above: a triangle at each.
            return (0..<4).filter { above[$0] }.map { k in
                [crossing(e[(k + 3) % 4], level), points[k], crossing(e[k], level)]
            }
        }
        var polygon: [(Double, Double)] = []
        for k in 0..<4 {
            if above[k] { polygon.append(points[k]) }
            if above[k] != above[(k + 1) % 4] { polygon.append(crossing(e[k], level)) }
        }
        return [polygon]
    }
}

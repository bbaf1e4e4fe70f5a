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
        // Which corners are above, as bits, and the edges crossed (k joins corners k, k + 1),
        // without an array per cell: this runs for each of a grid's cells at every level.
        var above = 0
        for k in 0..<4 where v[k] >= level { above |= 1 << k }
        var first = -1, second = -1, crossed = 0
        for k in 0..<4 where (above >> k) & 1 != (above >> ((k + 1) % 4)) & 1 {
            if crossed == 0 { first = k } else if crossed == 1 { second = k }
            crossed += 1
        }
        if crossed == 2 { return [(first, second)] }
        guard crossed == 4 else { return [] }
        let centre = (v[0] + v[1] + v[2] + v[3]) / 4 >= level
        // When the centre is on corner 0's side, corners 0 and 2 are joined through it and the
        // lines cut off corners 1 and 3; otherwise they cut off corners 0 and 2.
        return centre == (above & 1 != 0) ? [(0, 1), (2, 3)] : [(3, 0), (1, 2)]
    }

    /// The line at `level` as continuous polylines (closed ones end at their start), each
    /// walked with the side where f ≥ level on its left.
    func isolines(_ level: Double) -> [[(Double, Double)]] {
        chains(level).map { $0.edges.map { crossing($0, level) } }
    }

    /// The chains of edges the line at `level` crosses, oriented with f ≥ level on the left,
    /// and whether each is closed.
    private func chains(_ level: Double) -> [(edges: [Int], closed: Bool)] {
        let nx = xs.count, ny = ys.count
        guard nx > 1, ny > 1 else { return [] }
        // Segments (from, to). Going from edge a to edge b across a cell, the corners passed
        // counter-clockwise from a to b are on the right: when they are above, turn it round.
        var segments: [(Int, Int)] = []
        var byFrom: [Int: Int] = [:], isTo = Set<Int>()
        for r in 0..<(ny - 1) {
            for c in 0..<(nx - 1) {
                let e = edges(r, c), v = corners(r, c)
                for (a, b) in cellSegments(v, level) {
                    let (from, to) = v[(a + 1) % 4] >= level ? (e[b], e[a]) : (e[a], e[b])
                    byFrom[from] = segments.count
                    isTo.insert(to)
                    segments.append((from, to))
                }
            }
        }
        var used = [Bool](repeating: false, count: segments.count)
        func walk(_ first: Int) -> [Int] {
            var chain = [segments[first].0]
            var k: Int? = first
            while let current = k, !used[current] {
                used[current] = true
                chain.append(segments[current].1)
                k = byFrom[segments[current].1]
            }
            return chain
        }
        // Open lines start at an edge no segment ends on (the grid's border or a gap); what
        // is left are closed loops.
        var out: [(edges: [Int], closed: Bool)] = []
        for from in byFrom.keys.sorted() where !isTo.contains(from) { out.append((walk(byFrom[from]!), false)) }
        for k in segments.indices where !used[k] { out.append((walk(k), true)) }
        return out
    }

    /// The region where f ≥ `level` as rings for the nonzero fill rule: the closed lines, and
    /// the open ones joined along the border counter-clockwise (the side above is always on
    /// the left, so a ring around a low island turns the other way and cuts it out). A field
    /// with gaps (nan) falls back to the region cell by cell.
    func regionRings(_ level: Double) -> [[(Double, Double)]] {
        guard values.allSatisfy(\.isFinite), xs.count > 1, ys.count > 1 else { return regionAbove(level) }
        let (x0, x1, y0, y1) = (xs[0], xs[xs.count - 1], ys[0], ys[ys.count - 1])
        let w = x1 - x0, h = y1 - y0
        // A border point's distance counter-clockwise from the lower left corner.
        func along(_ p: (Double, Double)) -> Double {
            let d = [Swift.abs(p.1 - y0), Swift.abs(p.0 - x1), Swift.abs(p.1 - y1), Swift.abs(p.0 - x0)]
            switch d.firstIndex(of: d.min()!)! {
            case 0: return p.0 - x0
            case 1: return w + (p.1 - y0)
            case 2: return w + h + (x1 - p.0)
            default: return 2 * w + h + (y1 - p.1)
            }
        }
        let perimeter = 2 * (w + h)
        let corners: [(Double, (Double, Double))] = [(0, (x0, y0)), (w, (x1, y0)), (w + h, (x1, y1)), (2 * w + h, (x0, y1))]
        let all = chains(level)
        var rings = all.filter(\.closed).map { $0.edges.map { crossing($0, level) } }
        let open = all.filter { !$0.closed }.map { $0.edges.map { crossing($0, level) } }
        if open.isEmpty {
            if values[0] >= level { rings.append(corners.map(\.1)) }
            return rings
        }
        let starts = open.map { along($0[0]) }
        var used = [Bool](repeating: false, count: open.count)
        for first in open.indices where !used[first] {
            var ring: [(Double, Double)] = []
            var j = first
            while !used[j] {
                used[j] = true
                ring += open[j]
                let end = along(open[j][open[j].count - 1])
                func ahead(_ t: Double) -> Double { let d = (t - end).truncatingRemainder(dividingBy: perimeter); return d < 0 ? d + perimeter : d }
                let next = open.indices.min { ahead(starts[$0]) < ahead(starts[$1]) }!
                for (t, corner) in corners.sorted(by: { ahead($0.0) < ahead($1.0) }) where ahead(t) > 0 && ahead(t) < ahead(starts[next]) {
                    ring.append(corner)
                }
                j = next
            }
            rings.append(ring)
        }
        return rings
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

// Figures drawn as text: Braille dots (2×4 per character) for lines, one marker per character
// for scatter points and for several lines without colour, shaded characters for contour
// levels. Axes with tick labels, title, axis labels and legend; ANSI colours only when allowed.

import RealModule

struct TextPlot {
    let width: Int
    let color: Bool

    static let palette = [34, 33, 32, 31, 35, 36]          // blue, yellow, green, red, magenta, cyan
    static let markers: [Character] = ["•", "×", "+", "∘", "▪", "◆"]
    static let classMarkers: [Character] = ["o", "x", "+", "*", "#", "@"]
    static let shades: [Character] = [" ", "·", ":", "-", "=", "+", "*", "#", "%", "@"]

    /// One character cell: what is drawn and which series owns it (for its colour).
    struct Cell {
        var dots: UInt8 = 0
        var glyph: Character?
        var owner = -1
    }

    func render(_ figure: Figure) -> String {
        let (xr, yr) = figure.bounds()
        let yTicks = figure.logy ? Ticks.log(yr, count: 4) : Ticks.nice(yr, count: 4)
        let yLabels = yTicks.map { Ticks.label($0, log: figure.logy) }
        let margin = (yLabels.map(\.count).max() ?? 1) + 1
        let cols = Swift.max(10, width - margin - 2)
        let rows = Swift.max(8, Swift.min(20, cols / 3))
        var grid = [[Cell]](repeating: [Cell](repeating: Cell(), count: cols), count: rows)

        func column(_ x: Double, dots: Int) -> Double { AxisMath.fraction(x, xr) * Double(dots - 1) }
        func row(_ y: Double, dots: Int) -> Double {
            let v = figure.logy ? Double.log10(y) : y
            return (1 - AxisMath.fraction(v, yr)) * Double(dots - 1)
        }
        func plotDot(_ c: Int, _ r: Int, _ owner: Int) {
            guard c >= 0, r >= 0, c < cols * 2, r < rows * 4 else { return }
            let bit: UInt8 = r % 4 == 3 ? (c % 2 == 0 ? 0x40 : 0x80) : UInt8(1 << ((r % 4) + (c % 2 == 0 ? 0 : 3)))
            grid[r / 4][c / 2].dots |= bit
            grid[r / 4][c / 2].owner = owner
        }
        func plotGlyph(_ c: Int, _ r: Int, _ glyph: Character, _ owner: Int) {
            guard c >= 0, r >= 0, c < cols, r < rows else { return }
            grid[r][c].glyph = glyph
            grid[r][c].owner = owner
        }
        /// A polyline, dot by dot (Braille) or cell by cell (markers). Each segment is clipped to
        /// the grid first, so a point far outside (1e20 on a (-1, 2) axis) costs no steps.
        func drawLine(_ s: PlotSeries, _ owner: Int, marker: Character?) {
            let dotsC = cols * (marker == nil ? 2 : 1), dotsR = rows * (marker == nil ? 4 : 1)
            let lo = (-1.0, -1.0), hi = (Double(dotsC), Double(dotsR))
            func draw(_ c: Int, _ r: Int) { if let marker { plotGlyph(c, r, marker, owner) } else { plotDot(c, r, owner) } }
            var previous: (Double, Double)?
            for (x, y) in zip(s.x, s.y) {
                let point = (column(x, dots: dotsC), row(y, dots: dotsR))
                defer { previous = point }
                guard let from = previous else {
                    draw(AxisMath.cell(point.0), AxisMath.cell(point.1))
                    continue
                }
                guard let (p, q) = AxisMath.clip(from, point, lo, hi) else { continue }
                let (pc, pr) = (AxisMath.cell(p.0), AxisMath.cell(p.1)), (c, r) = (AxisMath.cell(q.0), AxisMath.cell(q.1))
                let steps = Swift.max(Swift.abs(c - pc), Swift.abs(r - pr))
                for k in 0...steps {
                    let f = steps == 0 ? 1 : Double(k) / Double(steps)
                    draw(Int((Double(pc) + f * Double(c - pc)).rounded()), Int((Double(pr) + f * Double(r - pr)).rounded()))
                }
            }
        }

        var legendMarks: [String] = []
        switch figure.content {
        case .lines(let series):
            let useMarkers = series.count > 1 && !color
            for (k, s) in series.enumerated() {
                let marker = useMarkers ? TextPlot.markers[k % TextPlot.markers.count] : nil
                drawLine(s, k, marker: marker)
                legendMarks.append(marker.map { String($0) } ?? "──")
            }
        case .scatter(let groups):
            for (k, g) in groups.enumerated() {
                let marker = color ? Character("●") : TextPlot.classMarkers[k % TextPlot.classMarkers.count]
                for (x, y) in zip(g.x, g.y) {
                    plotGlyph(AxisMath.cell(column(x, dots: cols)), AxisMath.cell(row(y, dots: rows)), marker, k)
                }
                legendMarks.append(String(marker))
            }
        case .contour(let field, let paths):
            let levels = field.levels(TextPlot.shades.count - 1)
            for r in 0..<rows {
                for c in 0..<cols {
                    let x = AxisMath.point((Double(c) + 0.5) / Double(cols), xr)
                    let y = AxisMath.point((Double(r) + 0.5) / Double(rows), yr, fromTop: true)
                    let v = field.nearest(x, y)
                    guard v.isFinite else { continue }
                    let level = levels.firstIndex { v <= $0 } ?? levels.count
                    grid[r][c].glyph = TextPlot.shades[Swift.min(level, TextPlot.shades.count - 1)]
                }
            }
            for (k, p) in paths.enumerated() {
                let marker = TextPlot.markers[k % TextPlot.markers.count]
                drawLine(p, k, marker: marker)
                legendMarks.append(String(marker))
            }
        }

        var lines: [String] = []
        if let title = figure.title { lines.append(String(repeating: " ", count: Swift.max(0, (margin + cols - title.count) / 2)) + title) }
        if let ylabel = figure.ylabel { lines.append(ylabel) }
        // Each y tick sits on the row nearest its value.
        var tickAt: [Int: String] = [:]
        // Ticks sit in the character holding the Braille dot of their value.
        for (t, label) in zip(yTicks, yLabels) {
            let r = AxisMath.cell((1 - AxisMath.fraction(t, yr)) * Double(4 * rows - 1)) / 4
            if tickAt[r] == nil { tickAt[r] = label }
        }
        for r in 0..<rows {
            let label = tickAt[r] ?? ""
            var line = String(repeating: " ", count: margin - 1 - label.count) + label + (tickAt[r] == nil ? "│" : "┤")
            for cell in grid[r] { line += paint(cell) }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        // The x axis: tick marks, then labels centred under them where they fit.
        let xTicks = Ticks.nice(xr, count: Swift.max(2, cols / 12))
        var axis = [Character](repeating: "─", count: cols)
        var labels = [Character](repeating: " ", count: cols + 8)
        var free = 0
        for t in xTicks {
            let c = AxisMath.cell(column(t, dots: 2 * cols)) / 2
            guard c >= 0, c < cols else { continue }
            axis[c] = "┬"
            let text = Array(Ticks.label(t))
            let start = Swift.max(0, c - text.count / 2)
            guard start >= free, start + text.count <= labels.count else { continue }
            for (i, ch) in text.enumerated() { labels[start + i] = ch }
            free = start + text.count + 1
        }
        lines.append(String(repeating: " ", count: margin - 1) + "└" + String(axis))
        var labelLine = String(repeating: " ", count: margin) + String(labels)
        while labelLine.hasSuffix(" ") { labelLine.removeLast() }
        lines.append(labelLine)
        if let xlabel = figure.xlabel { lines.append(String(repeating: " ", count: Swift.max(0, margin + (cols - xlabel.count) / 2)) + xlabel) }
        let names = figure.legend
        if !names.isEmpty {
            lines.append(String(repeating: " ", count: margin) + zip(names, legendMarks).enumerated().map { k, pair in
                colored(pair.1, k) + " " + pair.0
            }.joined(separator: "   "))
        }
        if let note = figure.note { lines.append(note) }
        return lines.joined(separator: "\n") + "\n"
    }

    private func paint(_ cell: Cell) -> String {
        if let g = cell.glyph { return colored(String(g), cell.owner) }
        if cell.dots == 0 { return " " }
        return colored(String(Character(Unicode.Scalar(0x2800 + UInt32(cell.dots))!)), cell.owner)
    }

    private func colored(_ s: String, _ owner: Int) -> String {
        guard color, owner >= 0 else { return s }
        return "\u{1B}[\(TextPlot.palette[owner % TextPlot.palette.count])m" + s + "\u{1B}[0m"
    }
}

extension ContourField {
    /// The grid value nearest (x, y).
    func nearest(_ x: Double, _ y: Double) -> Double {
        func index(_ v: Double, _ axis: [Double]) -> Int {
            guard axis.count > 1 else { return 0 }
            let f = AxisMath.fraction(v, axis[0]...axis[axis.count - 1]) * Double(axis.count - 1)
            return Swift.min(axis.count - 1, Swift.max(0, AxisMath.cell(f)))
        }
        return values[index(y, ys) * xs.count + index(x, xs)]
    }
}

// Figures drawn as text: Braille dots (2×4 per character) for lines, one marker per character
// for scatter points and for several lines without colour, bands of shading (or of colour on a
// colour terminal) for contour levels with a key. Axes with 5 to 8 nice ticks, title, axis
// labels, legend; ANSI colours only when allowed. Lines break at non-finite points; a line
// hidden under a later one gets a note.

import RealModule

struct TextPlot {
    let width: Int
    /// The terminal's rows, when known: the plot keeps to them.
    var height: Int? = nil
    let color: Bool

    static let palette = [34, 33, 32, 31, 35, 36]          // blue, yellow, green, red, magenta, cyan
    /// Several lines or paths without colour. None of them shades a contour band.
    static let markers: [Character] = ["•", "×", "∘", "◆", "▲", "■"]
    static let classMarkers: [Character] = ["o", "x", "+", "*", "#", "@"]
    /// Contour bands from low to high; no marker above is among them.
    static let shades: [Character] = [" ", "·", ":", "-", "=", "≡", "░", "▒", "▓"]
    /// Paths and points over coloured bands: bright colours that show on viridis.
    static let overBands = [91, 97, 95, 96, 93, 92]

    /// One character cell: what is drawn, which series owns it (for its colour), its band.
    struct Cell {
        var dots: UInt8 = 0
        var glyph: Character?
        var owner = -1
        var band: Int?
    }

    /// The plot's size in cells for a y margin of `margin` columns.
    func size(margin: Int) -> (cols: Int, rows: Int) {
        let cols = Swift.max(10, width - margin - 2)
        var rows = Swift.max(8, Swift.min(20, cols / 3))
        // Title, y label, x axis and its labels, x label, legend, note, key and the prompt.
        if let height { rows = Swift.max(8, Swift.min(rows, height - 9)) }
        return (cols, rows)
    }

    func render(_ figure: Figure) -> String {
        let (xr, yr) = figure.bounds()
        let (_, rowsGuess) = size(margin: 8)
        let yAxis = Ticks.axis(yr, log: figure.logy, most: Swift.min(8, rowsGuess / 2 + 1))
        let margin = (yAxis.map(\.1.count).max() ?? 1) + 1
        let (cols, rows) = size(margin: margin)
        var canvas = Canvas(cols: cols, rows: rows, xr: xr, yr: yr, logy: figure.logy)
        var legendMarks: [String] = []
        var key: String?
        var notes: [String] = []
        let names = figure.lineNames + figure.classNames
        switch figure.content {
        case .lines(let series):
            let useMarkers = series.count > 1 && !color
            var drawn: [Set<Int>] = []
            for (k, s) in series.enumerated() {
                let marker = useMarkers ? TextPlot.markers[k % TextPlot.markers.count] : nil
                drawn.append(canvas.drawLine(s, k, marker: marker))
                legendMarks.append(marker.map { String($0) } ?? "──")
            }
            notes += hiddenNotes(drawn, canvas, names)
        case .scatter(let groups):
            for (k, g) in groups.enumerated() {
                let marker = color ? Character("●") : TextPlot.classMarkers[k % TextPlot.classMarkers.count]
                canvas.drawPoints(g, k, marker)
                legendMarks.append(String(marker))
            }
        case .contour(let plot):
            canvas.shade(plot)
            key = plot.levels.isEmpty ? nil : contourKey(plot.levels)
            var drawn: [Set<Int>] = []
            for (k, g) in plot.points.enumerated() {
                canvas.drawPoints(g, 100 + k, TextPlot.classMarkers[k % TextPlot.classMarkers.count])
            }
            for (k, p) in plot.paths.enumerated() {
                let marker = TextPlot.markers[k % TextPlot.markers.count]
                drawn.append(canvas.drawLine(p, 200 + k, marker: marker))
                legendMarks.append(String(marker))
            }
            notes += hiddenNotes(drawn, canvas, figure.lineNames, base: 200)
            legendMarks += plot.points.count > 1 ? plot.points.indices.map { String(TextPlot.classMarkers[$0 % TextPlot.classMarkers.count]) } : []
        }
        var lines: [String] = []
        if let title = figure.title { lines.append(String(repeating: " ", count: Swift.max(0, (margin + cols - title.count) / 2)) + title) }
        if let ylabel = figure.ylabel { lines.append(ylabel) }
        // Each y tick sits in the character holding the Braille dot of its value.
        var tickAt: [Int: String] = [:]
        for (t, label) in yAxis {
            let r = AxisMath.cell((1 - AxisMath.fraction(t, yr)) * Double(4 * rows - 1)) / 4
            if r >= 0, r < rows, tickAt[r] == nil { tickAt[r] = label }
        }
        for r in 0..<rows {
            let label = tickAt[r] ?? ""
            var line = String(repeating: " ", count: Swift.max(0, margin - 1 - label.count)) + label + (tickAt[r] == nil ? "│" : "┤")
            for cell in canvas.grid[r] { line += paint(cell) }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        lines += xAxis(xr, cols: cols, margin: margin)
        if let xlabel = figure.xlabel { lines.append(String(repeating: " ", count: Swift.max(0, margin + (cols - xlabel.count) / 2)) + xlabel) }
        if !names.isEmpty {
            lines.append(String(repeating: " ", count: margin) + zip(names, legendMarks).enumerated().map { k, pair in
                colored(pair.1, owner: legendOwner(k, figure)) + " " + pair.0
            }.joined(separator: "   "))
        }
        if let key { lines.append(key) }
        if let note = figure.note { lines.append(note) }
        lines += notes
        return lines.joined(separator: "\n") + "\n"
    }

    /// The x axis: tick marks, then labels centred under them. The ticks are the first nice
    /// ones (at most 8) whose labels fit side by side with a space between.
    private func xAxis(_ xr: ClosedRange<Double>, cols: Int, margin: Int) -> [String] {
        func column(_ t: Double) -> Int { AxisMath.cell(AxisMath.fraction(t, xr) * Double(2 * cols - 1)) / 2 }
        func layout(_ ticks: [Double]) -> [(Int, [Character])]? {
            var out: [(Int, [Character])] = []
            var free = 0
            for (t, label) in zip(ticks, Ticks.labels(ticks)) {
                let c = column(t), text = Array(label)
                let start = Swift.max(0, c - text.count / 2)
                guard c >= 0, c < cols, start >= free, start + text.count <= cols + margin else { return nil }
                out.append((c, text))
                free = start + text.count + 1
            }
            return out
        }
        let ticks = Ticks.linear(xr, most: 8) { layout($0) != nil }
        var axis = [Character](repeating: "─", count: cols)
        var labels = [Character](repeating: " ", count: cols + margin)
        for (c, text) in layout(ticks) ?? [] {
            axis[c] = "┬"
            let start = Swift.max(0, c - text.count / 2)
            for (i, ch) in text.enumerated() { labels[start + i] = ch }
        }
        var labelLine = String(repeating: " ", count: margin) + String(labels)
        while labelLine.hasSuffix(" ") { labelLine.removeLast() }
        return [String(repeating: " ", count: margin - 1) + "└" + String(axis), labelLine]
    }

    /// A note for each line whose cells are mostly covered by later ones.
    private func hiddenNotes(_ drawn: [Set<Int>], _ canvas: Canvas, _ names: [String], base: Int = 0) -> [String] {
        var out: [String] = []
        for (k, cells) in drawn.enumerated() where !cells.isEmpty {
            let covered = cells.filter { canvas.owner(of: $0) != base + k }.count
            guard 2 * covered > cells.count else { continue }
            let name = k < names.count ? names[k] : "\(k + 1)"
            let others = Set(cells.compactMap { c -> Int? in let o = canvas.owner(of: c); return o != base + k && o >= base ? o - base : nil })
                .sorted().map { $0 < names.count ? "'\(names[$0])'" : "\($0 + 1)" }
            out.append("note: '\(name)' lies under \(others.isEmpty ? "later lines" : others.joined(separator: ", ")) in most places")
        }
        return out
    }

    /// The key of a contour's bands: each band's character (or colour) with the levels between.
    private func contourKey(_ levels: [Double]) -> String {
        let n = levels.count + 1
        var parts = ["levels:"]
        for k in 0..<n {
            parts.append(color ? bandColored("  ", band: TextPlot.bandIndex(k, of: n)) : "'\(TextPlot.shades[TextPlot.bandIndex(k, of: n)])'")
            if k < levels.count { parts.append(Ticks.levelLabel(levels[k])) }
        }
        return parts.joined(separator: " ")
    }

    /// Band k of n as an index into `shades`: every other shade while they last (two bands
    /// are blank and ':', so points on them stay legible), spread over the whole ramp beyond.
    static func bandIndex(_ k: Int, of n: Int) -> Int {
        n > 1 ? k * Swift.min(shades.count - 1, 2 * (n - 1)) / (n - 1) : 0
    }

    private func legendOwner(_ k: Int, _ figure: Figure) -> Int {
        if case .contour(let plot) = figure.content { return k < plot.paths.count ? 200 + k : 100 + k - plot.paths.count }
        return k
    }

    private func paint(_ cell: Cell) -> String {
        var s = " "
        if let g = cell.glyph { s = String(g) } else if cell.dots != 0 { s = String(Character(Unicode.Scalar(0x2800 + UInt32(cell.dots))!)) }
        if let band = cell.band {
            if color { return bandColored(s == " " || cell.glyph == TextPlot.shades[band] ? " " : s, band: band, owner: cell.owner) }
            return s
        }
        return s == " " ? s : colored(s, owner: cell.owner)
    }

    private func colored(_ s: String, owner: Int) -> String {
        guard color, owner >= 0 else { return s }
        return "\u{1B}[\(foreground(owner))m" + s + "\u{1B}[0m"
    }

    private func foreground(_ owner: Int) -> Int {
        owner >= 100 ? TextPlot.overBands[(owner % 100) % TextPlot.overBands.count] : TextPlot.palette[owner % TextPlot.palette.count]
    }

    /// `s` on the band's viridis colour (the 256-colour cube's nearest), in the owner's colour.
    private func bandColored(_ s: String, band: Int, owner: Int = -1) -> String {
        let (r, g, b) = SVGContour.rgb(Double(band) / Double(TextPlot.shades.count - 1))
        let cube = 16 + 36 * Int((r / 51).rounded()) + 6 * Int((g / 51).rounded()) + Int((b / 51).rounded())
        let fg = owner >= 0 ? "\u{1B}[1;\(foreground(owner))m" : ""
        return "\u{1B}[48;5;\(cube)m" + fg + s + "\u{1B}[0m"
    }
}

/// The cells of a text plot and the drawing of lines, points and bands on them.
struct Canvas {
    let cols: Int, rows: Int
    let xr: ClosedRange<Double>, yr: ClosedRange<Double>
    let logy: Bool
    var grid: [[TextPlot.Cell]]

    init(cols: Int, rows: Int, xr: ClosedRange<Double>, yr: ClosedRange<Double>, logy: Bool) {
        (self.cols, self.rows, self.xr, self.yr, self.logy) = (cols, rows, xr, yr, logy)
        grid = [[TextPlot.Cell]](repeating: [TextPlot.Cell](repeating: TextPlot.Cell(), count: cols), count: rows)
    }

    func owner(of cell: Int) -> Int { grid[cell / cols][cell % cols].owner }

    func column(_ x: Double, dots: Int) -> Double { AxisMath.fraction(x, xr) * Double(dots - 1) }
    func row(_ y: Double, dots: Int) -> Double {
        let v = logy ? Double.log10(y) : y
        return (1 - AxisMath.fraction(v, yr)) * Double(dots - 1)
    }

    /// Sets a Braille dot; returns its cell's number, or nil off the grid.
    mutating func plotDot(_ c: Int, _ r: Int, _ owner: Int) -> Int? {
        guard c >= 0, r >= 0, c < cols * 2, r < rows * 4 else { return nil }
        let bit: UInt8 = r % 4 == 3 ? (c % 2 == 0 ? 0x40 : 0x80) : UInt8(1 << ((r % 4) + (c % 2 == 0 ? 0 : 3)))
        grid[r / 4][c / 2].dots |= bit
        grid[r / 4][c / 2].owner = owner
        return (r / 4) * cols + c / 2
    }

    mutating func plotGlyph(_ c: Int, _ r: Int, _ glyph: Character, _ owner: Int) -> Int? {
        guard c >= 0, r >= 0, c < cols, r < rows else { return nil }
        grid[r][c].glyph = glyph
        grid[r][c].owner = owner
        return r * cols + c
    }

    /// A line, dot by dot (Braille) or cell by cell (markers), broken where the data breaks.
    /// Each segment is clipped to the grid first, so a point far outside (1e20 on a (-1, 2)
    /// axis) costs no steps. Returns the cells it drew on.
    mutating func drawLine(_ s: PlotSeries, _ owner: Int, marker: Character?) -> Set<Int> {
        let dotsC = cols * (marker == nil ? 2 : 1), dotsR = rows * (marker == nil ? 4 : 1)
        let lo = (-1.0, -1.0), hi = (Double(dotsC), Double(dotsR))
        var cells = Set<Int>()
        func draw(_ c: Int, _ r: Int) {
            let cell = marker.map { plotGlyph(c, r, $0, owner) } ?? plotDot(c, r, owner)
            if let cell { cells.insert(cell) }
        }
        for piece in s.pieces() {
            var previous: (Double, Double)?
            for p in piece {
                let point = (column(p.x, dots: dotsC), row(p.y, dots: dotsR))
                defer { previous = point }
                guard let from = previous else {
                    draw(AxisMath.cell(point.0), AxisMath.cell(point.1))
                    continue
                }
                guard let (a, b) = AxisMath.clip(from, point, lo, hi) else { continue }
                let (pc, pr) = (AxisMath.cell(a.0), AxisMath.cell(a.1)), (c, r) = (AxisMath.cell(b.0), AxisMath.cell(b.1))
                let steps = Swift.max(Swift.abs(c - pc), Swift.abs(r - pr))
                for k in 0...steps {
                    let f = steps == 0 ? 1 : Double(k) / Double(steps)
                    draw(Int((Double(pc) + f * Double(c - pc)).rounded()), Int((Double(pr) + f * Double(r - pr)).rounded()))
                }
            }
        }
        return cells
    }

    mutating func drawPoints(_ g: ScatterGroup, _ owner: Int, _ marker: Character) {
        for (x, y) in zip(g.x, g.y) {
            _ = plotGlyph(AxisMath.cell(column(x, dots: cols)), AxisMath.cell(row(y, dots: rows)), marker, owner)
        }
    }

    /// Each cell gets the band of f at its centre (interpolated), and its shade.
    mutating func shade(_ plot: ContourPlot) {
        let n = plot.levels.count + 1
        for r in 0..<rows {
            for c in 0..<cols {
                let x = AxisMath.point((Double(c) + 0.5) / Double(cols), xr)
                let y = AxisMath.point((Double(r) + 0.5) / Double(rows), yr, fromTop: true)
                let v = plot.field.interpolated(x, y)
                guard v.isFinite else { continue }
                let band = TextPlot.bandIndex(plot.levels.firstIndex { v < $0 } ?? plot.levels.count, of: n)
                grid[r][c].band = band
                grid[r][c].glyph = TextPlot.shades[band]
            }
        }
    }
}

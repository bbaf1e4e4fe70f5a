// Tensor text (spec §7): NumPy-style aligned rows for printing, summarised past 1000
// elements, and the exact one-line `repr` form that reads back.

extension Tensor {
    /// Summarise past this many elements, as NumPy's threshold does.
    public static let summaryThreshold = 1000
    /// Inside a printed tuple (one line), summarise past this many.
    public static let tupleSummaryThreshold = 100
    static let edgeItems = 3

    /// NumPy's default line width, which `print` uses off a terminal.
    public static let defaultLineWidth = 75

    /// The printed form: elements as `format(x, ".{precision}g")`, right-aligned to the widest,
    /// rows wrapped between elements at `lineWidth` as NumPy's array2string wraps them (the
    /// continuation indented under the row's first element).
    public func printed(precision: Int, lineWidth: Int = Tensor.defaultLineWidth) -> String {
        if let empty = emptyText { return empty }
        // A rank-0 tensor is a number wherever one is made (Tensor.value); shown as one if not.
        if rank == 0 { return NumberFormat.general(data[0], precision: precision) }
        let summarise = count > Tensor.summaryThreshold
        let element = { (x: Double) in NumberFormat.general(x, precision: precision) }
        // Element texts are ASCII (digits, sign, ".", "e", "nan", "inf"): a Character is a byte,
        // so lengths here and in `wrapped` are UTF-8 counts (O(1), where count walks graphemes).
        var width = 0
        forEachShown(summarise: summarise) { width = Swift.max(width, element($0).utf8.count) }
        let out = wrapped(axis: 0, offset: 0, hanging: " ", lineWidth: lineWidth, summarise: summarise) { x in
            let s = element(x)
            let pad = width - s.utf8.count
            return pad > 0 ? String(repeating: " ", count: pad) + s : s
        }
        return summarise ? out + " # shape \(Tensor.shapeText(shape))" : out
    }

    /// NumPy's _formatArray: the last axis is filled word by word and broken before a word that
    /// would pass the width (the width less the closing bracket of each level); outer axes put
    /// each row on a line of its own, blocks of higher rank apart by blank lines.
    private func wrapped(axis: Int, offset: Int, hanging: String, lineWidth: Int, summarise: Bool,
                         element: (Double) -> String) -> String {
        let positions = shownPositions(axis, summarise: summarise)
        var s = ""
        if axis == rank - 1 {
            let limit = lineWidth - 1  // room for the "," or "]" after a word
            // A row is ASCII (spaces, commas, element texts, "..."): lengths are UTF-8 counts,
            // and the spaces before a break are trimmed as bytes. (Reversing the line twice as
            // Characters ran unspecialised generic code: most of a printed matrix's time.)
            let indent = hanging.utf8.count
            var line = hanging
            for (k, p) in positions.enumerated() {
                let word = p.map { element(data[offset + $0]) } ?? "..."
                // Wrap only when it helps: never right after the indent.
                if line.utf8.count + word.utf8.count > limit && line.utf8.count > indent {
                    let bytes = line.utf8
                    var end = bytes.endIndex
                    while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: " ") {
                        end = bytes.index(before: end)
                    }
                    s += line[..<end]
                    s += "\n"
                    line = hanging
                }
                line += word
                if k < positions.count - 1 { line += ", " }
            }
            s += line
        } else {
            let separator = "," + String(repeating: "\n", count: rank - 1 - axis)
            for (k, p) in positions.enumerated() {
                let row = p.map { wrapped(axis: axis + 1, offset: offset + $0 * strides[axis], hanging: hanging + " ",
                                          lineWidth: lineWidth - 1, summarise: summarise, element: element) } ?? "..."
                s += hanging + row + (k < positions.count - 1 ? separator : "")
            }
        }
        return "[" + s.dropFirst(hanging.count) + "]"
    }

    /// A tensor inside a printed tuple (spec §15.1): written like a bare tensor (the print
    /// precision, every element right-aligned to the widest) but on one line; summarised past
    /// 100 elements.
    public func inlinePrinted(precision: Int) -> String {
        if let empty = emptyText { return empty }
        if rank == 0 { return NumberFormat.general(data[0], precision: precision) }
        if count > Tensor.tupleSummaryThreshold { return summaryLine(precision: precision) }
        let element = { (x: Double) in NumberFormat.general(x, precision: precision) }
        var width = 0
        forEachShown(summarise: false) { width = Swift.max(width, element($0).count) }
        var out = ""
        render(axis: 0, offset: 0, indent: 1, summarise: false, oneLine: true, into: &out) { x in
            let s = element(x)
            return String(repeating: " ", count: width - s.count) + s
        }
        return out
    }

    /// One line, summarised NumPy-style: how a long tensor shows inside a tuple that is printed (`r = minimize(...)` would otherwise fill the screen with its path).
    public func summaryLine(precision: Int) -> String {
        if rank == 0 { return NumberFormat.general(data[0], precision: precision) }
        var out = ""
        render(axis: 0, offset: 0, indent: 1, summarise: true, oneLine: true, into: &out) {
            NumberFormat.general($0, precision: precision)
        }
        return out + " # shape \(Tensor.shapeText(shape))"
    }

    /// The exact one-line form: every element as `repr`, never summarised.
    /// A quarter-billion elements take long to write: the loop stops early when Ctrl-C or the
    /// time limit is pending, and the caller (which polls next) reports it.
    public var reprText: String {
        if let empty = emptyText { return empty }
        if rank == 0 { return NumberFormat.repr(data[0]) }
        var out = ""
        renderFlat(axis: 0, offset: 0, into: &out)
        return out
    }

    /// `[]` for shape (0,), otherwise `zeros(d...)` for any shape with no elements.
    var emptyText: String? {
        guard count == 0 else { return nil }
        if shape == [0] { return "[]" }
        return "zeros(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    private func renderFlat(axis: Int, offset: Int, into out: inout String) {
        let stride = strides[axis]
        out += "["
        for i in 0..<shape[axis] {
            if i > 0 { out += ", " }
            if axis == rank - 1 {
                if i & 4095 == 0 && Interrupts.pending { return }
                out += NumberFormat.repr(data[offset + i])
            } else {
                renderFlat(axis: axis + 1, offset: offset + i * stride, into: &out)
            }
        }
        out += "]"
    }

    /// The positions shown along an axis: all, or the first and last `edgeItems` (nil marks "...").
    private func shownPositions(_ axis: Int, summarise: Bool) -> [Int?] {
        let n = shape[axis]
        if !summarise || n <= 2 * Tensor.edgeItems { return Array(0..<n) }
        return Array(0..<Tensor.edgeItems) + [nil] + Array((n - Tensor.edgeItems)..<n)
    }

    private func forEachShown(summarise: Bool, _ body: (Double) -> Void) {
        func walk(_ axis: Int, _ offset: Int) {
            for p in shownPositions(axis, summarise: summarise) {
                guard let p else { continue }
                if axis == rank - 1 { body(data[offset + p]) } else { walk(axis + 1, offset + p * strides[axis]) }
            }
        }
        walk(0, 0)
    }

    private func render(axis: Int, offset: Int, indent: Int, summarise: Bool, oneLine: Bool, into out: inout String,
                        element: (Double) -> String) {
        out += "["
        let positions = shownPositions(axis, summarise: summarise)
        // Rows of a matrix are separated by one newline; blocks of higher rank by blank lines.
        let separator = oneLine ? ", "
            : "," + String(repeating: "\n", count: Swift.max(1, rank - 1 - axis)) + String(repeating: " ", count: indent)
        for (k, p) in positions.enumerated() {
            if k > 0 { out += axis == rank - 1 ? ", " : separator }
            guard let p else { out += "..."; continue }
            if axis == rank - 1 {
                out += element(data[offset + p])
            } else {
                render(axis: axis + 1, offset: offset + p * strides[axis], indent: indent + 1,
                       summarise: summarise, oneLine: oneLine, into: &out, element: element)
            }
        }
        out += "]"
    }
}

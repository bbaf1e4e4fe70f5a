// CSV as np.loadtxt / np.savetxt with ',': numbers only, no header; loading gives 2-D,
// saving writes every number as `repr` (so the text reads back exactly).
//
// Loading is streamed: rows are parsed as their lines complete, only the line being read is
// held as text, and the element limit is checked row by row, so an endless source (/dev/zero,
// a FIFO) stops with an error instead of filling the memory. A NUL byte means the file is not
// text; a field longer than any number's text is refused.

enum CSV {
    /// Longer than any number's text (even 17 significant digits with underscores).
    static let maxFieldLength = 1024

    static func decode(_ reader: FileIO.Reader, limit: Int) throws(RuntimeError) -> Tensor {
        let path = reader.path
        var data: [Double] = []
        var columns: Int?
        var rows = 0
        var line = 1
        var field: [UInt8] = []
        var row: [Double] = []
        var inComment = false
        /// Whether the current line has anything other than spaces before a comment.
        var hasContent = false
        /// The previous byte ended a line with CR: a LF right after it belongs to that CRLF.
        var afterCR = false

        func finishField() throws(RuntimeError) {
            let text = String(decoding: field, as: UTF8.self)
            guard let x = Builtins.parseNumber(text) else {
                throw RuntimeError("'\(path)' line \(line): cannot read \(Interpreter.quoted(text.trimmingSpaces)) as a number")
            }
            row.append(x)
            field.removeAll(keepingCapacity: true)
        }

        func finishLine() throws(RuntimeError) {
            defer {
                line += 1
                inComment = false
                hasContent = false
                field.removeAll(keepingCapacity: true)
                row.removeAll(keepingCapacity: true)
            }
            guard hasContent else { return }
            try finishField()
            if let columns, columns != row.count {
                throw RuntimeError("'\(path)' line \(line): \(row.count) columns where earlier lines have \(columns)")
            }
            columns = row.count
            _ = try TensorLimits.checkedCount([rows + 1, row.count], limit: limit)
            data += row
            rows += 1
        }

        while true {
            let chunk = try reader.read()
            if chunk.isEmpty { break }
            for byte in chunk {
                // Lines end with LF, CRLF or a lone CR, as np.loadtxt's universal newlines.
                defer { afterCR = byte == 13 }
                switch byte {
                case 10 where afterCR:
                    continue
                case 10, 13:  // \n, \r
                    try finishLine()
                case 0:
                    throw RuntimeError("'\(path)' line \(line): a NUL byte (not a text file)")
                case _ where inComment:
                    continue
                case 35:  // #
                    inComment = true
                case 44:  // ,
                    hasContent = true
                    try finishField()
                    guard row.count <= limit else {
                        throw TensorLimits.tooLarge([rows + 1, row.count], limit: limit)
                    }
                default:
                    if byte != 32 && byte != 9 { hasContent = true }
                    field.append(byte)
                    guard field.count <= maxFieldLength else {
                        throw RuntimeError("'\(path)' line \(line): a field of more than \(maxFieldLength) characters is not a number")
                    }
                }
            }
        }
        try finishLine()
        return Tensor(shape: [rows, columns ?? 0], data: data)
    }

    static func encode(_ t: Tensor) throws(RuntimeError) -> [UInt8] {
        guard t.rank <= 2 else { throw RuntimeError("save_csv writes 1-D or 2-D tensors, got shape \(Tensor.shapeText(t.shape))") }
        let columns = t.rank == 2 ? t.shape[1] : 1
        var out = ""
        for (k, x) in t.data.enumerated() {
            out += NumberFormat.repr(x)
            out += (k + 1) % columns == 0 ? "\n" : ","
        }
        return Array(out.utf8)
    }
}

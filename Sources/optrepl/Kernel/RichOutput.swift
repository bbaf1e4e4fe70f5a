// What a notebook shows for a value: `text/plain` exactly as the REPL shows it, and a
// `text/html` table where one reads better: a matrix, a tuple of named parts (an optimizer's
// state), the rows a driver or `compare` shows (their REPL text, column for column), and
// `:trace` output.

import Runtime

enum RichOutput {
    /// The MIME bundle of a shown value.
    static func data(_ v: Value, _ I: Interpreter) -> [(String, JSON)] {
        let text = I.displayText(v)
        var bundle: [(String, JSON)] = [("text/plain", .string(text))]
        let html: String?
        if text != I.display(v) {
            // A built-in's display form (stepper, ewa, compare): its rows as a table.
            html = textTable(text)
        } else {
            html = valueHTML(v, I, top: true)
        }
        if let html { bundle.append(("text/html", .string(html))) }
        return bundle
    }

    static func escape(_ s: String) -> String { escapeMarkup(s) }

    /// Tables past this many cells are left to the text form.
    static let cellLimit = 2000

    /// A matrix or a tuple with named parts as a table; nil for what text shows best.
    static func valueHTML(_ v: Value, _ I: Interpreter, top: Bool) -> String? {
        switch v {
        case .tensor(let t) where t.rank == 2:
            return matrix(t, I)
        case .view(let t) where t.rank == 2:
            return matrix(t.tensor(), I)
        case .tuple(let t) where t.count > 0 && (0..<t.count).allSatisfy({ t.label(at: $0) != nil }):
            guard top else { return nil }
            var rows = ""
            for k in 0..<t.count {
                let item = t.items[k]
                let cell = valueHTML(item, I, top: false) ?? "<code>" + escape(inline(item, I)) + "</code>"
                rows += "<tr><th style=\"text-align:left\">\(escape(t.label(at: k)!))</th><td style=\"text-align:left\">\(cell)</td></tr>"
            }
            return "<table class=\"optrepl\">" + rows + "</table>"
        case .number, .bool, .string, .tensor, .view, .tuple, .function, .object, .null, .traced:
            return nil
        }
    }

    /// A value on one line, as inside a printed tuple.
    static func inline(_ v: Value, _ I: Interpreter) -> String {
        let text = I.display(.tuple(TupleValue(labelled: [("x", v)])))
        // "(x: TEXT)" → TEXT
        return String(text.dropFirst(4).dropLast())
    }

    static func matrix(_ t: Tensor, _ I: Interpreter) -> String? {
        guard t.count <= cellLimit, t.shape[1] > 0 else { return nil }
        let d = t.data, cols = t.shape[1]
        var html = "<table class=\"optrepl\"><tr><th></th>" + (0..<cols).map { "<th>\($0)</th>" }.joined() + "</tr>"
        for r in 0..<t.shape[0] {
            html += "<tr><th>\(r)</th>"
            for c in 0..<cols { html += "<td>" + escape(NumberFormat.general(d[r * cols + c], precision: I.host.precision)) + "</td>" }
            html += "</tr>"
        }
        return html + "</table>"
    }

    /// Columns of a line: parts apart by two or more spaces.
    static func columns(_ line: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var spaces = 0
        for c in line.drop(while: { $0 == " " }) {
            if c == " " {
                spaces += 1
                continue
            }
            if spaces >= 2, !current.isEmpty { parts.append(current); current = "" } else if spaces == 1 { current += " " }
            spaces = 0
            current.append(c)
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    /// A display form as HTML: `key=value` rows become a table headed by the keys; aligned
    /// columns (a header row and its rows) a table with that header; other lines paragraphs.
    static func textTable(_ text: String) -> String? {
        let lines = text.split(separator: "\n")
        var html = ""
        var k = 0
        var made = false
        while k < lines.count {
            let cells = columns(lines[k])
            if cells.count > 1, cells.dropLast().allSatisfy({ $0.contains("=") }) {
                // Rows of key=value pairs with the same keys, and perhaps a note after them
                // (`(10 steps)`), in a last column without a heading.
                let keys = cells.map { $0.contains("=") ? String($0.prefix(while: { $0 != "=" })) : "" }
                html += "<table class=\"optrepl\"><tr>" + keys.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
                while k < lines.count {
                    let row = columns(lines[k])
                    guard row.count == keys.count, zip(row, keys).allSatisfy({ $1.isEmpty ? !$0.contains("=") : $0.hasPrefix($1 + "=") }) else { break }
                    html += "<tr>" + zip(row, keys).map { "<td>\(escape($1.isEmpty ? $0 : String($0.dropFirst($1.count + 1))))</td>" }.joined() + "</tr>"
                    k += 1
                }
                html += "</table>"
                made = true
                continue
            }
            if cells.count > 1 {
                // A header row, then rows with as many columns.
                html += "<table class=\"optrepl\"><tr>" + cells.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
                k += 1
                while k < lines.count {
                    let row = columns(lines[k])
                    guard row.count == cells.count else { break }
                    html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>"
                    k += 1
                }
                html += "</table>"
                made = true
                continue
            }
            html += "<p>" + escape(String(lines[k])) + "</p>"
            k += 1
        }
        return made ? html : nil
    }

    /// `:trace` text (`adam step t=1`, then per leaf a row per quantity) as a table per leaf.
    static func traceTable(_ text: String) -> String? {
        let lines = text.split(separator: "\n")
        guard let title = lines.first, title.contains(" step t=") else { return nil }
        var html = "<p><b>" + escape(String(title)) + "</b></p>"
        var open = false
        for line in lines.dropFirst() {
            let cells = columns(line)
            if cells.count == 1 {
                // A leaf's path, in a tree of parameters.
                if open { html += "</table>" }
                html += "<p><code>" + escape(cells[0]) + "</code></p><table class=\"optrepl\">"
                open = true
            } else if cells.count >= 2 {
                if !open { html += "<table class=\"optrepl\">"; open = true }
                html += "<tr><th style=\"text-align:left\">\(escape(cells[0]))</th><td style=\"text-align:left\"><code>\(escape(cells.dropFirst().joined(separator: "  ")))</code></td></tr>"
            }
        }
        if open { html += "</table>" }
        return html
    }
}

// The text of values (spec §7): `str` for print and interpolation, `repr` exact and one-line.

extension Interpreter {
    /// Refuses a value whose text would be too large to make: a tuple nested by doubling
    /// (`t = (t, t)` forty times) shares its parts but has 2^40 leaves to write. Leaves are
    /// counted against --max-elements (a tensor by its elements), polling for interrupts.
    func checkPrintable(_ v: Value) throws(RuntimeError) {
        guard case .tuple = v else { return }
        var budget = TreeBudget(limit: maxElements)
        try count(v, &budget)
    }

    private func count(_ v: Value, _ budget: inout TreeBudget) throws(RuntimeError) {
        switch v {
        case .tuple(let t): for item in t.items { try count(item, &budget) }
        case .tensor(let t): try budget.take(t.count)
        case .view(let t): try budget.take(t.count)
        case .number, .bool, .string, .function, .object, .null, .traced: try budget.take(1)
        }
    }

    /// `print`/interpolation text: strings bare, tensors aligned with `precision` digits.
    public func str(_ v: Value) -> String {
        switch v {
        case .string(let s): return s
        case .number(let x): return NumberFormat.repr(x)
        case .tensor(let t): return t.printed(precision: host.precision, lineWidth: host.lineWidth)
        case .view(let t): return t.tensor().printed(precision: host.precision, lineWidth: host.lineWidth)
        case .traced:
            // Printing inside a differentiated function shows the value being traced.
            guard let p = try? primal(v) else { return Interpreter.repr(v) }
            return str(p)
        case .tuple(let t): return tupleText(t)
        case .bool, .function, .object, .null: return Interpreter.repr(v)
        }
    }

    /// A tuple's printed text (spec §15.1): numbers keep their exact form, tensors are written as
    /// `print` writes them (the print precision, aligned) on one line, summarised past 100
    /// elements; `repr` stays exact.
    func tupleText(_ t: TupleValue) -> String {
        if t.count == 0 { return "()" }
        let parts = (0..<t.count).map { i -> String in
            let text: String
            switch t.items[i] {
            case .tensor(let x): text = x.inlinePrinted(precision: host.precision)
            case .view(let x): text = x.tensor().inlinePrinted(precision: host.precision)
            case .tuple(let inner): text = tupleText(inner)
            case .traced:
                text = (try? primal(t.items[i])).map { str($0) } ?? Interpreter.repr(t.items[i])
            case let v: text = Interpreter.repr(v)
            }
            return (t.label(at: i).map { $0 + ": " } ?? "") + text
        }
        return "(" + parts.joined(separator: ", ") + (t.count == 1 && t.label(at: 0) == nil ? ",)" : ")")
    }

    /// The REPL's display form: like `str`, but a string is shown quoted.
    /// (Tuples show as `str` does: large tensors inside them summarised.)
    public func display(_ v: Value) -> String {
        if case .string = v { return Interpreter.repr(v) }
        return str(v)
    }

    /// The exact one-line text of any value.
    public static func repr(_ v: Value) -> String {
        switch v {
        case .number(let x): return NumberFormat.repr(x)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return quoted(s)
        case .tensor(let t): return t.reprText
        case .view(let t): return t.tensor().reprText
        case .tuple(let t):
            if t.count == 0 { return "()" }
            let parts = (0..<t.count).map { i in
                (t.label(at: i).map { $0 + ": " } ?? "") + repr(t.items[i])
            }
            return "(" + parts.joined(separator: ", ") + (t.count == 1 && t.label(at: 0) == nil ? ",)" : ")")
        case .function(let f):
            switch f.kind {
            case .closure: return "<fn \(f.name)>"
            case .builtin, .method: return "<built-in \(f.name)>"
            }
        case .object(let o): return o.summary
        case .null: return "nil"
        case .traced: return "<traced value>"
        }
    }

    /// A string literal that reads back: quotes and the escapes of spec §3.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}

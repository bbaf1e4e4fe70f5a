// Core built-ins (spec §7, §9.1, §14.3): printing, conversion, tuples, ranges, exit.

extension Builtins {
    static let core: [Builtin] = [
        Builtin("print", [.variadic("values"), .label("sep", .string(" ")), .label("end", .string("\n"))],
                doc: "Writes the values separated by sep, then end.", differentiation: .inert,
                direct: .one { (x: inout Value, I: Interpreter) throws(RuntimeError) -> Value? in
                    // print(line): impl's one-value case with sep and end their defaults.
                    try I.checkPrintable(x)
                    let value = x
                    x = .null  // `value` alone holds a string built for the call: `end` goes in place
                    var line = I.str(consume value)
                    line += "\n"
                    try I.checkInterrupt()
                    I.host.output(line)
                    return .null
                }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let sep = try args.string(1), end = try args.string(2)
            for v in args.rest { try I.checkPrintable(v) }
            let text: String
            if args.rest.count == 1 {
                // One value (a log line): its text and `end` in one string, without the array
                // and the joined string of the general case. The value is moved out of the
                // arguments first, so a string built for this call (an interpolation) is held
                // only here and `end` is appended to it in place.
                args.positional = []
                let value = args.rest.removeLast()
                var line = I.str(consume value)
                line += end
                text = line
            } else {
                // The values' texts joined by sep, then end, appended into one string (the
                // generic joined(separator:) was a sixth of a loop printing four values a line).
                var line = ""
                for (k, v) in args.rest.enumerated() {
                    if k > 0 { line += sep }
                    line += I.str(v)
                }
                line += end
                text = line
            }
            try I.checkInterrupt()  // a long repr stops early when one is pending
            I.host.output(text)
            return .null
        },
        Builtin("repr", [.required("x")], doc: "The exact one-line text of a value.", differentiation: .inert,
                direct: .one { (x: inout Value, I: Interpreter) throws(RuntimeError) -> Value? in try representation(x, I) }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try representation(args[0], I)
        },
        Builtin("str", [.required("x")], doc: "The printed text of a value (a string stays as it is).", differentiation: .inert,
                direct: .one { (x: inout Value, I: Interpreter) throws(RuntimeError) -> Value? in try text(x, I) }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try text(args[0], I)
        },
        Builtin("format", [.required("x"), .required("spec")],
                doc: "Formats a number or a string with a Python format spec (\".6f\", \"e\", \"g\", \"%\", \"s\", width, alignment).", differentiation: .inert,
                direct: .two { (x: Value, spec: Value, I: Interpreter) throws(RuntimeError) -> Value? in
                    // A spec that is not a string is left to the general path, whose error names
                    // the argument as it was given (`#2` or `'spec'`).
                    guard case .string(let text) = spec else { return nil }
                    return try format(x, I.formatSpec(text))
                }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try format(args[0], I.formatSpec(try args.string(1)))
        },
        Builtin("len", [.required("x")], doc: "Length: a tensor's first axis, a tuple's elements, a string's code points.", differentiation: .inert, keepsViews: true,
                direct: .one { (x: inout Value, I: Interpreter) throws(RuntimeError) -> Value? in try length(x, I) }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try length(args[0], I)
        },
        Builtin("append", [.required("collection"), .required("x")],
                doc: "A copy of a tuple or 1-D tensor with x added at the end (rows for a matrix).", reusesArgument: true,
                direct: .growing { (collection: inout Value, x: Value, I: Interpreter) throws(RuntimeError) -> Value? in
                    try grow(&collection, x, I)
                }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            try append(&args, I)
        },
        Builtin("range", rangeParameters, doc: "Whole numbers from start up to (not including) stop, as Python's range.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let (start, step, n) = try rangeBounds(&args, I)
            return .tensor(Tensor(vector: (0..<n).map { start + Double($0) * step }))
        },
        Builtin("keys", [.required("t")], doc: "The labels of a tuple, as a tuple of strings.",
                direct: .one { (x: inout Value, _: Interpreter) throws(RuntimeError) -> Value? in try keys(x) }) { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            try keys(args[0])
        },
        Builtin("map", [.required("f"), .variadic("trees")],
                doc: "Applies f leaf by leaf to trees of one structure and returns the tree of results.",
                // `map(f, p)`: one tree, f callable (anything else is impl's to report).
                direct: .two { (f: Value, tree: Value, I: Interpreter) throws(RuntimeError) -> Value? in
                    switch f {
                    case .function, .object: return try mapTree(f, tree, I)
                    case .number, .bool, .string, .tensor, .view, .tuple, .null, .traced: return nil
                    }
                }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let f = try args.callable(0)
            guard !args.rest.isEmpty else { throw RuntimeError("missing argument 'trees' to 'map'") }
            return try mapTrees(f, args.rest, I)
        },
        Builtin("exit", [.optional("code", .number(0))], doc: "Ends the script with an exit code.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            let code = try args.integer(0)
            guard code >= 0 && code <= 255 else {
                throw RuntimeError.badArgumentValue("#1", to: "exit", "exit codes run from 0 to 255")
            }
            throw RuntimeError("exit", kind: .exit(Int32(code)))
        },
        Builtin("number", [.required("s")], doc: "Parses a string as a number (for argv).",
                direct: .one { (x: inout Value, _: Interpreter) throws(RuntimeError) -> Value? in try number(of: x) }) { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            try number(of: args[0])
        },
        Builtin("set_precision", [.required("n")], doc: "Significant digits of printed tensor elements (default 6).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let n = try args.integer(0)
            guard n >= 1 && n <= 17 else { throw RuntimeError.badArgumentValue("#1", to: "set_precision", "precision runs from 1 to 17") }
            I.host.precision = n
            return .null
        },
    ]

    static let rangeParameters: [BuiltinParameter] = [.required("start"), .optional("stop", .null), .optional("step", .number(1))]

    /// start, step and count of `range(...)`, checked as Python's range checks them.
    static func rangeBounds(_ args: inout Arguments, _ I: Interpreter) throws(RuntimeError) -> (Double, Double, Int) {
        var start = 0, stop = try args.integer(0)
        if !args[1].isNull {
            start = stop
            stop = try args.integer(1)
        }
        let step = try args.integer(2)
        guard step != 0 else { throw RuntimeError.badArgumentValue("#3", to: "range", "step cannot be zero") }
        let span = step > 0 ? stop - start : start - stop
        let count = span <= 0 ? 0 : (span + Swift.abs(step) - 1) / Swift.abs(step)
        guard count <= I.maxElements else {
            throw RuntimeError("range of \(count) values is too large (limit \(I.maxElements) elements; see --max-elements)")
        }
        return (Double(start), Double(step), count)
    }

    /// A string as a number, as `number` and `load_csv` read it: ASCII white space around it
    /// ignored; inf, infinity and nan in any case, with a sign or none (Python's float,
    /// np.loadtxt); digits, signs, `.`, `e` and `_` between digits (dropped) otherwise, read by
    /// strtod; nil for anything else. Read as UTF-8 bytes: a one-digit string, `number(s[i])`
    /// in a loop, took a microsecond through trimming, lowercasing and a scalar set (session
    /// 20's hunt, r23: 3.6x CPython).
    static func parseNumber(_ s: String) -> Double? {
        var s = s
        return s.withUTF8 { parseNumber(utf8: $0) }
    }

    static func parseNumber(utf8 all: UnsafeBufferPointer<UInt8>) -> Double? {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
        var lo = 0, hi = all.count
        while lo < hi, isSpace(all[lo]) { lo += 1 }
        while hi > lo, isSpace(all[hi - 1]) { hi -= 1 }
        guard lo < hi else { return nil }
        let t = UnsafeBufferPointer(rebasing: all[lo..<hi])
        // Up to 15 digits and nothing else: a whole number below 2^53, exact as a double, as
        // strtod reads it.
        if t.count <= 15, t.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) {
            return Double(t.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
        }
        let signed = t[0] == UInt8(ascii: "-") || t[0] == UInt8(ascii: "+")
        let word = UnsafeBufferPointer(rebasing: t[(signed ? 1 : 0)...])
        func spells(_ name: StaticString) -> Bool {
            // ASCII letters in any case (a letter's lower case is its byte with 0x20 set).
            word.count == name.utf8CodeUnitCount && zip(word, UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
                .allSatisfy { $0 | 0x20 == $1 && $1 >= UInt8(ascii: "a") }
        }
        if spells("inf") || spells("infinity") { return t[0] == UInt8(ascii: "-") ? -.infinity : .infinity }
        if spells("nan") { return .nan }
        let allowed = "0123456789+-.eE_".utf8
        guard t.allSatisfy({ allowed.contains($0) }) else { return nil }
        // An underscore only between two digits, as in a number written in the code (and
        // Python's float): "1_000" is 1000, "_1", "1_" and "1__0" are not numbers.
        func isDigit(_ k: Int) -> Bool { k >= 0 && k < t.count && t[k] &- UInt8(ascii: "0") < 10 }
        for k in t.indices where t[k] == UInt8(ascii: "_") {
            guard isDigit(k - 1) && isDigit(k + 1) else { return nil }
        }
        return Double(String(decoding: t.lazy.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self))
    }

    static func append(_ args: inout Arguments, _ I: Interpreter) throws(RuntimeError) -> Value {
        // The collection moved out of the arguments (see grow), and put back unless it grew:
        // a caller that let go of it gives it back to its variable from there on an error.
        var collection = args.take(0) ?? .null
        let grown: Value?
        do {
            grown = try grow(&collection, args[1], I)
        } catch {
            args.bound[0] = collection
            throw error
        }
        if let grown { return grown }
        args.bound[0] = collection
        switch args[0] {
        case .tensor(let t) where t.rank > 0 && t.shape[0] > 0:
            // A row that does not fit the rows there are: said in append's terms (stacking's
            // message spoke of a tensor literal the program does not have).
            let rowShape = Array(t.shape.dropFirst())
            let expected = rowShape.isEmpty ? "a number" : "a row of shape \(Tensor.shapeText(rowShape))"
            let x = args[1].materialized
            let got = x.tensorShape.map { "a tensor of shape \(Tensor.shapeText($0))" } ?? x.kindName
            var e = RuntimeError.badArgumentValue("#2", to: "append", "\(expected) expected, got \(got)")
            if case .tensor(let r) = x, r.rank == t.rank {
                e.notes = ["hint: concat(a, b) joins two tensors end to end; stack(rows) makes rows into a matrix"]
            }
            throw e
        case .tensor(let t):
            // No rows yet: the first row sets their shape, as stacking it alone does.
            return .tensor(try Tensor.stacking(rows(of: t) + [args[1]], limit: I.maxElements))
        case let v:
            throw RuntimeError.badArgument("#1", to: "append", expected: "tuple or tensor", got: v)
        }
    }

    /// `append` of an item to a tuple or of a row to a tensor it fits, in the collection's
    /// storage, which it takes (leaving nil) when it returns the result. In `xs = append(xs,
    /// x)`, xs let go of it first (Machine+Calls.swift), so unless another variable or a tuple
    /// shares it, it is held here alone and grows in place as Swift's arrays grow
    /// (geometrically): a loop of appends is amortised O(1) a step, where a new collection a
    /// step was O(n). Shared, it is copied first (copy-on-write), as `append` always made a
    /// copy. On an error or nil (a row that does not fit, a value that is no collection: left
    /// to `append`, which reports them) the collection is left as it was.
    static func grow(_ collection: inout Value, _ x: Value, _ I: Interpreter) throws(RuntimeError) -> Value? {
        if case .tuple(var t) = collection {
            collection = .null  // the enum's reference would make the items look shared
            if let labels = t.labels {
                t.labels = TupleLabels(labels.names + [nil])
            }
            t.items.append(x)
            return .tuple(t)
        }
        guard case .tensor(var t) = collection, t.rank > 0 else { return nil }
        // A row of the collection's shape joins the data as it is, its count checked first.
        let row = x.materialized
        switch row {
        case .number: guard t.rank == 1 else { return nil }
        case .tensor(let r): guard r.shape[...] == t.shape.dropFirst() else { return nil }
        case .bool, .string, .tuple, .function, .object, .null, .traced, .view: return nil
        }
        let rows = t.shape[0] + 1
        _ = try TensorLimits.checkedCount([rows] + t.shape.dropFirst(), limit: I.maxElements)
        collection = .null  // the enum's reference would make the buffer look shared
        if case .number(let v) = row { t.data.append(v) }
        if case .tensor(let r) = row { t.data.append(contentsOf: r.data) }
        t.shape[0] = rows
        return .tensor(t)
    }

    /// A tensor's first-axis elements as values (numbers for a vector).
    static func rows(of t: Tensor) -> [Value] {
        if t.rank <= 1 { return t.data.map { .number($0) } }
        let rowShape = Array(t.shape.dropFirst())
        let size = rowShape.reduce(1, *)
        return (0..<t.shape[0]).map { k in .tensor(Tensor(shape: rowShape, data: Array(t.data[(k * size)..<((k + 1) * size)]))) }
    }

    /// `number(s)`: a string read as a number (a number stays as it is).
    static func number(of v: Value) throws(RuntimeError) -> Value {
        switch v {
        case .number: return v
        case .string(let s):
            guard let x = parseNumber(s) else { throw RuntimeError("cannot read \(Interpreter.quoted(s)) as a number") }
            return .number(x)
        case .bool, .tensor, .view, .tuple, .function, .object, .null, .traced:
            throw RuntimeError.badArgument("#1", to: "number", expected: "string", got: v)
        }
    }

    /// `repr(x)`: its exact one-line text.
    static func representation(_ x: Value, _ I: Interpreter) throws(RuntimeError) -> Value {
        try I.checkPrintable(x)
        let text = Interpreter.repr(x)
        try I.checkInterrupt()
        return .string(text)
    }

    /// `str(x)`: its printed text.
    static func text(_ x: Value, _ I: Interpreter) throws(RuntimeError) -> Value {
        try I.checkPrintable(x)
        return .string(I.str(x))
    }

    /// `format(x, spec)` with the spec parsed.
    static func format(_ x: Value, _ spec: FormatSpec) throws(RuntimeError) -> Value {
        switch x {
        case .number, .tensor:
            guard spec.formatsNumbers else {
                throw RuntimeError.badArgumentValue("#2", to: "format", "s is for strings (Python: Unknown format code 's' for object of type 'float')")
            }
            if case .number(let n) = x { return .string(spec.format(n)) }
            if case .tensor(let t) = x { return formatTensor(t, spec) }
            return x  // never: the two cases above
        case .string(let s):
            return .string(try spec.format(string: s))
        case let v: throw RuntimeError.badArgument("#1", to: "format", expected: "number", got: v)
        }
    }

    /// `len(x)`: a tensor's (or view's) first axis, a tuple's items, a string's code points.
    /// `keys(t)`: a tuple's labels as strings (its direct entry's and general path's rule).
    static func keys(_ x: Value) throws(RuntimeError) -> Value {
        guard case .tuple(let t) = x else {
            throw RuntimeError.badArgument("#1", to: "keys", expected: "tuple", got: x)
        }
        return .tuple(TupleValue((t.labels?.names ?? []).compactMap { $0 }.map { .string($0) }))
    }

    static func length(_ x: Value, _ I: Interpreter) throws(RuntimeError) -> Value {
        switch x {
        case .tuple(let t): return .number(Double(t.count))
        case .tensor(let t): return .number(Double(t.shape.first ?? 0))
        case .view(let v): return .number(Double(v.shape.first ?? 0))
        case .string(let s): return .number(Double(I.codePointCount(s)))
        case .number, .bool, .function, .object, .null, .traced:
            throw RuntimeError.badArgument("#1", to: "len", expected: "tensor, tuple or string", got: x)
        }
    }

    static func formatTensor(_ t: Tensor, _ spec: FormatSpec) -> Value {
        if t.rank <= 1 { return .tuple(TupleValue(t.data.map { .string(spec.format($0)) })) }
        return .tuple(TupleValue(rows(of: t).map { row -> Value in
            if case .tensor(let r) = row { return formatTensor(r, spec) }
            return row
        }))
    }

    static func mapTrees(_ f: Value, _ trees: [Value], _ I: Interpreter) throws(RuntimeError) -> Value {
        if trees.count == 1, I.usesFastPaths { return try mapTree(f, trees[0], I) }
        guard case .tuple(let first) = trees[0] else {
            // The leaves straight into a closure's frame, as mapTree passes one (a returned view
            // gathered, as `I.call` does).
            if I.usesFastPaths, let v = try I.callClosureDirect(f, trees[0], trees[1...]) { return v.materialized }
            return try I.call(f, trees)
        }
        var items: [Value] = []
        items.reserveCapacity(first.count)
        // One column for every position: emptied, not made again (the call below lets go of it).
        var column: [Value] = []
        column.reserveCapacity(trees.count)
        for i in 0..<first.count {
            column.removeAll(keepingCapacity: true)
            for (k, t) in trees.enumerated() {
                guard case .tuple(let tup) = t, tup.count == first.count, tup.label(at: i) == first.label(at: i) else {
                    throw RuntimeError("map: tree #\(k + 1) does not have the structure of tree #1")
                }
                column.append(tup.items[i])
            }
            items.append(try mapTrees(f, column, I))
        }
        return .tuple(TupleValue(items, labels: first.labels))
    }

    /// mapTrees of one tree: each leaf goes to f as it is (no column of one leaf, and a closure
    /// taking one parameter gets it straight into its frame, without an arguments array).
    static func mapTree(_ f: Value, _ tree: Value, _ I: Interpreter) throws(RuntimeError) -> Value {
        guard case .tuple(let t) = tree else {
            // Built-ins read the result's elements: a returned view is gathered, as `I.call` does.
            if let v = try I.callClosureDirect(f, tree, []) { return v.materialized }
            return try I.call(f, [tree])
        }
        var items: [Value] = []
        items.reserveCapacity(t.items.count)
        for item in t.items { items.append(try mapTree(f, item, I)) }
        return .tuple(TupleValue(items, labels: t.labels))
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeLast() }
        return String(s)
    }

}

// Trees of parameters (spec §4): flattening to leaves with their paths, checking that two
// trees have one structure, and rebuilding a tree from new leaves.

/// One leaf of a tree: its path (`"W1"`, `"layer.b"`, `"0"`) and its elements.
struct Leaf {
    var path: String
    var tensor: Tensor
    /// The leaf was a number (it is rebuilt as a number).
    var isNumber: Bool
}

enum Trees {
    /// Leaves in order; fails on anything that is not a number, tensor or tuple.
    static func leaves(_ v: Value, function: String, argument: String, path: String = "") throws(RuntimeError) -> [Leaf] {
        var out: [Leaf] = []
        try collect(v, path, &out, function, argument)
        return out
    }

    private static func collect(_ v: Value, _ path: String, _ out: inout [Leaf], _ function: String, _ argument: String) throws(RuntimeError) {
        switch v {
        case .number(let x): out.append(Leaf(path: path, tensor: Tensor(shape: [], data: [x]), isNumber: true))
        case .tensor(let t): out.append(Leaf(path: path, tensor: t, isNumber: false))
        case .view(let t): out.append(Leaf(path: path, tensor: t.tensor(), isNumber: false))
        case .tuple(let t):
            for i in 0..<t.count {
                let name = t.label(at: i) ?? String(i)
                try collect(t.items[i], path.isEmpty ? name : path + "." + name, &out, function, argument)
            }
        case .bool, .string, .function, .object, .null, .traced:
            let at = path.isEmpty ? "" : " at '\(path)'"
            throw RuntimeError("bad argument \(argument) to '\(function)' (a tree of numbers and tensors expected, found a \(v.kindName)\(at))")
        }
    }

    /// nil when `a` and `b` have one structure and leaf shapes; otherwise the first difference.
    static func mismatch(_ a: Value, _ b: Value, path: String = "") -> String? {
        let at = path.isEmpty ? "the top" : "'\(path)'"
        switch (a, b) {
        case (.tuple(let s), .tuple(let t)):
            guard s.count == t.count else { return "\(at) has \(s.count) elements in one tree and \(t.count) in the other" }
            for i in 0..<s.count {
                let name = s.label(at: i) ?? String(i)
                guard s.label(at: i) == t.label(at: i) else {
                    return "label '\(name)' differs from '\(t.label(at: i) ?? String(i))' at \(at)"
                }
                if let m = mismatch(s.items[i], t.items[i], path: path.isEmpty ? name : path + "." + name) { return m }
            }
            return nil
        case (.tensor(let s), .tensor(let t)):
            return s.shape == t.shape ? nil : "\(at) has shape \(Tensor.shapeText(s.shape)) in one tree and \(Tensor.shapeText(t.shape)) in the other"
        case (.number, .number): return nil
        default:
            return "\(at) is a \(a.kindName) in one tree and a \(b.kindName) in the other"
        }
    }

    /// `template` with its leaves replaced, in order, by `values`.
    static func rebuild(_ template: Value, _ values: [Tensor]) -> Value {
        var k = 0
        return rebuild(template, values, &k)
    }

    private static func rebuild(_ template: Value, _ values: [Tensor], _ k: inout Int) -> Value {
        switch template {
        case .number:
            k += 1
            return .number(values[k - 1].data[0])
        case .tensor, .view:
            k += 1
            return .tensor(values[k - 1])
        case .tuple(let t):
            var items: [Value] = []
            for item in t.items { items.append(rebuild(item, values, &k)) }
            return .tuple(TupleValue(items, labels: t.labels))
        case .bool, .string, .function, .object, .null, .traced:
            return template
        }
    }
}

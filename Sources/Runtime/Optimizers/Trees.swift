// Trees of parameters (spec §4): flattening to leaves with their paths, checking that two
// trees have one structure, and rebuilding a tree from new leaves.

/// One leaf of a tree: its path (`"W1"`, `"layer.b"`, `"0"`) and its elements.
struct Leaf {
    var path: String
    var tensor: Tensor
    /// The leaf was a number (it is rebuilt as a number).
    var isNumber: Bool
}

/// A tree's leaves held to the element limit as they are collected: a tuple doubled 40 times
/// shares its halves, so it is small to build but has 2^40 leaves to walk.
struct TreeBudget {
    let limit: Int
    private var used = 0
    private var leaves = 0

    init(limit: Int) { self.limit = limit }

    /// Counts a leaf of `n` elements (at least one: each leaf costs room of its own).
    mutating func take(_ n: Int) throws(RuntimeError) {
        used += Swift.max(n, 1)
        leaves += 1
        guard used <= limit else {
            throw RuntimeError("tree of more than \(limit) elements is too large (limit \(limit) elements; see --max-elements)")
        }
        try Interrupts.poll(every: leaves)
    }
}

enum Trees {
    /// Leaves in order; fails on anything that is not a number, tensor or tuple.
    static func leaves(_ v: Value, function: String, argument: String, path: String = "",
                       limit: Int = TensorLimits.defaultMaxElements) throws(RuntimeError) -> [Leaf] {
        var out: [Leaf] = []
        var budget = TreeBudget(limit: limit)
        try collect(v, path, &out, function, argument, &budget)
        return out
    }

    private static func collect(_ v: Value, _ path: String, _ out: inout [Leaf], _ function: String, _ argument: String,
                                _ budget: inout TreeBudget) throws(RuntimeError) {
        switch v {
        case .number(let x):
            try budget.take(1)
            out.append(Leaf(path: path, tensor: Tensor(shape: [], data: [x]), isNumber: true))
        case .tensor(let t):
            try budget.take(t.count)
            out.append(Leaf(path: path, tensor: t, isNumber: false))
        case .view(let t):
            try budget.take(t.count)
            out.append(Leaf(path: path, tensor: t.tensor(), isNumber: false))
        case .tuple(let t):
            for i in 0..<t.count {
                let name = t.label(at: i) ?? String(i)
                try collect(t.items[i], path.isEmpty ? name : path + "." + name, &out, function, argument, &budget)
            }
        case .bool, .string, .function, .object, .null, .traced:
            let at = path.isEmpty ? "" : " at '\(path)'"
            throw RuntimeError("bad argument \(argument) to '\(function)' (a tree of numbers and tensors expected, found \(v.kindWithArticle)\(at))")
        }
    }

    /// nil when `a` and `b` have one structure and leaf shapes; otherwise the first difference.
    static func mismatch(_ a: Value, _ b: Value, path: String = "") -> String? {
        let at = path.isEmpty ? "the top" : "'\(path)'"
        switch (a, b) {
        case (.tuple(let s), .tuple(let t)):
            guard s.count == t.count else {
                // Labelled tuples (params and grads): name the labels one side lacks.
                let ls = (0..<s.count).compactMap { s.label(at: $0) }, lt = (0..<t.count).compactMap { t.label(at: $0) }
                if ls.count == s.count, lt.count == t.count {
                    let onlyFirst = ls.filter { !lt.contains($0) }, onlySecond = lt.filter { !ls.contains($0) }
                    let quoted = { (names: [String]) in names.map { "'\($0)'" }.joined(separator: ", ") }
                    var what: [String] = []
                    if !onlyFirst.isEmpty { what.append("\(quoted(onlyFirst)) only in the first") }
                    if !onlySecond.isEmpty { what.append("\(quoted(onlySecond)) only in the second") }
                    return "\(at) has \(s.count) elements in one tree and \(t.count) in the other (" + what.joined(separator: ", ") + ")"
                }
                return "\(at) has \(s.count) elements in one tree and \(t.count) in the other"
            }
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
            return "\(at) is \(a.kindWithArticle) in one tree and \(b.kindWithArticle) in the other"
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

// Exponentially weighted averages (spec §9.2): an averager object with v0 = 0, and the
// whole-series form. Each update returns the raw average and the bias-corrected one.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class Averager: RuntimeObject {
    // An update never re-enters its own averager (the runtime runs on one thread): its state is
    // exempt from run-time exclusivity checks, which `a.update(x)` paid once per step.
    @exclusivity(unchecked) var beta: Double
    @exclusivity(unchecked) var t = 0
    /// The running average: a number or a tensor of the first update's shape; nil before it.
    @exclusivity(unchecked) var v: Value?

    init(beta: Double) { self.beta = beta }

    public override var kindName: String { "averager" }
    public override var summary: String { "ewa(beta: \(NumberFormat.repr(beta))) t=\(t)" }
    public override var members: [MemberInfo] { Averager.table.infos }

    static let table = MemberTable<Averager>([
        .field("beta", "the averaging factor, in [0, 1)", { .number($0.beta) },
               set: { (a, v) throws(RuntimeError) in a.beta = try Averager.checkBeta(v, position: "'beta'") }),
        .field("t", "how many values were fed", { .number(Double($0.t)) }),
        .field("v", "the running average (nil before the first update)", { $0.v ?? .null }),
        .field("corrected", "v / (1 − βᵗ), the bias-corrected average", { $0.corrected ?? .null }),
        .method(updateMethod),
        .method(resetMethod),
    ])

    static let labels = TupleLabels(["t", "v", "corrected"])

    /// v / (1 - beta^t), element by element; nil before the first update.
    var corrected: Value? {
        guard let v else { return nil }
        let c = BiasCorrection.at(beta, t)
        switch v {
        case .number(let x): return .number(x / c)
        case .tensor(let x): return .tensor(x.map { $0 / c })
        case .view(let x): return .tensor(x.tensor().map { $0 / c })
        case .bool, .string, .tuple, .function, .object, .null, .traced: return v
        }
    }

    public override func member(_ name: String, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        Averager.table.read(self, name)
    }

    override func member(_ name: String, cache: MemberCache, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        Averager.table.read(self, name, cache)
    }

    public override func setMember(_ name: String, _ value: Value, interpreter: Interpreter) throws(RuntimeError) -> Bool {
        try Averager.table.write(self, name, value)
    }

    static func checkBeta(_ value: Value, position: String) throws(RuntimeError) -> Double {
        guard case .number(let b) = value else { throw RuntimeError.badArgument(position, to: "ewa", expected: "number", got: value) }
        guard b >= 0 && b < 1 else {
            throw RuntimeError.badArgumentValue(position, to: "ewa", "beta must be in [0, 1), got \(NumberFormat.repr(b))")
        }
        return b
    }

    /// The update with a number after numbers (or the first): the rule's first and third rows,
    /// without the pair of optionals the switch of `update` copies (and releases again). Also
    /// what the numeric tier runs for `a.update(x)`. Nil (nothing changed) after a tensor.
    @inline(__always)
    func update(number y: Double) -> (t: Double, v: Double, corrected: Double)? {
        let b = beta
        let average: Double
        switch v {
        case nil: average = (1 - b) * y
        case .number(let old)?: average = b * old + (1 - b) * y
        case .bool?, .string?, .tensor?, .view?, .tuple?, .function?, .object?, .null?, .traced?: return nil
        }
        v = .number(average)
        t += 1
        let c = BiasCorrection.at(b, t)
        return (Double(t), average, average / c)
    }

    /// v ← beta·v + (1 − beta)·x, with t increased first.
    func update(_ x: Value) throws(RuntimeError) -> Value {
        let b = beta
        // A number after numbers, once per step.
        if case .number(let y) = x, let r = update(number: y) {
            return .tuple(TupleValue([.number(r.t), .number(r.v), .number(r.corrected)], labels: Averager.labels))
        }
        switch (v, x) {
        case (nil, .number(let y)):
            v = .number((1 - b) * y)
        case (nil, .tensor(let y)):
            v = .tensor(y.map { (1 - b) * $0 })
        case (.number(let old)?, .number(let y)):
            v = .number(b * old + (1 - b) * y)
        case (.tensor(let old)?, .tensor(let y)):
            guard old.shape == y.shape else {
                throw RuntimeError("ewa.update: shape \(Tensor.shapeText(y.shape)) differs from the first update's \(Tensor.shapeText(old.shape))")
            }
            v = .tensor(Tensor(shape: y.shape, data: zip(old.data, y.data).map { b * $0 + (1 - b) * $1 }))
        default:
            throw RuntimeError("ewa.update: expected \(v?.kindWithArticle ?? "a number or tensor") like the first update, got \(x.kindWithArticle)")
        }
        t += 1
        return .tuple(TupleValue([.number(Double(t)), v!, corrected!], labels: Averager.labels))
    }

    static let updateMethod = Builtin("update", [.required("self"), .required("x")],
                                      doc: "Feeds one value; returns (t:, v:, corrected:).",
                                      // `a.update(x)` once per step: no arguments array to bind.
                                      direct: .two { (receiver: Value, x: Value, I: Interpreter) throws(RuntimeError) -> Value? in
                                          try update(receiver, x, I)
                                      }) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
        try update(args[0], args[1], I)
    }

    /// The update method on its receiver and argument, bound or direct.
    private static func update(_ receiver: Value, _ x: Value, _ I: Interpreter) throws(RuntimeError) -> Value {
        guard case .object(let o) = receiver, let a = o as? Averager else { return .null }
        let r = try a.update(x)
        if case .tuple(let t) = r {
            I.hint(r, "t=\(a.t)  v=\(Interpreter.short(t.items[1]))  corrected=\(Interpreter.short(t.items[2]))")
        }
        return r
    }

    static let resetMethod = Builtin("reset", [.required("self")], doc: "Back to v = 0, t = 0.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
        guard case .object(let o) = args[0], let a = o as? Averager else { return .null }
        a.t = 0
        a.v = nil
        return .null
    }
}

extension Builtins {
    static let averages: [Builtin] = [
        Builtin("ewa", [.optional("series", .null), .label("beta", .number(0.9))],
                doc: "An exponentially weighted averager (ewa(beta: 0.9)), or the averages of a whole series.") { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            let beta = try Averager.checkBeta(args[1], position: "'beta'")
            switch args[0] {
            case .null:
                return .object(Averager(beta: beta))
            case .number:
                throw RuntimeError("ewa takes beta by label", notes: ["hint: write ewa(beta: \(Interpreter.repr(args[0])))"])
            case .tensor(let series):
                guard series.rank == 1 else {
                    throw RuntimeError.badArgumentValue("#1", to: "ewa", "a 1-D series expected, got shape \(Tensor.shapeText(series.shape))")
                }
                let a = Averager(beta: beta)
                var vs: [Double] = [], cs: [Double] = []
                for x in series.data {
                    _ = try a.update(.number(x))
                    if case .number(let v)? = a.v, case .number(let c)? = a.corrected { vs.append(v); cs.append(c) }
                }
                return .tuple(TupleValue(labelled: [("v", .tensor(Tensor(vector: vs))), ("corrected", .tensor(Tensor(vector: cs)))]))
            case let v:
                throw RuntimeError.badArgument("#1", to: "ewa", expected: "tensor", got: v)
            }
        },
    ]
}

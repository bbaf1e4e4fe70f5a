// Checks for tests and exercises (spec §9.12, §14.8): assert, expect_close, expect_eq.
// A failing check is a runtime error whose message reads "expected X, got Y".

extension Builtins {
    static let checks: [Builtin] = [
        Builtin("assert", [.required("cond"), .optional("message", .string("assertion failed"))],
                doc: "Raises an error with the message unless cond is true.", differentiation: .inert) { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let ok = try I.truth(args[0], at: .init(start: 0, length: 0))
            if !ok { throw RuntimeError(try args.string(1)) }
            return .null
        },
        Builtin("expect_close", [.required("actual"), .required("expected"), .optional("tol", .number(1e-9))],
                doc: "Checks |actual - expected| <= tol + tol*|expected| element by element (same shapes and labels).", differentiation: .inert) { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            let tol = try args.number(2)
            guard tol >= 0 else { throw RuntimeError.badArgumentValue("#3", to: "expect_close", "tol must be >= 0") }
            if let why = closeMismatch(args[0], args[1], tol: tol, path: "") {
                throw RuntimeError("expected \(Interpreter.repr(args[1])), got \(Interpreter.repr(args[0]))",
                                   notes: ["note: \(why) (tol \(NumberFormat.repr(tol)))"])
            }
            return .null
        },
        Builtin("expect_eq", [.required("actual"), .required("expected")],
                doc: "Checks exact structural equality (NaN equals NaN, -0.0 equals 0.0).", differentiation: .inert) { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            if let why = closeMismatch(args[0], args[1], tol: 0, path: "") {
                throw RuntimeError("expected \(Interpreter.repr(args[1])), got \(Interpreter.repr(args[0]))",
                                   notes: ["note: \(why)"])
            }
            return .null
        },
    ]

    /// nil when `a` matches `e`; otherwise where and how they differ.
    static func closeMismatch(_ a: Value, _ e: Value, tol: Double, path: String) -> String? {
        let at = path.isEmpty ? "" : " at \(path)"
        switch (a, e) {
        case (.number(let x), .number(let y)):
            return close(x, y, tol) ? nil : "values differ\(at)"
        case (.tensor(let t), .tensor(let u)):
            guard t.shape == u.shape else {
                return "shapes differ\(at): \(Tensor.shapeText(t.shape)) and \(Tensor.shapeText(u.shape))"
            }
            let td = t.data, ud = u.data
            for i in 0..<t.count where !close(td[i], ud[i], tol) {
                return "element \(i)\(at) differs: expected \(NumberFormat.repr(ud[i])), got \(NumberFormat.repr(td[i]))"
            }
            return nil
        case (.tuple(let s), .tuple(let t)):
            guard s.count == t.count else { return "tuples of \(s.count) and \(t.count) elements\(at)" }
            for i in 0..<s.count {
                guard s.label(at: i) == t.label(at: i) else { return "labels differ\(at)" }
                let name = s.label(at: i) ?? String(i)
                if let why = closeMismatch(s.items[i], t.items[i], tol: tol, path: path.isEmpty ? name : path + "." + name) {
                    return why
                }
            }
            return nil
        case (.bool(let x), .bool(let y)):
            return x == y ? nil : "values differ\(at)"
        case (.string(let x), .string(let y)):
            return Interpreter.sameCodePoints(x, y) ? nil : "strings differ\(at)"
        case (.null, .null):
            return nil
        case (.function(let f), .function(let g)):
            return f === g ? nil : "different functions\(at)"
        case (.object(let o), .object(let p)):
            return o === p ? nil : "different objects\(at)"
        default:
            return "\(a.kindWithArticle) where \(e.kindWithArticle) was expected\(at)"
        }
    }

    /// NaN matches NaN, infinities only themselves, otherwise |a - e| <= tol + tol*|e|.
    static func close(_ a: Double, _ e: Double, _ tol: Double) -> Bool {
        if a.isNaN || e.isNaN { return a.isNaN && e.isNaN }
        if a.isInfinite || e.isInfinite { return a == e }
        return Swift.abs(a - e) <= tol + tol * Swift.abs(e)
    }
}

// What the REPL's completion asks of values: their members after `.`, and the labels a
// callable takes inside `(`. Reads only; nothing here evaluates code.

extension Interpreter {
    /// Fields and methods of a value, as `value.` completes them.
    public func memberNames(of v: Value) -> [String] {
        switch v {
        case .tuple(let t): return t.labels?.names.compactMap { $0 } ?? []
        case .tensor, .view: return ["T", "ndim", "shape", "size"]
        case .object(let o): return o.memberNames
        case .number, .bool, .string, .function, .null, .traced: return []
        }
    }

    /// A member's value for completion of a path `a.b.`, when it is a plain read.
    public func memberForCompletion(of v: Value, _ name: String) -> Value? {
        switch v {
        case .tuple(let t): return t[name]
        case .object(let o): return try? o.member(name, interpreter: self)
        case .number, .bool, .string, .tensor, .view, .function, .null, .traced: return nil
        }
    }

    /// The parameter names a callable accepts as labels (`adam(` offers `lr:`, `beta1:`, ...).
    public func parameterLabels(of v: Value) -> [String] {
        guard case .function(let f) = v else { return [] }
        switch f.kind {
        case .closure: return unsafeDowncast(f, to: Closure.self).proto.parameterNames
        case .builtin:
            return unsafeDowncast(f, to: BuiltinFunction.self).builtin.parameters.filter { $0.kind != .variadic && $0.kind != .labelledRest }.map(\.name)
        case .method:
            return unsafeDowncast(f, to: BoundMethod.self).method.parameters.dropFirst().filter { $0.kind != .variadic }.map(\.name)
        }
    }
}

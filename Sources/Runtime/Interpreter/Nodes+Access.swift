// Calls, indexing and member access: the postfix nodes.

import Lexer
import Parser

final class CallNode: ExprNode {
    let callee: ExprNode
    let arguments: [ExprNode]
    let labels: [String]
    let labelled: [ExprNode]
    let file: SourceFile

    init(callee: ExprNode, arguments: [ExprNode], labels: [String], labelled: [ExprNode],
         file: SourceFile, range: SourceRange) {
        self.callee = callee
        self.arguments = arguments
        self.labels = labels
        self.labelled = labelled
        self.file = file
        super.init(range: range)
    }

    override var yieldsTemporary: Bool { true }

    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        try eval(I, callee: try callee.eval(I))
    }

    @inline(__always)
    private func eval(_ I: Interpreter, callee f: Value) throws(RuntimeError) -> Value {
        guard case .function(let fn) = f else {
            if case .object(let o) = f {
                var args = try evaluateArguments(I, name: o.kindName)
                do {
                    if let v = try o.call(&args, interpreter: I) { return v }
                } catch { throw error.at(range) }
            }
            throw RuntimeError.notCallable(f).at(callee.range)
        }
        switch fn.kind {
        case .closure:
            let c = unsafeDowncast(fn, to: Closure.self)
            // An argument's error arose before the call: it does not name the callee.
            var args = try evaluateArguments(I, name: c.name)
            do {
                return try I.callClosure(c, &args)
            } catch {
                throw I.unwinding(error, through: c, callSite: range, in: file)
            }
        case .builtin:
            let bf = unsafeDowncast(fn, to: BuiltinFunction.self)
            if let scalar = bf.scalar, arguments.count == 1, labelled.isEmpty {
                var v = try arguments[0].eval(I)
                if case .number(let x) = v { return .number(scalar(x)) }
                if arguments[0].yieldsTemporary, I.autodiff.tape == nil, case .tensor(var t) = v {
                    // sqrt(v / c): the quotient is a temporary; take the root in its buffer.
                    v = .null
                    t.data.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = scalar(p[i]) } }
                    return .tensor(t)
                }
                var args = Arguments(function: bf.name, positional: [v])
                return try invoke(bf.builtin, &args, I)
            }
            var args = try evaluateArguments(I, name: bf.name)
            return try invoke(bf.builtin, &args, I)
        case .method:
            let m = unsafeDowncast(fn, to: BoundMethod.self)
            var args = try evaluateArguments(I, name: m.name)
            args.positional.insert(m.receiver, at: 0)
            return try invoke(m.method, &args, I)
        }
    }

    /// The value of `x = call(...)`. When the callee is a method that reuses its argument
    /// and x holds the very tensor passed first, x lets go of it so the method owns the only
    /// reference and can update it in place; if the call fails, x gets it back.
    func eval(_ I: Interpreter, reusing target: VariableRef) throws(RuntimeError) -> Value {
        let f = try callee.eval(I)
        guard case .function(let fn) = f, fn.kind == .method else { return try eval(I, callee: f) }
        let m = unsafeDowncast(fn, to: BoundMethod.self)
        guard m.method.reusesArgument else { return try eval(I, callee: f) }
        var args = try evaluateArguments(I, name: m.name)
        args.positional.insert(m.receiver, at: 0)
        if args.positional.count > 1, case .tensor(let passed) = args.positional[1],
           case .tensor(let held)? = I.current(target), passed.bufferIdentity == held.bufferIdentity {
            _ = consume passed
            _ = consume held
            _ = I.take(target)
            do {
                return try invoke(m.method, &args, I)
            } catch {
                // The method leaves its argument in place when it fails.
                let original = args.bound.count > 1 ? args.bound[1] : args.positional[1]
                if let original { I.store(target, original) }
                throw error
            }
        }
        return try invoke(m.method, &args, I)
    }

    private func invoke(_ b: Builtin, _ args: inout Arguments, _ I: Interpreter) throws(RuntimeError) -> Value {
        do {
            try args.bind(b.parameters, hints: b.labelHints, keepsViews: b.keepsViews)
            if I.autodiff.tape != nil, args.containsTraced { return try I.callTraced(b, &args) }
            return try b.impl(&args, I)
        } catch {
            var e = error
            if e.range == nil { e.range = range; e.file = file }
            throw e
        }
    }

    func evaluateArguments(_ I: Interpreter, name: String) throws(RuntimeError) -> Arguments {
        var positional: [Value] = []
        positional.reserveCapacity(arguments.count)
        for a in arguments { positional.append(try a.eval(I)) }
        var named: [(label: String, value: Value)] = []
        for (k, a) in labelled.enumerated() { named.append((labels[k], try a.eval(I))) }
        return Arguments(function: name, positional: positional, labelled: named)
    }
}

/// One converted position of `t[...]`.
enum IndexNodeItem {
    case single(ExprNode)
    case slice(ExprNode?, ExprNode?, ExprNode?)
}

final class IndexNode: ExprNode {
    let base: ExprNode
    let items: [IndexNodeItem]
    init(base: ExprNode, items: [IndexNodeItem], range: SourceRange) {
        self.base = base
        self.items = items
        super.init(range: range)
    }

    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        let v = try base.eval(I)
        let keys = try I.indexKeys(items)
        do {
            return try I.index(v, keys)
        } catch { throw error.at(range) }
    }
}

final class MemberNode: ExprNode {
    let base: ExprNode
    let name: String
    let nameRange: SourceRange
    init(base: ExprNode, name: String, nameRange: SourceRange, range: SourceRange) {
        self.base = base
        self.name = name
        self.nameRange = nameRange
        super.init(range: range)
    }

    /// The labels of the tuple last read here and where `name` is among them: a tuple built
    /// by the same literal shares its labels object, so `p.x` in a loop skips the hash lookup
    /// of the label (which was half of a loop like `p = (x: p.x - lr * gx, y: ...)`).
    @exclusivity(unchecked) private var cachedLabels: ObjectIdentifier?
    @exclusivity(unchecked) private var cachedIndex = 0
    /// Holds the cached labels alive, so their identifier is never reused while cached.
    @exclusivity(unchecked) private var cachedOwner: TupleLabels?

    override func eval(_ I: Interpreter) throws(RuntimeError) -> Value {
        let v = try base.eval(I)
        if case .tuple(let t) = v, let labels = t.labels {
            if ObjectIdentifier(labels) == cachedLabels { return t.items[cachedIndex] }
            if let i = labels.index[name] {
                cachedLabels = ObjectIdentifier(labels)
                cachedOwner = labels
                cachedIndex = i
                return t.items[i]
            }
        }
        do {
            return try I.member(v, name)
        } catch { throw error.at(nameRange) }
    }
}

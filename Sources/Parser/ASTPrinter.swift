// S-expression text of the AST, for parser tests and debugging: `(+ 1 (* 2 3))`.

import Lexer

extension Expr {
    public var sexpr: String {
        switch kind {
        case .number(let x): return x == x.rounded() && Swift.abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case .string(let segments):
            return "\"" + segments.map { seg -> String in
                switch seg {
                case .text(let t): return t
                case .expr(let e): return "\\(" + e.sexpr + ")"
                }
            }.joined() + "\""
        case .bool(let b): return b ? "true" : "false"
        case .nilLiteral: return "nil"
        case .name(let n): return n
        case .tensor(let elements): return "[" + elements.map(\.sexpr).joined(separator: " ") + "]"
        case .tuple(let args): return "(tuple" + args.map { " " + $0.sexpr }.joined() + ")"
        case .unary(let op, let x): return "(\(op == .negate ? "neg" : "pos") \(x.sexpr))"
        case .binary(let op, let a, let b): return "(\(op.rawValue) \(a.sexpr) \(b.sexpr))"
        case .comparison(let op, let a, let b): return "(\(op.rawValue) \(a.sexpr) \(b.sexpr))"
        case .logical(let op, let a, let b): return "(\(op.rawValue) \(a.sexpr) \(b.sexpr))"
        case .not(let x): return "(not \(x.sexpr))"
        case .range(let a, let b, let inclusive): return "(\(inclusive ? "..." : "..<") \(a.sexpr) \(b.sexpr))"
        case .call(let f, let args): return "(call \(f.sexpr)" + args.map { " " + $0.sexpr }.joined() + ")"
        case .index(let base, let items): return "(index \(base.sexpr)" + items.map { " " + $0.sexpr }.joined() + ")"
        case .member(let base, let name, _): return "(. \(base.sexpr) \(name))"
        case .function(let decl): return decl.sexpr
        }
    }
}

extension Argument {
    var sexpr: String { (label.map { $0 + ": " } ?? "") + value.sexpr }
}

extension IndexItem {
    var sexpr: String {
        switch self {
        case .single(let e): return e.sexpr
        case .slice(let a, let b, let c, _):
            return "(slice \(a?.sexpr ?? "_") \(b?.sexpr ?? "_") \(c?.sexpr ?? "_"))"
        }
    }
}

extension FunctionDecl {
    var sexpr: String {
        let params = parameters.map { p in p.defaultValue.map { "\(p.name): \($0.sexpr)" } ?? p.name }
        return "(fn \(name ?? "_") (" + params.joined(separator: " ") + ")" + body.map { " " + $0.sexpr }.joined() + ")"
    }
}

extension Stmt {
    public var sexpr: String {
        switch kind {
        case .expression(let e): return e.sexpr
        case .assign(let target, let op, let value):
            let path = target.path.map { step -> String in
                switch step {
                case .index(let items, _): return "[" + items.map(\.sexpr).joined(separator: " ") + "]"
                case .member(let name, _): return "." + name
                }
            }.joined()
            return "(\(op.map { $0.rawValue } ?? "")= \(target.name)\(path) \(value.sexpr))"
        case .function(let decl): return decl.sexpr
        case .ifElse(let branches, let elseBody):
            var s = "(if"
            for b in branches { s += " \(b.condition.sexpr) (" + b.body.map(\.sexpr).joined(separator: " ") + ")" }
            if let elseBody { s += " else (" + elseBody.map(\.sexpr).joined(separator: " ") + ")" }
            return s + ")"
        case .forIn(let v, _, let seq, let body):
            return "(for \(v) \(seq.sexpr)" + body.map { " " + $0.sexpr }.joined() + ")"
        case .whileLoop(let c, let body):
            return "(while \(c.sexpr)" + body.map { " " + $0.sexpr }.joined() + ")"
        case .breakLoop: return "(break)"
        case .continueLoop: return "(continue)"
        case .returnValue(let e): return e.map { "(return \($0.sexpr))" } ?? "(return)"
        }
    }
}

extension Program {
    public var sexpr: String { statements.map(\.sexpr).joined(separator: "\n") }
}

// Scope analysis, the resolver's first pass: which names each function makes local
// (Python's rule: assignment anywhere in a function) and which of those an inner
// function captures (they live in cells, so closures see later assignments).

import Lexer
import Parser

struct FunctionScopeInfo {
    /// Parameters first, then other locals in order of first assignment.
    var locals: [String] = []
    var captured: Set<String> = []
}

struct ScopeAnalysis {
    /// Keyed by the byte offset of each function's header, unique within one source file.
    private(set) var functions: [Int: FunctionScopeInfo] = [:]

    /// Analyses every function in `statements` (the top level itself has no locals).
    mutating func analyseTopLevel(_ statements: [Stmt]) {
        var reads = Set<String>()
        var nested: [FunctionDecl] = []
        collect(statements, reads: &reads, assigned: nil, nested: &nested)
        for decl in nested { _ = analyse(decl) }
    }

    /// Returns the free names of `decl`: read in it or its inner functions, not local to it.
    private mutating func analyse(_ decl: FunctionDecl) -> Set<String> {
        var info = FunctionScopeInfo()
        info.locals = decl.parameters.map(\.name)
        let assigned = OrderedNames(info.locals)
        var reads = Set<String>()
        var nested: [FunctionDecl] = []
        collect(decl.body, reads: &reads, assigned: assigned, nested: &nested)
        info.locals = assigned.names
        let localSet = Set(info.locals)
        var free = reads.subtracting(localSet)
        for inner in nested {
            let innerFree = analyse(inner)
            info.captured.formUnion(innerFree.intersection(localSet))
            free.formUnion(innerFree.subtracting(localSet))
        }
        functions[decl.headerRange.start] = info
        return free
    }

    /// Walks statements without entering inner function bodies (their defaults are read here).
    private func collect(_ statements: [Stmt], reads: inout Set<String>, assigned: AssignedNames,
                         nested: inout [FunctionDecl]) {
        for s in statements { collect(s, reads: &reads, assigned: assigned, nested: &nested) }
    }

    private func collect(_ s: Stmt, reads: inout Set<String>, assigned: AssignedNames, nested: inout [FunctionDecl]) {
        switch s.kind {
        case .expression(let e):
            collect(e, reads: &reads, nested: &nested)
        case .assign(let target, let op, let value):
            collect(value, reads: &reads, nested: &nested)
            if op != nil || !target.path.isEmpty { reads.insert(target.name) }
            for step in target.path {
                if case .index(let items, _) = step { collect(items, reads: &reads, nested: &nested) }
            }
            assigned?.add(target.name)
        case .function(let decl):
            assigned?.add(decl.name ?? "")
            nested.append(decl)
            for p in decl.parameters { if let d = p.defaultValue { collect(d, reads: &reads, nested: &nested) } }
        case .ifElse(let branches, let elseBody):
            for b in branches {
                collect(b.condition, reads: &reads, nested: &nested)
                collect(b.body, reads: &reads, assigned: assigned, nested: &nested)
            }
            if let elseBody { collect(elseBody, reads: &reads, assigned: assigned, nested: &nested) }
        case .forIn(let variable, _, let sequence, let body):
            collect(sequence, reads: &reads, nested: &nested)
            assigned?.add(variable)
            collect(body, reads: &reads, assigned: assigned, nested: &nested)
        case .whileLoop(let condition, let body):
            collect(condition, reads: &reads, nested: &nested)
            collect(body, reads: &reads, assigned: assigned, nested: &nested)
        case .returnValue(let e):
            if let e { collect(e, reads: &reads, nested: &nested) }
        case .breakLoop, .continueLoop:
            break
        }
    }

    private func collect(_ items: [IndexItem], reads: inout Set<String>, nested: inout [FunctionDecl]) {
        for item in items {
            switch item {
            case .single(let e): collect(e, reads: &reads, nested: &nested)
            case .slice(let a, let b, let c, _):
                for e in [a, b, c] { if let e { collect(e, reads: &reads, nested: &nested) } }
            }
        }
    }

    private func collect(_ e: Expr, reads: inout Set<String>, nested: inout [FunctionDecl]) {
        switch e.kind {
        case .number, .bool, .nilLiteral:
            break
        case .string(let segments):
            for case .expr(let x) in segments { collect(x, reads: &reads, nested: &nested) }
        case .name(let n):
            reads.insert(n)
        case .tensor(let elements):
            for x in elements { collect(x, reads: &reads, nested: &nested) }
        case .tuple(let args):
            for a in args { collect(a.value, reads: &reads, nested: &nested) }
        case .unary(_, let x), .not(let x):
            collect(x, reads: &reads, nested: &nested)
        case .binary(_, let a, let b), .comparison(_, let a, let b), .logical(_, let a, let b), .range(let a, let b, _):
            collect(a, reads: &reads, nested: &nested)
            collect(b, reads: &reads, nested: &nested)
        case .call(let callee, let args):
            collect(callee, reads: &reads, nested: &nested)
            for a in args { collect(a.value, reads: &reads, nested: &nested) }
        case .index(let base, let items):
            collect(base, reads: &reads, nested: &nested)
            collect(items, reads: &reads, nested: &nested)
        case .member(let base, _, _):
            collect(base, reads: &reads, nested: &nested)
        case .function(let decl):
            nested.append(decl)
            for p in decl.parameters { if let d = p.defaultValue { collect(d, reads: &reads, nested: &nested) } }
        }
    }
}

/// Names in order of first appearance.
final class OrderedNames {
    private(set) var names: [String]
    private var seen: Set<String>

    init(_ initial: [String]) {
        names = initial
        seen = Set(initial)
    }

    func add(_ name: String) {
        if seen.insert(name).inserted { names.append(name) }
    }
}

/// Where a walk records assigned names; nil at the top level, whose names are globals.
typealias AssignedNames = OrderedNames?

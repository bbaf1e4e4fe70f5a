// Which of a function's register locals a piece of its resolved code reads: what the chunk
// compiler asks to know that a local is read no more after a statement (its value can be let
// go of before the statement's write, so the write finds the tuple or tensor it changes held
// once: ChunkCompiler.deadLocals).

extension ResolvedStmt {
    /// The register locals (`Place.local` slots) this statement reads, anywhere in it: its
    /// expressions, the variable an `op=` or a path assignment reads, nested blocks and the
    /// defaults of a function it makes (evaluated here). Not a nested function's body: its
    /// locals are its own, and what it captures lives in cells.
    var localsRead: Set<Int> {
        var slots = Set<Int>()
        addLocalsRead(to: &slots)
        return slots
    }

    func addLocalsRead(to slots: inout Set<Int>) {
        forEachRead { place, _ in if case .local(let slot) = place { slots.insert(slot) } }
    }

    /// Calls `visit` with each variable this statement reads, as localsRead says where (and the
    /// item's key as ResolvedExpr.forEachRead gives it).
    func forEachRead(_ visit: (Place, _ item: Value?) -> Void) {
        switch kind {
        case .expression(let e):
            e.forEachRead(visit)
        case .assign(_, _, let read, let value):
            read?.forEachRead(visit)
            value.forEachRead(visit)
        case .pathAssign(_, let read, let path, _, let value):
            read.forEachRead(visit)
            for step in path {
                switch step {
                case .index(let items, _): ResolvedExpr.forEachRead(in: items, visit)
                case .member: break
                }
            }
            value.forEachRead(visit)
        case .function(_, let f):
            for d in f.defaults { d?.forEachRead(visit) }
        case .ifElse(let condition, let body, let elseBody):
            condition.forEachRead(visit)
            for s in body.statements { s.forEachRead(visit) }
            elseBody?.forEachRead(visit)
        case .block(let b):
            for s in b.statements { s.forEachRead(visit) }
        case .forIn(_, let sequence, let body):
            sequence.forEachRead(visit)
            for s in body.statements { s.forEachRead(visit) }
        case .whileLoop(let condition, let body):
            condition.forEachRead(visit)
            for s in body.statements { s.forEachRead(visit) }
        case .returnValue(let e):
            e?.forEachRead(visit)
        case .breakLoop, .continueLoop:
            break
        }
    }
}

extension ResolvedStmt {
    /// Whether the statement may leave the block it is in other than at its end: a `break`,
    /// `continue` or `return` in it (not in a function it makes).
    var mayLeave: Bool {
        switch kind {
        case .breakLoop, .continueLoop, .returnValue: return true
        case .expression, .assign, .pathAssign, .function: return false
        case .ifElse(_, let body, let elseBody): return body.statements.contains { $0.mayLeave } || elseBody?.mayLeave == true
        case .block(let b), .forIn(_, _, let b), .whileLoop(_, let b): return b.statements.contains { $0.mayLeave }
        }
    }
}

extension ResolvedExpr {
    func addLocalsRead(to slots: inout Set<Int>) {
        forEachLocalRead { slot, _ in slots.insert(slot) }
    }

    static func addLocalsRead(of items: [ResolvedIndexItem], to slots: inout Set<Int>) {
        forEachRead(in: items) { place, _ in if case .local(let slot) = place { slots.insert(slot) } }
    }

    /// Calls `visit` with each register local this expression reads, anywhere in it, and the
    /// item's key when the read is the base of a member read or of an index by a constant (`s.n`:
    /// the slot of s and "n"; `s["n"]` the same; `p[1]`: 1), else nil.
    func forEachLocalRead(_ visit: (Int, _ item: Value?) -> Void) {
        forEachRead { place, item in if case .local(let slot) = place { visit(slot, item) } }
    }

    /// Calls `visit` with each variable this expression reads, anywhere in it (not in the body
    /// of a function it makes, which runs later), and the item's key as forEachLocalRead says.
    func forEachRead(_ visit: (Place, _ item: Value?) -> Void) {
        forEachNode { e in
            switch e.kind {
            case .read(let place, _):
                visit(place, nil)
                return false
            case .member(let base, let name, _):
                guard case .read(let place, _) = base.kind else { return true }
                visit(place, .string(name))
                return false
            case .index(let base, let items):
                guard case .read(let place, _) = base.kind, items.count == 1, case .single(let key) = items[0],
                      case .constant(let k) = key.kind else { return true }
                visit(place, k)
                return false
            case .constant, .interpolation, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .call, .function:
                return true
            }
        }
    }

    static func forEachRead(in items: [ResolvedIndexItem], _ visit: (Place, _ item: Value?) -> Void) {
        for e in expressions(of: items) { e.forEachRead(visit) }
    }

    /// Calls `visit` with this expression, then, when it says so, with each part of it, in the
    /// order they run (a function it makes: only its defaults, run when it is made).
    func forEachNode(_ visit: (ResolvedExpr) -> Bool) {
        guard visit(self) else { return }
        switch kind {
        case .constant, .read:
            break
        case .interpolation(let pieces):
            for p in pieces {
                switch p {
                case .text: break
                case .value(let e): e.forEachNode(visit)
                }
            }
        case .tensor(let items), .tuple(let items, _):
            for e in items { e.forEachNode(visit) }
        case .unary(_, let a), .not(let a), .member(let a, _, _):
            a.forEachNode(visit)
        case .binary(_, let a, let b), .comparison(_, let a, let b), .logical(_, let a, let b), .range(let a, let b, _):
            a.forEachNode(visit)
            b.forEachNode(visit)
        case .call(let callee, let positional, _, let labelled):
            callee.forEachNode(visit)
            for e in positional + labelled { e.forEachNode(visit) }
        case .index(let base, let items):
            base.forEachNode(visit)
            for e in ResolvedExpr.expressions(of: items) { e.forEachNode(visit) }
        case .function(let f):
            for d in f.defaults { d?.forEachNode(visit) }
        }
    }

    /// The expressions of an index's items, in order.
    static func expressions(of items: [ResolvedIndexItem]) -> [ResolvedExpr] {
        var out: [ResolvedExpr] = []
        for item in items {
            switch item {
            case .single(let e): out.append(e)
            case .slice(let a, let b, let c): out += [a, b, c].compactMap { $0 }
            }
        }
        return out
    }
}

/// The globals that code inside functions names: what a function may read while a top-level
/// statement calls it (ChunkCompiler.Lending). A global none of them names is seen, while
/// a function runs, only through the arguments it was passed.
enum GlobalsInFunctions {
    /// Every global named (read, or assigned as a variable or an item) anywhere in the body of a
    /// function the statements make, or a function made inside one.
    static func named(by statements: [ResolvedStmt]) -> Set<Int> {
        var found = Set<Int>()
        for s in statements { visit(s, inFunction: false, &found) }
        return found
    }

    private static func visit(_ s: ResolvedStmt, inFunction: Bool, _ found: inout Set<Int>) {
        func target(_ v: VariableRef) {
            if inFunction, case .global(let g) = v { found.insert(g) }
        }
        func expression(_ e: ResolvedExpr?) {
            e?.forEachNode { node in
                switch node.kind {
                case .read(.global(let g), _):
                    if inFunction { found.insert(g) }
                case .function(let f):
                    // Its defaults run where it is made (forEachNode visits them); its body later.
                    for s in f.body.statements { visit(s, inFunction: true, &found) }
                case .constant, .read, .interpolation, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range,
                     .call, .index, .member:
                    break
                }
                return true
            }
        }
        switch s.kind {
        case .expression(let e):
            expression(e)
        case .assign(let v, _, let read, let value):
            target(v)
            expression(read)
            expression(value)
        case .pathAssign(let v, let read, let path, _, let value):
            target(v)
            expression(read)
            for step in path {
                switch step {
                case .index(let items, _): ResolvedExpr.expressions(of: items).forEach(expression)
                case .member: break
                }
            }
            expression(value)
        case .function(let v, let f):
            target(v)
            for d in f.defaults { expression(d) }
            for s in f.body.statements { visit(s, inFunction: true, &found) }
        case .ifElse(let condition, let body, let elseBody):
            expression(condition)
            for s in body.statements { visit(s, inFunction: inFunction, &found) }
            if let elseBody { visit(elseBody, inFunction: inFunction, &found) }
        case .block(let b):
            for s in b.statements { visit(s, inFunction: inFunction, &found) }
        case .forIn(let v, let sequence, let body):
            target(v)
            expression(sequence)
            for s in body.statements { visit(s, inFunction: inFunction, &found) }
        case .whileLoop(let condition, let body):
            expression(condition)
            for s in body.statements { visit(s, inFunction: inFunction, &found) }
        case .returnValue(let e):
            expression(e)
        case .breakLoop, .continueLoop:
            break
        }
    }
}

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
        switch kind {
        case .expression(let e):
            e.addLocalsRead(to: &slots)
        case .assign(_, _, let read, let value):
            read?.addLocalsRead(to: &slots)
            value.addLocalsRead(to: &slots)
        case .pathAssign(_, let read, let path, _, let value):
            read.addLocalsRead(to: &slots)
            for step in path {
                switch step {
                case .index(let items, _): ResolvedExpr.addLocalsRead(of: items, to: &slots)
                case .member: break
                }
            }
            value.addLocalsRead(to: &slots)
        case .function(_, let f):
            for d in f.defaults { d?.addLocalsRead(to: &slots) }
        case .ifElse(let condition, let body, let elseBody):
            condition.addLocalsRead(to: &slots)
            for s in body.statements { s.addLocalsRead(to: &slots) }
            elseBody?.addLocalsRead(to: &slots)
        case .block(let b):
            for s in b.statements { s.addLocalsRead(to: &slots) }
        case .forIn(_, let sequence, let body):
            sequence.addLocalsRead(to: &slots)
            for s in body.statements { s.addLocalsRead(to: &slots) }
        case .whileLoop(let condition, let body):
            condition.addLocalsRead(to: &slots)
            for s in body.statements { s.addLocalsRead(to: &slots) }
        case .returnValue(let e):
            e?.addLocalsRead(to: &slots)
        case .breakLoop, .continueLoop:
            break
        }
    }
}

extension ResolvedExpr {
    func addLocalsRead(to slots: inout Set<Int>) {
        switch kind {
        case .read(let place, _):
            switch place {
            case .local(let slot): slots.insert(slot)
            case .cell, .capture, .global: break
            }
        case .constant:
            break
        case .interpolation(let pieces):
            for p in pieces {
                switch p {
                case .text: break
                case .value(let e): e.addLocalsRead(to: &slots)
                }
            }
        case .tensor(let items), .tuple(let items, _):
            for e in items { e.addLocalsRead(to: &slots) }
        case .unary(_, let a), .not(let a):
            a.addLocalsRead(to: &slots)
        case .binary(_, let a, let b), .comparison(_, let a, let b), .logical(_, let a, let b):
            a.addLocalsRead(to: &slots)
            b.addLocalsRead(to: &slots)
        case .range(let a, let b, _):
            a.addLocalsRead(to: &slots)
            b.addLocalsRead(to: &slots)
        case .call(let callee, let positional, _, let labelled):
            callee.addLocalsRead(to: &slots)
            for e in positional { e.addLocalsRead(to: &slots) }
            for e in labelled { e.addLocalsRead(to: &slots) }
        case .index(let base, let items):
            base.addLocalsRead(to: &slots)
            ResolvedExpr.addLocalsRead(of: items, to: &slots)
        case .member(let base, _, _):
            base.addLocalsRead(to: &slots)
        case .function(let f):
            for d in f.defaults { d?.addLocalsRead(to: &slots) }
        }
    }

    static func addLocalsRead(of items: [ResolvedIndexItem], to slots: inout Set<Int>) {
        for item in items {
            switch item {
            case .single(let e):
                e.addLocalsRead(to: &slots)
            case .slice(let a, let b, let c):
                a?.addLocalsRead(to: &slots)
                b?.addLocalsRead(to: &slots)
                c?.addLocalsRead(to: &slots)
            }
        }
    }
}

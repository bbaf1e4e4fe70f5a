// Renamings of the resolved program for the numeric compiler. The tree renamed is the resolved
// program still: every rule of the compiler applies to it.
//
// - A local function's body renamed into the frame of the function that calls it, so its call
//   compiles in place (NumericCompiler's local functions: `f = fn(w) = ...` or `fn sq(x) = x * x`
//   inside a function, called or differentiated there and never passed on). Its parameters and
//   locals become fresh locals of the caller, its cells too (a captured parameter shares its
//   parameter's), and each of its captures the caller's place it came from.
// - A loop in a function the numeric code does not cover as a whole (NumericLoop.swift): its
//   locals become the frame slots a loop's code reads and writes as a top-level loop does its
//   globals (NumericLoop.frameSlot). A loop that reads a cell or a capture, makes a function or
//   returns is not renamed: its code would have to see the frame's cells, or leave the function.

struct NumericInlining {
    enum Target {
        /// Into a caller's frame: local i becomes `locals + i`, cell k `cells[k]`, capture j
        /// the caller's place `captures[j]`.
        case caller(locals: Int, cells: [Int], captures: [Place])
        /// A loop of a function: local i becomes the frame slot `NumericLoop.frameSlot(i)`.
        case loopFrame
    }
    let target: Target

    init(locals: Int, cells: [Int], captures: [Place]) {
        target = .caller(locals: locals, cells: cells, captures: captures)
    }

    /// A function's loop statement renamed to frame slots; nil when it cannot be (see above).
    static func loopOfFunction(_ s: ResolvedStmt) -> ResolvedStmt? {
        try? NumericInlining(target: .loopFrame).statement(s)
    }

    private init(target: Target) { self.target = target }

    func place(_ p: Place) throws(NumericCompiler.Unsupported) -> Place {
        switch (p, target) {
        case (.local(let i), .caller(let locals, _, _)): return .local(locals + i)
        case (.cell(let k), .caller(_, let cells, _)): return .local(cells[k])
        case (.capture(let j), .caller(_, _, let captures)): return captures[j]
        case (.local(let i), .loopFrame): return .global(NumericLoop.frameSlot(i))
        case (.cell, .loopFrame), (.capture, .loopFrame): throw NumericCompiler.Unsupported()
        case (.global, .caller), (.global, .loopFrame): return p
        }
    }

    func variable(_ v: VariableRef) throws(NumericCompiler.Unsupported) -> VariableRef {
        switch (v, target) {
        case (.local(let i), .caller(let locals, _, _)): return .local(locals + i)
        case (.cell(let k), .caller(_, let cells, _)): return .local(cells[k])
        case (.local(let i), .loopFrame): return .global(NumericLoop.frameSlot(i))
        case (.cell, .loopFrame): throw NumericCompiler.Unsupported()
        case (.global, .caller), (.global, .loopFrame): return v
        }
    }

    func block(_ b: ResolvedBlock) throws(NumericCompiler.Unsupported) -> ResolvedBlock {
        var statements: [ResolvedStmt] = []
        for s in b.statements { statements.append(try statement(s)) }
        return ResolvedBlock(statements: statements, range: b.range)
    }

    func statement(_ s: ResolvedStmt) throws(NumericCompiler.Unsupported) -> ResolvedStmt {
        let kind: ResolvedStmtKind
        switch s.kind {
        case .expression(let e):
            kind = .expression(try expression(e))
        case .assign(let v, let op, let read, let value):
            kind = .assign(try variable(v), op: op, read: try read.map(expression), value: try expression(value))
        case .pathAssign(let v, let read, let path, let op, let value):
            var steps: [ResolvedPathStep] = []
            for step in path {
                switch step {
                case .index(let items, let range): steps.append(.index(try items.map(item), range))
                case .member: steps.append(step)
                }
            }
            kind = .pathAssign(try variable(v), read: try expression(read), path: steps, op: op, value: try expression(value))
        case .function:
            // A function made inside an inlined one: its captures would name this frame's
            // places, which the compiler does not follow.
            throw NumericCompiler.Unsupported()
        case .ifElse(let condition, let body, let elseBody):
            kind = .ifElse(condition: try expression(condition), body: try block(body), elseBody: try elseBody.map(statement))
        case .block(let b):
            kind = .block(try block(b))
        case .forIn(let v, let sequence, let body):
            kind = .forIn(try variable(v), sequence: try expression(sequence), body: try block(body))
        case .whileLoop(let condition, let body):
            kind = .whileLoop(condition: try expression(condition), body: try block(body))
        case .breakLoop, .continueLoop:
            kind = s.kind
        case .returnValue(let value):
            // A loop's code ends with the loop, not with the function.
            if case .loopFrame = target { throw NumericCompiler.Unsupported() }
            kind = .returnValue(try value.map(expression))
        }
        return ResolvedStmt(kind, s.range)
    }

    func expression(_ e: ResolvedExpr) throws(NumericCompiler.Unsupported) -> ResolvedExpr {
        let kind: ResolvedExprKind
        switch e.kind {
        case .constant:
            return e
        case .interpolation(let pieces):
            var renamed: [ResolvedPiece] = []
            for piece in pieces {
                switch piece {
                case .text: renamed.append(piece)
                case .value(let v): renamed.append(.value(try expression(v)))
                }
            }
            kind = .interpolation(renamed)
        case .read(let p, let name):
            kind = .read(try place(p), name: name)
        case .tensor(let elements):
            kind = .tensor(try elements.map(expression))
        case .tuple(let elements, let labels):
            kind = .tuple(try elements.map(expression), labels: labels)
        case .unary(let op, let a):
            kind = .unary(op, try expression(a))
        case .binary(let op, let a, let b):
            kind = .binary(op, try expression(a), try expression(b))
        case .comparison(let op, let a, let b):
            kind = .comparison(op, try expression(a), try expression(b))
        case .logical(let op, let a, let b):
            kind = .logical(op, try expression(a), try expression(b))
        case .not(let a):
            kind = .not(try expression(a))
        case .range(let a, let b, let inclusive):
            kind = .range(try expression(a), try expression(b), inclusive: inclusive)
        case .call(let callee, let positional, let labels, let labelled):
            kind = .call(callee: try expression(callee), positional: try positional.map(expression), labels: labels,
                         labelled: try labelled.map(expression))
        case .index(let base, let items):
            kind = .index(try expression(base), try items.map(item))
        case .member(let base, let name, let nameRange):
            kind = .member(try expression(base), name: name, nameRange: nameRange)
        case .function:
            throw NumericCompiler.Unsupported()
        }
        return ResolvedExpr(kind, e.range)
    }

    private func item(_ i: ResolvedIndexItem) throws(NumericCompiler.Unsupported) -> ResolvedIndexItem {
        switch i {
        case .single(let e): return .single(try expression(e))
        case .slice(let a, let b, let c): return .slice(try a.map(expression), try b.map(expression), try c.map(expression))
        }
    }
}

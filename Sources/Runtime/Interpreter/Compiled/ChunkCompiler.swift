// The resolved program compiled to chunks (Chunk.swift), with exhaustive switches over its
// statements and expressions: a new construct is a compile error here until it says what it
// compiles to.
//
// Evaluation order is the language's: operands left to right, a callee before its arguments,
// an assignment's right side before its path's keys, a loop's bounds before its body. A local
// that is assigned on every path to a read is read straight from its register; elsewhere the
// read checks it (the error names it). A variable is written only by an expression's last
// instruction, so an error leaves every variable as it was.

import Lexer
import Parser

struct ChunkCompiler {
    let file: SourceFile
    /// Whether this is a function's body (else a top-level statement, whose loops get the
    /// numeric tier's chance to run them).
    let inFunction: Bool
    let localCount: Int
    /// Off (`Interpreter.usesFastPaths`), code takes its general shape where a shortcut has a
    /// shape of its own, so the tests can compare the two: a call computes `t.l` with a member
    /// instruction before it, a comparison loads its string literal into a register (`if e.op
    /// == "num"` reads the member first), `x += 1` loads its 1, `f(n - 1)` computes `n - 1`
    /// with an operator instruction after a callee check, and an element-wise expression has no
    /// fusion plan (Fusion.swift) before its operators. (The shapes that are the only
    /// code, `return 0` and the literals of `s = s + k + "="`, are compared otherwise.)
    let shortcuts: Bool

    private var code = ContiguousArray<Instruction>()
    private var constants: [Value] = []
    private var reads: [ReadSite] = []
    private var ranges: [SourceRange] = []
    private var operators: [OperatorSite] = []
    private var fusions: [FusionSite] = []
    private var compounds: [CompoundSite] = []
    private var pieces: [PieceSite] = []
    private var concats: [ConcatSite] = []
    private var bounds: [BoundSite] = []
    private var indexes: [IndexSite] = []
    private var elements: [ElementSite] = []
    private var elementWrites: [ElementWriteSite] = []
    private var members: [MemberSite] = []
    private var paths: [PathSite] = []
    private var calls: [CallOperands] = []
    private var takenItems: [ReusedPlace] = []
    private var loops: [LoopSite] = []
    private var labels: [TupleLabels?] = []
    private var protos: [FunctionProto] = []
    private var numericLoops: [NumericLoopSite] = []

    private var nextRegister: Int
    private var registerCount: Int
    /// Locals assigned on every path to here.
    private var assigned: Set<Int>
    /// The open loops: where `continue` jumps, and the jumps `break` left to patch.
    private var openLoops: [(continueAt: [Int], breaks: [Int])] = []
    /// The register locals that code after the statement being compiled reads: nil where that
    /// is not known (a top-level statement, code without shortcuts), and ignored in a loop's
    /// body (a later iteration may read any local).
    private var readAfter: Set<Int>?
    /// The calls and slices of the statement being compiled that may take a local's value, by
    /// their place in the text (takenInReturn, statement(_:before:)).
    private var takenCalls: [SourceRange: ReusedPlace] = [:]
    /// The local a taken call's frame lets go of too (CallOperands.releases).
    private var takenRelease = Chunk.noOperand
    /// What lending reads beyond takenCalls, in a class of its own: each stored property of
    /// this struct is room in the frame of a debug build's `expression` (which copies self
    /// where it calls a method), and a chain of 50,000 operators must fit the 1 GiB stack.
    private let lending = Lending()

    /// The globals a top-level statement may lend, and the other variables a taken call's
    /// closure may take (CallOperands.alsoLent).
    private final class Lending {
        /// Whether a top-level `x = f(x, ...)` may lend global x's value to the function f,
        /// which may then grow it in place (`fn add(xs, i) = append(xs, i)`; x's copy made it
        /// copy the whole tuple at each call): only in a run an error ends, where nothing reads x
        /// after f fails, and for an x that no function names, which f cannot read while it runs
        /// (Interpreter.run, HostSettings.errorsEndTheRun, CallOperands.lendsGlobal); nil when
        /// none may be.
        var globals: ((Int) -> Bool)?
        var also: [SourceRange: [ReusedPlace]] = [:]
    }

    private init(file: SourceFile, inFunction: Bool, localCount: Int, assigned: Set<Int>, shortcuts: Bool) {
        self.file = file
        self.shortcuts = shortcuts
        self.inFunction = inFunction
        self.localCount = localCount
        self.nextRegister = localCount
        self.registerCount = localCount
        self.assigned = assigned
    }

    // MARK: entry points

    /// A top-level statement; the chunk returns the value the REPL shows, if any.
    static func topLevel(_ s: ResolvedStmt, file: SourceFile, shortcuts: Bool, lendable: ((Int) -> Bool)? = nil) -> Chunk {
        var c = ChunkCompiler(file: file, inFunction: false, localCount: 0, assigned: [], shortcuts: shortcuts)
        c.lending.globals = lendable
        c.showing(s)
        return c.finish()
    }

    /// A function's prototype with its body compiled.
    static func function(_ f: ResolvedFunction, shortcuts: Bool) -> FunctionProto {
        var c = ChunkCompiler(file: f.file, inFunction: true, localCount: f.frameSize,
                              assigned: Set(0..<f.parameterNames.count), shortcuts: shortcuts)
        if shortcuts { c.readAfter = [] }
        c.block(f.body)
        c.emit(.returnNull)
        return FunctionProto(resolved: f, chunk: c.finish())
    }

    private func finish() -> Chunk {
        Chunk(code: code, constants: constants, localCount: localCount, registerCount: registerCount,
              reads: reads, ranges: ranges, operators: operators, fusions: fusions, compounds: compounds,
              pieces: pieces, concats: concats, bounds: bounds, indexes: indexes, elements: elements, elementWrites: elementWrites, members: members, paths: paths, calls: calls,
              loops: loops, labels: labels, protos: protos, numericLoops: numericLoops, takenItems: takenItems)
    }

    // MARK: building blocks

    private mutating func emit(_ i: Instruction) { code.append(i) }
    private var here: Int32 { Int32(code.count) }

    private mutating func temporary() -> Int32 {
        let r = nextRegister
        nextRegister += 1
        registerCount = Swift.max(registerCount, nextRegister)
        return Int32(r)
    }

    private mutating func temporaries(_ n: Int) -> Int32 {
        let first = nextRegister
        nextRegister += n
        registerCount = Swift.max(registerCount, nextRegister)
        return Int32(first)
    }

    private func isTemporary(_ r: Int32) -> Bool { Int(r) >= localCount }  // a global (negative) is not

    /// Appends to a side table; the entry's index.
    private static func add<T>(_ table: inout [T], _ x: T) -> Int32 {
        table.append(x)
        return Int32(table.count - 1)
    }

    private mutating func constant(_ v: Value) -> Int32 {
        constants.append(v)
        return Int32(constants.count - 1)
    }

    private mutating func range(_ r: SourceRange) -> Int32 { Self.add(&ranges, r) }

    /// The value of a tuple written whole in the code: items that are numbers (negated too),
    /// strings, bools, nil, or such tuples. `for d in ((1, 0), (-1, 0), (0, 1), (0, -1))` made
    /// its five tuples at every pass of the loop around it (session 20's hunt r07, a BFS); as
    /// a constant it is made once and shared, as CPython folds it (a write to a variable that
    /// holds it copies it first, as any shared tuple is copied). Nil for anything else.
    private static func written(_ e: ResolvedExpr) -> Value? {
        switch e.kind {
        case .constant(let v):
            switch v {
            case .number, .string, .bool, .null: return v
            case .tensor, .view, .tuple, .function, .object, .traced: return nil
            }
        case .unary(.negate, let x):
            guard case .constant(.number(let n)) = x.kind else { return nil }
            return .number(-n)
        case .tuple(let elements, let labels):
            var items: [Value] = []
            items.reserveCapacity(elements.count)
            for element in elements {
                guard let v = written(element) else { return nil }
                items.append(v)
            }
            return .tuple(TupleValue(items, labels: labels))
        case .interpolation, .read, .tensor, .unary, .binary, .comparison, .logical, .not, .range, .call, .index, .member, .function:
            return nil
        }
    }

    /// Sets the jump at `at` to land on `target`.
    private mutating func patch(_ at: Int, to target: Int32) {
        switch code[at] {
        case .jump: code[at] = .jump(to: target)
        case .takeItem(let d, let p, _): code[at] = .takeItem(dst: d, place: p, done: target)
        case .growableItem(let c, let i, _): code[at] = .growableItem(callee: c, item: i, otherwise: target)
        case .jumpIfFalse(let a, _, let s): code[at] = .jumpIfFalse(a: a, to: target, site: s)
        case .jumpIfTrue(let a, _, let s): code[at] = .jumpIfTrue(a: a, to: target, site: s)
        case .compareJump(let op, let a, let b, _, let s): code[at] = .compareJump(op, a: a, b: b, to: target, site: s)
        case .compareNumberJump(let op, let a, let y, _, let s): code[at] = .compareNumberJump(op, a: a, y: y, to: target, site: s)
        case .compareNilJump(let equal, let a, _, let s): code[at] = .compareNilJump(equal: equal, a: a, to: target, site: s)
        case .compareStringJump(let op, let a, let k, _, let s): code[at] = .compareStringJump(op, a: a, k: k, to: target, site: s)
        case .compareMemberStringJump(let op, let b, let m, let k, _, let s):
            code[at] = .compareMemberStringJump(op, base: b, member: m, k: k, to: target, site: s)
        case .fused(let d, let s, _): code[at] = .fused(dst: d, site: s, skip: target)
        case .fusedCompound(let s, _): code[at] = .fusedCompound(site: s, skip: target)
        case .numericLoop(let s, _): code[at] = .numericLoop(site: s, skip: target)
        case .forNext(let b, let s, _, let v): code[at] = .forNext(base: b, site: s, exit: target, variable: v)
        case .concatStart(let x, let s, _): code[at] = .concatStart(x: x, site: s, skip: target)
        case .concatStore(let s, _): code[at] = .concatStore(site: s, end: target)
        case .elementShifted(let d, let b, let i, let k, _): code[at] = .elementShifted(dst: d, base: b, i: i, k: k, skip: target)
        case .setElementShifted(let v, let t, let i, let k, _):
            code[at] = .setElementShifted(value: v, target: t, i: i, k: k, skip: target)
        case .constant, .readLocal, .copy, .readCell, .readCapture, .readGlobal, .storeLocal, .storeCell, .storeGlobal, .clearLocal,
             .binary, .binaryNumber, .numberBinary, .compare, .compareNumber, .compareNil, .compareString, .unary, .matmul, .truth, .not, .compound, .compoundNumber,
             .tensor, .tuple, .appendPiece, .concatCheck, .rangeBound, .rangeTensor, .closure, .index, .element, .elementLabel, .setElement, .setElementNumber, .member,
             .memberOfGlobal, .pathAssign, .checkCallable, .call, .callWith, .callGrowing, .loop, .forLoop, .forRange, .forRangeCall, .forSequence,
             .returnValue, .returnNull, .returnConstant, .returnNothing,
             .typedMove, .typedAdd, .typedSubtract, .typedMultiply, .typedDivide, .typedRemainder, .typedPower, .typedNegate,
             .typedLess, .typedLessEqual, .typedGreater, .typedGreaterEqual, .typedEqual, .typedNotEqual, .typedTruth, .typedNot,
             .typedJump, .typedJumpIfFalse, .typedJumpIfTrue, .typedJumpUnlessLess, .typedJumpUnlessLessEqual,
             .typedJumpUnlessGreater, .typedJumpUnlessGreaterEqual, .typedJumpUnlessEqual, .typedJumpUnlessNotEqual,
             .typedLoopBack, .typedLoopIfLess, .typedLoopIfLessEqual, .typedLoopIfGreater, .typedLoopIfGreaterEqual,
             .typedLoopIfEqual, .typedLoopIfNotEqual, .typedAbs, .typedSqrt, .typedScalar, .typedMinimum, .typedMaximum, .typedClipBelow, .typedClipAbove,
             .typedCall, .typedCallClosure, .typedGradient, .typedOptimizerStep, .typedGradientVector,
             .typedOptimizerStepVector, .typedElement, .typedElement2, .typedElementShifted, .typedSetElement,
             .typedSetElement2, .typedLength, .typedMoveVector, .typedPick, .typedRangeCount, .typedReturnValue,
             .typedReturnString, .typedReturnTuple, .typedBoolResult, .typedGiveUp, .typedListAppend, .typedSetArgument,
             .typedRare, .typedString:
            // (Typed code is NumericCompiler's, with jumps of its own: Instruction(typed:at:).)
            assertionFailure("patching an instruction that does not jump")
        }
    }

    // MARK: statements

    /// A top-level statement, ending with the value the REPL shows.
    private mutating func showing(_ s: ResolvedStmt) {
        switch s.kind {
        case .expression(let e):
            emit(.returnValue(a: expression(e)))
        case .assign(let target, _, _, _):
            statement(s)
            let t = temporary()
            read(target, into: t, name: "", range: s.range)
            emit(.returnValue(a: t))
        case .pathAssign(let target, let read, let path, let op, let value):
            emit(.returnValue(a: pathAssign(target, read: read, path: path, op: op, value: value, range: s.range, shows: true)))
        case .function, .ifElse, .block, .forIn, .whileLoop, .breakLoop, .continueLoop, .returnValue:
            statement(s)
            emit(.returnNothing)
        }
    }

    private mutating func block(_ b: ResolvedBlock) {
        guard let outer = readAfter, openLoops.isEmpty else {
            for (k, s) in b.statements.enumerated() { statement(s, before: b.statements[(k + 1)...]) }
            return
        }
        // What the statements after each one read (and what follows the block), back to front.
        var after = [Set<Int>](repeating: outer, count: b.statements.count)
        var later = outer
        for k in b.statements.indices.reversed() {
            after[k] = later
            b.statements[k].addLocalsRead(to: &later)
        }
        for (k, s) in b.statements.enumerated() {
            readAfter = after[k]
            statement(s, before: b.statements[(k + 1)...])
        }
        readAfter = outer
    }

    /// A statement of a block, with the calls that may take a variable it passes (takenCalls):
    /// in a function, `r = step(xs, t)` followed by `xs = r[0]` lends xs to step, which may then
    /// grow it in place, since xs is assigned again before anything reads it (`later`: the
    /// statements after it in the block). The frame lets go of the target's old value with it
    /// (CallOperands.releases: nothing reads it, and an error ends the frame), so a tuple it
    /// shares with xs (`r`'s, whose item xs was) does not hold the log as well. A log threaded
    /// through a helper that returns a pair copied it at each step. The variables are those the
    /// code owns (`owned`): a function's locals, and a script's globals no function names.
    private mutating func statement(_ s: ResolvedStmt, before later: ArraySlice<ResolvedStmt>) {
        guard shortcuts, inFunction || lendsAtTopLevel else { return statement(s) }
        if case .assign(let x, nil, _, let v) = s.kind, let dst = Self.register(of: x), let (source, key, place) = itemRead(v),
           !Self.isVariable(x, source), Self.itemWrittenBeforeRead(source, key, later) {
            // `xs = s.xs` with `s.xs = ...` to come: the item moves out of s (takeItem); when it
            // is not there to take, the read as it is says what is wrong.
            let at = Int(here)
            emit(.takeItem(dst: dst, place: Self.add(&takenItems, place), done: -1))
            statement(s)
            patch(at, to: here)
            return
        }
        if case .assign(let x, nil, _, let v) = s.kind, let dst = Self.register(of: x), case .read(let p, _) = v.kind,
           let source = owned(p), case .local = source, !Self.isVariable(x, source),
           Self.assignedBeforeRead(source, later) || isDead(source) {
            // `b = acc` with acc assigned again before anything reads it, or read no more: the
            // value moves to b (takeItem of the whole variable), which a write then finds held
            // once (`b = acc; b[k] = v; acc = b` copied acc at each step).
            let at = Int(here)
            emit(.takeItem(dst: dst, place: Self.add(&takenItems, ReusedPlace(variable: source, path: [])), done: -1))
            statement(s)
            patch(at, to: here)
            return
        }
        let value: ResolvedExpr, target: VariableRef?
        switch s.kind {
        case .assign(let x, nil, _, let v): (value, target) = (v, Self.owned(x, self))
        case .expression(let v): (value, target) = (v, nil)
        case .assign, .pathAssign, .function, .ifElse, .block, .forIn, .whileLoop, .breakLoop, .continueLoop, .returnValue:
            return statement(s)
        }
        var reads: [Place: Int] = [:]
        value.forEachRead { place, _ in reads[place, default: 0] += 1 }
        func isTarget(_ v: VariableRef) -> Bool { target.map { Self.isVariable($0, v) } ?? false }
        var taken: [SourceRange: ReusedPlace] = [:], also: [SourceRange: [ReusedPlace]] = [:]
        value.forEachNode { node in
            guard let first = Self.updatedOperand(node) else { return true }
            // A call may take every variable it passes (`r = f(a, b)`: a and b), the first as
            // its `reusing` (a built-in's growing entry looks there), the others for a closure's
            // frame (CallOperands.alsoLent).
            var places: [ReusedPlace] = []
            var operands = [first]
            if case .call(_, let positional, _, _) = node.kind { operands = positional }
            for (k, operand) in operands.enumerated() {
                // A variable read once here that nothing reads after the call: one the block
                // assigns again before reading it, one no code after reads (`a = f(lo, acc);
                // return f(hi, a)`), or the statement's own target passed to a call inside its
                // value (`acc = append(append(acc, k), k)`; at the value's root, `assign`
                // lends it).
                if case .read(let p, _) = operand.kind, let v = owned(p), reads[p] == 1,
                   isTarget(v) ? node.range != value.range : Self.assignedBeforeRead(v, later) || isDead(v),
                   let place = Self.reused(v, node) {
                    places.append(place)
                } else if k == 0, let (source, key, place) = itemRead(operand), !isTarget(source),
                          reads[Self.place(of: source)] == 1, Self.itemWrittenBeforeRead(source, key, later) {
                    // `ys = append(s.xs, i)` with `s.xs = ys` to come: the call takes the item.
                    places.append(place)
                }
            }
            if let place = places.first {
                taken[node.range] = place
                if places.count > 1 { also[node.range] = Array(places.dropFirst()) }
            }
            return true
        }
        guard !taken.isEmpty else { return statement(s) }
        let outer = (takenCalls, lending.also, takenRelease)
        (takenCalls, lending.also) = (taken, also)
        if let target, reads[Self.place(of: target)] == nil, let r = Self.register(of: target) { takenRelease = r }
        statement(s)
        (takenCalls, lending.also, takenRelease) = outer
    }

    /// Whether no code after the statement being compiled reads local v (readAfter), out of a
    /// loop (whose next iteration may).
    private func isDead(_ v: VariableRef) -> Bool {
        guard case .local(let slot) = v, let after = readAfter, openLoops.isEmpty else { return false }
        return !after.contains(slot)
    }

    /// Whether a top-level statement may lend a global (Lending.globals).
    private var lendsAtTopLevel: Bool { !inFunction && lending.globals != nil }

    /// The variable a read names when only the code being compiled reads it, and an error
    /// discards its value: a function's local; at the top level of a run an error ends, a global
    /// no function names (Lending.globals). Its value may be let go of before the code is done
    /// with the variable, when the code assigns it again first.
    private func owned(_ p: Place) -> VariableRef? {
        switch p {
        case .local(let slot): return inFunction ? .local(slot) : nil
        case .global(let g): return !inFunction && lending.globals?(g) == true ? .global(g) : nil
        case .cell, .capture: return nil
        }
    }

    private static func owned(_ v: VariableRef, _ c: ChunkCompiler) -> VariableRef? { c.owned(place(of: v)) }

    private static func place(of v: VariableRef) -> Place {
        switch v {
        case .local(let slot): return .local(slot)
        case .cell(let i): return .cell(i)
        case .global(let g): return .global(g)
        }
    }

    /// A variable as an instruction's operand: a local's register, or `-1 - g` for global g;
    /// nil for a cell.
    private static func register(of v: VariableRef) -> Int32? {
        switch v {
        case .local(let slot): return Int32(slot)
        case .global(let g): return -1 - Int32(g)
        case .cell: return nil
        }
    }

    /// How far the scans of the statements to come look (an answer past it is "no"): every
    /// statement's call may ask, so an unbounded scan made a function of 6,000 statements take
    /// 1.9 s to compile, not 0.07; the new value comes within a few statements where it comes.
    private static let lookAhead = 32

    /// `s.a`, `s["a"]`, `s[0]` of a variable s the code owns: s, the key and the place of that item.
    private func itemRead(_ e: ResolvedExpr) -> (VariableRef, Value, ReusedPlace)? {
        switch e.kind {
        case .member(let base, let name, _):
            guard case .read(let p, _) = base.kind, let s = owned(p) else { return nil }
            return (s, .string(name), ReusedPlace(variable: s, path: [.constant(.string(name))]))
        case .index(let base, let items):
            guard case .read(let p, _) = base.kind, let s = owned(p), items.count == 1, case .single(let k) = items[0],
                  case .constant(let key) = k.kind else { return nil }
            switch key {
            case .number, .string: return (s, key, ReusedPlace(variable: s, path: [.constant(key)]))
            case .bool, .tensor, .view, .tuple, .function, .object, .null, .traced: return nil
            }
        case .constant, .read, .interpolation, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .call,
             .function:
            return nil
        }
    }

    /// Whether statements write the item `key` of s (`s.a = v`, or s whole) before anything
    /// reads s, none of them leaving the block first: take-it-out, change-it, put-it-back
    /// (`xs = s.xs; xs = append(xs, i); s.xs = xs`) copied the log at each step. Looks at most
    /// `lookAhead` statements on.
    private static func itemWrittenBeforeRead(_ s: VariableRef, _ key: Value, _ statements: ArraySlice<ResolvedStmt>) -> Bool {
        for st in statements.prefix(lookAhead) {
            switch st.kind {
            case .pathAssign(let x, _, let path, nil, let value) where isVariable(x, s) && path.count == 1 && !reads(value, s):
                switch path[0] {
                case .member(let name, _): if case .string(name) = key { return true }
                case .index(let items, _):
                    if items.count == 1, case .single(let k) = items[0], case .constant(let v) = k.kind, sameConstant(v, key) { return true }
                }
            case .assign(let x, nil, _, let value) where isVariable(x, s) && !reads(value, s):
                return true
            case .expression, .assign, .pathAssign, .function, .ifElse, .block, .forIn, .whileLoop, .breakLoop, .continueLoop,
                 .returnValue:
                break
            }
            if reads(st, s) || st.mayLeave { return false }
        }
        return false
    }

    private static func reads(_ e: ResolvedExpr, _ v: VariableRef) -> Bool {
        var found = false
        e.forEachRead { p, _ in found = found || p == place(of: v) }
        return found
    }

    private static func reads(_ st: ResolvedStmt, _ v: VariableRef) -> Bool {
        var found = false
        st.forEachRead { p, _ in found = found || p == place(of: v) }
        return found
    }

    /// Two keys written in the code that name one item: one label, or one position.
    private static func sameConstant(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string, _), (.number, _), (.bool, _), (.tensor, _), (.view, _), (.tuple, _), (.function, _), (.object, _),
             (.null, _), (.traced, _):
            return false
        }
    }

    /// Whether statements assign a variable again before any reads it, none of them leaving the
    /// block first (a `break`, `continue` or `return` on the way, the value may be read where
    /// it goes). Looks at most `lookAhead` statements on.
    private static func assignedBeforeRead(_ v: VariableRef, _ statements: ArraySlice<ResolvedStmt>) -> Bool {
        for s in statements.prefix(lookAhead) {
            if reads(s, v) || s.mayLeave { return false }
            if case .assign(let x, nil, _, _) = s.kind, isVariable(x, v) { return true }
        }
        return false
    }

    /// Lets go of the locals the value of `target[...] = value` read that nothing after reads
    /// (not the target, not those its keys read, which run after the value, and not `keep`, an
    /// operand the write reads in place): a function that threads a tuple through calls (`m =
    /// r3.memo; m[n] = r1.v + r2.v + r3.v`) then writes it in place, its other holders gone,
    /// instead of copying it at every level. Not in a loop's body, where a later iteration may
    /// read them.
    private mutating func clearDeadLocals(readBy value: ResolvedExpr, target: VariableRef, path: [ResolvedPathStep], keep: Int32) {
        guard let after = readAfter, openLoops.isEmpty else { return }
        var read = Set<Int>()
        value.addLocalsRead(to: &read)
        var live = after
        for step in path {
            switch step {
            case .index(let items, _): ResolvedExpr.addLocalsRead(of: items, to: &live)
            case .member: break
            }
        }
        if case .local(let slot) = target { live.insert(slot) }
        if keep >= 0 && keep < Int32(localCount) { live.insert(Int(keep)) }
        for slot in read.subtracting(live).sorted() { emit(.clearLocal(slot: Int32(slot))) }
    }

    private mutating func statement(_ s: ResolvedStmt) {
        let mark = nextRegister
        defer { nextRegister = mark }
        switch s.kind {
        case .expression(let e):
            _ = expression(e)
        case .assign(let target, let op, let read, let value):
            if let op, let read {
                compound(target, op: op, read: read, value: value, range: s.range)
            } else {
                assign(target, value)
            }
        case .pathAssign(let target, let read, let path, let op, let value):
            _ = pathAssign(target, read: read, path: path, op: op, value: value, range: s.range, shows: false)
        case .function(let target, let f):
            let t = temporary()
            function(f, into: t)
            store(target, t)
        case .ifElse(let condition, let body, let elseBody):
            let toElse = jumpsUnless(condition)
            let before = assigned
            block(body)
            guard let elseBody else {
                assigned = before
                for j in toElse { patch(j, to: here) }
                return
            }
            let afterBody = assigned
            let toEnd = Int(here)
            emit(.jump(to: -1))
            for j in toElse { patch(j, to: here) }
            assigned = before
            statement(elseBody)
            assigned = assigned.intersection(afterBody)
            patch(toEnd, to: here)
        case .block(let b):
            block(b)
        case .whileLoop(let condition, let body):
            let numeric = numericLoop(s)
            let top = here
            loopBody(body, top: top, exits: jumpsUnless(condition))
            if let numeric { patch(numeric, to: here) }
        case .forIn(let variable, let sequence, let body):
            forLoop(s, variable, sequence, body)
        case .breakLoop:
            openLoops[openLoops.count - 1].breaks.append(Int(here))
            emit(.jump(to: -1))
        case .continueLoop:
            openLoops[openLoops.count - 1].continueAt.append(Int(here))
            emit(.jump(to: -1))
        case .returnValue(let e):
            if let e, case .constant(let v) = e.kind {
                emit(.returnConstant(k: constant(v)))
            } else if let e, case .tuple(let elements, let labels) = e.kind, let items = Self.reusedItems(elements) {
                let t = temporary()
                tuple(elements, labels, into: t, reusing: items)
                emit(.returnValue(a: t))
            } else if let e, let slot = concatenatedLocal(e) {
                // `return s + x` of a local string: appended to where s holds it (concatenate,
                // as `s = s + x`), then returned; nothing reads s after the return. A string
                // grown by a helper (`s = add(s, x)`, s lent to it) was copied at every call.
                concatenate(.local(slot), e, Self.concatenation(.local(slot), e)!)
                emit(.returnValue(a: Int32(slot)))
            } else if let e {
                (takenCalls, lending.also) = Self.takenInReturn(e)
                emit(.returnValue(a: expression(e, reusing: returned(e))))
                (takenCalls, lending.also) = ([:], [:])
            } else {
                emit(.returnNull)
            }
        }
    }

    /// The condition of an `if` or `while` and the jumps taken when it is false, to patch. `a
    /// and b` tests each operand with its own jump (`while i < len(a) and j < len(b)`: two
    /// instructions, not six), as the operator tests them: a's truth at a's range, b only when
    /// a holds, b's truth at b's range; `a or b` the same way, b only when a does not hold.
    private mutating func jumpsUnless(_ condition: ResolvedExpr) -> [Int] {
        guard shortcuts, case .logical(let op, let a, let b) = condition.kind else { return [jumpUnless(condition)] }
        let mark = nextRegister
        switch op {
        case .and:
            let first = jumpsUnless(a)
            nextRegister = mark  // a's temporaries are dead once its jump is taken or not
            return first + jumpsUnless(b)
        case .or:
            // a true: past b, into the body (`ch == "(" or ch == "[" or ch == "{"` tests each
            // operand once, with no bool made of each: session 20's hunt r06).
            let toBody = jumpsIf(a)
            nextRegister = mark
            let toElse = jumpsUnless(b)
            for j in toBody { patch(j, to: here) }
            return toElse
        }
    }

    /// The jumps a condition takes when it is true (jumpsUnless's mirror, for the left operand
    /// of an `or`); it falls through when false. An operand's truth is tested where the `or`
    /// and `and` operators test it, with the error of one that is not a condition at its range.
    private mutating func jumpsIf(_ condition: ResolvedExpr) -> [Int] {
        if case .comparison(let op, let a, let b) = condition.kind, case .constant(.string) = b.kind, op == .equal || op == .notEqual {
            // `ch == "("` is true exactly when `ch != "("` is false: one compare-and-jump, not a
            // bool and a test. Exact: `==` and `!=` with a string give a bool for every operand
            // (another kind is unequal) and never fail.
            return [jumpUnless(ResolvedExpr(.comparison(op == .equal ? .notEqual : .equal, a, b), condition.range))]
        }
        guard case .logical(let op, let a, let b) = condition.kind else {
            emit(.jumpIfTrue(a: expression(condition), to: -1, site: range(condition.range)))
            return [Int(here) - 1]
        }
        let mark = nextRegister
        switch op {
        case .or:
            let first = jumpsIf(a)
            nextRegister = mark
            return first + jumpsIf(b)
        case .and:
            let toNext = jumpsUnless(a)
            nextRegister = mark
            let toBody = jumpsIf(b)
            for j in toNext { patch(j, to: here) }
            return toBody
        }
    }

    /// The condition of an `if` or `while` and the jump taken when it is false; returns the
    /// jump to patch. A comparison jumps itself (`while j <= n` is one instruction, not two):
    /// its operator's range is the condition's, where a result that is not a bool is reported.
    private mutating func jumpUnless(_ condition: ResolvedExpr) -> Int {
        if shortcuts, case .comparison(let op, let a, let b) = condition.kind, case .constant(let text) = b.kind, case .string = text,
           let (slot, name, nameRange) = memberOfAssignedLocal(a) {
            // `if e.op == "num"` (dispatch on a string tag): no register for the item or the text.
            let member = Self.add(&members, MemberSite(name: name, nameRange: nameRange))
            emit(.compareMemberStringJump(op, base: slot, member: member, k: constant(text), to: -1,
                                          site: Self.add(&operators, OperatorSite(range: condition.range))))
            return code.count - 1
        }
        let c = expression(condition)
        if case .comparison = condition.kind, isTemporary(c), let last = code.last {
            if case .compare(let op, let d, let a, let b, let site) = last, d == c {
                code[code.count - 1] = .compareJump(op, a: a, b: b, to: -1, site: site)
                return code.count - 1
            }
            if case .compareNumber(let op, let d, let a, let y, let site) = last, d == c {
                code[code.count - 1] = .compareNumberJump(op, a: a, y: y, to: -1, site: site)
                return code.count - 1
            }
            if case .compareNil(let equal, let d, let a, let site) = last, d == c {
                code[code.count - 1] = .compareNilJump(equal: equal, a: a, to: -1, site: site)
                return code.count - 1
            }
            if case .compareString(let op, let d, let a, let k, let site) = last, d == c {
                code[code.count - 1] = .compareStringJump(op, a: a, k: k, to: -1, site: site)
                return code.count - 1
            }
        }
        emit(.jumpIfFalse(a: c, to: -1, site: range(condition.range)))
        return Int(here) - 1
    }

    /// A loop's body, its back edge to `top` and the patching of its exits.
    private mutating func loopBody(_ body: ResolvedBlock, top: Int32, exits: [Int]) {
        let before = assigned
        openLoops.append(([], []))
        block(body)
        let open = openLoops.removeLast()
        let back = here
        emit(.loop(to: top))
        for j in open.continueAt { patch(j, to: back) }
        for j in exits + open.breaks { patch(j, to: here) }
        // The body may not run at all.
        assigned = before
    }

    /// A loop tries the numeric tier first: the jump past the loop to patch. A loop of a
    /// function does so with its locals renamed to the frame slots its code reads and writes
    /// (NumericLoop.frameSlot), so that a function the numeric code does not cover as a whole
    /// still runs its loops there; one that cannot be renamed (it reads a cell, returns, ...)
    /// is the general code's.
    private mutating func numericLoop(_ s: ResolvedStmt) -> Int? {
        var loop = s
        if inFunction {
            guard let renamed = NumericInlining.loopOfFunction(s) else { return nil }
            loop = renamed
        }
        let site = Self.add(&numericLoops, NumericLoopSite(resolved: loop, file: file, inFunction: inFunction))
        emit(.numericLoop(site: site, skip: -1))
        return Int(here) - 1
    }

    private mutating func forLoop(_ s: ResolvedStmt, _ variable: VariableRef, _ sequence: ResolvedExpr, _ body: ResolvedBlock) {
        let numeric = numericLoop(s)
        let base = temporaries(4)
        var loop = LoopSite(statement: s.range, sequence: sequence.range, variable: variable, base: base)
        switch sequence.kind {
        case .range(let lower, let upper, let inclusive):
            loop.inclusive = inclusive
            let (lt, ht) = rangeBounds(lower, upper, range: sequence.range)
            emit(.forRange(base: base, lower: lt, upper: ht, site: Int32(loops.count)))
        case .call(let callee, let positional, let callLabels, _) where callLabels.isEmpty && callee.isRead:
            if case .read(.global, _) = callee.kind {
                let c = expression(callee)
                let args = arguments(positional, [])
                loop.call = Self.add(&calls, CallOperands(positional: positional.count, labels: [], range: sequence.range,
                                                 calleeRange: callee.range, file: file, temporaryArgument: false, reusing: nil))
                emit(.forRangeCall(base: base, callee: c, args: args, site: Int32(loops.count)))
            } else {
                emit(.forSequence(base: base, a: expression(sequence), site: Int32(loops.count)))
            }
        case .constant, .interpolation, .read, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not,
             .call, .index, .member, .function:
            emit(.forSequence(base: base, a: expression(sequence), site: Int32(loops.count)))
        }
        let site = Self.add(&loops, loop)
        let top = here
        let written: Int32 = {
            switch variable {
            case .local(let slot): return Int32(slot)
            case .global(let g): return -1 - Int32(g)
            case .cell: return Chunk.noOperand
            }
        }()
        emit(.forNext(base: base, site: site, exit: -1, variable: written))
        let bodyStart = Int(here)
        let before = assigned
        if case .local(let slot) = variable { assigned.insert(slot) }
        openLoops.append(([], []))
        block(body)
        let open = openLoops.removeLast()
        loops[Int(site)].body = bodyStart..<Int(here)
        let back = here
        emit(.forLoop(base: base, site: site, to: Int32(bodyStart), variable: written))
        for j in open.continueAt { patch(j, to: back) }
        for j in [Int(top)] + open.breaks { patch(j, to: here) }
        assigned = before
        if let numeric { patch(numeric, to: here) }
    }

    /// A range's bounds, each checked (and made a number) as soon as it is computed, in
    /// temporaries of their own (the check writes the register): for `a..<b` and `for` alike.
    private mutating func rangeBounds(_ lower: ResolvedExpr, _ upper: ResolvedExpr, range r: SourceRange) -> (Int32, Int32) {
        let lo = expression(lower)
        let lt = isTemporary(lo) ? lo : copyToTemporary(lo)
        emit(.rangeBound(a: lt, site: Self.add(&bounds, BoundSite(which: "lower", range: r))))
        let hi = expression(upper)
        let ht = isTemporary(hi) ? hi : copyToTemporary(hi)
        emit(.rangeBound(a: ht, site: Self.add(&bounds, BoundSite(which: "upper", range: r))))
        return (lt, ht)
    }

    private mutating func copyToTemporary(_ r: Int32) -> Int32 {
        let t = temporary()
        emit(.copy(dst: t, src: r))
        return t
    }

    /// `x = value`: the value's last instruction writes a local's register itself.
    private mutating func assign(_ target: VariableRef, _ value: ResolvedExpr, general: Bool = false) {
        if !general, let links = Self.concatenation(target, value) {
            concatenate(target, value, links)
            return
        }
        switch target {
        case .global, .cell:
            if shortcuts, let grown = grownItem(value, of: target) {
                grownRecord(target, value, grown)
                return
            }
        case .local:
            break
        }
        let reusing = Self.reused(target, value)
        switch target {
        case .local(let slot):
            if case .tuple(let elements, let labels) = value.kind, let items = Self.reusedItems(elements, of: slot) {
                tuple(elements, labels, into: Int32(slot), reusing: items)
            } else if writesOnce(value) {
                _ = expression(value, into: Int32(slot), reusing: reusing)
            } else {
                let t = expression(value, reusing: reusing)
                emit(.storeLocal(slot: Int32(slot), src: t))
            }
            assigned.insert(slot)
        case .global(let g) where writesGlobal(value):
            expression(value, into: -1 - Int32(g))
        case .cell, .global:
            let t = expression(value, reusing: reusing)
            store(target, isTemporary(t) ? t : copyToTemporary(t))
        }
    }

    /// The local s of a returned `s + e1 + e2 ...` in a function, when no piece reads s.
    private func concatenatedLocal(_ e: ResolvedExpr) -> Int? {
        guard inFunction, shortcuts, case .binary(.add, _, _) = e.kind else { return nil }
        var left = e
        while case .binary(.add, let a, _) = left.kind { left = a }
        guard case .read(.local(let slot), _) = left.kind, let links = Self.concatenation(.local(slot), e),
              !links.contains(where: { Self.reads($0.piece, .local(slot)) }) else { return nil }
        return slot
    }

    /// `x = x + e1 + e2 ...` (each `+` on the left of the next, the leftmost operand x read
    /// itself): the pieces e1, e2, ... with the range of the `+` each one ends.
    private static func concatenation(_ target: VariableRef, _ value: ResolvedExpr) -> [(piece: ResolvedExpr, range: SourceRange)]? {
        var links: [(piece: ResolvedExpr, range: SourceRange)] = []
        var e = value
        while case .binary(.add, let a, let b) = e.kind {
            links.append((b, e.range))
            e = a
        }
        guard !links.isEmpty, case .read(let place, _) = e.kind, Self.isVariable(target, place) else { return nil }
        return links.reversed()
    }

    /// Whether two variables are one.
    private static func isVariable(_ a: VariableRef, _ b: VariableRef) -> Bool { isVariable(a, place(of: b)) }

    /// Whether a read's place is the variable itself.
    private static func isVariable(_ target: VariableRef, _ place: Place) -> Bool {
        switch (target, place) {
        case (.local(let a), .local(let b)), (.cell(let a), .cell(let b)), (.global(let a), .global(let b)):
            return a == b
        case (.local, _), (.cell, _), (.global, _):
            return false
        }
    }

    /// `x = x + e1 + e2 ...`: when x holds a string, the pieces are computed in order, each
    /// checked as its `+` would check it (Machine.concatCheck), then appended to x's string,
    /// in place when x holds it alone (amortised, as `s += t` is; building `x + e1` first
    /// copied all of x every time); otherwise (a number, a tensor, x unbound) the general
    /// code of the assignment, compiled after. Both write x only with their last instruction.
    private mutating func concatenate(_ target: VariableRef, _ value: ResolvedExpr,
                                      _ links: [(piece: ResolvedExpr, range: SourceRange)]) {
        let first = temporaries(links.count)
        let x: Int32 = {
            switch target {
            case .local(let slot): return Int32(slot)
            case .global(let g): return -1 - Int32(g)
            case .cell: return Chunk.noOperand
            }
        }()
        // A string literal's piece is checked by the check before it (Machine.concatCheck), or
        // by its own when it comes first.
        let texts: [String?] = links.map { link in
            guard case .constant(.string(let t)) = link.piece.kind else { return nil }
            return t
        }
        let site = Self.add(&concats, ConcatSite(target: target, first: first, ranges: links.map(\.range), texts: texts))
        let start = Int(here)
        emit(.concatStart(x: x, site: site, skip: -1))
        for (k, link) in links.enumerated() {
            if texts[k] != nil && k > 0 { continue }
            if texts[k] == nil {
                let mark = nextRegister
                // Not a fusion root: an operand of `+`, as in the general code.
                expression(link.piece, into: first + Int32(k), root: false)
                nextRegister = mark
            }
            emit(.concatCheck(site: site, piece: Int32(k)))
        }
        let store = Int(here)
        emit(.concatStore(site: site, end: -1))
        patch(start, to: here)
        assign(target, value, general: true)
        patch(store, to: here)
    }

    /// The variable of `x = f(x, ...)`, whose value f may update in place (a method's tensor, an
    /// appended collection) once x lets go of it: only when the first argument is x read
    /// itself, so the value the call receives is the very one x held (CallOperands.reusing).
    /// Also of `x = x[a:b]`, a slice x's tuple may be cut to in place (IndexSite.reusing).
    /// With `path`, the steps of `x.a[k] = f(x.a[k], ...)`: the first argument must read that
    /// item of x, by the same labels and keys, each key a constant or a variable (the same one
    /// on both sides).
    private static func reused(_ target: VariableRef, _ value: ResolvedExpr, path: [ResolvedPathStep] = []) -> ReusedPlace? {
        guard let first = updatedOperand(value) else { return nil }
        if let place = reused(target, read: first, path: path) { return place }
        // `log = push(i, log)`: a function of the program takes x's value wherever x is passed
        // (enterFrame); a built-in's growing call looks at its first argument only, and finds
        // x's value is not the one passed there (Machine.lends).
        guard case .call(_, let positional, _, _) = value.kind else { return nil }
        for argument in positional.dropFirst() {
            if let place = reused(target, read: argument, path: path) { return place }
        }
        return nil
    }

    /// The place of `read` when it reads x itself (with `path`'s steps), as `reused` asks.
    private static func reused(_ target: VariableRef, read operand: ResolvedExpr, path: [ResolvedPathStep]) -> ReusedPlace? {
        var read = operand
        var keys: [ReusedPlace.Key] = []
        for step in path.reversed() {
            switch step {
            case .member(let name, _):
                guard case .member(let inner, name, _) = read.kind else { return nil }
                keys.append(.constant(.string(name)))
                read = inner
            case .index(let items, _):
                guard items.count == 1, case .single(let k) = items[0], case .index(let inner, let read2) = read.kind,
                      read2.count == 1, case .single(let k2) = read2[0], let key = stableKey(k), sameKey(key, stableKey(k2)) else {
                    return nil
                }
                keys.append(key)
                read = inner
            }
        }
        guard case .read(let place, _) = read.kind, isVariable(target, place) else { return nil }
        return ReusedPlace(variable: target, path: keys.reversed())
    }

    /// A key that reads the same wherever it is read in one statement: a number or string in the
    /// code, or a local or global variable (no expression assigns one).
    private static func stableKey(_ e: ResolvedExpr) -> ReusedPlace.Key? {
        switch e.kind {
        case .constant(let v):
            switch v {
            case .number, .string: return .constant(v)
            case .bool, .tensor, .view, .tuple, .function, .object, .null, .traced: return nil
            }
        case .read(.local(let slot), _): return .local(slot)
        case .read(.global(let slot), _): return .global(slot)
        case .binary(let op, let a, let b):
            guard op != .matmul, let x = stableKey(a), let y = stableKey(b) else { return nil }
            return .binary(op, x, y)
        case .read(.cell, _), .read(.capture, _), .interpolation, .tensor, .tuple, .unary, .comparison, .logical, .not, .range, .call,
             .index, .member, .function:
            return nil
        }
    }

    private static func sameKey(_ a: ReusedPlace.Key, _ b: ReusedPlace.Key?) -> Bool {
        switch (a, b) {
        case (.constant(.number(let x)), .constant(.number(let y))?): return x.bitPattern == y.bitPattern
        case (.constant(.string(let x)), .constant(.string(let y))?): return x == y
        case (.local(let x), .local(let y)?), (.global(let x), .global(let y)?): return x == y
        case (.binary(let op, let a, let b), .binary(let op2, let c, let d)?): return op == op2 && sameKey(a, c) && sameKey(b, d)
        case (.constant, _), (.local, _), (.global, _), (.binary, _): return false
        }
    }

    /// The operand a call (its first argument) or a slice may update in place.
    private static func updatedOperand(_ value: ResolvedExpr) -> ResolvedExpr? {
        switch value.kind {
        case .call(_, let positional, _, _):
            return positional.first
        case .index(let base, let items):
            guard items.count == 1, case .slice = items[0] else { return nil }
            return base
        case .constant, .read, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .member,
             .function, .interpolation:
            return nil
        }
    }

    /// `return append(xs, v)`, `return xs[0:k]` with xs a local: nothing reads xs after the
    /// return, so the call or slice may take its value and update it in place (a helper
    /// `fn push(t, x) { return append(t, x) }` copied t at each call).
    private func returned(_ value: ResolvedExpr) -> ReusedPlace? {
        guard case .read(.local(let slot), _)? = Self.updatedOperand(value)?.kind else { return nil }
        return Self.reused(.local(slot), value)
    }

    /// `return build(append(acc, i), i + 1, n)`: a call or slice in the returned expression that
    /// updates a local which no other part of it reads may take the local's value (nothing reads
    /// it after the return), as `return append(acc, i)` does (returned); by the call's place in
    /// the text (takenCalls, read where the call is compiled). A recursive accumulator copied its
    /// tuple at each level.
    private static func takenInReturn(_ e: ResolvedExpr) -> (taken: [SourceRange: ReusedPlace], also: [SourceRange: [ReusedPlace]]) {
        var reads: [Int: Int] = [:]
        e.forEachLocalRead { slot, _ in reads[slot, default: 0] += 1 }
        var taken: [SourceRange: ReusedPlace] = [:], also: [SourceRange: [ReusedPlace]] = [:]
        e.forEachNode { node in
            // Every argument of a call (`return collect(mid, hi, collect(lo, mid, acc))`: a
            // function of the program takes them wherever they are passed, CallOperands.alsoLent
            // beyond the first), the base of a slice.
            var operands: [ResolvedExpr] = updatedOperand(node).map { [$0] } ?? []
            if case .call(_, let positional, _, _) = node.kind { operands = positional }
            var places: [ReusedPlace] = []
            for operand in operands {
                if case .read(.local(let slot), _) = operand.kind, reads[slot] == 1, let place = reused(.local(slot), node) {
                    places.append(place)
                }
            }
            if let place = places.first {
                taken[node.range] = place
                if places.count > 1 { also[node.range] = Array(places.dropFirst()) }
            }
            return true
        }
        return (taken, also)
    }

    /// `x = (xs: append(x.xs, i), n: x.n + 1)` with x a local, or `return (xs: append(s.xs, i),
    /// ...)`: a record rebuilt from its own items, each element that updates an item of the
    /// local (`slot`, or any local for a return) with the place it may take that item from
    /// (nil for the others), or nil when none may. An element may take `x.a...` when no later
    /// element reads x but through another label (`x.n`): the item leaves x (nil in its stead)
    /// as the element runs, and x is read no more before the tuple replaces it or the frame
    /// ends; an error half way ends the frame, which alone holds x. A state record threaded
    /// through a loop (`s = step(s, i)`) copied its log at each step.
    private static func reusedItems(_ elements: [ResolvedExpr], of slot: Int? = nil) -> [ReusedPlace?]? {
        var items: [ReusedPlace?] = []
        var any = false
        for (k, e) in elements.enumerated() {
            guard let (variable, key, keys) = itemPlace(e), case .local(let local) = variable, slot == nil || slot == local else {
                items.append(nil)
                continue
            }
            let place = ReusedPlace(variable: .local(local), path: keys)
            var readLater = false
            for later in elements[(k + 1)...] {
                later.forEachLocalRead { s, item in
                    if s == local && Self.maySameItem(key, item) { readLater = true }
                }
            }
            items.append(readLater ? nil : place)
            any = any || !readLater
        }
        return any ? items : nil
    }

    /// The item an element's call or slice updates when it is an item of a variable reached
    /// first through a label or a constant index (`x.a`, `x["a"]`, `p[0]`, `x.a[k]`: the
    /// variable, that first key and the keys from x down).
    private static func itemPlace(_ e: ResolvedExpr) -> (Place, Value, [ReusedPlace.Key])? {
        guard var read = updatedOperand(e) else { return nil }
        var keys: [ReusedPlace.Key] = []
        while true {
            switch read.kind {
            case .member(let inner, let name, _):
                keys.append(.constant(.string(name)))
                if case .read(let place, _) = inner.kind { return (place, .string(name), keys.reversed()) }
                read = inner
            case .index(let inner, let items):
                guard items.count == 1, case .single(let k) = items[0], let key = stableKey(k) else { return nil }
                keys.append(key)
                if case .read(let place, _) = inner.kind {
                    guard case .constant(let first) = key else { return nil }
                    return (place, first, keys.reversed())
                }
                read = inner
            case .constant, .read, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .call,
                 .function, .interpolation:
                return nil
            }
        }
    }

    /// Whether a read by `item` (nil: the whole value, or by a key computed) may reach the item a
    /// constant `key` names: one label (a string index names a label too), or positions that
    /// may meet (equal, or one from each end, whose meeting depends on the length).
    private static func maySameItem(_ key: Value, _ item: Value?) -> Bool {
        switch (key, item) {
        case (.string(let a), .string(let b)?): return a == b
        case (.number(let a), .number(let b)?):
            guard a == a.rounded(), b == b.rounded(), (a < 0) == (b < 0) else { return true }
            return a == b
        case (_, nil), (.string, _), (.number, _), (.bool, _), (.tensor, _), (.view, _), (.tuple, _), (.function, _), (.object, _),
             (.null, _), (.traced, _):
            return true
        }
    }

    /// `s = (xs: append(s.xs, v), n: s.n + 1)` with s a global or a cell: the first element whose
    /// call may grow an item of s (`k`, its call's parts and the place: grownRecord).
    private struct GrownItem {
        let k: Int
        let call: ResolvedExpr
        let callee: ResolvedExpr
        let item: ResolvedExpr
        let value: ResolvedExpr
        let place: ReusedPlace
    }

    private func grownItem(_ value: ResolvedExpr, of target: VariableRef) -> GrownItem? {
        guard case .tuple(let elements, _) = value.kind else { return nil }
        for (k, e) in elements.enumerated() {
            guard case .call(let callee, let positional, let labels, let labelled) = e.kind, labels.isEmpty, labelled.isEmpty,
                  positional.count == 2, let (variable, _, keys) = Self.itemPlace(e), Self.isVariable(target, variable) else {
                continue
            }
            return GrownItem(k: k, call: e, callee: callee, item: positional[0], value: positional[1],
                             place: ReusedPlace(variable: target, path: keys))
        }
        return nil
    }

    /// `s = (xs: append(s.xs, v), n: s.n + 1)` with s a global or a cell, which the REPL keeps
    /// after an error, so the item may not leave s before the tuple replaces it (a local's may:
    /// reusedItems). When the call cannot fail (the built-in `append` and a tuple to grow:
    /// `growableItem`, checked once its arguments are computed), it runs after the later
    /// elements, taking the item from s and growing it in place: nothing the program can see
    /// changes, since the call acts on nothing else and no expression assigns a variable (a
    /// later element that reads the item shares it, and the call copies it), and an error in a
    /// later element leaves s as it was. Otherwise the elements run in order, the call copying
    /// the item. A training history kept in a record at the top level copied its log each step.
    private mutating func grownRecord(_ target: VariableRef, _ value: ResolvedExpr, _ g: GrownItem) {
        guard case .tuple(let elements, let tupleLabels) = value.kind else { return }
        let first = temporaries(elements.count)
        for j in 0..<g.k { expression(elements[j], into: first + Int32(j)) }
        // The call's callee checked, then its arguments, in the program's order.
        let (calleeOperand, calleeRead) = g.callee.isGlobalRead ? callOperand(g.callee) : (nil, nil)
        var c = Chunk.noOperand
        if case .global(let slot)? = calleeOperand { c = -1 - slot } else { c = expression(g.callee) }
        let args = temporaries(2)
        func site(_ reusing: ReusedPlace?) -> Int32 {
            Self.add(&calls, CallOperands(positional: 2, labels: [], range: g.call.range, calleeRange: g.callee.range, file: file,
                                          temporaryArgument: false, reusing: reusing, operands: [.register(args), .register(args + 1)],
                                          operandReads: [nil, nil], callee: calleeOperand, calleeRead: calleeRead))
        }
        let inOrder = site(nil)
        emit(.checkCallable(a: c, site: inOrder))
        expression(g.item, into: args)
        expression(g.value, into: args + 1)
        let check = Int(here)
        emit(.growableItem(callee: c, item: args, otherwise: -1))
        let later = (g.k + 1)..<elements.count
        for j in later { expression(elements[j], into: first + Int32(j)) }
        emit(.callGrowing(dst: first + Int32(g.k), callee: c, args: args, site: site(g.place)))
        let done = Int(here)
        emit(.jump(to: -1))
        patch(check, to: here)
        emit(.callWith(dst: first + Int32(g.k), callee: c, args: args, site: inOrder))
        for j in later { expression(elements[j], into: first + Int32(j)) }
        patch(done, to: here)
        switch target {
        case .global(let slot):
            emit(.tuple(dst: -1 - Int32(slot), first: first, count: Int32(elements.count), labels: Self.add(&labels, tupleLabels)))
        case .local, .cell:
            let t = temporary()
            emit(.tuple(dst: t, first: first, count: Int32(elements.count), labels: Self.add(&labels, tupleLabels)))
            store(target, t)
        }
    }

    /// Whether an expression's only write to its destination is its last instruction (else it
    /// is built in a temporary: an error half way must leave the variable as it was).
    private func writesOnce(_ e: ResolvedExpr) -> Bool {
        switch e.kind {
        case .logical, .interpolation: return false
        case .constant, .read, .tensor, .tuple, .unary, .binary, .comparison, .not, .range, .call, .index, .member,
             .function:
            return true
        }
    }

    /// Whether the expression's last instruction can write a global itself (an operator's
    /// destination `-1 - slot`).
    private func writesGlobal(_ e: ResolvedExpr) -> Bool {
        switch e.kind {
        case .binary(let op, _, _): return op != .matmul
        case .comparison, .tuple: return true
        case .constant, .read, .interpolation, .tensor, .unary, .logical, .not, .range, .call, .index, .member,
             .function:
            return false
        }
    }

    private mutating func store(_ target: VariableRef, _ t: Int32) {
        switch target {
        case .local(let slot):
            emit(.storeLocal(slot: Int32(slot), src: t))
            assigned.insert(slot)
        case .cell(let i): emit(.storeCell(cell: Int32(i), src: t))
        case .global(let g): emit(.storeGlobal(slot: Int32(g), src: t))
        }
    }

    /// Reads a variable into `t` (with the checks of a read).
    private mutating func read(_ target: VariableRef, into t: Int32, name: String, range r: SourceRange) {
        let site = Self.add(&reads, ReadSite(name: name, range: r))
        switch target {
        case .local(let slot): emit(.readLocal(dst: t, src: Int32(slot), site: site))
        case .cell(let i): emit(.readCell(dst: t, cell: Int32(i), site: site))
        case .global(let g): emit(.readGlobal(dst: t, slot: Int32(g), site: site))
        }
    }

    /// `x op= value`.
    private mutating func compound(_ target: VariableRef, op: BinaryOperator, read: ResolvedExpr, value: ResolvedExpr,
                                   range r: SourceRange) {
        // A fused right side may be combined straight into x's buffer (Fusion.swift); the
        // right side's own code shares its fusion site.
        var fusion: Int32 = -1
        var skip: Int?
        if let plan = fusionPlan(value) {
            fusion = Self.add(&fusions, FusionSite(plan: plan))
        }
        // x's own register when x is a definitely assigned local, else a copy read after the
        // fused attempt (which must find x's buffer held by x alone).
        // A global is read in its slot by the instruction itself (`j += i` at the top level is
        // one instruction, not three) when the right side runs nothing first, so x is still read
        // before it; its right side too, when that is a global.
        var direct: Int32? = { if case .local(let slot) = target, assigned.contains(slot) { return Int32(slot) } else { return nil } }()
        var oldRead: Int32 = -1, rightRead: Int32 = -1
        if case .global(let g) = target, case .read(_, let name) = read.kind, readsNothingFirst(value) {
            direct = -1 - Int32(g)
            oldRead = Self.add(&reads, ReadSite(name: name, range: read.range))
        }
        let site = Self.add(&compounds, CompoundSite(target: target, op: op, range: r, oldIsCopy: direct == nil, fusion: fusion))
        if fusion >= 0 {
            skip = Int(here)
            emit(.fusedCompound(site: site, skip: -1))
        }
        let old = direct ?? expression(read)
        if shortcuts, fusion < 0, case .constant(.number(let y)) = value.kind {
            compounds[Int(site)].oldRead = oldRead
            emit(.compoundNumber(old: old, y: y, site: site))
            if case .local(let slot) = target { assigned.insert(slot) }
            return
        }
        let b: Int32
        if let d = direct, d < 0, case .read(.global(let g), let name) = value.kind {
            b = -1 - Int32(g)
            rightRead = Self.add(&reads, ReadSite(name: name, range: value.range))
        } else {
            b = expression(value, fusion: fusion)
        }
        compounds[Int(site)].oldRead = oldRead
        compounds[Int(site)].rightRead = rightRead
        emit(.compound(old: old, b: b, site: site))
        if let skip { patch(skip, to: here) }
        if case .local(let slot) = target { assigned.insert(slot) }
    }

    /// `x[...] = value` and friends; returns the register of the value the REPL shows (`shows`:
    /// whether it does, else an element write leaves it out).
    private mutating func pathAssign(_ target: VariableRef, read: ResolvedExpr, path: [ResolvedPathStep],
                                     op: BinaryOperator?, value: ResolvedExpr, range r: SourceRange, shows: Bool) -> Int32 {
        let dst = temporary()
        if path.count == 1, case .index(let items, _) = path[0], let keys = singles(items), keys.count <= 2,
           case .read(_, let name) = read.kind {
            // `t[i] = v`, `C[i, j] += s`: the value and the keys as an operator's operands. The
            // value is a global read in its slot only when the keys run nothing first (it is
            // read before them), a local in its register (keys cannot assign a local).
            let site = ElementWriteSite(target: target, read: ReadSite(name: name, range: read.range), op: op,
                                        keyReads: [nil, nil], range: r)
            // The variable's register or global operand, for the in-place write of a number.
            let written: Int32 = {
                guard op == nil else { return Chunk.noOperand }
                switch target {
                case .local(let slot): return Int32(slot)
                case .global(let g): return -1 - Int32(g)
                case .cell: return Chunk.noOperand
                }
            }()
            if case .constant(.number(let x)) = value.kind, !shows, written != Chunk.noOperand {
                // `flags[j] = 1`: the number in the instruction.
                let i = operand(keys[0], &site.keyReads[0], before: keys.count == 2 ? keys[1] : nil)
                let j = keys.count == 2 ? operand(keys[1], &site.keyReads[1]) : Chunk.noOperand
                emit(.setElementNumber(x: x, i: i, j: j, target: written, site: Self.add(&elementWrites, site)))
                return dst
            }
            var valueRead: ReadSite?
            // `buckets[k] = append(buckets[k], x)`: the call may grow the item in place.
            let reusing = op == nil ? Self.reused(target, value, path: path) : nil
            let rv = reusing != nil ? expression(value, reusing: reusing)
                : keys.allSatisfy(readsNothingFirst) ? operand(value, &valueRead) : expression(value)
            site.valueRead = valueRead
            clearDeadLocals(readBy: value, target: target, path: path, keep: rv)
            let shifted = keys.count == 1 && !shows && written != Chunk.noOperand ? shiftedKey(keys[0]) : nil
            let skip = Int(here)
            if let (r, k) = shifted { emit(.setElementShifted(value: rv, target: written, i: r, k: k, skip: -1)) }
            let i = operand(keys[0], &site.keyReads[0], before: keys.count == 2 ? keys[1] : nil)
            let j = keys.count == 2 ? operand(keys[1], &site.keyReads[1]) : Chunk.noOperand
            emit(.setElement(dst: shows ? dst : Chunk.noOperand, value: rv, i: i, j: j, target: written,
                             site: Self.add(&elementWrites, site)))
            if shifted != nil { patch(skip, to: here) }
            return dst
        }
        // `hist.loss = append(hist.loss, l)`: the call may grow the item in place.
        let reusing = op == nil ? Self.reused(target, value, path: path) : nil
        let v = expression(value, reusing: reusing)
        let rv = isTemporary(v) ? v : copyToTemporary(v)
        clearDeadLocals(readBy: value, target: target, path: path, keep: rv)
        // The keys of every index step, in order, in one block of registers.
        var layouts: [(items: [ResolvedIndexItem], range: SourceRange)] = []
        for step in path {
            if case .index(let items, let range) = step { layouts.append((items, range)) }
        }
        let keyCount = layouts.reduce(0) { $0 + registersFor($1.items) }
        let keys = temporaries(keyCount)
        var offset: Int32 = 0
        var steps: [PathStepKind] = []
        for step in path {
            switch step {
            case .index(let items, let range):
                let site = indexSite(items, range: range, first: keys + offset)
                steps.append(.index(site, offset))
                offset += Int32(registersFor(items))
            case .member(let name, _):
                steps.append(.member(name))
            }
        }
        let readSite: ReadSite
        if case .read(_, let name) = read.kind { readSite = ReadSite(name: name, range: read.range) } else {
            readSite = ReadSite(name: "", range: read.range)
        }
        let site = Self.add(&paths, PathSite(target: target, read: readSite, steps: steps, op: op, range: r))
        // The value shown only where the REPL shows it: a register kept holding it would share
        // the item written (`hist.loss = append(hist.loss, l)` copied the log at each append).
        emit(.pathAssign(dst: shows ? dst : Chunk.noOperand, value: rv, keys: keys, site: site))
        return dst
    }

    // MARK: expressions

    /// The register holding the value of `e`: `into` when given (written by the last
    /// instruction only), else a temporary, or a definitely assigned local's own register.
    /// `root` says whether an arithmetic expression here may fuse (an operand of arithmetic
    /// belongs to its root's plan instead); `fusion` is the fusion site a compound assignment
    /// shares with its right side (-1: none), or -2 to decide here. `reusing` is the place
    /// `x = m(x, ...)` or `x.a = m(x.a, ...)` assigns, which the call may let go of
    /// (CallOperands.reusing).
    @discardableResult
    private mutating func expression(_ e: ResolvedExpr, into: Int32? = nil, root: Bool = true, fusion: Int32 = -2,
                                     reusing: ReusedPlace? = nil) -> Int32 {
        switch e.kind {
        case .constant(let v):
            let d = into ?? temporary()
            emit(.constant(dst: d, index: constant(v)))
            return d
        case .read(let place, let name):
            return readPlace(place, name: name, range: e.range, into: into)
        case .interpolation(let parts):
            // Built where it goes when that is a temporary (an argument's register), which no
            // piece reads; a local's register may be read by a piece (`s = "\(s)!"`), so the
            // string is built apart and copied there.
            let d = into.map(isTemporary) == true ? into.unsafelyUnwrapped : temporary()
            var text = ""
            var k = 0
            while k < parts.count, case .text(let t) = parts[k] {
                text += t
                k += 1
            }
            emit(.constant(dst: d, index: constant(.string(text))))
            // The text's bytes, 16 per value (a number's text or a formatted one), one for the
            // newline print adds; only when the string is bound to leave the inline form
            // (15 bytes) with 8 bytes a value: a short piece (`"\(i),"` appended to a line)
            // stays inline, unallocated.
            var textBytes = 0, values = 0
            for part in parts {
                switch part {
                case .text(let t): textBytes += t.utf8.count
                case .value: values += 1
                }
            }
            let reserve = textBytes + 8 * values > 15 ? textBytes + 16 * values + 1 : 0
            while k < parts.count {
                guard case .value(let x) = parts[k] else { k += 1; continue }
                k += 1
                var following = ""
                while k < parts.count, case .text(let t) = parts[k] {
                    following += t
                    k += 1
                }
                let mark = nextRegister
                let r = expression(x)
                let piece = PieceSite(range: x.range, text: following, reserve: reserve)
                emit(.appendPiece(dst: d, a: r, site: Self.add(&pieces, piece)))
                nextRegister = mark
            }
            return d == into ? d : deliver(d, into: into)
        case .tensor(let elements):
            let d = into ?? temporary()
            let first = elementsInto(elements)
            emit(.tensor(dst: d, first: first, count: Int32(elements.count), site: range(e.range)))
            return d
        case .tuple(let elements, let tupleLabels):
            let d = into ?? temporary()
            // (Not into a global: the tuple instruction writes one itself, `constant` does not.)
            if shortcuts, d >= 0, let v = Self.written(e) {
                emit(.constant(dst: d, index: constant(v)))
                return d
            }
            tuple(elements, tupleLabels, into: d)
            return d
        case .unary(let op, let x):
            let d = into ?? temporary()
            let r = expression(x, root: false)
            let site = Self.add(&operators, OperatorSite(range: e.range, reuseLeft: isTemporary(r) && yieldsTemporary(x)))
            emit(.unary(op, dst: d, a: r, site: site))
            return d
        case .binary(.matmul, let a, let b):
            let d = into ?? temporary()
            let ra = expression(a), rb = expression(b)
            emit(.matmul(dst: d, a: ra, b: rb, site: range(e.range)))
            return d
        case .binary(let op, let a, let b):
            let d = into ?? temporary()
            // The fusion site: given by a compound assignment that shares it, or made here for a root.
            var site = fusion
            if site == -2 {
                site = -1
                if root, let plan = fusionPlan(e) { site = Self.add(&fusions, FusionSite(plan: plan)) }
            }
            var skip: Int?
            if site >= 0 {
                skip = Int(here)
                emit(.fused(dst: d, site: site, skip: -1))
            }
            let s = OperatorSite(range: e.range, fusion: site)
            if case .constant(.number(let x)) = a.kind, !isNumberConstant(b) {
                let rb = operand(b, &s.rightRead, root: false)
                s.reuseRight = isTemporary(rb) && yieldsTemporary(b)
                emit(.numberBinary(op, dst: d, x: x, b: rb, site: Self.add(&operators, s)))
            } else if case .constant(.number(let y)) = b.kind {
                let ra = operand(a, &s.leftRead, root: false)
                s.reuseLeft = isTemporary(ra) && yieldsTemporary(a)
                emit(.binaryNumber(op, dst: d, a: ra, y: y, site: Self.add(&operators, s)))
            } else {
                let ra = operand(a, &s.leftRead, root: false, before: b)
                let rb = operand(b, &s.rightRead, root: false)
                s.reuseLeft = isTemporary(ra) && yieldsTemporary(a)
                s.reuseRight = isTemporary(rb) && yieldsTemporary(b)
                emit(.binary(op, dst: d, a: ra, b: rb, site: Self.add(&operators, s)))
            }
            if let skip { patch(skip, to: here) }
            return d
        case .comparison(let op, let a, let b):
            let d = into ?? temporary()
            let s = OperatorSite(range: e.range)
            if case .constant(.number(let y)) = b.kind {
                let ra = operand(a, &s.leftRead)
                emit(.compareNumber(op, dst: d, a: ra, y: y, site: Self.add(&operators, s)))
            } else if case .constant(.null) = b.kind, op == .equal || op == .notEqual {
                let ra = operand(a, &s.leftRead)
                emit(.compareNil(equal: op == .equal, dst: d, a: ra, site: Self.add(&operators, s)))
            } else if shortcuts, case .constant(let text) = b.kind, case .string = text {
                let ra = operand(a, &s.leftRead)
                emit(.compareString(op, dst: d, a: ra, k: constant(text), site: Self.add(&operators, s)))
            } else {
                let ra = operand(a, &s.leftRead, before: b)
                let rb = operand(b, &s.rightRead)
                emit(.compare(op, dst: d, a: ra, b: rb, site: Self.add(&operators, s)))
            }
            return d
        case .logical(let op, let a, let b):
            let d = temporary()
            emit(.truth(dst: d, a: expression(a), site: range(a.range)))
            let jump = Int(here)
            switch op {
            case .and: emit(.jumpIfFalse(a: d, to: -1, site: range(a.range)))
            case .or: emit(.jumpIfTrue(a: d, to: -1, site: range(a.range)))
            }
            let mark = nextRegister
            emit(.truth(dst: d, a: expression(b), site: range(b.range)))
            nextRegister = mark
            patch(jump, to: here)
            return deliver(d, into: into)
        case .not(let x):
            let d = into ?? temporary()
            emit(.not(dst: d, a: expression(x), site: range(x.range)))
            return d
        case .range(let lower, let upper, let inclusive):
            let d = into ?? temporary()
            let (lt, ht) = rangeBounds(lower, upper, range: e.range)
            emit(.rangeTensor(dst: d, a: lt, b: ht, site: Self.add(&bounds, BoundSite(which: "", range: e.range, inclusive: inclusive))))
            return d
        case .call(let callee, let positional, let callLabels, let labelled):
            return call(e, callee, positional, callLabels, labelled, into: into, reusing: reusing)
        case .index(let base, let items):
            let d = into ?? temporary()
            if let keys = singles(items), keys.count <= 2 {
                // The base read in place only when the keys run nothing first (reads in order).
                var site = ElementSite(range: e.range, baseRead: nil, keyReads: [nil, nil])
                if keys.count == 1, case .constant(.string(let name)) = keys[0].kind {
                    // `t["lr"]`: no register for the key; the label's position cached as `t.lr`'s.
                    let b = operand(base, &site.baseRead)
                    let label = Self.add(&members, MemberSite(name: name, nameRange: keys[0].range))
                    emit(.elementLabel(dst: d, base: b, label: label, site: Self.add(&elements, site)))
                    return d
                }
                let b = keys.allSatisfy(readsNothingFirst) ? operand(base, &site.baseRead) : expression(base)
                let shifted = keys.count == 1 ? shiftedKey(keys[0]) : nil
                let skip = Int(here)
                if let (r, k) = shifted { emit(.elementShifted(dst: d, base: b, i: r, k: k, skip: -1)) }
                let i = operand(keys[0], &site.keyReads[0], before: keys.count == 2 ? keys[1] : nil)
                let j = keys.count == 2 ? operand(keys[1], &site.keyReads[1]) : Chunk.noOperand
                emit(.element(dst: d, base: b, i: i, j: j, site: Self.add(&elements, site)))
                if shifted != nil { patch(skip, to: here) }
                return d
            }
            let b = expression(base)
            let keys = temporaries(registersFor(items))
            let site = indexSite(items, range: e.range, first: keys, reusing: reusing ?? takenCalls[e.range])
            emit(.index(dst: d, base: b, keys: keys, site: Self.add(&indexes, site)))
            return d
        case .member(let base, let name, let nameRange):
            let d = into ?? temporary()
            let site = Self.add(&members, MemberSite(name: name, nameRange: nameRange))
            if case .read(.global(let g), let global) = base.kind {
                members[Int(site)].global = ReadSite(name: global, range: base.range)
                emit(.memberOfGlobal(dst: d, slot: Int32(g), site: site))
                return d
            }
            let b = expression(base)
            emit(.member(dst: d, base: b, site: site))
            return d
        case .function(let f):
            let d = into ?? temporary()
            function(f, into: d)
            return d
        }
    }

    /// A call: with its operands read in place where it can be (callReadingOperands), else its
    /// callee and arguments into registers. Apart from `expression`, whose frame every level
    /// of a nested expression holds (a chain of 50,000 operators in a debug build's 1 GiB).
    @inline(never)
    private mutating func call(_ e: ResolvedExpr, _ callee: ResolvedExpr, _ positional: [ResolvedExpr], _ callLabels: [String],
                               _ labelled: [ResolvedExpr], into: Int32?, reusing: ReusedPlace?) -> Int32 {
        let d = into ?? temporary()
        let taken = takenCalls[e.range]
        let reusing = reusing ?? taken
        let releases = taken != nil ? takenRelease : Chunk.noOperand
        let lends = lendsGlobal(reusing)
        let also = lending.also[e.range] ?? []
        if labelled.isEmpty,
           let r = callReadingOperands(e, callee, positional, into: d, reusing: reusing, releases: releases, lendsGlobal: lends,
                                       alsoLent: also) {
            return r
        }
        let c = expression(callee)
        let site = Self.add(&calls, CallOperands(positional: positional.count, labels: callLabels, range: e.range,
                                                 calleeRange: callee.range, file: file,
                                                 temporaryArgument: positional.count == 1 && labelled.isEmpty && yieldsTemporary(positional[0]),
                                                 reusing: reusing, releases: releases, lendsGlobal: lends, alsoLent: also))
        // A callee that is not callable fails before its arguments run; arguments that can
        // neither fail nor act (literals, assigned locals) need no check before them.
        if !(positional + labelled).allSatisfy(runsNothing) { emit(.checkCallable(a: c, site: site)) }
        let args = arguments(positional, labelled)
        emit(.call(dst: d, callee: c, args: args, site: site))
        return d
    }

    /// A call with positional arguments that reads its callee and arguments itself where they
    /// are variables (`callWith`): a local in its register, a cell, a capture, a global in its
    /// slot. A variable is read in place only when every argument after it is a variable or a
    /// literal (so nothing runs between where the language reads it and the call, and reads keep
    /// their order); the callee only when every argument is. Other arguments are computed into
    /// their registers as `call`'s are. Nil when nothing would be read in place.
    private mutating func callReadingOperands(_ e: ResolvedExpr, _ callee: ResolvedExpr, _ positional: [ResolvedExpr],
                                              into d: Int32, reusing: ReusedPlace?, releases: Int32 = Chunk.noOperand,
                                              lendsGlobal: Bool = false, alsoLent: [ReusedPlace] = []) -> Int32? {
        var inPlace = [Bool](repeating: false, count: positional.count)
        var laterAreReads = true
        for k in positional.indices.reversed() {
            let isRead = positional[k].isRead || memberOfAssignedLocal(positional[k]) != nil
                || arithmeticOfAssignedLocal(positional[k]) != nil
            // An assigned local's register changes only by its own assignments, never while
            // other arguments run: read in place whatever follows (`pts = append(pts, (x: a, y: b))`
            // then grows pts's own value). Its member, or an operator on it, may fail, so it
            // waits for its turn as any read that may fail does.
            inPlace[k] = isRead && (laterAreReads || isAssignedLocal(positional[k]))
            laterAreReads = laterAreReads && (isRead || runsNothing(positional[k]))
        }
        // A global callee is read in place whatever the arguments run: nothing an argument runs
        // can assign a global (a function's assignments make locals, and assignment is no
        // expression), and its check before them (checkCallable in its slot) keeps the errors'
        // order.
        let calleeInPlace = (laterAreReads && callee.isRead) || callee.isGlobalRead
        guard calleeInPlace || inPlace.contains(true) else { return nil }
        var c = Chunk.noOperand
        var calleeOperand: CallOperand?
        var calleeRead: ReadSite?
        if calleeInPlace {
            (calleeOperand, calleeRead) = callOperand(callee)
            if case .global(let g)? = calleeOperand { c = -1 - g }
        } else {
            c = expression(callee)
        }
        // The callee is checked before the arguments computed by instructions run; those read in
        // place are read by the call after its own check.
        let check = !positional.indices.allSatisfy({ inPlace[$0] || runsNothing(positional[$0]) })
        let checkAt = Int(here)
        if check { emit(.checkCallable(a: c, site: -1)) }
        let first = temporaries(positional.count)
        var operands: [CallOperand] = [], reads: [ReadSite?] = [], memberSites: [MemberSite] = []
        var arithmetic: [CallArithmetic] = []
        for (k, x) in positional.enumerated() {
            if inPlace[k], let (slot, name, nameRange) = memberOfAssignedLocal(x) {
                operands.append(.member(slot, site: Int32(memberSites.count)))
                memberSites.append(MemberSite(name: name, nameRange: nameRange))
                reads.append(nil)
            } else if inPlace[k], let (slot, a) = arithmeticOfAssignedLocal(x) {
                operands.append(.arithmetic(slot, site: Int32(arithmetic.count)))
                arithmetic.append(a)
                reads.append(nil)
            } else if inPlace[k] {
                let (o, r) = callOperand(x)
                operands.append(o)
                reads.append(r)
            } else {
                expression(x, into: first + Int32(k), root: positional.count != 1)
                operands.append(.register(first + Int32(k)))
                reads.append(nil)
            }
        }
        let site = Self.add(&calls, CallOperands(positional: positional.count, labels: [], range: e.range,
                                                 calleeRange: callee.range, file: file,
                                                 temporaryArgument: positional.count == 1 && yieldsTemporary(positional[0]),
                                                 reusing: reusing, releases: releases, lendsGlobal: lendsGlobal,
                                                 alsoLent: alsoLent, operands: operands, operandReads: reads,
                                                 callee: calleeOperand, calleeRead: calleeRead, members: memberSites,
                                                 arithmetic: arithmetic))
        if check { code[checkAt] = .checkCallable(a: c, site: site) }
        if let reusing, positional.count == 2, Self.mayGrow(positional[0], reusing) {
            emit(.callGrowing(dst: d, callee: c, args: first, site: site))
        } else {
            emit(.callWith(dst: d, callee: c, args: first, site: site))
        }
        return d
    }

    /// Whether a built-in's growing entry may take the place from the call's first argument
    /// (`x = append(x, v)`, `s.xs = append(s.xs, v)`): not when x is passed later (`x =
    /// max(0, x)`), where callGrowing's look at the callee would be a cost for nothing.
    private static func mayGrow(_ first: ResolvedExpr, _ place: ReusedPlace) -> Bool {
        if case .read(let p, _) = first.kind { return place.path.isEmpty && isVariable(place.variable, p) }
        return !place.path.isEmpty
    }

    /// Whether the call of `x = f(x, ...)` lends global x's value to the function it calls
    /// (Lending.globals).
    private func lendsGlobal(_ reusing: ReusedPlace?) -> Bool {
        guard let reusing, case .global(let g) = reusing.variable else { return false }
        return lending.globals?(g) == true
    }

    /// A variable read by a call in place, and the read that names it in an error.
    private func callOperand(_ x: ResolvedExpr) -> (CallOperand, ReadSite?) {
        guard case .read(let place, let name) = x.kind else { return (.register(Chunk.noOperand), nil) }
        let read = ReadSite(name: name, range: x.range)
        switch place {
        case .local(let slot): return assigned.contains(slot) ? (.register(Int32(slot)), nil) : (.local(Int32(slot)), read)
        case .cell(let i): return (.cell(Int32(i)), read)
        case .capture(let i): return (.capture(Int32(i)), read)
        case .global(let g): return (.global(Int32(g)), read)
        }
    }

    /// An operator's operand: a global read in its slot by the operator itself (the operand
    /// `-1 - slot`, its read's site in `read`), else a register. A left operand is read in
    /// place only when nothing runs between it and the operator (`before`, the right operand,
    /// is a literal or a read that cannot fail first), so every read happens in the order the
    /// language says.
    private mutating func operand(_ e: ResolvedExpr, _ read: inout ReadSite?, root: Bool = true,
                                  before right: ResolvedExpr? = nil) -> Int32 {
        if case .read(.global(let g), let name) = e.kind, right.map(readsNothingFirst) ?? true {
            read = ReadSite(name: name, range: e.range)
            return -1 - Int32(g)
        }
        return expression(e, root: root)
    }

    /// `t.name` with `t` an assigned local, which a call reads itself (CallOperand.member): its
    /// register, the name and where the name is. Nil without shortcuts (a member instruction).
    private func memberOfAssignedLocal(_ e: ResolvedExpr) -> (Int32, String, SourceRange)? {
        guard shortcuts, case .member(let base, let name, let nameRange) = e.kind, isAssignedLocal(base),
              case .read(.local(let slot), _) = base.kind else { return nil }
        return (Int32(slot), name, nameRange)
    }

    /// `n - 1`, `2 * v` (an arithmetic operator, an assigned local and a number literal), which
    /// a call computes itself (CallOperand.arithmetic): the local's register and the operator.
    /// Nil without shortcuts (an operator instruction).
    private func arithmeticOfAssignedLocal(_ e: ResolvedExpr) -> (Int32, CallArithmetic)? {
        guard shortcuts, case .binary(let op, let a, let b) = e.kind, op != .matmul else { return nil }
        if isAssignedLocal(a), case .read(.local(let slot), _) = a.kind, case .constant(.number(let y)) = b.kind {
            return (Int32(slot), CallArithmetic(op: op, y: y, numberFirst: false, range: e.range))
        }
        if isAssignedLocal(b), case .read(.local(let slot), _) = b.kind, case .constant(.number(let y)) = a.kind {
            return (Int32(slot), CallArithmetic(op: op, y: y, numberFirst: true, range: e.range))
        }
        return nil
    }

    private func isAssignedLocal(_ e: ResolvedExpr) -> Bool {
        if case .read(.local(let slot), _) = e.kind { return assigned.contains(slot) }
        return false
    }

    /// A key `i + k`, `i - k` or `k + i` with `i` a variable read in place (an assigned
    /// local's register, or a global's operand) and `k` a whole constant other than 0 within
    /// Int32: the operand and the constant (negated for `-`) that `elementShifted` adds as the
    /// sum's code would (`i - k` and `i + (-k)` are the same IEEE operation, and `+` commutes).
    private func shiftedKey(_ e: ResolvedExpr) -> (Int32, Int32)? {
        guard case .binary(let op, let a, let b) = e.kind, op == .add || op == .subtract else { return nil }
        func variable(_ x: ResolvedExpr) -> Int32? {
            switch x.kind {
            case .read(.local(let slot), _): return assigned.contains(slot) ? Int32(slot) : nil
            case .read(.global(let g), _): return -1 - Int32(g)
            case .read, .constant, .interpolation, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range,
                 .call, .index, .member, .function:
                return nil
            }
        }
        func whole(_ x: ResolvedExpr) -> Int32? {
            guard case .constant(.number(let c)) = x.kind, c != 0, c == c.rounded(), Swift.abs(c) < 2_147_483_647 else { return nil }
            return Int32(c)
        }
        if let r = variable(a), let k = whole(b) { return (r, op == .add ? k : -k) }
        if op == .add, let k = whole(a), let r = variable(b) { return (r, k) }
        return nil
    }

    /// Whether evaluating the expression can neither fail nor have an effect.
    private func runsNothing(_ e: ResolvedExpr) -> Bool {
        switch e.kind {
        case .constant: return true
        case .read(.local(let slot), _): return assigned.contains(slot)
        case .read, .interpolation, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .call,
             .index, .member, .function:
            return false
        }
    }

    /// Whether an operand's code runs nothing (a literal, a global read by the operator, a
    /// local in its register).
    private func readsNothingFirst(_ e: ResolvedExpr) -> Bool {
        switch e.kind {
        case .constant, .read(.global, _): return true
        case .read(.local(let slot), _): return assigned.contains(slot)
        case .read, .interpolation, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .call,
             .index, .member, .function:
            return false
        }
    }

    /// A value built in its own register `d` (it writes more than once) given to `into`, if any.
    private mutating func deliver(_ d: Int32, into: Int32?) -> Int32 {
        guard let into else { return d }
        emit(.copy(dst: into, src: d))
        return into
    }

    private mutating func readPlace(_ place: Place, name: String, range r: SourceRange, into: Int32?) -> Int32 {
        if case .local(let slot) = place, assigned.contains(slot) {
            guard let into else { return Int32(slot) }
            if into != Int32(slot) { emit(.copy(dst: into, src: Int32(slot))) }
            return into
        }
        let d = into ?? temporary()
        let site = Self.add(&reads, ReadSite(name: name, range: r))
        switch place {
        case .local(let slot): emit(.readLocal(dst: d, src: Int32(slot), site: site))
        case .cell(let i): emit(.readCell(dst: d, cell: Int32(i), site: site))
        case .capture(let i): emit(.readCapture(dst: d, capture: Int32(i), site: site))
        case .global(let g): emit(.readGlobal(dst: d, slot: Int32(g), site: site))
        }
        return d
    }

    /// A tuple built from its elements' registers into `d`; `reusing`, where given, the place
    /// each element's call or slice may update in place (reusedItems).
    private mutating func tuple(_ elements: [ResolvedExpr], _ tupleLabels: TupleLabels?, into d: Int32,
                                reusing: [ReusedPlace?] = []) {
        let first = temporaries(elements.count)
        for (k, x) in elements.enumerated() {
            expression(x, into: first + Int32(k), reusing: reusing.isEmpty ? nil : reusing[k])
        }
        emit(.tuple(dst: d, first: first, count: Int32(elements.count), labels: Self.add(&labels, tupleLabels)))
    }

    /// Elements (of a literal, or arguments) into consecutive new registers; the first.
    private mutating func elementsInto(_ elements: [ResolvedExpr], root: Bool = true) -> Int32 {
        let first = temporaries(elements.count)
        for (k, x) in elements.enumerated() { expression(x, into: first + Int32(k), root: root) }
        return first
    }

    /// Positional then labelled arguments into consecutive registers. One positional argument
    /// alone is not a fusion root (a scalar built-in may work in its buffer instead).
    private mutating func arguments(_ positional: [ResolvedExpr], _ labelled: [ResolvedExpr]) -> Int32 {
        let single = positional.count == 1 && labelled.isEmpty
        let first = temporaries(positional.count + labelled.count)
        for (k, x) in positional.enumerated() { expression(x, into: first + Int32(k), root: !single) }
        for (k, x) in labelled.enumerated() { expression(x, into: first + Int32(positional.count + k)) }
        return first
    }

    /// The index's items when every one is a single value (not a slice).
    private func singles(_ items: [ResolvedIndexItem]) -> [ResolvedExpr]? {
        var out: [ResolvedExpr] = []
        for item in items {
            switch item {
            case .single(let x): out.append(x)
            case .slice: return nil
            }
        }
        return out.isEmpty ? nil : out
    }

    private func registersFor(_ items: [ResolvedIndexItem]) -> Int {
        items.reduce(0) { n, item in
            switch item {
            case .single: return n + 1
            case .slice: return n + 3
            }
        }
    }

    /// Compiles an index's items into the registers from `first` and describes their layout.
    private mutating func indexSite(_ items: [ResolvedIndexItem], range r: SourceRange, first: Int32,
                                    reusing: ReusedPlace? = nil) -> IndexSite {
        var layouts: [IndexItemLayout] = []
        var at = first
        for item in items {
            switch item {
            case .single(let x):
                expression(x, into: at)
                layouts.append(.single)
                at += 1
            case .slice(let a, let b, let c):
                var regs: [Int32] = []
                var boundRanges: [SourceRange?] = []
                for (k, bound) in [a, b, c].enumerated() {
                    if let bound {
                        expression(bound, into: at + Int32(k))
                        regs.append(at + Int32(k))
                        boundRanges.append(bound.range)
                    } else {
                        regs.append(-1)
                        boundRanges.append(nil)
                    }
                }
                layouts.append(.slice(regs[0], regs[1], regs[2], ranges: boundRanges))
                at += 3
            }
        }
        return IndexSite(items: layouts, range: r, reusing: reusing)
    }

    private mutating func function(_ f: ResolvedFunction, into d: Int32) {
        let proto = ChunkCompiler.function(f, shortcuts: shortcuts)
        let first = temporaries(f.defaults.count)
        for (k, x) in f.defaults.enumerated() {
            if let x { expression(x, into: first + Int32(k)) }
        }
        emit(.closure(dst: d, proto: Self.add(&protos, proto), defaults: first))
    }

    private func isNumberConstant(_ e: ResolvedExpr) -> Bool {
        if case .constant(.number) = e.kind { return true }
        return false
    }

    /// The fusion plan of an arithmetic root (Fusion.swift), if it has one.
    private func fusionPlan(_ e: ResolvedExpr) -> FusionPlan? {
        guard shortcuts, case .binary(let op, _, _) = e.kind, op != .matmul else { return nil }
        return FusionPlan.make(for: e)
    }

    /// Whether the value is usually a tensor made for this expression alone, which the operator
    /// using it may overwrite (Interpreter+Temporaries.swift).
    private func yieldsTemporary(_ e: ResolvedExpr) -> Bool {
        switch e.kind {
        case .binary, .call: return true
        case .unary(let op, _): return op == .negate
        case .constant, .interpolation, .read, .tensor, .tuple, .comparison, .logical, .not, .range, .index, .member,
             .function:
            return false
        }
    }
}

// Top-level loops in the numeric tier. A `while`, or a `for` over a range, written at the top
// level of a script or a REPL entry (where most scalar loops of a student live) works on
// globals. When it only computes with numbers (the subset the numeric compiler covers), it is
// compiled like a function whose frame starts with the globals it assigns: they live in
// registers while it runs and are written back when it ends. Globals it only reads are
// loaded at the start, as in a function.
//
// A small 1-D tensor or tuple of numbers the loop assigns whole lives in registers the same
// way (NumericAggregate). When the loop's only effects are those assignments, the rule for
// functions holds: whenever the code meets a case it does not cover it gives up before writing
// anything, and the general code runs the loop from the start with the same outcome. A loop
// that writes elements of tensor globals or steps an optimizer has effects it cannot take back:
// it compiles only where its code cannot give up after one (NumericCompiler.givesUpAfterAnEffect),
// and a bad index raises the general rule's own error (elementError). An interrupt (Ctrl-C,
// --max-seconds), or such an error, is raised at the same points as in the general code and
// writes back what the iterations so far assigned before it unwinds. A global that was not a
// number when the loop was compiled may be read only after the loop assigns it; it is written
// back only if the loop did assign it.
//
// A loop of a function runs here the same way when the function as a whole is not the numeric
// code's (it returns a tuple holding a tensor, reads a tuple of tensors, ...), so that such a
// function is not all-or-nothing: its locals are renamed to frame slots (frameSlot, by
// NumericInlining.loopOfFunction), which Interpreter.variable reads from the function's frame
// on the stack where it reads a top-level loop's globals from the globals. Such a loop runs at
// each call of its function: what it calls through a local is checked at each run.

import Lexer

/// A global a top-level loop keeps in consecutive registers while it runs: a 1-D tensor of n
/// numbers (`w = opt.step(w, grad(f, w))`), or a tuple of n numbers with its labels' names
/// (`p = (x: p.x - lr * gx, y: p.y - lr * gy)`); or a string, in a string register
/// (`report = row(k, loss)`).
enum NumericAggregate: Equatable {
    case tensor(Int)
    case tuple([String?])
    case string
    /// A bool, 0 or 1 in its register (`stopped = false`).
    case bool
    /// A growing list (NumericLists.swift): a vector, or a tuple of numbers without labels, of
    /// any length (one register, unused), which the loop grows by `append`.
    case list(tensor: Bool)

    /// The number registers it takes (a string keeps one unused: every global of the loop has
    /// a register of its own, which says whether the loop assigned it).
    var count: Int {
        switch self {
        case .tensor(let n): return n
        case .tuple(let names): return names.count
        case .string, .bool, .list: return 1
        }
    }

    /// What `v` is as a growing list (chosen for a global the loop grows, NumericListScan);
    /// nil for any other value (a view, a tensor of another rank, a tuple with labels or with
    /// items other than numbers).
    static func list(of v: Value?) -> NumericAggregate? {
        switch v {
        case .tensor(let t)?: return t.rank == 1 ? .list(tensor: true) : nil
        case .tuple(let t)?:
            guard t.labels == nil, t.items.allSatisfy({ if case .number = $0 { return true } else { return false } }) else { return nil }
            return .list(tensor: false)
        case .number?, .bool?, .string?, .view?, .function?, .object?, .null?, .traced?, nil: return nil
        }
    }

    /// What `v` is as an aggregate, when it is a small one of numbers, or a string.
    static func of(_ v: Value?) -> NumericAggregate? {
        if case .string? = v { return .string }
        if case .bool? = v { return .bool }
        if case .tensor(let t)? = v, t.rank == 1, t.count >= 1, t.count <= NumericLoop.longestVector { return .tensor(t.count) }
        guard case .tuple(let t)? = v, t.count >= 1, t.count <= NumericLoop.longestVector,
              t.items.allSatisfy({ if case .number = $0 { return true } else { return false } }) else { return nil }
        return .tuple(t.labels?.names ?? Array(repeating: nil, count: t.count))
    }
}

/// The numeric code of one top-level loop statement, and the globals it assigns.
final class NumericLoop {
    let function: NumericFunction
    /// The global slots the loop assigns, in register order.
    let slots: [Int]
    /// For each: whether it held a number when compiled (the code may read it first).
    let inputs: [Bool]
    /// For each: the aggregate it is held as, nil for a number.
    let aggregates: [NumericAggregate?]
    /// For each: its first register.
    let bases: [Int]
    let registerCount: Int
    @exclusivity(unchecked) var givenUp = 0

    /// The bits of a register the loop has not assigned: a NaN no arithmetic makes from
    /// ordinary numbers (a loop whose inputs carry it is left to the general code).
    static let unassigned: UInt64 = 0x7FF8_0000_DEAD_0001
    /// The longest 1-D tensor a loop holds in registers (a parameter vector stepped by hand).
    static let longestVector = 64

    /// A loop of a function has the function's locals where a top-level loop has globals: local
    /// i is the slot `frameSlot(i)`, past every global a program can make, which
    /// Interpreter.variable reads from the frame (NumericInlining.loopOfFunction renames them).
    static let firstFrameSlot = 1 << 30
    static func frameSlot(_ local: Int) -> Int { firstFrameSlot + local }

    /// For each: whether its register holds a bool (the code made it one: `stopped = false`).
    private let bools: [Bool]
    private let holdsTuples: Bool
    /// The registers as a run starts, every one unassigned: filled in at each run. Kept, not
    /// made at each run: a loop of a function starts at each call, and its short loops paid
    /// more for their arrays than for their iterations.
    @exclusivity(unchecked) private var initial: [Double]

    init(function: NumericFunction, slots: [Int], inputs: [Bool], aggregates: [NumericAggregate?]) {
        self.function = function
        self.slots = slots
        self.inputs = inputs
        self.aggregates = aggregates
        (bases, registerCount) = NumericLoop.registers(aggregates.map { $0?.count })
        bools = bases.map { function.boolRegisters.contains($0) }
        holdsTuples = aggregates.contains { if case .tuple? = $0 { return true } else { return false } }
        initial = [Double](repeating: Double(bitPattern: NumericLoop.unassigned), count: registerCount)
    }

    /// The first register of each global (a number takes one, a vector its length) and how
    /// many they take.
    static func registers(_ widths: [Int?]) -> (bases: [Int], count: Int) {
        var bases: [Int] = [], next = 0
        for w in widths {
            bases.append(next)
            next += w ?? 1
        }
        return (bases, next)
    }

    /// Whether the code ran the loop (false: the general code must).
    func run(_ I: Interpreter) throws(RuntimeError) -> Bool {
        guard function.optimizersReady(I) else {
            givenUp += 1
            return false
        }
        for k in initial.indices { initial[k] = Double(bitPattern: NumericLoop.unassigned) }
        var strings: [String] = []
        var labels: [TupleLabels?] = holdsTuples ? Array(repeating: nil, count: slots.count) : []
        var lists: [[Double]] = []
        for (k, slot) in slots.enumerated() {
            guard inputs[k] else {
                // A string global first bound in the loop: its string register, empty, in the
                // order of the slots (as the compiler placed them).
                if case .string? = aggregates[k] { strings.append("") }
                continue
            }
            if case .list? = aggregates[k] {
                // A growing list's numbers, in the order of the slots (as the compiler placed them).
                guard NumericAggregate.list(of: I.variable(slot)) == aggregates[k] else {
                    givenUp += 1
                    return false
                }
                switch I.variable(slot) {
                case .tensor(let t)?: lists.append(t.data)
                case .tuple(let t)?: lists.append(t.items.map { if case .number(let x) = $0 { return x } else { return 0 } })
                case .number?, .bool?, .string?, .view?, .function?, .object?, .null?, .traced?, nil: break  // never: list(of:) took only those
                }
                continue
            }
            if let aggregate = aggregates[k] {
                // What it was compiled for (a tensor of that length, a tuple of numbers with those
                // labels), else the general code.
                guard NumericAggregate.of(I.variable(slot)) == aggregate else {
                    givenUp += 1
                    return false
                }
                switch I.variable(slot) {
                case .tensor(let t)?:
                    for i in 0..<t.count { initial[bases[k] + i] = t.data[i] }
                case .tuple(let t)?:
                    labels[k] = t.labels
                    for (i, item) in t.items.enumerated() { if case .number(let x) = item { initial[bases[k] + i] = x } }
                case .string(let s)?:
                    strings.append(s)  // in the order of the slots, as the compiler placed them
                case .bool(let b)?:
                    initial[bases[k]] = b ? 1 : 0
                case .number?, .view?, .function?, .object?, .null?, .traced?, nil:
                    break  // never: `of` took only those
                }
                continue
            }
            guard case .number(let x)? = I.variable(slot), x.bitPattern != NumericLoop.unassigned else { return false }
            initial[bases[k]] = x
        }
        // The tensors it indexes, each of the rank it was compiled for (else the general code,
        // before anything ran). A written one leaves its global while the loop holds it.
        var tensors: [Tensor] = []
        for site in function.tensors {
            guard case .tensor(let t)? = site.tensor(in: I.variable(site.slot)), t.rank == site.rank else {
                givenUp += 1
                return false
            }
            tensors.append(t)
        }
        for site in function.tensors where site.writable { I.setVariable(site.slot, .null) }
        defer {
            for (k, site) in function.tensors.enumerated() where site.writable { I.setVariable(site.slot, .tensor(tensors[k])) }
        }
        do {
            return try function.withBuffers(&tensors, from: 0) { () throws(RuntimeError) in try runInRegisters(initial, strings, lists, labels, I) }
        } catch {
            guard let failed = I.numericMachine.failedElement else { throw error }
            I.numericMachine.failedElement = nil
            throw elementError(failed, error, tensors, I)
        }
    }

    /// The error the general code gives for the element access that failed, where and in the
    /// loops the numeric code found it.
    private func elementError(_ failed: (site: NumericElementSite, keys: [Double], value: Double), _ located: RuntimeError,
                              _ tensors: [Tensor], _ I: Interpreter) -> RuntimeError {
        guard let k = function.tensors.firstIndex(where: { $0 === failed.site.tensor }) else { return located }
        let keys = failed.keys.map { IndexKey.value(.number($0)) }
        var e: RuntimeError
        do throws(RuntimeError) {
            if failed.site.write {
                var whole = Value.tensor(tensors[k])
                _ = try I.update(&whole, path: [.index], keys: [keys], at: 0, op: failed.site.op, rhs: .number(failed.value))
            } else {
                _ = try I.index(.tensor(tensors[k]), keys)
            }
            // Never: the fast path takes every index of numbers the general rule takes.
            return located
        } catch {
            e = error
        }
        e.range = located.range
        e.file = located.file
        e.loops = located.loops
        return e
    }

    /// The loop's code on registers that start as `initial`; the globals get what it assigned
    /// (a tuple with the labels it came in with: the same names, which is all a tuple shows).
    private func runInRegisters(_ initial: [Double], _ strings: [String], _ lists: [[Double]], _ labels: [TupleLabels?],
                                _ I: Interpreter) throws(RuntimeError) -> Bool {
        let ran = try I.numericMachine.runLoop(function, initial, strings, initialLists: lists, depth: I.depth, I) { registers, texts in
            var text = 0, list = 0
            for (k, slot) in slots.enumerated() {
                if let aggregate = aggregates[k] {
                    let values = UnsafeBufferPointer(start: registers + bases[k], count: aggregate.count)
                    switch aggregate {
                    case .tensor(let n): I.setVariable(slot, .tensor(Tensor(shape: [n], data: Array(values))))
                    case .tuple(let names):
                        // (One the loop bound first is written back only if it was, as a string,
                        // with the labels its first assignment showed.)
                        if inputs[k] {
                            I.setVariable(slot, .tuple(TupleValue(values.map { .number($0) }, labels: labels[k])))
                        } else if registers[bases[k]].bitPattern != NumericLoop.unassigned {
                            let shown = names.contains { $0 != nil } ? TupleLabels(names) : nil
                            I.setVariable(slot, .tuple(TupleValue(values.map { .number($0) }, labels: shown)))
                        }
                    case .string:
                        // (One the loop bound first is written back only if it was: its register
                        // says so, as a number's does.)
                        if inputs[k] || registers[bases[k]].bitPattern != NumericLoop.unassigned {
                            I.setVariable(slot, .string(texts[text]))
                        }
                        text += 1
                    case .bool:
                        I.setVariable(slot, .bool(values[0] != 0))
                    case .list(let tensor):
                        I.setVariable(slot, NumericListFile.value(I.numericMachine.lists.take(frame: 0, list), tensor: tensor))
                        list += 1
                    }
                    continue
                }
                let x = registers[bases[k]]
                guard x.bitPattern != NumericLoop.unassigned else { continue }
                // A global the loop made a bool (`stopped = false`), else a number.
                I.setVariable(slot, bools[k] ? .bool(x != 0) : .number(x))
            }
        }
        if !ran { givenUp += 1 }
        return ran
    }
}

extension Interpreter {
    /// Global `slot`, or the local of the function whose loop runs in the numeric tier
    /// (NumericLoop.frameSlot): the code of such a loop reads and writes its frame as a
    /// top-level loop's code reads and writes the globals.
    @inline(__always)
    func variable(_ slot: Int) -> Value? {
        slot < NumericLoop.firstFrameSlot ? globals[slot] : stack[numericLoopFrame + slot - NumericLoop.firstFrameSlot]
    }

    func setVariable(_ slot: Int, _ value: Value?) {
        if slot < NumericLoop.firstFrameSlot {
            setGlobal(slot, value)
        } else {
            stack[numericLoopFrame + slot - NumericLoop.firstFrameSlot] = value
        }
    }
}

/// A top-level loop's numeric code: compiled at its first run from the globals as they are,
/// and again when a function it calls was rebound; given up after it keeps giving up.
final class NumericLoopSite {
    let resolved: ResolvedStmt
    let file: SourceFile
    /// A loop of a function: its variables are the frame's (NumericLoop.frameSlot).
    let inFunction: Bool
    private enum State {
        case untried
        case ready(NumericLoop)
        case unsupported
    }
    @exclusivity(unchecked) private var state = State.untried

    init(resolved: ResolvedStmt, file: SourceFile, inFunction: Bool) {
        self.resolved = resolved
        self.file = file
        self.inFunction = inFunction
    }

    /// Whether the numeric code ran the loop (false: the general code must). `frame`: where
    /// the locals of the function the loop is in begin on the stack (unused at the top level).
    func run(_ I: Interpreter, frame: Int) throws(RuntimeError) -> Bool {
        guard I.usesNumericTier else { return false }
        // General code the loop's code calls may run another function's loop here.
        let outer = I.numericLoopFrame
        I.numericLoopFrame = frame
        defer { I.numericLoopFrame = outer }
        guard let loop = prepared(I) else { return false }
        // A function or a built-in it calls through a local (`f(x)`, `grad(f, x)`, f a
        // parameter) may be another at each call of the function, which no function epoch
        // counts: checked at each run (an optimizer is, always: optimizersReady).
        if inFunction { loop.function.checkedEpoch = -1 }
        return try loop.run(I)
    }

    private func prepared(_ I: Interpreter) -> NumericLoop? {
        switch state {
        case .unsupported:
            return nil
        case .ready(let loop):
            // A function it calls was rebound since (the code said so when it gave up), or it
            // keeps giving up: compile again from the globals as they are now, or stop trying.
            if case .ready = loop.function.proto.numeric, loop.givenUp <= 4 { return loop }
            if loop.givenUp > 4 {
                state = .unsupported
                return nil
            }
        case .untried:
            break
        }
        let slots = NumericLoopSite.assignedGlobals(resolved)
        var inputs = Set<Int>(), aggregates: [Int: NumericAggregate] = [:]
        let grown = NumericListScan.grown(ResolvedBlock(statements: [resolved], range: resolved.range), globals: true)
        for slot in slots {
            if grown[slot] != nil, let list = NumericAggregate.list(of: I.variable(slot)) {
                // A vector the loop grows by `append`: a growing list (NumericLists.swift). Not a
                // tuple: nothing limits its length, and a loop as fast as this one grew one so
                // far between the checks of an interrupt or a deadline that writing it back as
                // items took seconds and gigabytes (`xs = (); while true { xs = append(xs, i) }`:
                // Ctrl-C answered after 5.7 s, --max-seconds 2 after 12 s, an allocation that
                // failed under a memory limit killed the process). A vector stops at the element
                // limit, as the general code's does.
                guard list == .list(tensor: true) else {
                    state = .unsupported
                    return nil
                }
                inputs.insert(slot)
                aggregates[slot] = list
            } else if case .number(let x)? = I.variable(slot), x.bitPattern != NumericLoop.unassigned {
                inputs.insert(slot)
            } else if let aggregate = NumericAggregate.of(I.variable(slot)) {
                // A small vector or tuple of numbers: held in registers.
                inputs.insert(slot)
                aggregates[slot] = aggregate
            }
        }
        var compiled = NumericCompiler.loop(resolved, file: file, slots: slots, inputs: inputs, aggregates: aggregates, I)
        let unbound = slots.filter { I.variable($0) == nil && NumericLoopSite.bindsString(resolved, $0) }
        if compiled == nil && !unbound.isEmpty {
            // A variable the loop binds first, to a string (`g = grade(x)`, `label = "\(k)"`):
            // a string register, written back if the loop assigned it.
            var strings = aggregates
            for slot in unbound { strings[slot] = .string }
            compiled = NumericCompiler.loop(resolved, file: file, slots: slots, inputs: inputs, aggregates: strings, I)
            if compiled != nil { aggregates = strings }
        }
        let unboundTuples = slots.compactMap { slot in
            I.variable(slot) == nil ? NumericLoopSite.bindsTuple(resolved, slot, I).map { (slot, $0) } : nil
        }
        if compiled == nil && !unboundTuples.isEmpty {
            // A variable the loop binds first, to a tuple of numbers whose labels its first
            // assignment shows (`grads = map(f, params)`, `p = (x: a, y: b)`): its registers,
            // written back if the loop assigned it.
            var tuples = aggregates
            for (slot, names) in unboundTuples { tuples[slot] = .tuple(names) }
            compiled = NumericCompiler.loop(resolved, file: file, slots: slots, inputs: inputs, aggregates: tuples, I)
            if compiled != nil { aggregates = tuples }
        }
        if compiled == nil && !aggregates.isEmpty {
            // A tensor or tuple global the loop uses otherwise (assigns a number to it, ...): as
            // before aggregates, a global that is not a number yet.
            for slot in aggregates.keys { inputs.remove(slot) }
            aggregates = [:]
            compiled = NumericCompiler.loop(resolved, file: file, slots: slots, inputs: inputs, aggregates: [:], I)
        }
        guard let f = compiled else {
            state = .unsupported
            return nil
        }
        let loop = NumericLoop(function: f, slots: slots, inputs: slots.map { inputs.contains($0) },
                               aggregates: slots.map { aggregates[$0] })
        state = .ready(loop)
        return loop
    }

    /// What the loop's first assignment to global `slot` is: `slot = value`, or `for slot in
    /// sequence`; nil when the loop has neither (an `op=` is passed over).
    private enum FirstAssignment {
        case value(ResolvedExpr)
        case forIn(ResolvedExpr)
    }

    private static func firstAssignment(to slot: Int, in s: ResolvedStmt) -> FirstAssignment? {
        switch s.kind {
        case .assign(.global(let g), nil, _, let value) where g == slot:
            return .value(value)
        case .forIn(.global(let g), let sequence, _) where g == slot:
            return .forIn(sequence)
        case .assign, .function, .pathAssign, .expression, .breakLoop, .continueLoop, .returnValue:
            return nil
        case .forIn(_, _, let body), .whileLoop(_, let body), .block(let body):
            for t in body.statements { if let found = firstAssignment(to: slot, in: t) { return found } }
            return nil
        case .ifElse(_, let body, let elseBody):
            for t in body.statements { if let found = firstAssignment(to: slot, in: t) { return found } }
            return elseBody.flatMap { firstAssignment(to: slot, in: $0) }
        }
    }

    /// Whether the loop's first assignment to `slot` may give it a string: a string written
    /// in the code, an interpolation, a call (of a function that returns strings), `a + b`.
    static func bindsString(_ s: ResolvedStmt, _ slot: Int) -> Bool {
        switch firstAssignment(to: slot, in: s) {
        case .value(let value)?:
            switch value.kind {
            case .constant(.string), .interpolation, .call, .binary(.add, _, _), .index, .member: return true
            case .constant, .read, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .function:
                return false
            }
        case .forIn(let sequence)?:
            // `for ch in text`: a string when text is one (a range gives numbers).
            if case .range = sequence.kind { return false }
            return true
        case nil:
            return false
        }
    }

    /// The labels' names of the tuple of numbers the loop's first assignment to `slot` gives
    /// it, where the code shows them: a tuple written out, or `map` over a global tuple of
    /// numbers (the result has its labels). nil for anything else.
    static func bindsTuple(_ s: ResolvedStmt, _ slot: Int, _ I: Interpreter) -> [String?]? {
        guard case .value(let value)? = firstAssignment(to: slot, in: s) else { return nil }
        switch value.kind {
        case .tuple(let elements, let labels) where !elements.isEmpty && elements.count <= NumericLoop.longestVector:
            return labels?.names ?? Array(repeating: nil, count: elements.count)
        case .call(_, let positional, let labels, _) where labels.isEmpty && positional.count >= 2:
            guard case .read(.global(let t), _) = positional[1].kind, case .tuple(let names)? = NumericAggregate.of(I.variable(t)) else {
                return nil
            }
            return names
        case .constant, .interpolation, .read, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range,
             .call, .index, .member, .function:
            return nil
        }
    }

    /// The global slots a statement assigns, in order of first appearance.
    static func assignedGlobals(_ s: ResolvedStmt) -> [Int] {
        var slots: [Int] = []
        func note(_ ref: VariableRef) {
            if case .global(let g) = ref, !slots.contains(g) { slots.append(g) }
        }
        func walk(_ s: ResolvedStmt) {
            switch s.kind {
            case .assign(let ref, _, _, _), .function(let ref, _):
                note(ref)
            case .pathAssign(let ref, _, let path, _, _):
                // `rec.n += 1` assigns the tuple (held in registers); `t[i] = v` writes the
                // tensor's elements in place, not a register.
                if path.count == 1, case .member = path[0] { note(ref) }
            case .forIn(let ref, _, let body):
                note(ref)
                body.statements.forEach(walk)
            case .ifElse(_, let body, let elseBody):
                body.statements.forEach(walk)
                if let elseBody { walk(elseBody) }
            case .block(let b):
                b.statements.forEach(walk)
            case .whileLoop(_, let body):
                body.statements.forEach(walk)
            case .expression, .breakLoop, .continueLoop, .returnValue:
                break
            }
        }
        walk(s)
        return slots
    }
}

// The machine: runs a chunk (Chunk.swift) in the current frame, one switch over instructions.
//
// Registers are `stack[fp + r]`. A temporary is read once: instructions move it out (so a
// tensor made for one operator is held once and can be written in place), while a local's
// register is copied. Numbers take the first branch of every operator; everything else calls
// the general function of the operator tables with the site's range, as the language's rules
// say. Interrupts are polled at loop back edges and calls, as they always were.

import Lexer
import Parser

extension Interpreter {
    /// Runs `chunk` in the frame at `fp` (its registers reserved by the caller). Returns the
    /// value of `return` (nil: a top-level statement that shows nothing).
    func execute(_ chunk: Chunk) throws(RuntimeError) -> Value? {
        try run(chunk, fp)
    }

    /// An error leaving a `for` body gets a note of the loop variable's value then.
    @inline(never)
    private func annotated(_ error: RuntimeError, _ chunk: Chunk, at pc: Int, base: Int) -> RuntimeError {
        var e = error
        // Innermost loop first: each note is put before the ones of the loops inside it.
        for loop in chunk.loops.reversed() where loop.body.contains(pc) {
            e.inLoop(loop.statement, loopValue(loop, base: base))
        }
        return e
    }

    /// The value the loop variable took at this iteration.
    private func loopValue(_ loop: LoopSite, base: Int) -> Value {
        let b = base + Int(loop.base)
        guard case .number(let k)? = stack[b + 2] else { return .null }
        switch stack[b] {
        case .number(let first)?:
            guard case .number(let step)? = stack[b + 3] else { return .null }
            return .number(first + k * step)
        case let sequence?:
            return element(sequence, Int(k))
        case nil:
            return .null
        }
    }

    /// Element `k` of a sequence a `for` walks (a tensor's first axis, a tuple, or an ASCII
    /// string's characters: startSequence).
    @inline(__always)
    func element(_ sequence: Value, _ k: Int) -> Value {
        switch sequence {
        case .string(let s):
            return .string(CodePoints.asciiCharacter(s, k))
        case .tensor(let t):
            if t.rank <= 1 { return .number(t.data[k]) }
            let rowShape = Array(t.shape.dropFirst())
            let rowSize = rowShape.reduce(1, *)
            return .tensor(Tensor(shape: rowShape, data: Array(t.data[(k * rowSize)..<((k + 1) * rowSize)])))
        case .tuple(let tup):
            return tup.items[k]
        case .number, .bool, .view, .function, .object, .null, .traced:
            return .null
        }
    }

    // MARK: registers

    /// A register's value; a temporary's is moved out.
    @inline(__always)
    func operand(_ i: Int, _ locals: Int, _ r: Int32) -> Value {
        if Int(r) >= locals {
            let v = stack[i]
            stack[i] = nil
            return v ?? .null
        }
        return stack[i] ?? .null
    }

    /// Writes a number or a bool into register `i`. A register that holds no reference (a
    /// number, a bool, nil, nothing: nearly always, in a loop over numbers) is overwritten
    /// without the destroy an assignment makes of the old value (a call of an outlined
    /// function that switches over its kind, on every store).
    @inline(__always)
    func setPlain(_ i: Int, _ v: Value) {
        let p = stack + i
        // Safe: the old value holds nothing to release, so initializing over it leaks nothing.
        if holdsNoReference(p) { p.initialize(to: v) } else { p.pointee = v }
    }

    /// Writes any value into register `i`: as setPlain, an old value that holds no reference
    /// (an argument's or a result's register, nearly always empty) is written over without
    /// the outlined destroy an assignment calls.
    @inline(__always)
    func setValue(_ i: Int, _ v: Value) {
        let p = stack + i
        // Safe: the old value holds nothing to release, so initializing over it leaks nothing.
        if holdsNoReference(p) { p.initialize(to: v) } else { p.pointee = v }
    }

    @inline(__always)
    func holdsNoReference(_ p: UnsafeMutablePointer<Value?>) -> Bool {
        switch p.pointee {
        case .number?, .bool?, .null?, nil: return true
        case .string?, .tensor?, .view?, .tuple?, .function?, .object?, .traced?: return false
        }
    }

    /// An operator's operand: a register, or the global `-1 - r` read in its slot.
    @inline(__always)
    func load(_ base: Int, _ r: Int32) -> Value? {
        r >= 0 ? stack[base + Int(r)] : globals[Int(-1 - r)]
    }

    /// The number in an operator's operand (a register, or the global `-1 - r`), matched where
    /// it is; nil when it holds anything else. (A `Value?` returned by `load` was copied out
    /// through `Value`'s outlined copy, a call per operand, a seventh of a loop of arithmetic.)
    @inline(__always)
    func number(_ base: Int, _ r: Int32) -> Double? {
        if r >= 0 {
            switch stack[base + Int(r)] {
            case .number(let x)?: return x
            case .bool?, .string?, .tensor?, .view?, .tuple?, .function?, .object?, .null?, .traced?, nil: return nil
            }
        }
        switch globals[Int(-1 - r)] {
        case .number(let x)?: return x
        case .bool?, .string?, .tensor?, .view?, .tuple?, .function?, .object?, .null?, .traced?, nil: return nil
        }
    }

    /// `a op b` of registers read in place, where the answer needs no more than a look: two
    /// strings (`ch == "a"` in a loop over a string's code points) by the one rule
    /// (compareStrings), and `==`/`!=` against nil (`if t == nil` in a recursion over a tree),
    /// which is equal to nil alone (compare's rule for values of different kinds). nil for the
    /// rest: the operator's general path. A temporary keeps its value until the register is
    /// written again: the general path moves it out, which cost as much as the comparison.
    @inline(__always)
    func compareInPlace(_ op: ComparisonOperator, _ base: Int, _ a: Int32, _ b: Int32) -> Bool? {
        guard a >= 0, b >= 0 else { return nil }
        let i = base + Int(a), j = base + Int(b)
        // Switches over the registers in place: an `if case` or `?.` copied the value out (a
        // call of Value's outlined copy, and a retain and release of a tuple's storage) to look
        // at its kind.
        let xNull: Bool, yNull: Bool
        switch stack[i] {
        case .string(let s)?:
            switch stack[j] {
            case .string(let t)?: return compareStrings(op, s, t)
            case .null?: xNull = false
            case .number?, .bool?, .tensor?, .view?, .tuple?, .function?, .object?, .traced?, nil: return nil
            }
        case .null?: xNull = true
        case .number?, .bool?, .tensor?, .view?, .tuple?, .function?, .object?, .traced?: xNull = false
        case nil: return nil
        }
        switch stack[j] {
        case .null?: yNull = true
        case .number?, .bool?, .string?, .tensor?, .view?, .tuple?, .function?, .object?, .traced?: yNull = false
        case nil: return nil
        }
        guard xNull || yNull else { return nil }
        switch op {
        case .equal: return xNull && yNull
        case .notEqual: return !(xNull && yNull)
        case .less, .lessEqual, .greater, .greaterEqual: return nil
        }
    }

    /// `a op text` with `a` (a register, or the global `-1 - r`) holding a string and the text
    /// the chunk's string constant k, looked at in place, by the one rule (compareStrings); nil
    /// for anything else (the general path).
    @inline(__always)
    func compareInPlace(_ op: ComparisonOperator, _ base: Int, _ a: Int32, _ chunk: Chunk, _ k: Int32) -> Bool? {
        // The constant looked at in place: passed as a Value, it was copied and destroyed by
        // Value's outlined functions at every comparison (`ch == "("` in a character loop: a
        // third of the loop, session 23).
        let t: String
        switch chunk.constants[Int(k)] {
        case .string(let text): t = text
        case .number, .bool, .tensor, .view, .tuple, .function, .object, .null, .traced: return nil
        }
        if a >= 0 {
            switch stack[base + Int(a)] {
            case .string(let s)?: return compareStrings(op, s, t)
            case .number?, .bool?, .tensor?, .view?, .tuple?, .function?, .object?, .null?, .traced?, nil: return nil
            }
        }
        switch globals[Int(-1 - a)] {
        case .string(let s)?: return compareStrings(op, s, t)
        case .number?, .bool?, .tensor?, .view?, .tuple?, .function?, .object?, .null?, .traced?, nil: return nil
        }
    }

    /// `t.name op text` with register `i` holding a tuple whose labels the member site cached
    /// and that item a string, all looked at in place (nothing copied), by the one rule
    /// (compareStrings); nil for anything else (the member's and the comparison's general paths).
    @inline(__always)
    func compareMemberInPlace(_ op: ComparisonOperator, _ chunk: Chunk, _ i: Int, _ m: Int32, _ k: Int32) -> Bool? {
        switch stack[i] {
        case .some(.tuple(let t)):
            let site = chunk.members[Int(m)]
            guard let labels = t.labels, ObjectIdentifier(labels) == site.cachedLabels,
                  case .string(let s) = t.items[site.cachedIndex] else { return nil }
            // The constant looked at in place (a switch): passed or bound by `if case`, the
            // Value was copied and destroyed by its outlined functions at every comparison.
            switch chunk.constants[Int(k)] {
            case .string(let text): return compareStrings(op, s, text)
            case .number, .bool, .tensor, .view, .tuple, .function, .object, .null, .traced: return nil
            }
        case .number?, .bool?, .string?, .tensor?, .view?, .function?, .object?, .null?, .traced?, nil:
            return nil
        }
    }

    /// Whether an operator's operand (a register, or the global `-1 - r`) holds nil, looked at
    /// in place; nil when it holds nothing (the general path says what is wrong).
    @inline(__always)
    func holdsNil(_ base: Int, _ r: Int32) -> Bool? {
        // Two switches over memory: one over `r >= 0 ? stack[...] : globals[...]` copied the value.
        if r >= 0 {
            switch stack[base + Int(r)] {
            case .null?: return true
            case .number?, .bool?, .string?, .tensor?, .view?, .tuple?, .function?, .object?, .traced?: return false
            case nil: return nil
            }
        }
        switch globals[Int(-1 - r)] {
        case .null?: return true
        case .number?, .bool?, .string?, .tensor?, .view?, .tuple?, .function?, .object?, .traced?: return false
        case nil: return nil
        }
    }

    /// Whether an operand (a register, or the global `-1 - r`) holds a function or an object
    /// that can be called (RuntimeObject.isCallable), looked at in place.
    @inline(__always)
    private func isCallable(_ base: Int, _ r: Int32) -> Bool {
        if r >= 0 {
            switch stack[base + Int(r)] {
            case .function?: return true
            case .object(let o)?: return o.isCallable
            case .number?, .bool?, .string?, .tensor?, .view?, .tuple?, .null?, .traced?, nil: return false
            }
        }
        switch globals[Int(-1 - r)] {
        case .function?: return true
        case .object(let o)?: return o.isCallable
        case .number?, .bool?, .string?, .tensor?, .view?, .tuple?, .null?, .traced?, nil: return false
        }
    }

    /// `a == nil` or `a != nil` by the operator's general path (an unassigned operand's error).
    @inline(never)
    private func compareWithNil(_ equal: Bool, _ base: Int, _ locals: Int, _ a: Int32, _ o: OperatorSite) throws(RuntimeError) -> Value {
        try compare(equal ? .equal : .notEqual, try value(base, locals, a, o.leftRead), .null, at: o.range)
    }

    /// An operator's result into a register, or into the global `-1 - r`.
    @inline(__always)
    private func put(_ base: Int, _ r: Int32, _ v: Value) {
        if r >= 0 { stack[base + Int(r)] = v } else { setGlobal(Int(-1 - r), v) }
    }

    /// A number's or bool's result into a register (setPlain), or into the global `-1 - r`.
    @inline(__always)
    private func putPlain(_ base: Int, _ r: Int32, _ v: Value) {
        if r >= 0 { setPlain(base + Int(r), v) } else { setGlobalPlain(Int(-1 - r), v) }
    }

    /// An operand off the number path: a temporary moved out, a local copied, a global read
    /// with its read's checks.
    @inline(__always)
    func value(_ base: Int, _ locals: Int, _ r: Int32, _ read: @autoclosure () -> ReadSite?) throws(RuntimeError) -> Value {
        if r >= 0 { return operand(base + Int(r), locals, r) }
        // The read's site is fetched only to report an unknown name (it holds a string).
        guard let v = globals[Int(-1 - r)] else { throw unknownGlobal(read() ?? ReadSite(name: "", range: SourceRange(start: 0, length: 0))) }
        return v
    }

    /// Reads a variable by place, with a read's checks (also the fusion planner's leaves).
    func read(_ place: Place, _ site: ReadSite) throws(RuntimeError) -> Value {
        switch place {
        case .local(let slot):
            guard let v = stack[fp + slot] else { throw RuntimeError.unassignedLocal(site.name).at(site.range) }
            return v
        case .cell(let i):
            guard let v = frameCells[i].value else { throw RuntimeError.unassignedLocal(site.name).at(site.range) }
            return v
        case .capture(let i):
            guard let v = closureCaptures[i].value else {
                throw RuntimeError("variable '\(site.name)' of an enclosing function is read before it is assigned").at(site.range)
            }
            return v
        case .global(let slot):
            guard let v = globals[slot] else {
                throw RuntimeError.unknownName(site.name, candidates: boundGlobalNames).at(site.range)
            }
            return v
        }
    }

    @inline(never)
    private func unassigned(_ site: ReadSite) -> RuntimeError {
        RuntimeError.unassignedLocal(site.name).at(site.range)
    }

    @inline(never)
    private func captureUnassigned(_ site: ReadSite) -> RuntimeError {
        RuntimeError("variable '\(site.name)' of an enclosing function is read before it is assigned").at(site.range)
    }

    @inline(never)
    func notCallable(_ v: Value?, _ s: CallOperands) -> RuntimeError {
        RuntimeError.notCallable(v ?? .null).at(s.calleeRange)
    }

    @inline(never)
    private func unknownGlobal(_ site: ReadSite) -> RuntimeError {
        RuntimeError.unknownName(site.name, candidates: boundGlobalNames).at(site.range)
    }

    func value(of leaf: FusionPlan.Leaf) throws(RuntimeError) -> Value {
        switch leaf {
        case .read(let place, let site): return try read(place, site)
        case .constant(let v): return v
        }
    }

    func place(_ ref: VariableRef) -> Place {
        switch ref {
        case .local(let s): return .local(s)
        case .cell(let i): return .cell(i)
        case .global(let g): return .global(g)
        }
    }

    // MARK: the loop

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private func run(_ entryChunk: Chunk, _ entryBase: Int) throws(RuntimeError) -> Value? {
        // The frame running: the entry's, or a function's that a call entered in this loop
        // (`callWith`, inlinable), whose caller waits in `inlineFrames` above `entry`.
        var chunk = entryChunk, base = entryBase
        var code = chunk.code
        var locals = chunk.localCount
        let entry = inlineCount
        // A local, so it lives in a machine register; the error path reads where it stopped.
        var pc = 0
        do throws(RuntimeError) {
            while true {
                let instruction = code[pc]
                pc += 1
                switch instruction {
                case .constant(let d, let k):
                    // `swapped = true`, `s = 0` in a loop: no copy or destroy of a Value to make.
                    switch chunk.constants[Int(k)] {
                    case .number(let x): setPlain(base + Int(d), .number(x))
                    case .bool(let b): setPlain(base + Int(d), .bool(b))
                    case .null: setPlain(base + Int(d), .null)  // `if t == nil`
                    case .string, .tensor, .view, .tuple, .function, .object, .traced:
                        stack[base + Int(d)] = chunk.constants[Int(k)]
                    }
                case .readLocal(let d, let s, let site):
                    guard let v = stack[base + Int(s)] else { throw unassigned(chunk.reads[Int(site)]) }
                    setValue(base + Int(d), v)
                case .copy(let d, let s):
                    if let x = number(base, s) {
                        setPlain(base + Int(d), .number(x))  // a number left in a temporary holds nothing
                    } else {
                        setValue(base + Int(d), operand(base + Int(s), locals, s))
                    }
                case .readCell(let d, let i, let site):
                    guard let v = frameCells[Int(i)].value else { throw unassigned(chunk.reads[Int(site)]) }
                    stack[base + Int(d)] = v
                case .readCapture(let d, let i, let site):
                    guard let v = closureCaptures[Int(i)].value else { throw captureUnassigned(chunk.reads[Int(site)]) }
                    stack[base + Int(d)] = v
                case .storeCell(let i, let src):
                    frameCells[Int(i)].value = operand(base + Int(src), locals, src)
                case .truth(let d, let a, let site):
                    let v = operand(base + Int(a), locals, a)
                    if case .bool = v {
                        stack[base + Int(d)] = v
                    } else {
                        stack[base + Int(d)] = .bool(try truth(v, at: chunk.ranges[Int(site)]))
                    }
                case .not(let d, let a, let site):
                    let v = operand(base + Int(a), locals, a)
                    if case .bool(let b) = v {
                        stack[base + Int(d)] = .bool(!b)
                    } else {
                        stack[base + Int(d)] = .bool(!(try truth(v, at: chunk.ranges[Int(site)])))
                    }
                case .checkCallable(let a, let site):
                    // A callee in a register, or the global `-1 - a` looked at in its slot.
                    if !isCallable(base, a) {
                        if a < 0, globals[Int(-1 - a)] == nil { throw unknownName(chunk.calls[Int(site)].calleeRead) }
                        throw notCallable(load(base, a), chunk.calls[Int(site)])
                    }
                case .jumpIfTrue(let a, let to, let site):
                    let v = stack[base + Int(a)] ?? .null
                    if case .bool(let b) = v {
                        if b { pc = Int(to) }
                    } else if try truth(v, at: chunk.ranges[Int(site)]) {
                        pc = Int(to)
                    }
                case .readGlobal(let d, let g, let site):
                    if let x = number(base, -1 - g) {
                        setPlain(base + Int(d), .number(x))  // no copy of a Value to make, nor destroy
                    } else {
                        guard let v = globals[Int(g)] else { throw unknownGlobal(chunk.reads[Int(site)]) }
                        stack[base + Int(d)] = v
                    }
                case .storeLocal(let s, let src):
                    if let x = number(base, src) {
                        setPlain(base + Int(s), .number(x))
                    } else {
                        stack[base + Int(s)] = operand(base + Int(src), locals, src)
                    }
                case .storeGlobal(let g, let src):
                    if let x = number(base, src) {
                        setGlobalPlain(Int(g), .number(x))
                    } else {
                        setGlobal(Int(g), operand(base + Int(src), locals, src))
                    }

                case .binary(let op, let d, let a, let b, let site):
                    if let x = number(base, a), let y = number(base, b) {
                        putPlain(base, d, .number(Arithmetic.apply(op, x, y)))
                    } else {
                        let o = chunk.operators[Int(site)]
                        let v = try binaryGeneral(op, try value(base, locals, a, o.leftRead), try value(base, locals, b, o.rightRead), chunk, o)
                        put(base, d, v)
                    }
                case .binaryNumber(let op, let d, let a, let y, let site):
                    if let x = number(base, a) {
                        putPlain(base, d, .number(Arithmetic.apply(op, x, y)))
                    } else {
                        let o = chunk.operators[Int(site)]
                        put(base, d, try binaryGeneral(op, try value(base, locals, a, o.leftRead), .number(y), chunk, o))
                    }
                case .numberBinary(let op, let d, let x, let b, let site):
                    if let y = number(base, b) {
                        putPlain(base, d, .number(Arithmetic.apply(op, x, y)))
                    } else {
                        let o = chunk.operators[Int(site)]
                        put(base, d, try binaryGeneral(op, .number(x), try value(base, locals, b, o.rightRead), chunk, o))
                    }
                case .compare(let op, let d, let a, let b, let site):
                    if let x = number(base, a), let y = number(base, b) {
                        putPlain(base, d, .bool(Arithmetic.compare(op, x, y)))
                    } else if let same = compareInPlace(op, base, a, b) {
                        putPlain(base, d, .bool(same))
                    } else {
                        let o = chunk.operators[Int(site)]
                        put(base, d, try compare(op, try value(base, locals, a, o.leftRead), try value(base, locals, b, o.rightRead), at: o.range))
                    }
                case .compareNumber(let op, let d, let a, let y, let site):
                    if let x = number(base, a) {
                        putPlain(base, d, .bool(Arithmetic.compare(op, x, y)))
                    } else {
                        let o = chunk.operators[Int(site)]
                        put(base, d, try compare(op, try value(base, locals, a, o.leftRead), .number(y), at: o.range))
                    }
                case .compareString(let op, let d, let a, let k, let site):
                    if let same = compareInPlace(op, base, a, chunk, k) {
                        putPlain(base, d, .bool(same))
                    } else {
                        let o = chunk.operators[Int(site)]
                        put(base, d, try compare(op, try value(base, locals, a, o.leftRead), chunk.constants[Int(k)], at: o.range))
                    }
                case .compareNil(let equal, let d, let a, let site):
                    if let isNil = holdsNil(base, a) {
                        putPlain(base, d, .bool(isNil == equal))
                    } else {
                        put(base, d, try compareWithNil(equal, base, locals, a, chunk.operators[Int(site)]))
                    }
                case .unary(let op, let d, let a, let site):
                    if case .number(let x)? = stack[base + Int(a)] {
                        switch op {
                        case .negate: stack[base + Int(d)] = .number(-x)
                        case .plus: stack[base + Int(d)] = .number(x)
                        }
                    } else {
                        let v = try unaryGeneral(op, operand(base + Int(a), locals, a), chunk.operators[Int(site)])
                        stack[base + Int(d)] = v
                    }
                case .compound(let old, let b, let site):
                    let c = chunk.compounds[Int(site)]
                    if let x = number(base, old), let y = number(base, b) {
                        storePlain(c.target, .number(Arithmetic.apply(c.op, x, y)))
                    } else {
                        // x's value as read before the right side ran (a temporary copy is moved
                        // straight into the call, so x's buffer is held by x alone again).
                        try compoundGeneral(c, try value(base, locals, old, c.oldRead >= 0 ? chunk.reads[Int(c.oldRead)] : nil),
                                            try value(base, locals, b, c.rightRead >= 0 ? chunk.reads[Int(c.rightRead)] : nil))
                    }

                case .compoundNumber(let old, let y, let site):
                    let c = chunk.compounds[Int(site)]
                    if let x = number(base, old) {
                        storePlain(c.target, .number(Arithmetic.apply(c.op, x, y)))
                    } else {
                        try compoundGeneral(c, try value(base, locals, old, c.oldRead >= 0 ? chunk.reads[Int(c.oldRead)] : nil), .number(y))
                    }
                case .index(let d, let b, let keys, let site):
                    stack[base + Int(d)] = try index(chunk, base, b, keys, site)
                case .memberOfGlobal(let d, let g, let site):
                    let m = chunk.members[Int(site)]
                    // A switch with the item copied into a local before the register is written:
                    // this form reads the tuple in place (an `if case` retained and released it
                    // around every read).
                    switch globals[Int(g)] {
                    case .some(.tuple(let t)):
                        if let labels = t.labels, ObjectIdentifier(labels) == m.cachedLabels {
                            let item = t.items[m.cachedIndex]
                            stack[base + Int(d)] = item
                        } else {
                            stack[base + Int(d)] = try member(chunk, .tuple(t), site)
                        }
                    case let v?:
                        stack[base + Int(d)] = try member(chunk, v, site)
                    case nil:
                        throw unknownGlobal(m.global)
                    }
                case .element(let d, let b, let i, let j, let site):
                    if usesFastPaths, let k = elementKeys(base, i, j), let x = elementInPlace(base, b, k.x, k.y) {
                        if Int(b) >= locals { stack[base + Int(b)] = nil }
                        setPlain(base + Int(d), .number(x))
                    } else if j == Chunk.noOperand, b >= 0, usesFastPaths, let x = number(base, i),
                              let v = tupleItem(stack + base + Int(b), x) {
                        // `p[0]` of a tuple in a register: read in place, no call out of the loop.
                        if Int(b) >= locals { stack[base + Int(b)] = nil }
                        stack[base + Int(d)] = v
                    } else {
                        stack[base + Int(d)] = try element(chunk, base, b, i, j, site)
                    }
                case .elementLabel(let d, let b, let label, let site):
                    // `t["lr"]` of a tuple with the labels last seen here: the cached position, the
                    // tuple read in place (in its register or global slot).
                    let m = chunk.members[Int(label)]
                    if b >= 0, case .tuple(let t)? = stack[base + Int(b)], let labels = t.labels, ObjectIdentifier(labels) == m.cachedLabels {
                        let v = t.items[m.cachedIndex]
                        if Int(b) >= locals { stack[base + Int(b)] = nil }
                        stack[base + Int(d)] = v
                    } else if b < 0, let v = globalItem(Int(-1 - b), m) {
                        stack[base + Int(d)] = v
                    } else {
                        stack[base + Int(d)] = try elementLabel(chunk, base, b, label, site)
                    }
                case .setElement(let d, let value, let i, let j, let t, let site):
                    // A number into an element of the tensor a variable holds: written in place.
                    if t != Chunk.noOperand, usesFastPaths, let x = number(base, value), writeElement(base, t, x, i, j) {
                        if d != Chunk.noOperand { stack[base + Int(d)] = .number(x) }
                    } else {
                        let s = chunk.elementWrites[Int(site)]
                        let rhs = try self.value(base, locals, value, s.valueRead).materialized
                        let shown = try setElement(s, rhs, base, locals, i, j)
                        if d != Chunk.noOperand { stack[base + Int(d)] = shown }
                    }
                case .setElementNumber(let x, let i, let j, let t, let site):
                    if !usesFastPaths || !writeElement(base, t, x, i, j) {
                        _ = try setElement(chunk.elementWrites[Int(site)], .number(x), base, locals, i, j)
                    }
                case .elementShifted(let d, let b, let i, let k, let skip):
                    if usesFastPaths, let x = number(base, i), let v = elementInPlace(base, b, x + Double(k), nil) {
                        if Int(b) >= locals { stack[base + Int(b)] = nil }
                        setPlain(base + Int(d), .number(v))
                        pc = Int(skip)
                    }
                case .setElementShifted(let value, let t, let i, let k, let skip):
                    if usesFastPaths, let z = number(base, value), let x = number(base, i), writeElement(base, t, z, x + Double(k), nil) {
                        pc = Int(skip)
                    }
                case .member(let d, let b, let site):
                    // `p.x` on a tuple built by the same literal as last time: the cached position.
                    let m = chunk.members[Int(site)]
                    // A switch, as memberOfGlobal's: the tuple read in place, not retained.
                    switch stack[base + Int(b)] {
                    case .some(.tuple(let t)):
                        if let labels = t.labels, ObjectIdentifier(labels) == m.cachedLabels {
                            let v = t.items[m.cachedIndex]
                            if Int(b) >= locals { stack[base + Int(b)] = nil }
                            setValue(base + Int(d), v)
                        } else {
                            stack[base + Int(d)] = try member(chunk, base, b, site)
                        }
                    case .number?, .bool?, .string?, .tensor?, .view?, .function?, .object?, .null?, .traced?, nil:
                        stack[base + Int(d)] = try member(chunk, base, b, site)
                    }
                case .call(let d, let callee, let args, let site):
                    let f = operand(base + Int(callee), locals, callee)
                    let v = try call(f, chunk.calls[Int(site)], arguments: base + Int(args))
                    setValue(base + Int(d), v)
                case .callWith(let d, let callee, let args, let site):
                    let s = chunk.calls[Int(site)]
                    if let c = inlinable(s) {
                        // The function's frame is entered here, not by a call of this loop: its
                        // arguments read into the frame as `callWith` reads them, the caller kept.
                        let frame = sp, size = c.proto.registerCount
                        try enterFrame(s, base: base, locals: locals, frame: frame, size: size)
                        (inlineFrames + inlineCount).initialize(to: InlineFrame(chunk: chunk, pc: pc, base: base, dst: d, closure: c,
                                                                                 site: s, fp: fp, size: size))
                        inlineCount += 1
                        chunk = c.proto.chunk.unsafelyUnwrapped  // every closure's proto has its chunk (runFrame's body)
                        code = chunk.code
                        locals = chunk.localCount
                        base = frame
                        pc = 0
                        // As runFrame: the depth and an interrupt checked as the function is entered.
                        fp = frame
                        depth += 1
                        if depth > Interpreter.maxCallDepth { throw RuntimeError.recursionTooDeep }
                        try checkInterrupt()
                    } else {
                        let v = try callWith(callee, s, base: base, locals: locals, args: args)
                        setValue(base + Int(d), v)
                    }
                case .callGrowing(let d, let callee, let args, let site):
                    let s = chunk.calls[Int(site)]
                    if let v = try grown(s, base: base, locals: locals) {
                        stack[base + Int(d)] = v
                    } else {
                        stack[base + Int(d)] = try callWith(callee, s, base: base, locals: locals, args: args)
                    }

                case .jump(let to):
                    pc = Int(to)
                case .concatStart(let x, let site, let skip):
                    if !holdsString(chunk, base, x, site) { pc = Int(skip) }
                case .compareJump(let op, let a, let b, let to, let site):
                    if let x = number(base, a), let y = number(base, b) {
                        if !Arithmetic.compare(op, x, y) { pc = Int(to) }
                    } else if let same = compareInPlace(op, base, a, b) {
                        if !same { pc = Int(to) }
                    } else {
                        let o = chunk.operators[Int(site)]
                        let v = try compare(op, try value(base, locals, a, o.leftRead), try value(base, locals, b, o.rightRead), at: o.range)
                        if try !condition(v, at: o.range) { pc = Int(to) }
                    }
                case .compareNumberJump(let op, let a, let y, let to, let site):
                    if let x = number(base, a) {
                        if !Arithmetic.compare(op, x, y) { pc = Int(to) }
                    } else {
                        let o = chunk.operators[Int(site)]
                        let v = try compare(op, try value(base, locals, a, o.leftRead), .number(y), at: o.range)
                        if try !condition(v, at: o.range) { pc = Int(to) }
                    }
                case .compareStringJump(let op, let a, let k, let to, let site):
                    if let same = compareInPlace(op, base, a, chunk, k) {
                        if !same { pc = Int(to) }
                    } else {
                        let o = chunk.operators[Int(site)]
                        let v = try compare(op, try value(base, locals, a, o.leftRead), chunk.constants[Int(k)], at: o.range)
                        if try !condition(v, at: o.range) { pc = Int(to) }
                    }
                case .compareMemberStringJump(let op, let b, let m, let k, let to, let site):
                    if let same = compareMemberInPlace(op, chunk, base + Int(b), m, k) {
                        if !same { pc = Int(to) }
                    } else {
                        let v = try member(chunk, stack[base + Int(b)] ?? .null, m)
                        let o = chunk.operators[Int(site)]
                        if try !condition(try compare(op, v, chunk.constants[Int(k)], at: o.range), at: o.range) { pc = Int(to) }
                    }
                case .compareNilJump(let equal, let a, let to, let site):
                    if let isNil = holdsNil(base, a) {
                        if isNil != equal { pc = Int(to) }
                    } else {
                        let o = chunk.operators[Int(site)]
                        if try !condition(try compareWithNil(equal, base, locals, a, o), at: o.range) { pc = Int(to) }
                    }
                case .jumpIfFalse(let a, let to, let site):
                    // Read, not moved: `and`/`or` keep their result in the register tested.
                    let v = stack[base + Int(a)] ?? .null
                    if case .bool(let b) = v {
                        if !b { pc = Int(to) }
                    } else if try !truth(v, at: chunk.ranges[Int(site)]) {
                        pc = Int(to)
                    }
                case .loop(let to):
                    try checkInterrupt()
                    pc = Int(to)
                case .forNext(let b, let site, let exit, let variable):
                    if !nextStep(chunk, base, b, site, variable) { pc = Int(exit) }
                case .forLoop(let b, let site, let to, let variable):
                    try checkInterrupt()
                    if nextStep(chunk, base, b, site, variable) { pc = Int(to) }
                case .returnValue(let a):
                    // Moved out, a local's too: the frame ends here (its registers are cleared as
                    // it is left), so a copy would be retained only to be released there.
                    let v = stack[base + Int(a)].take() ?? .null
                    if inlineCount == entry { return v }
                    let f = leaveInline(frame: base)
                    chunk = f.chunk; code = chunk.code; locals = chunk.localCount; base = f.base; pc = f.pc
                    setValue(base + Int(f.dst), v)
                case .returnConstant(let k):
                    if inlineCount == entry { return chunk.constants[Int(k)] }
                    let v = chunk.constants[Int(k)]
                    let f = leaveInline(frame: base)
                    chunk = f.chunk; code = chunk.code; locals = chunk.localCount; base = f.base; pc = f.pc
                    setValue(base + Int(f.dst), v)
                case .returnNull:
                    if inlineCount == entry { return .null }
                    let f = leaveInline(frame: base)
                    chunk = f.chunk; code = chunk.code; locals = chunk.localCount; base = f.base; pc = f.pc
                    stack[base + Int(f.dst)] = .null
                case .returnNothing:
                    return nil
                case .matmul, .fused, .fusedCompound, .tensor, .tuple, .appendPiece, .concatCheck, .concatStore, .rangeBound, .rangeTensor, .closure, .pathAssign, .numericLoop, .forRange, .forRangeCall, .forSequence, .clearLocal,
                     .growableItem, .takeItem:
                    // Kept out of this loop so its frame stays small (each call is one of its frames).
                    try cold(instruction, chunk, base, &pc)
                case .typedMove, .typedAdd, .typedSubtract, .typedMultiply, .typedDivide, .typedRemainder, .typedPower, .typedNegate,
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
                    // Typed code runs in NumericMachine.run; no chunk holds it.
                    break
                }
            }
        } catch {
            // Each function entered in this loop is left as a call of it would leave it: its
            // loops' notes, then its call-chain entry at the call site, then the caller's notes.
            var e = annotated(error, chunk, at: pc - 1, base: base)
            while inlineCount > entry {
                let f = leaveInline(frame: base)
                e = unwinding(consume e, through: f.closure, callSite: f.site.range, in: f.site.file)
                chunk = f.chunk; base = f.base; pc = f.pc
                e = annotated(e, chunk, at: pc - 1, base: base)
            }
            throw e
        }
    }

    /// A call the machine runs by entering the function's frame in its loop (`callWith` of a
    /// function a global holds, taking the arguments by position, with no cells or captures
    /// to set up, which the numeric tier does not run): the closure, else nil (`callWith`).
    @inline(__always)
    private func inlinable(_ s: CallOperands) -> Closure? {
        guard case .global(let g)? = s.callee, usesFastPaths else { return nil }
        switch globals[Int(g)] {
        case .some(.function(let fn)):
            guard fn.kind == .closure else { return nil }
            let c = unsafeDowncast(fn, to: Closure.self)
            let proto = c.proto
            guard s.positional == proto.parameterCount, !proto.needsCellSetup,
                  !usesNumericTier || proto.leftToGeneralCode else { return nil }
            return c
        case .number?, .bool?, .string?, .tensor?, .view?, .tuple?, .object?, .null?, .traced?, nil:
            return nil
        }
    }

    /// Leaves the frame (at `frame`) of the function entered last in the loop, as runFrame and
    /// the call leave theirs; the caller's frame to go on with.
    @inline(__always)
    private func leaveInline(frame: Int) -> InlineFrame {
        inlineCount -= 1
        let f = (inlineFrames + inlineCount).move()
        depth -= 1
        fp = f.fp
        leaveFrame(base: frame, size: f.size)
        return f
    }

    /// The item of the global's tuple at the position cached at `m` when the tuple has the
    /// labels last seen there (a switch in place: the tuple is not retained to be read).
    @inline(__always)
    private func globalItem(_ g: Int, _ m: MemberSite) -> Value? {
        switch globals[g] {
        case .some(.tuple(let t)):
            guard let labels = t.labels, ObjectIdentifier(labels) == m.cachedLabels else { return nil }
            let item = t.items[m.cachedIndex]
            return item
        case .number?, .bool?, .string?, .tensor?, .view?, .function?, .object?, .null?, .traced?, nil:
            return nil
        }
    }

    /// A `for` loop's next value into its variable; false when the loop is done. (Registers
    /// that are not numbers cannot occur; the body then runs, as it always did.)
    @inline(__always)
    private func nextStep(_ chunk: Chunk, _ base: Int, _ b: Int32, _ site: Int32, _ variable: Int32) -> Bool {
        let i = base + Int(b)
        guard case .number(let k)? = stack[i + 2], case .number(let n)? = stack[i + 1] else { return true }
        let next = k + 1
        if next >= n { return false }
        // Safe: the register held a number (nothing to release).
        (stack + i + 2).initialize(to: .number(next))
        let v: Value
        // A switch over the register in place: the sequence is not copied (retained) per step.
        switch stack[i] {
        case .number(let first)?:
            guard case .number(let step)? = stack[i + 3] else { return true }
            if variable >= 0 {
                setPlain(base + Int(variable), .number(first + next * step))
                return true
            }
            if variable != Chunk.noOperand {
                setGlobalPlain(Int(-1 - variable), .number(first + next * step))
                return true
            }
            v = .number(first + next * step)
        case .tuple(let t)?:
            v = t.items[Int(next)]
        case .string(let s)?:
            // An ASCII string (startSequence): its character, the string not copied as a Value.
            v = .string(CodePoints.asciiCharacter(s, Int(next)))
        case .some(let sequence):
            v = element(sequence, Int(next))
        case nil:
            v = .null
        }
        if variable >= 0 {
            stack[base + Int(variable)] = v
        } else if variable != Chunk.noOperand {
            setGlobal(Int(-1 - variable), v)
        } else {
            store(chunk.loops[Int(site)].variable, v)  // a cell
        }
        return true
    }

    /// The instructions off the hot path of `run`.
    @inline(never)
    private func cold(_ instruction: Instruction, _ chunk: Chunk, _ base: Int, _ pc: inout Int) throws(RuntimeError) {
        let locals = chunk.localCount
        switch instruction {
        case .matmul(let d, let a, let b, let site):
            let x = operand(base + Int(a), locals, a), y = operand(base + Int(b), locals, b)
            do {
                stack[base + Int(d)] = try matmul(x, y)
            } catch { throw error.at(chunk.ranges[Int(site)]) }
        case .fused(let d, let site, let skip):
            let f = chunk.fusions[Int(site)]
            if f.state != .plain, let v = f.plan.evaluate(self, &f.state) {
                put(base, d, v)
                pc = Int(skip)
            }
        case .fusedCompound(let site, let skip):
            let c = chunk.compounds[Int(site)]
            let f = chunk.fusions[Int(c.fusion)]
            if f.state == .fusing, try f.plan.compound(self, c.target, c.op) != nil { pc = Int(skip) }
        case .tensor(let d, let first, let n, let site):
            stack[base + Int(d)] = try tensorLiteral(chunk, base, first, n, site)
        case .tuple(let d, let first, let n, let labels):
            tupleLiteral(chunk, base, d, first, n, labels)
        case .appendPiece(let d, let a, let site):
            try appendPiece(chunk, base, d, a, site)
        case .concatCheck(let site, let k):
            try concatCheck(chunk.concats[Int(site)], base, Int(k))
        case .concatStore(let site, let end):
            concatStore(chunk.concats[Int(site)], base)
            pc = Int(end)
        case .rangeBound(let a, let site):
            try rangeBound(chunk, base, a, site)
        case .rangeTensor(let d, let a, let b, let site):
            stack[base + Int(d)] = try rangeTensor(chunk, base, a, b, site)
        case .closure(let d, let p, let first):
            stack[base + Int(d)] = closure(chunk, base, p, first)
        case .clearLocal(let slot):
            stack[base + Int(slot)] = nil
        case .pathAssign(let d, let value, let keys, let site):
            let rhs = operand(base + Int(value), locals, value).materialized
            let shown = try pathAssign(chunk.paths[Int(site)], rhs, base + Int(keys), locals, first: keys)
            if d != Chunk.noOperand { stack[base + Int(d)] = shown }
        case .numericLoop(let site, let skip):
            if try chunk.numericLoops[Int(site)].run(self, frame: base) { pc = Int(skip) }
        case .forRange(let b, let lower, let upper, let site):
            try forRange(chunk, base, b, lower, upper, site)
        case .forRangeCall(let b, let callee, let args, let site):
            try forRangeCall(chunk, base, b, callee, args, site)
        case .forSequence(let b, let a, let site):
            try startSequence(base + Int(b), operand(base + Int(a), locals, a), chunk.loops[Int(site)])
        case .growableItem(let callee, let item, let otherwise):
            if !growsInPlace(base, callee, item) { pc = Int(otherwise) }
        case .takeItem(let d, let place, let done):
            if usesFastPaths, let v = take(chunk.takenItems[Int(place)]) {
                if d >= 0 { stack[base + Int(d)] = v } else { setGlobal(Int(-1 - d), v) }
                pc = Int(done)
            }
        case .concatStart, .element, .elementShifted, .setElement, .setElementShifted, .setElementNumber, .constant, .readLocal, .copy, .readCell, .readCapture, .storeCell, .truth, .not, .checkCallable, .jumpIfTrue, .readGlobal, .storeLocal, .storeGlobal, .binary, .binaryNumber, .numberBinary, .memberOfGlobal, .compare, .compareNumber, .compareNil, .compareString, .compareStringJump, .unary, .compound, .compoundNumber, .index, .member, .call, .callWith, .jump, .jumpIfFalse, .compareJump, .compareNumberJump, .compareNilJump, .compareMemberStringJump, .loop, .forNext, .forLoop, .returnValue, .returnNull, .returnConstant, .returnNothing, .elementLabel, .callGrowing:
            break  // run() handles these
        case .typedMove, .typedAdd, .typedSubtract, .typedMultiply, .typedDivide, .typedRemainder, .typedPower, .typedNegate,
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
            break  // typed code: NumericMachine.run's
        }
    }

    /// A comparison's result tested as a condition (a tensor's comparison is not a bool: the
    /// truth rule reports it where the condition is).
    @inline(never)
    private func condition(_ v: Value, at range: SourceRange) throws(RuntimeError) -> Bool {
        if case .bool(let b) = v { return b }
        return try truth(v, at: range)
    }

    // MARK: instructions kept out of the loop (a small frame for `run`: a call is one of its frames)

    @inline(never)
    private func tensorLiteral(_ chunk: Chunk, _ base: Int, _ first: Int32, _ n: Int32, _ site: Int32) throws(RuntimeError) -> Value {
        var values: [Value] = []
        values.reserveCapacity(Int(n))
        for k in 0..<Int(n) { values.append(operand(base + Int(first) + k, chunk.localCount, first + Int32(k))) }
        do {
            if autodiff.tape != nil, values.contains(where: { $0.containsTraced }) { return try tracedStack(values) }
            return .tensor(try Tensor.stacking(values, limit: maxElements))
        } catch { throw error.at(chunk.ranges[Int(site)]) }
    }

    /// `(x: ..., y: ...)` into `d`. `p = (x: p.x - lr * gx, y: ...)` in a loop writes its items
    /// into the storage of the tuple `p` held (taken out first, so it is held once unless
    /// something else shares it, when the write copies it as any copy-on-write would): no
    /// allocation per step.
    @inline(never)
    private func tupleLiteral(_ chunk: Chunk, _ base: Int, _ d: Int32, _ first: Int32, _ n: Int32, _ labels: Int32) {
        let count = Int(n)
        // A global's tuple is updated in its slot (tuple to tuple: no function bound or unbound).
        if d < 0, withGlobal(Int(-1 - d), { fillTuple($0, chunk, base, first, count, labels) }) { return }
        var held: Value?
        if d >= 0 {
            held = stack[base + Int(d)]
            stack[base + Int(d)] = nil
        } else {
            held = take(.global(Int(-1 - d)))
        }
        // Tuples hold tensors, never views (trees go to optimizers and built-ins as they are).
        func item(_ k: Int) -> Value { operand(base + Int(first) + k, chunk.localCount, first + Int32(k)).materialized }
        var tuple: TupleValue
        if case .tuple(let old)? = held, old.items.count == count {
            held = nil  // `tuple` alone holds the items now
            tuple = old
            for k in 0..<count { tuple.items[k] = item(k) }
            tuple.labels = chunk.labels[Int(labels)]
        } else {
            held = nil
            // Appended as they are moved out: no placeholder written and then replaced (each
            // write a destroy and a uniqueness check of the array).
            var items: [Value] = []
            items.reserveCapacity(count)
            for k in 0..<count { items.append(item(k)) }
            tuple = TupleValue(items, labels: chunk.labels[Int(labels)])
        }
        if d >= 0 { setValue(base + Int(d), .tuple(tuple)) } else { put(base, d, .tuple(tuple)) }
    }

    /// The literal's items written into the tuple of as many items that `cell` holds, moved out
    /// and back; false, with `cell` as it was, when it holds anything else.
    @inline(__always)
    private func fillTuple(_ cell: UnsafeMutablePointer<Value?>, _ chunk: Chunk, _ base: Int, _ first: Int32,
                           _ count: Int, _ labels: Int32) -> Bool {
        // Safe: `cell` is initialized, every path initializes it again, and what runs in
        // between (the items' moves out of their registers) touches no global.
        var held = cell.move()
        guard case .tuple(var tuple)? = held, tuple.items.count == count else {
            cell.initialize(to: held)
            return false
        }
        held = nil  // `tuple` alone holds the items now
        for k in 0..<count {
            tuple.items[k] = operand(base + Int(first) + k, chunk.localCount, first + Int32(k)).materialized
        }
        tuple.labels = chunk.labels[Int(labels)]
        cell.initialize(to: .tuple(tuple))
        return true
    }

    @inline(never)
    private func appendPiece(_ chunk: Chunk, _ base: Int, _ d: Int32, _ a: Int32, _ site: Int32) throws(RuntimeError) {
        let piece = chunk.pieces[Int(site)]
        let v = operand(base + Int(a), chunk.localCount, a)
        do { try checkPrintable(v) } catch { throw error.at(piece.range ?? SourceRange(start: 0, length: 0)) }
        var s = ""
        if case .string(let held)? = stack[base + Int(d)] {
            stack[base + Int(d)] = nil  // `s` alone holds the text: appended in place
            s = held
        }
        let text = str(v)
        let bytes = s.utf8.count + text.utf8.count + piece.text.utf8.count
        // The size rule, checked as each value and the text after it are appended.
        do { try checkStringSize(bytes) } catch { throw error.at(piece.range ?? SourceRange(start: 0, length: 0)) }
        // Past 15 bytes a string leaves its inline form: allocated once, at the whole size the
        // site expects, when it does ("run_\(i)_adam" stays inline, without an allocation).
        if bytes > 15 { s.reserveCapacity(Swift.max(piece.reserve, bytes)) }
        s += text
        s += piece.text
        stack[base + Int(d)] = .string(s)
    }

    /// Whether the variable of a concatenation holds a string (`x` its register or global
    /// operand, or `Chunk.noOperand` for a cell, named by the site).
    @inline(__always)
    private func holdsString(_ chunk: Chunk, _ base: Int, _ x: Int32, _ site: Int32) -> Bool {
        if x != Chunk.noOperand {
            if case .string? = load(base, x) { return true }
            return false
        }
        if case .string? = current(chunk.concats[Int(site)].target) { return true }
        return false
    }

    /// Piece `k` of `x = x + e1 + ...` checked as its `+` checks it in the general code: joined
    /// to a string (x and the pieces before it), it must be a string, and the bytes of the
    /// whole within the size rule; the error is that `+`'s, at its range. Then the string
    /// literals that follow it, each by the size rule at its own `+`: nothing runs between.
    @inline(never)
    private func concatCheck(_ c: ConcatSite, _ base: Int, _ k: Int) throws(RuntimeError) {
        let first = base + Int(c.first)
        var isString = c.texts[k] != nil
        if case .string? = stack[first + k] { isString = true }
        guard isString, case .string(let x)? = current(c.target) else {
            throw concatError(c, base, k)
        }
        var bytes = x.utf8.count
        for j in 0..<k { bytes += c.bytes(j, stack, base) }
        var j = k
        repeat {
            bytes += c.bytes(j, stack, base)
            do { try checkStringSize(bytes) } catch {
                for i in 0...j { stack[first + i] = nil }
                throw error.at(c.ranges[j])
            }
            j += 1
        } while j < c.texts.count && c.texts[j] != nil
    }

    /// The error of piece `k`'s `+` when it is not a string: the operator table's, for the
    /// string the general code would have built by then (`+` joins two strings only).
    @inline(never)
    private func concatError(_ c: ConcatSite, _ base: Int, _ k: Int) -> RuntimeError {
        let first = base + Int(c.first)
        var left = current(c.target) ?? .null
        for j in 0..<k {
            guard case .string(let s) = left else { break }
            if let t = c.texts[j] {
                left = .string(s + t)
            } else if case .string(let p)? = stack[first + j] {
                left = .string(s + p)
            }
        }
        let piece = c.texts[k].map { Value.string($0) } ?? stack[first + k] ?? .null
        for j in 0...k { stack[first + j] = nil }
        do {
            _ = try binary(.add, left, piece, at: c.ranges[k])
        } catch { return error }
        return RuntimeError.operandError(BinaryOperator.add.rawValue, left, piece).at(c.ranges[k])
    }

    /// The checked pieces appended to x's string, moved out of x first so that, held by x
    /// alone, it grows in place (Swift's strings grow geometrically) as `s += t` does.
    @inline(never)
    private func concatStore(_ c: ConcatSite, _ base: Int) {
        let first = base + Int(c.first)
        var held = take(c.target)
        guard case .string(var s)? = held else {
            if let held { store(c.target, held) }  // never: concatStart saw a string
            return
        }
        held = nil  // the enum's reference would make `s` look shared and force a copy
        for k in c.ranges.indices {
            if let t = c.texts[k] {
                s += t
            } else {
                if case .string(let p)? = stack[first + k] { s += p }
                stack[first + k] = nil
            }
        }
        store(c.target, .string(s))
    }

    @inline(never)
    private func rangeBound(_ chunk: Chunk, _ base: Int, _ a: Int32, _ site: Int32) throws(RuntimeError) {
        let b = chunk.bounds[Int(site)]
        let v = operand(base + Int(a), chunk.localCount, a)
        do {
            stack[base + Int(a)] = .number(try rangeBound(v, b.which))
        } catch { throw error.at(b.range) }
    }

    @inline(never)
    private func rangeTensor(_ chunk: Chunk, _ base: Int, _ a: Int32, _ b: Int32, _ site: Int32) throws(RuntimeError) -> Value {
        let s = chunk.bounds[Int(site)]
        guard case .number(let lo)? = stack[base + Int(a)], case .number(let hi)? = stack[base + Int(b)] else { return .null }
        do {
            let n = try rangeCount(lo, hi, inclusive: s.inclusive, allocates: true)
            return .tensor(Tensor(vector: (0..<n).map { lo + Double($0) }))
        } catch { throw error.at(s.range) }
    }

    @inline(never)
    private func closure(_ chunk: Chunk, _ base: Int, _ p: Int32, _ first: Int32) -> Value {
        let proto = chunk.protos[Int(p)]
        // `map(fn(x) = x * 2, p)` in a loop makes a closure per step: no array of nils for it.
        guard proto.hasDefaults else { return .function(makeClosure(proto, defaults: [])) }
        var defaults: [Value?] = []
        for (k, x) in proto.resolved.defaults.enumerated() {
            defaults.append(x == nil ? nil : operand(base + Int(first) + k, chunk.localCount, first + Int32(k)))
        }
        return .function(makeClosure(proto, defaults: defaults))
    }

    @inline(never)
    func index(_ chunk: Chunk, _ base: Int, _ b: Int32, _ keys: Int32, _ site: Int32) throws(RuntimeError) -> Value {
        let s = chunk.indexes[Int(site)]
        var v = operand(base + Int(b), chunk.localCount, b)
        if s.allSingle, case .tensor(let t) = v, let offset = elementOffset(t, base + Int(keys), s.items.count) {
            return .number(t.data[offset])
        }
        if s.oneSlice, usesFastPaths, let w = sliceView(v, base + Int(keys), s) { return w }
        let k = try indexKeys(s, base + Int(keys), chunk.localCount, first: keys)
        do {
            if let target = s.reusing, usesFastPaths, let cut = try cutInPlace(&v, k, target, base: base) { return cut }
            return try index(v, k)
        } catch { throw error.at(s.range) }
    }

    @inline(never)
    func member(_ chunk: Chunk, _ base: Int, _ b: Int32, _ site: Int32) throws(RuntimeError) -> Value {
        try member(chunk, operand(base + Int(b), chunk.localCount, b), site)
    }

    /// `v.name`: a tuple's label (its position cached at the site), or the general member.
    func member(_ chunk: Chunk, _ v: Value, _ site: Int32) throws(RuntimeError) -> Value {
        try member(v, chunk.members[Int(site)])
    }

    /// `v.name` read at site `s` (also a call's `.member` operand).
    @inline(never)
    func member(_ v: Value, _ s: MemberSite) throws(RuntimeError) -> Value {
        if case .tuple(let t) = v, let labels = t.labels, let i = s.position(in: labels) { return t.items[i] }
        do {
            if case .object(let o) = v, usesFastPaths, let m = try o.member(s.name, cache: s.objectCache, interpreter: self) {
                return m
            }
            return try member(v, s.name)
        } catch { throw error.at(s.nameRange) }
    }

    @inline(never)
    private func forRange(_ chunk: Chunk, _ base: Int, _ b: Int32, _ lower: Int32, _ upper: Int32, _ site: Int32) throws(RuntimeError) {
        let loop = chunk.loops[Int(site)]
        guard case .number(let lo)? = stack[base + Int(lower)], case .number(let hi)? = stack[base + Int(upper)] else { return }
        let n: Int
        do { n = try rangeCount(lo, hi, inclusive: loop.inclusive, allocates: false) } catch { throw error.at(loop.sequence) }
        startLoop(base + Int(b), first: .number(lo), count: n, step: 1)
    }

    @inline(never)
    private func forRangeCall(_ chunk: Chunk, _ base: Int, _ b: Int32, _ callee: Int32, _ args: Int32, _ site: Int32) throws(RuntimeError) {
        let loop = chunk.loops[Int(site)]
        let s = chunk.calls[Int(loop.call)]
        let f = operand(base + Int(callee), chunk.localCount, callee)
        guard case .function(let fn) = f, fn.kind == .builtin, fn.name == "range" else {
            try startSequence(base + Int(b), try call(f, s, arguments: base + Int(args)), loop)
            return
        }
        var values: [Value] = []
        for k in 0..<s.positional { values.append(operand(base + Int(args) + k, chunk.localCount, args + Int32(k))) }
        var a = Arguments(function: "range", positional: values)
        let (start, step, n): (Double, Double, Int)
        do {
            try a.bind(Builtins.rangeParameters)
            (start, step, n) = try Builtins.rangeBounds(&a, self)
        } catch { throw error.at(s.range) }
        startLoop(base + Int(b), first: .number(start), count: n, step: step)
    }

    // MARK: loops

    /// Registers of a loop over numbers: the first value, the count, the step number (-1
    /// before the first) and the step.
    @inline(__always)
    private func startLoop(_ i: Int, first: Value, count: Int, step: Double) {
        stack[i] = first
        stack[i + 1] = .number(Double(count))
        stack[i + 2] = .number(-1)
        stack[i + 3] = .number(step)
    }

    /// A loop over a value: a tensor's rows or elements, a tuple's items, a string's characters.
    private func startSequence(_ i: Int, _ value: Value, _ loop: LoopSite) throws(RuntimeError) {
        let seq = value.materialized
        let count: Int
        switch seq {
        case .tensor(let t):
            count = t.rank <= 1 ? t.count : t.shape[0]
            stack[i] = seq
        case .tuple(let tup):
            count = tup.count
            stack[i] = seq
        case .string(let s):
            // Its code points, as len counts them and s[i] picks them (not grapheme clusters:
            // "é" written as e and a combining accent is two). An ASCII string is walked in
            // place, byte by byte (nextStep); another one's code points are made at once.
            if CodePoints.isASCII(s) {
                count = s.utf8.count
                stack[i] = seq
            } else {
                let chars = s.unicodeScalars.map { Value.string(String($0)) }
                count = chars.count
                stack[i] = .tuple(TupleValue(chars))
            }
        case .number, .bool, .function, .object, .null, .traced, .view:
            throw RuntimeError("cannot iterate over \(seq.kindWithArticle)",
                               notes: ["note: a for loop walks a range, a tensor's first axis, a tuple or a string"]).at(loop.sequence)
        }
        stack[i + 1] = .number(Double(count))
        stack[i + 2] = .number(-1)
        stack[i + 3] = .null
    }

    // MARK: operators off the number path

    @inline(never)
    private func binaryGeneral(_ op: BinaryOperator, _ a: consuming Value, _ b: consuming Value, _ chunk: Chunk,
                               _ site: OperatorSite) throws(RuntimeError) -> Value {
        var a = a, b = b
        let v: Value
        if site.reuseLeft || site.reuseRight, let r = try binaryReusing(op, &a, &b, left: site.reuseLeft, right: site.reuseRight) {
            v = r
        } else {
            v = try binary(op, a, b, at: site.range)
        }
        // A plain root that produced a large tensor fuses from now on.
        if site.fusion >= 0, FusionPlan.worthFusing(v) { chunk.fusions[Int(site.fusion)].state = .fusing }
        return v
    }

    @inline(never)
    private func unaryGeneral(_ op: UnaryOperator, _ v: consuming Value, _ site: OperatorSite) throws(RuntimeError) -> Value {
        var v = v
        if op == .negate, site.reuseLeft, case .tensor(var t) = v {
            v = .null  // `t` alone holds the buffer now
            t.data.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = -p[i] } }
            return .tensor(t)
        }
        do {
            return try unary(op, v)
        } catch { throw error.at(site.range) }
    }

    /// `x op= rhs` off the number path: in place when x holds a tensor alone or a string.
    @inline(never)
    private func compoundGeneral(_ c: CompoundSite, _ old: consuming Value, _ rhs: Value) throws(RuntimeError) {
        if case .tensor = old {
            // Drop this copy first so the variable holds the buffer alone.
            _ = consume old
            if compoundInPlace(c.target, c.op, rhs) != nil { return }
            store(c.target, try binary(c.op, current(c.target) ?? .null, rhs, at: c.range))
            return
        }
        if case .string = old, c.op == .add, case .string(let suffix) = rhs {
            _ = consume old
            if appendInPlace(c.target, suffix) != nil { return }
            store(c.target, try binary(c.op, current(c.target) ?? .null, rhs, at: c.range))
            return
        }
        store(c.target, try binary(c.op, old, rhs, at: c.range))
    }
}

// Calls from compiled code: user closures get a frame of their chunk's registers (the
// numeric tier first when it covers them), built-ins and methods their bound arguments; an
// error gets the call site as a user function's call would (Interpreter+Calls.swift).

import Lexer
import Parser

extension Interpreter {
    /// Calls `f` with the arguments in the registers from `first` (moved out of them).
    func call(_ f: Value, _ s: CallOperands, arguments first: Int) throws(RuntimeError) -> Value {
        guard case .function(let fn) = f else {
            if case .object(let o) = f {
                do {
                    // `s(t)` once per step: no arguments array to bind when the object takes t directly.
                    if s.positional == 1, s.labels.isEmpty, usesFastPaths, let x = stack[first],
                       let v = try o.callDirect(x, interpreter: self) {
                        stack[first] = nil
                        return v
                    }
                    var args = arguments(s, first, name: o.kindName)
                    if let v = try o.call(&args, interpreter: self) { return v }
                } catch {
                    var e = error
                    e.leavingCall(at: s.range, in: s.file)
                    throw e
                }
            }
            throw RuntimeError.notCallable(f).at(s.calleeRange)
        }
        switch fn.kind {
        case .closure: return try callClosure(unsafeDowncast(fn, to: Closure.self), s, arguments: first)
        case .builtin: return try callBuiltin(unsafeDowncast(fn, to: BuiltinFunction.self), s, arguments: first)
        case .method: return try callMethod(unsafeDowncast(fn, to: BoundMethod.self), s, arguments: first)
        }
    }

    private func callClosure(_ c: Closure, _ s: CallOperands, arguments first: Int) throws(RuntimeError) -> Value {
        do {
            if s.labels.isEmpty && s.positional == c.proto.parameterCount {
                return try callClosure(c, argumentsAt: first, count: s.positional)
            }
            if autodiff.tape == nil, usesFastPaths { return try callClosure(c, bound: s, argumentsAt: first) }
            var args = arguments(s, first, name: c.name)
            return try callClosure(c, &args)
        } catch {
            throw unwinding(consume error, through: c, callSite: s.range, in: s.file)
        }
    }

    /// A call with labels or defaults left out, bound as the site last bound it for this
    /// function (CallOperands.boundOrder), its arguments moved from their registers straight
    /// into the frame: no arguments array, no names looked up (`huber(r, delta: 0.8)` in a loop
    /// over a tensor: 57 -> 26 ms). The errors are the binding rule's, as the general path's.
    private func callClosure(_ c: Closure, bound s: CallOperands, argumentsAt first: Int) throws(RuntimeError) -> Value {
        let proto = c.proto
        if s.boundProto !== proto {
            do {
                s.boundOrder = try proto.binding(positional: s.positional, labels: s.labels)
            } catch {
                throw bindingError(error, c, given: s.positional)
            }
            s.boundProto = proto
        }
        let frame = sp
        let size = proto.registerCount
        reserveStack(size)
        sp = frame + size
        defer { leaveFrame(base: frame, size: size) }
        for i in 0..<proto.parameterCount {
            if let k = s.boundOrder[i] {
                stack[frame + i] = stack[first + k] ?? .null
                stack[first + k] = nil
            } else {
                stack[frame + i] = try defaultArgument(c, i)
            }
        }
        if let v = try runNumeric(c, base: frame) { return v }
        return try runFrame(c, base: frame)
    }

    @inline(never)
    private func callBuiltin(_ bf: BuiltinFunction, _ s: CallOperands, arguments first: Int) throws(RuntimeError) -> Value {
        if let scalar = bf.scalar, s.positional == 1, s.labels.isEmpty {
            var v = stack[first] ?? .null
            stack[first] = nil
            if case .number(let x) = v { return .number(scalar(x)) }
            if s.temporaryArgument, autodiff.tape == nil, case .tensor(var t) = v {
                // sqrt(v / c): the quotient is a temporary; take the root in its buffer.
                v = .null
                t.data.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = scalar(p[i]) } }
                return .tensor(t)
            }
            var args = Arguments(function: bf.name, positional: [v])
            return try invoke(bf.builtin, &args, s)
        }
        if let direct = bf.builtin.direct, s.labels.isEmpty, s.positional == direct.arity, autodiff.tape == nil, usesFastPaths,
           let v = try callDirect(direct, views: bf.builtin.directTakesViews, s, arguments: first) {
            return v
        }
        var args = arguments(s, first, name: bf.name)
        if let target = s.reusing, bf.builtin.reusesArgument { return try invoke(bf.builtin, &args, s, reusing: target, at: 0) }
        return try invoke(bf.builtin, &args, s)
    }

    /// A built-in's direct entry (DirectBuiltin) with the arguments moved out of their registers
    /// (held by the call alone, as binding holds them). When it declines (a view to gather, an
    /// argument it leaves to `impl`) they are put back for the general path to bind.
    @inline(__always)
    private func callDirect(_ direct: DirectBuiltin, views: Bool, _ s: CallOperands, arguments first: Int) throws(RuntimeError) -> Value? {
        guard var x = stack[first] else { return nil }
        stack[first] = nil
        var y: Value?, z: Value?
        if direct.arity >= 2 {
            y = stack[first + 1]
            stack[first + 1] = nil
        }
        if direct.arity == 3 {
            z = stack[first + 2]
            stack[first + 2] = nil
        }
        if let v = try runDirect(direct, views: views, &x, y, z, s) { return v }
        stack[first] = x
        if direct.arity >= 2 { stack[first + 1] = y }
        if direct.arity == 3 { stack[first + 2] = z }
        return nil
    }

    /// Runs a direct entry on the arguments' values; nil when it declines (a view among them,
    /// unless it takes views, or a value it leaves to `impl`). Its errors point at the call, as
    /// `invoke` makes impl's.
    @inline(__always)
    private func runDirect(_ direct: DirectBuiltin, views: Bool, _ x: inout Value, _ y: Value?, _ z: Value? = nil,
                           _ s: CallOperands) throws(RuntimeError) -> Value? {
        if !views && (x.isView || y?.isView == true || z?.isView == true) { return nil }
        do {
            switch direct {
            case .one(let f): return try f(&x, self)
            case .two(let f): return try f(x, y ?? .null, self)
            case .growing(let f): return try runGrowing(f, &x, y ?? .null, s)
            case .three(let f): return try f(x, y ?? .null, z ?? .null, self)
            }
        } catch {
            var e = error
            e.leavingCall(at: s.range, in: s.file)
            throw e
        }
    }

    /// A `.growing` entry; in `x = f(x, y)` x's variable lets go of the value the entry may grow
    /// (held by it alone then, unless something else shares it), and gets it back unless the
    /// entry took it (an error, or a call left to `impl`, which lets go of it again).
    @inline(__always)
    private func runGrowing(_ f: @Sendable (inout Value, Value, Interpreter) throws(RuntimeError) -> Value?,
                            _ x: inout Value, _ y: Value, _ s: CallOperands) throws(RuntimeError) -> Value? {
        guard let target = s.reusing, lends(target, x) else { return try f(&x, y, self) }
        _ = take(target)
        release(s)
        let v: Value?
        do { v = try f(&x, y, self) } catch {
            store(target, x)
            throw error
        }
        if v == nil { store(target, x) }
        return v
    }

    /// `x = append(x, v)` (`callGrowing`): when the callee read in place is a built-in with a
    /// growing entry, no tape runs, x holds the very tensor or tuple passed and neither argument
    /// is a view, x lets go of its value and the entry grows it (held once, in place), as
    /// `callWith`'s direct entry and `runGrowing` would, without their reads, checks and copies.
    /// Nil, with every register and variable as it was, when anything differs or the entry
    /// declines: `callWith` then runs the call (and reports what is wrong).
    @inline(never)
    func grown(_ s: CallOperands, base: Int, locals: Int) throws(RuntimeError) -> Value? {
        guard let target = s.reusing, case .global(let g)? = s.callee, autodiff.tape == nil, usesFastPaths,
              s.operands.count == 2 else { return nil }
        // The callee looked at in its slot (not copied out): a built-in's growing entry.
        let f: @Sendable (inout Value, Value, Interpreter) throws(RuntimeError) -> Value?
        switch globals[Int(g)] {
        case .some(.function(let fn)):
            guard fn.kind == .builtin, let entry = unsafeDowncast(fn, to: BuiltinFunction.self).growing else { return nil }
            f = entry
        case .number?, .bool?, .string?, .tensor?, .view?, .tuple?, .object?, .null?, .traced?, nil:
            return nil
        }
        let first = s.operands[0], second = s.operands[1]
        if case .register(let r) = first, target.path.isEmpty, case .local(let slot) = target.variable, Int(r) == slot {
            // x read in place from its own register: moved out of it, no copy to compare.
            let i = base + slot
            switch stack[i] {
            case .tuple?, .tensor?: break
            case .number?, .bool?, .string?, .view?, .function?, .object?, .null?, .traced?, nil: return nil
            }
            guard let y = peek(second, s, base), !y.isView else { return nil }
            // Safe: the register holds a tensor or tuple (checked above).
            var x = stack[i].take().unsafelyUnwrapped
            // `b = append(acc, k); acc = b`: b's old value, which shares acc's, goes too.
            release(s, base: base)
            let v: Value?
            do { v = try f(&x, y, self) } catch {
                stack[i] = x
                var e = error
                e.leavingCall(at: s.range, in: s.file)
                throw e
            }
            guard let v else {
                stack[i] = x
                return nil
            }
            if let r = Self.temporaryRegister(second, locals) { stack[base + r] = nil }
            return v
        }
        guard var x = peek(first, s, base), let y = peek(second, s, base), !y.isView,
              let p = x.storageIdentity, takeItem(target, sharing: p) else { return nil }
        // x's value held by `x` alone (unless something else shares it): out of the variable
        // (takeItem) and out of a temporary copy's register.
        let temporary = Self.temporaryRegister(first, locals)
        if let r = temporary { stack[base + r] = nil }
        release(s)
        let v: Value?
        do { v = try f(&x, y, self) } catch {
            store(target, x)
            var e = error
            e.leavingCall(at: s.range, in: s.file)
            throw e
        }
        guard let v else {
            store(target, x)
            if let r = temporary { stack[base + r] = x }
            return nil
        }
        if let r = Self.temporaryRegister(second, locals) { stack[base + r] = nil }
        return v
    }

    /// A taken call's statement target (`ys` in `ys = append(s.xs, i); s.xs = ys`), whose old
    /// value may share what the call takes, let go of with it (CallOperands.releases).
    @inline(__always)
    private func release(_ s: CallOperands, base: Int? = nil) {
        let r = s.releases
        if r == Chunk.noOperand { return }
        if r >= 0 {
            stack[(base ?? fp) + Int(r)] = nil
        } else {
            setGlobal(Int(-1 - r), nil)
            markLent(Int(-1 - r))
        }
    }

    /// `growableItem`: whether the callee (a register, or the global `-1 - callee` looked at in
    /// its slot) is a built-in with a growing entry (`append`) and register `item` holds a tuple,
    /// which it grows whatever the other argument is: the call cannot fail. Not under a tape or
    /// with the shortcuts off, where the elements run in order.
    func growsInPlace(_ base: Int, _ callee: Int32, _ item: Int32) -> Bool {
        guard usesFastPaths, autodiff.tape == nil, case .tuple? = stack[base + Int(item)] else { return false }
        switch callee >= 0 ? stack[base + Int(callee)] : globals[Int(-1 - callee)] {
        case .function(let fn)?:
            return fn.kind == .builtin && unsafeDowncast(fn, to: BuiltinFunction.self).growing != nil
        case .number?, .bool?, .string?, .tensor?, .view?, .tuple?, .object?, .null?, .traced?, nil:
            return false
        }
    }

    /// A `callWith` operand's value where it is, not moved or checked (nil: unassigned).
    @inline(__always)
    private func peek(_ o: CallOperand, _ s: CallOperands, _ base: Int) -> Value? {
        switch o {
        case .register(let r), .local(let r): return stack[base + Int(r)]
        case .cell(let i): return frameCells[Int(i)].value
        case .capture(let i): return closureCaptures[Int(i)].value
        case .global(let g): return globals[Int(g)]
        case .member(let r, let m):
            // Only the tuple item at the cached position (nil: the call's general path reads it).
            switch stack[base + Int(r)] {
            case .some(.tuple(let t)):
                let site = s.members[Int(m)]
                guard let labels = t.labels, ObjectIdentifier(labels) == site.cachedLabels else { return nil }
                return t.items[site.cachedIndex]
            case .number?, .bool?, .string?, .tensor?, .view?, .function?, .object?, .null?, .traced?, nil:
                return nil
            }
        case .arithmetic:
            return nil  // computed, not read: the call's general path computes it
        }
    }

    /// The register of a `callWith` operand that is a temporary (moved out when it is used).
    @inline(__always)
    private static func temporaryRegister(_ o: CallOperand, _ locals: Int) -> Int? {
        if case .register(let r) = o, Int(r) >= locals { return Int(r) }
        return nil
    }

    /// A `callWith` operand: a temporary moved out, a local copied, a variable read with its
    /// read's check.
    @inline(__always)
    func value(of o: CallOperand, _ read: @autoclosure () -> ReadSite?, _ s: CallOperands, _ base: Int, _ locals: Int) throws(RuntimeError) -> Value {
        switch o {
        case .register(let r):
            return operand(base + Int(r), locals, r)
        case .local(let r):
            guard let v = stack[base + Int(r)] else { throw unassignedRead(read()) }
            return v
        case .cell(let i):
            guard let v = frameCells[Int(i)].value else { throw unassignedRead(read()) }
            return v
        case .capture(let i):
            guard let v = closureCaptures[Int(i)].value else { throw captureUnassignedRead(read()) }
            return v
        case .global(let g):
            guard let v = globals[Int(g)] else { throw unknownName(read()) }
            return v
        case .member(let r, let m):
            // As the `member` instruction: a tuple's item at the cached position, looked at in
            // place (the tuple is not retained to be read), else the general member.
            let site = s.members[Int(m)]
            let i = base + Int(r)
            switch stack[i] {
            case .some(.tuple(let t)):
                if let labels = t.labels, ObjectIdentifier(labels) == site.cachedLabels { return t.items[site.cachedIndex] }
            case .number?, .bool?, .string?, .tensor?, .view?, .function?, .object?, .null?, .traced?, nil:
                break
            }
            return try member(stack[i] ?? .null, site)
        case .arithmetic(let r, let k):
            // As `binaryNumber` and `numberBinary`: two numbers by the one arithmetic, anything
            // else by the general operator, whose error points at the expression.
            let a = s.arithmetic[Int(k)]
            let i = base + Int(r)
            if case .number(let x)? = stack[i] {
                return .number(a.numberFirst ? Arithmetic.apply(a.op, a.y, x) : Arithmetic.apply(a.op, x, a.y))
            }
            let v = stack[i] ?? .null
            return try a.numberFirst ? binary(a.op, .number(a.y), v, at: a.range) : binary(a.op, v, .number(a.y), at: a.range)
        }
    }

    /// `callWith` of closure c, which takes the call's arguments by position: read where they
    /// are, straight into c's frame.
    @inline(__always)
    private func enter(_ c: Closure, _ s: CallOperands, base: Int, locals: Int) throws(RuntimeError) -> Value {
        let frame = sp
        let size = c.proto.registerCount
        try enterFrame(s, base: base, locals: locals, frame: frame, size: size)
        defer { leaveFrame(base: frame, size: size) }
        do {
            if let v = try runNumeric(c, base: frame) { return v }
            return try runFrame(c, base: frame)
        } catch {
            throw unwinding(consume error, through: c, callSite: s.range, in: s.file)
        }
    }

    /// Reserves a frame of `size` registers at `frame` (the stack's top) and reads the call's
    /// arguments into it by position; a read that fails leaves it and fails at the call site,
    /// before the function is entered.
    ///
    /// In `x = f(x, ...)` with x a local of a function (`CallOperands.reusing`), x then lets go
    /// of its value: f holds it alone and may update it in place (`return append(x, v)`), where
    /// x's copy made `t = push(t, v)` copy the whole tuple at each call. x is not read before the
    /// call's result is stored in it: if f fails, the error leaves this frame, and x with it. The
    /// same for a local the statement assigns again before reading it (`r = step(xs, t); xs =
    /// r[0]`), with the statement's target (`releases`); and for a global of a top-level
    /// `x = f(x, ...)` that no function names, in a run an error ends (`lendsGlobal`).
    @inline(__always)
    func enterFrame(_ s: CallOperands, base: Int, locals: Int, frame: Int, size: Int) throws(RuntimeError) {
        reserveStack(size)
        sp = frame + size
        do {
            for k in 0..<s.positional { setValue(frame + k, try argument(s, k, base, locals)) }
        } catch {
            leaveFrame(base: frame, size: size)
            throw error
        }
        guard let place = s.reusing else { return }
        if place.path.isEmpty {
            switch place.variable {
            case .local(let slot) where stack[base + slot]?.isLendable == true:
                // A tuple's, a tensor's or a string's: a number's register stays, written over
                // in place.
                stack[base + slot] = nil
                release(s, base: base)
            case .global(let g) where s.lendsGlobal && globals[g]?.isLendable == true:
                // Nothing the function runs names g, and an error ends the run.
                globals[g] = nil
                markLent(g)
                release(s, base: base)
            case .local, .global, .cell:
                break
            }
        } else {
            // `s.xs = push(s.xs, v)`: the item leaves s (nil in its stead), as a built-in's
            // growing call takes it; s is not read before the item is written back, and an
            // error ends the frame (or the run: lendsGlobal).
            switch place.variable {
            case .local:
                if current(place)?.isLendable == true { _ = take(place) }
            case .global where s.lendsGlobal:
                if current(place)?.isLendable == true { _ = take(place) }
            case .global, .cell:
                break
            }
        }
        // `r = f(a, b); a = r[0]; b = r[1]`: the other variables the statement assigns again
        // before reading them (ChunkCompiler.statement(_:before:)), owned by the code.
        for other in s.alsoLent {
            switch other.variable {
            case .local(let slot):
                if stack[base + slot]?.isLendable == true { stack[base + slot] = nil }
            case .global(let g):
                if globals[g]?.isLendable == true {
                    globals[g] = nil
                    markLent(g)
                }
            case .cell:
                break
            }
        }
    }

    @inline(__always)
    private func argument(_ s: CallOperands, _ k: Int, _ base: Int, _ locals: Int) throws(RuntimeError) -> Value {
        try value(of: s.operands[k], s.operandReads[k], s, base, locals)
    }

    @inline(never)
    func unknownName(_ site: ReadSite?) -> RuntimeError {
        let site = site ?? ReadSite(name: "", range: SourceRange(start: 0, length: 0))
        return RuntimeError.unknownName(site.name, candidates: boundGlobalNames).at(site.range)
    }

    @inline(never)
    private func unassignedRead(_ site: ReadSite?) -> RuntimeError {
        let site = site ?? ReadSite(name: "", range: SourceRange(start: 0, length: 0))
        return RuntimeError.unassignedLocal(site.name).at(site.range)
    }

    @inline(never)
    private func captureUnassignedRead(_ site: ReadSite?) -> RuntimeError {
        let site = site ?? ReadSite(name: "", range: SourceRange(start: 0, length: 0))
        return RuntimeError("variable '\(site.name)' of an enclosing function is read before it is assigned").at(site.range)
    }

    /// `callWith`: the callee (in `callee`'s register, or where `s.callee` says) is read and
    /// checked first, then the arguments are read where they are, in order; a closure taking
    /// them all by position gets them straight into its frame, a built-in's direct entry as
    /// values, everything else from the consecutive registers at `args` as `call` has them.
    /// Out of line: `run`'s frame stays as small as `call` keeps it.
    @inline(never)
    func callWith(_ callee: Int32, _ s: CallOperands, base: Int, locals: Int, args: Int32) throws(RuntimeError) -> Value {
        let n = s.positional
        if case .global(let g)? = s.callee {
            // `f(x)` of a function a global holds, looked at in its slot: no copy of the value.
            switch globals[Int(g)] {
            case .some(.function(let fn)):
                switch fn.kind {
                case .closure:
                    let c = unsafeDowncast(fn, to: Closure.self)
                    if n == c.proto.parameterCount { return try enter(c, s, base: base, locals: locals) }
                case .builtin:
                    // `len(xs)` in a loop's test: the direct entry, the callee not copied out.
                    let bf = unsafeDowncast(fn, to: BuiltinFunction.self)
                    if let direct = bf.builtin.direct, n == direct.arity, autodiff.tape == nil, usesFastPaths {
                        return try callDirect(bf, direct, s, base: base, locals: locals, args: args)
                    }
                case .method:
                    break
                }
            case .number?, .bool?, .string?, .tensor?, .view?, .tuple?, .object?, .null?, .traced?, nil:
                break
            }
        }
        let f: Value
        if let o = s.callee {
            f = try value(of: o, s.calleeRead, s, base, locals)
        } else {
            f = operand(base + Int(callee), locals, callee)
        }
        switch f {
        case .function(let fn):
            switch fn.kind {
            case .closure:
                let c = unsafeDowncast(fn, to: Closure.self)
                guard n == c.proto.parameterCount else { break }
                return try enter(c, s, base: base, locals: locals)
            case .builtin:
                let bf = unsafeDowncast(fn, to: BuiltinFunction.self)
                guard let direct = bf.builtin.direct, n == direct.arity, autodiff.tape == nil, usesFastPaths else { break }
                return try callDirect(bf, direct, s, base: base, locals: locals, args: args)
            case .method:
                break
            }
        case .object(let o):
            guard o.isCallable else { throw RuntimeError.notCallable(f).at(s.calleeRange) }
        case .number, .bool, .string, .tensor, .view, .tuple, .null, .traced:
            throw RuntimeError.notCallable(f).at(s.calleeRange)
        }
        for k in 0..<n { stack[base + Int(args) + k] = try argument(s, k, base, locals) }
        return try call(f, s, arguments: base + Int(args))
    }

    /// A built-in's call through its direct entry: the arguments read where they are, in
    /// order; when the entry declines, they go to the registers at `args` and the general call.
    @inline(__always)
    private func callDirect(_ bf: BuiltinFunction, _ direct: DirectBuiltin, _ s: CallOperands, base: Int, locals: Int,
                            args: Int32) throws(RuntimeError) -> Value {
        let n = s.positional
        var x = try argument(s, 0, base, locals)
        let y = n >= 2 ? try argument(s, 1, base, locals) : nil
        let z = n == 3 ? try argument(s, 2, base, locals) : nil
        if let v = try runDirect(direct, views: bf.builtin.directTakesViews, &x, y, z, s) { return v }
        stack[base + Int(args)] = x
        if let y { stack[base + Int(args) + 1] = y }
        if let z { stack[base + Int(args) + 2] = z }
        return try call(.function(bf), s, arguments: base + Int(args))
    }

    @inline(never)
    private func callMethod(_ m: BoundMethod, _ s: CallOperands, arguments first: Int) throws(RuntimeError) -> Value {
        // The receiver and one or two arguments to the method's direct entry (`a.update(x)`,
        // `opt.step(w, g)`), as a built-in's: the arguments array and its binding were most of a
        // short method's call. `w = opt.step(w, g)` may lend w only when w has storage to lend
        // (a tensor or tuple): a number goes direct.
        let method = m.entry
        let n = s.positional
        if let direct = method.builtin.direct, n == 1 || n == 2, direct.arity == n + 1, s.labels.isEmpty, autodiff.tape == nil,
           usesFastPaths, s.reusing == nil || !method.builtin.reusesArgument || stack[first]?.storageIdentity == nil {
            var receiver = m.receiver
            let x = stack[first] ?? .null
            stack[first] = nil
            var y: Value?
            if n == 2 {
                y = stack[first + 1]
                stack[first + 1] = nil
            }
            if let v = try runDirect(direct, views: method.builtin.directTakesViews, &receiver, x, y, s) { return v }
            stack[first] = x
            if n == 2 { stack[first + 1] = y }
        }
        var args = arguments(s, first, name: m.name, receiver: m.receiver)
        if let target = s.reusing, method.builtin.reusesArgument { return try invoke(method.builtin, &args, s, reusing: target, at: 1) }
        return try invoke(method.builtin, &args, s)
    }

    /// The arguments in registers as the built-ins and the general call path take them.
    private func arguments(_ s: CallOperands, _ first: Int, name: String, receiver: Value? = nil) -> Arguments {
        var positional: [Value] = []
        positional.reserveCapacity(s.positional + 1)
        // A method's receiver comes first (put there now, not inserted after: no second array).
        if let receiver { positional.append(receiver) }
        for k in 0..<s.positional {
            positional.append(stack[first + k] ?? .null)
            stack[first + k] = nil
        }
        var named: [(label: String, value: Value)] = []
        for (k, label) in s.labels.enumerated() {
            named.append((label, stack[first + s.positional + k] ?? .null))
            stack[first + s.positional + k] = nil
        }
        return Arguments(function: name, positional: positional, labelled: named)
    }

    private func invoke(_ b: Builtin, _ args: inout Arguments, _ s: CallOperands) throws(RuntimeError) -> Value {
        do {
            try args.bind(b.parameters, hints: b.labelHints, keepsViews: b.keepsViews)
            if autodiff.tape != nil, args.containsTraced { return try callTraced(b, &args) }
            return try b.impl(&args, self)
        } catch {
            var e = error
            e.leavingCall(at: s.range, in: s.file)
            throw e
        }
    }

    /// `x = f(x, ...)` with a built-in or method that may update its first argument (at `k`
    /// among the arguments: after a method's receiver) in place: when x holds the very tensor
    /// or tuple passed, x lets go of it so the call holds the only reference, unless something
    /// else shares it (copy-on-write then copies it, as it always did); if the call fails, x
    /// gets it back.
    private func invoke(_ b: Builtin, _ args: inout Arguments, _ s: CallOperands, reusing target: ReusedPlace,
                        at k: Int) throws(RuntimeError) -> Value {
        guard args.positional.count > k, lends(target, args.positional[k]) else { return try invoke(b, &args, s) }
        _ = take(target)
        release(s)
        do {
            return try invoke(b, &args, s)
        } catch {
            // The built-in leaves its argument in place when it fails.
            let original = args.bound.count > k ? args.bound[k] : args.positional[k]
            if let original { store(target, original) }
            throw error
        }
    }

    /// Whether the place holds the very tensor or tuple passed (its storage), which it may let
    /// go of for the call (`CallOperands.reusing`).
    @inline(__always)
    private func lends(_ target: ReusedPlace, _ passed: Value) -> Bool {
        guard let p = passed.storageIdentity else { return false }
        return current(target)?.storageIdentity == p
    }

    /// A closure called with exactly its positional parameters, from registers.
    @inline(__always)
    private func callClosure(_ c: Closure, argumentsAt first: Int, count: Int) throws(RuntimeError) -> Value {
        let proto = c.proto
        let frame = sp
        let size = proto.registerCount
        reserveStack(size)
        sp = frame + size
        defer { leaveFrame(base: frame, size: size) }
        for k in 0..<count {
            stack[frame + k] = stack[first + k]
            stack[first + k] = nil
        }
        if let v = try runNumeric(c, base: frame) { return v }
        return try runFrame(c, base: frame)
    }
}

// Calling user functions: frames on the value stack, argument binding, closures and the
// call chain that errors collect as they unwind.

import Lexer

extension Interpreter {
    /// The call of closure `c` through the numeric tier when its function has numeric code
    /// and every argument is a number (or a tensor its code reads); nil when the general code
    /// must run it.
    @inline(__always)
    func runNumeric(_ c: Closure, base: Int) throws(RuntimeError) -> Value? {
        guard usesNumericTier else { return nil }
        let proto = c.proto
        let f: NumericFunction
        switch proto.numeric {
        case .compiling: return nil
        case .unsupported: return try runNumericWithTensors(proto, base: base)
        case .ready(let ready): f = ready
        case .untried:
            guard let compiled = NumericCompiler.function(for: proto, closure: c, self) else { return try runNumericWithTensors(proto, base: base) }
            f = compiled
        }
        let n = proto.parameterCount
        guard n <= Interpreter.numericArgumentCapacity else { return try runNumeric(f, c, manyArguments: n, base: base) }
        // The numbers go through the interpreter's buffer: the numeric machine copies them into
        // its registers before it runs anything, so a call inside can use the buffer again. (A
        // temporary allocation around a throwing closure copied its large Result out on every
        // call: 8% of a closure-heavy loop.)
        for k in 0..<n {
            guard case .number(let x)? = stack[base + k] else { return try runNumericWithTensors(proto, base: base) }
            numericArguments[k] = x
        }
        guard let v = try numericMachine.call(f, UnsafeBufferPointer(start: numericArguments, count: n), closure: c,
                                              depth: depth + 1, self) else {
            return nil
        }
        if numericMachine.returned != nil { return takeNumericResult() }
        return .number(v)
    }

    /// runNumeric for a function of more parameters than the interpreter's buffer holds.
    @inline(never)
    private func runNumeric(_ f: NumericFunction, _ c: Closure, manyArguments n: Int, base: Int) throws(RuntimeError) -> Value? {
        var arguments: [Double] = []
        arguments.reserveCapacity(n)
        for k in 0..<n {
            guard case .number(let x)? = stack[base + k] else { return try runNumericWithTensors(c.proto, base: base) }
            arguments.append(x)
        }
        let result = try arguments.withUnsafeBufferPointer { (p) throws(RuntimeError) -> Double? in
            try numericMachine.call(f, p, closure: c, depth: depth + 1, self)
        }
        guard let v = result else { return nil }
        if numericMachine.returned != nil { return takeNumericResult() }
        return .number(v)
    }

    /// Whether a tuple of `count` numbers, where the code before took `kind`, comes as a list.
    private static func comesAsList(_ kind: NumericParameter?, count: Int) -> Bool {
        switch kind {
        case .list?: return true
        case .tuple(let names)?: return names.count != count
        case .number?, .tensor?, .string?, .function?, .rows?, .record?, .rowList?, nil: return false
        }
    }

    /// Whether rows that registers could hold (`rows`), where the code before took `kind`,
    /// come as column lists: the code before took them so, or took another count of rows.
    private static func comesAsRowList(_ kind: NumericParameter?, _ rows: NumericParameter) -> Bool {
        switch kind {
        case .rowList?: return true
        case .rows?: return kind != rows
        case .number?, .tensor?, .string?, .function?, .tuple?, .record?, .list?, nil: return false
        }
    }

    /// The kinds of the arguments at a first call that passes more than numbers: numbers,
    /// tensors of one or two axes (the numeric code reads their elements and lengths), tuples
    /// of numbers and of rows of numbers; nil when one is of another kind, or all are numbers.
    /// `before`: the kinds of the code that did not take these arguments; a tuple it took in
    /// registers comes as a list now (NumericParameter.list, .rowList) when this one is of
    /// another length, and one it took as a list stays one.
    private func argumentKinds(_ proto: FunctionProto, base: Int, before: [NumericParameter]? = nil) -> [NumericParameter]? {
        var kinds: [NumericParameter] = []
        for k in 0..<proto.parameterNames.count {
            switch stack[base + k] {
            case .number?: kinds.append(.number)
            case .tensor(let t)? where t.rank == 1 || t.rank == 2: kinds.append(.tensor(rank: t.rank))
            case .tuple(let t)?:
                if case .tuple(let names)? = NumericAggregate.of(stack[base + k]) {
                    if Interpreter.comesAsList(before?[k], count: names.count), let list = NumericParameter.list(of: stack[base + k]) {
                        kinds.append(list)
                    } else {
                        kinds.append(.tuple(names))
                    }
                } else if t.count == 0 || t.count > NumericLoop.longestVector, let list = NumericParameter.list(of: stack[base + k]) {
                    kinds.append(list)
                } else if let rows = NumericParameter.rows(of: stack[base + k]), !Interpreter.comesAsRowList(before?[k], rows) {
                    // (Not a record: its code is for compiled callers only, worthEnteringFromGeneralCode.)
                    kinds.append(rows)
                } else {
                    guard let rows = NumericParameter.rowList(of: stack[base + k]) else { return nil }
                    kinds.append(rows)
                }
            case .string?: kinds.append(.string)
            case .function(let fn)? where fn.kind == .closure && unsafeDowncast(fn, to: Closure.self).proto.captureSources.isEmpty:
                kinds.append(.function(unsafeDowncast(fn, to: Closure.self).proto))
            case .bool?, .tensor?, .view?, .function?, .object?, .null?, .traced?, nil:
                return nil
            }
        }
        return kinds.allSatisfy({ $0 == .number }) ? nil : kinds
    }

    /// runNumeric for a call with tensor or tuple arguments: the code for them (compiled at the
    /// first such call; a function first called from here with other arguments is left to the
    /// general code for good), when the arguments are of the kinds it was compiled for.
    @inline(never)
    private func runNumericWithTensors(_ proto: FunctionProto, base: Int) throws(RuntimeError) -> Value? {
        let f: NumericFunction
        switch proto.numericWithTensors {
        case .unsupported, .compiling: return nil
        case .ready(let ready): f = ready
        case .untried:
            guard let kinds = argumentKinds(proto, base: base) else {
                proto.numericWithTensors = .unsupported
                return nil
            }
            guard let compiled = NumericCompiler.function(for: proto, parameters: kinds, self)
                    ?? compiledWithLists(proto, kinds, base: base) else { return nil }
            f = compiled
        }
        guard f.worthEnteringFromGeneralCode else { return nil }
        return try runNumeric(f, mixedArguments: proto.parameterNames.count, base: base)
    }

    /// Code that does not fit a tuple in registers (`len(a)` of one) may fit it as a list: tried
    /// once, with every such tuple of the call a list; nil when there is none, or it fails too.
    private func compiledWithLists(_ proto: FunctionProto, _ kinds: [NumericParameter], base: Int) -> NumericFunction? {
        let lists = kinds.indices.map { k in
            if case .tuple = kinds[k], let list = NumericParameter.list(of: stack[base + k]) { return list }
            return kinds[k]
        }
        guard lists != kinds else { return nil }
        proto.numericWithTensors = .untried
        return NumericCompiler.function(for: proto, parameters: lists, self)
    }

    /// A call of code for tensor or tuple arguments: they must be of the kinds it was compiled
    /// for (else code for theirs, or the general code, runs the call); a tuple's numbers go to
    /// its registers in place.
    private func runNumeric(_ f: NumericFunction, mixedArguments n: Int, base: Int) throws(RuntimeError) -> Value? {
        var numbers = mixedNumbers, tensors = mixedTensors
        mixedNumbers = []
        mixedTensors = []
        defer {
            numbers.removeAll(keepingCapacity: true)
            tensors.removeAll(keepingCapacity: true)
            mixedNumbers = numbers
            mixedTensors = tensors
        }
        var width = 0
        for p in f.parameters { width += p.width }
        numbers.append(contentsOf: repeatElement(0, count: width))
        var strings: [String] = []
        var lists = 0
        var register = 0
        for k in 0..<n {
            switch f.parameters[k] {
            case .rowList(let names):
                guard loadRows(stack[base + k], names, into: lists) else { return try respecialized(f, n, base: base) }
                lists += names.count
            case .list:
                guard loadList(stack[base + k], into: lists) else { return try respecialized(f, n, base: base) }
                lists += 1
            case .string:
                guard case .string(let s)? = stack[base + k] else { return try respecialized(f, n, base: base) }
                strings.append(s)
            case .number:
                guard case .number(let x)? = stack[base + k] else { return try respecialized(f, n, base: base) }
                numbers[register] = x
            case .tensor(let rank):
                guard case .tensor(let t)? = stack[base + k], t.rank == rank else { return try respecialized(f, n, base: base) }
                tensors.append(t)
            case .tuple(let names):
                guard case .tuple(let t)? = stack[base + k], t.count == names.count,
                      (t.labels?.names ?? Array(repeating: nil, count: t.count)) == names else { return try respecialized(f, n, base: base) }
                for (i, item) in t.items.enumerated() {
                    guard case .number(let x) = item else { return try respecialized(f, n, base: base) }
                    numbers[register + i] = x
                }
            case .function(let proto):
                guard case .function(let fn)? = stack[base + k], fn.kind == .closure,
                      unsafeDowncast(fn, to: Closure.self).proto === proto else { return try respecialized(f, n, base: base) }
            case .record:
                // Never: code for a record is for compiled callers only (worthEnteringFromGeneralCode).
                return nil
            case .rows:
                guard NumericParameter.rows(of: stack[base + k]) == f.parameters[k], case .tuple(let t)? = stack[base + k] else {
                    return try respecialized(f, n, base: base)
                }
                var i = register
                for case .tuple(let row) in t.items {
                    for case .number(let x) in row.items {
                        numbers[i] = x
                        i += 1
                    }
                }
            }
            register += f.parameters[k].width
        }
        // A tensor the code writes leaves the frame while it runs: the argument then holds it
        // alone when the caller lent it, and the code writes it in place (writingCopy).
        // (A parameter's site has its slot; this code has no record parameters.)
        var written = false
        for site in f.tensors where site.writable {
            stack[base + site.slot] = nil
            written = true
        }
        let result = try numericMachine.call(f, numbers, tensors: &tensors, strings: strings, depth: depth + 1, self)
        if written {
            // Back, as they were passed (a give-up: the general code runs the call), or as
            // written (the frame is let go of).
            for (i, site) in f.tensors.enumerated() where site.writable { stack[base + site.slot] = .tensor(tensors[i]) }
        }
        guard let v = result else { return nil }
        if numericMachine.returned != nil { return takeNumericResult() }
        return .number(v)
    }

    /// A list parameter's tuple (NumericParameter.list) into list k of the machine's first
    /// frame: its numbers, the list's memory kept from the call before; false when it is not an
    /// unlabelled tuple of numbers, or the machine runs (its lists are the running code's).
    /// Out of line, as loadRows: runNumeric is inlined at every call site of the general code,
    /// and these loops there made calls of tuple code 6% slower (welford_tuple).
    @inline(never)
    private func loadList(_ v: Value?, into k: Int) -> Bool {
        guard !numericMachine.isRunning, case .tuple(let t)? = v, t.labels == nil else { return false }
        let list = numericMachine.lists.list(frame: 0, k)
        list.pointee.removeAll(keepingCapacity: true)
        for item in t.items {
            guard case .number(let x) = item else { return false }
            list.pointee.append(x)
        }
        return true
    }

    /// A rows parameter's tuple (NumericParameter.rowList) into lists k, k + 1, ... of the
    /// machine's first frame, a column each, every row checked as it is read (numbers, with
    /// the labels the code was compiled for); false as loadList.
    @inline(never)
    private func loadRows(_ v: Value?, _ names: [String?], into k: Int) -> Bool {
        guard !numericMachine.isRunning, case .tuple(let t)? = v, t.labels == nil else { return false }
        let columns = names.indices.map { numericMachine.lists.list(frame: 0, k + $0) }
        for column in columns {
            column.pointee.removeAll(keepingCapacity: true)
            column.pointee.reserveCapacity(t.count)
        }
        guard case .tuple(let first)? = t.items.first else { return t.items.isEmpty }
        guard (first.labels?.names ?? Array(repeating: nil, count: first.count)) == names else { return false }
        for item in t.items {
            guard case .tuple(let row) = item, NumericParameter.isRow(row, like: first) else { return false }
            for (j, column) in columns.enumerated() {
                if case .number(let x) = row.items[j] { column.pointee.append(x) }
            }
        }
        return true
    }

    /// A call whose arguments are not of the kinds f's code takes: code for theirs, compiled in
    /// f's place (a function handed different functions in turn, `iterate(half_step, ...)` then
    /// `iterate(fn(x) = cos(x), ...)`), up to a few times for a proto; then the general code.
    @inline(never)
    private func respecialized(_ f: NumericFunction, _ n: Int, base: Int) throws(RuntimeError) -> Value? {
        let proto = f.proto
        guard proto.respecializations < FunctionProto.mostRespecializations, let kinds = argumentKinds(proto, base: base, before: f.parameters),
              kinds != f.parameters else { return nil }
        proto.respecializations += 1
        proto.numericWithTensors = .untried
        guard let compiled = NumericCompiler.function(for: proto, parameters: kinds, self) else {
            // Kinds its code does not fit (a built-in handed where a function was): the code
            // for the kinds before stays.
            proto.numericWithTensors = .ready(f)
            return nil
        }
        return try runNumeric(compiled, mixedArguments: n, base: base)
    }

    /// `return (v: v, s: s)` or a string returned by numeric code: the value the general code
    /// would return. Out of line, so the call sites that inline runNumeric stay as small as they were.
    @inline(never)
    private func takeNumericResult() -> Value {
        guard let returned = numericMachine.returned else { return .null }
        numericMachine.returned = nil
        switch returned {
        case .tuple(let values, let labels): return .tuple(TupleValue(values.map { .number($0) }, labels: labels))
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .tensor(let t): return .tensor(t)
        case .tensorArgument:
            // Never: the call for tensor arguments made it `tensor` (NumericMachine.call).
            return .null
        }
    }

    /// A closure called with exactly its positional parameters, by built-ins such as `grad`
    /// (no argument binding); nil when the general path is needed.
    func callClosureDirect(_ f: Value, _ first: Value, _ rest: ArraySlice<Value>) throws(RuntimeError) -> Value? {
        guard case .function(let fn) = f, fn.kind == .closure else { return nil }
        let c = unsafeDowncast(fn, to: Closure.self)
        let proto = c.proto
        guard proto.parameterCount == 1 + rest.count else { return nil }
        let base = sp
        reserveStack(proto.registerCount)
        sp = base + proto.registerCount
        defer { leaveFrame(base: base, size: proto.registerCount) }
        stack[base] = first
        for (k, v) in rest.enumerated() { stack[base + 1 + k] = v }  // k counts from 0 in a slice too
        do {
            return try runFrame(c, base: base)
        } catch {
            throw leavingClosure(error, c)
        }
    }

    /// An error leaving closure `c` that a built-in called: where it arose is in c's file, and
    /// c's call-chain entry waits for the built-in's call site (RuntimeError.leavingCall).
    func leavingClosure(_ error: RuntimeError, _ c: Closure) -> RuntimeError {
        var e = error
        if e.file == nil { e.file = c.proto.file }
        if e.range != nil && e.kind == .error {
            e.callChain.append(CallSite(function: c.name, file: c.proto.file, range: RuntimeError.pendingSite))
        }
        return e
    }

    /// The general path: labelled arguments and defaults.
    func callClosure(_ c: Closure, _ args: inout Arguments) throws(RuntimeError) -> Value {
        let proto = c.proto
        if args.labelled.isEmpty && args.positional.count == proto.parameterCount {
            // Every parameter by position (map's closure on each leaf): straight into the frame.
            // The array of bound values this skips asked the runtime for its type's metadata
            // on every call (a tenth of map_tree).
            let base = sp
            reserveStack(proto.registerCount)
            sp = base + proto.registerCount
            defer { leaveFrame(base: base, size: proto.registerCount) }
            for k in 0..<args.positional.count { stack[base + k] = args.positional[k] }
            if autodiff.tape == nil, let v = try runNumeric(c, base: base) { return v }
            return try runFrame(c, base: base)
        }
        let order: [Int?]
        do {
            order = try proto.binding(positional: args.positional.count, labels: args.labelled.map(\.label))
        } catch {
            throw bindingError(error, c, given: args.positional.count)
        }
        let base = sp
        reserveStack(proto.registerCount)
        sp = base + proto.registerCount
        defer { leaveFrame(base: base, size: proto.registerCount) }
        for (i, k) in order.enumerated() {
            if let k {
                stack[base + i] = k < args.positional.count ? args.positional[k] : args.labelled[k - args.positional.count].value
            } else {
                stack[base + i] = try defaultArgument(c, i)
            }
        }
        // Bound (labelled arguments, defaults): the numeric tier's code takes it as a call by
        // position.
        if autodiff.tape == nil, let v = try runNumeric(c, base: base) { return v }
        return try runFrame(c, base: base)
    }

    /// What a binding problem (FunctionProto.binding) says of a call of `c` with `given`
    /// positional arguments.
    func bindingError(_ problem: FunctionProto.BindingProblem, _ c: Closure, given: Int) -> RuntimeError {
        let names = c.proto.parameterNames
        switch problem {
        case .tooMany:
            return RuntimeError("'\(c.name)' takes \(names.count) argument\(names.count == 1 ? "" : "s") (got \(given))")
        case .unknownLabel(let label):
            var e = RuntimeError("'\(c.name)' has no parameter '\(label)'")
            if let s = nearestName(label, in: names) { e.message += "; did you mean '\(s)'?" }
            return e
        case .twice(let label):
            return RuntimeError("argument '\(label)' given twice to '\(c.name)'")
        }
    }

    /// Parameter i's default in `c`, for a call that left it out.
    @inline(__always)
    func defaultArgument(_ c: Closure, _ i: Int) throws(RuntimeError) -> Value {
        guard i < c.defaults.count, let d = c.defaults[i] else {
            throw RuntimeError("missing argument '\(c.proto.parameterNames[i])' to '\(c.name)'")
        }
        return d
    }

    @inline(__always)
    func leaveFrame(base: Int, size: Int) {
        // Most registers are empty by now (temporaries are moved out when used): testing the
        // tag skips the destroy call an assignment would make for each.
        for i in base..<(base + size) {
            if case .none = stack[i] { continue }
            stack[i] = nil
        }
        sp = base
    }

    @inline(__always)
    func runFrame(_ c: Closure, base: Int) throws(RuntimeError) -> Value {
        depth += 1
        defer { depth -= 1 }
        if depth > Interpreter.maxCallDepth { throw RuntimeError.recursionTooDeep }
        try checkInterrupt()
        let savedFp = fp
        fp = base
        defer { fp = savedFp }
        let proto = c.proto
        guard proto.needsCellSetup else { return try body(proto) }
        // A function without cells of its own never reads them (nor do closures it makes, which
        // capture only its captures): the caller's stay in place, one swap fewer per call.
        guard proto.cellCount > 0 else {
            let savedCaptures = closureCaptures
            defer { closureCaptures = savedCaptures }
            closureCaptures = c.captures
            return try body(proto)
        }
        let savedCells = frameCells, savedCaptures = closureCaptures
        var cells: [Cell] = []
        defer {
            frameCells = savedCells
            closureCaptures = savedCaptures
            CycleBreaker.collect(cells)
        }
        for _ in 0..<proto.cellCount { cells.append(Cell(nil)) }
        for (p, cell) in proto.capturedParameters { cells[cell].value = stack[base + p] }
        frameCells = cells
        closureCaptures = c.captures
        return try body(proto)
    }

    @inline(__always)
    private func body(_ proto: FunctionProto) throws(RuntimeError) -> Value {
        // Closures are made of the chunk compiler's protos only (the machine's closure
        // instruction), and every one of those has its chunk.
        try execute(proto.chunk!) ?? .null
    }

    /// Adds one call-chain entry as an error leaves a user function. An error without a
    /// location arose in the call itself (binding, depth): it belongs to the call site.
    /// The error is consumed, and its callers pass theirs with `consume`: the chain is then
    /// held once and grows in place. A copy at each level made an error that left 10,000
    /// frames (the recursion limit) copy the chain 10,000 times: 1.4 s before it showed.
    func unwinding(_ error: consuming RuntimeError, through c: Closure, callSite: SourceRange, in file: SourceFile) -> RuntimeError {
        var e = consume error
        // A closure a built-in called whose call site no built-in call claimed (an object's
        // member that called it): its entry is left out.
        if e.callChain.last?.range == RuntimeError.pendingSite { e.callChain.removeLast() }
        if e.range == nil {
            e.range = callSite
            e.file = file
            return e
        }
        if e.file == nil { e.file = c.proto.file }
        guard e.kind == .error else { return e }
        e.callChain.append(CallSite(function: c.name, file: file, range: callSite))
        return e
    }

    /// A closure over the current frame's cells and captures, with its defaults' values.
    func makeClosure(_ proto: FunctionProto, defaults: [Value?]) -> Closure {
        var captures: [Cell] = []
        captures.reserveCapacity(proto.captureSources.count)
        for source in proto.captureSources {
            switch source {
            case .cell(let i): captures.append(frameCells[i])
            case .capture(let i): captures.append(closureCaptures[i])
            }
        }
        return Closure(proto: proto, captures: captures, defaults: defaults)
    }

    /// Calls any callable value (used by built-ins such as `map`).
    public func call(_ callee: Value, _ args: inout Arguments, at range: SourceRange? = nil) throws(RuntimeError) -> Value {
        switch callee {
        case .function(let fn):
            switch fn.kind {
            case .closure:
                let c = unsafeDowncast(fn, to: Closure.self)
                do {
                    // Built-ins read the result's elements: a returned view is gathered here.
                    return try callClosure(c, &args).materialized
                } catch {
                    throw leavingClosure(error, c)
                }
            case .builtin:
                let b = unsafeDowncast(fn, to: BuiltinFunction.self).builtin
                var a = Arguments(function: b.name, positional: args.positional, labelled: args.labelled)
                try a.bind(b.parameters, keepsViews: b.keepsViews)
                if autodiff.tape != nil, a.containsTraced { return try callTraced(b, &a) }
                return try b.impl(&a, self)
            case .method:
                let m = unsafeDowncast(fn, to: BoundMethod.self)
                var a = Arguments(function: m.name, positional: [m.receiver] + args.positional, labelled: args.labelled)
                try a.bind(m.method.parameters)
                if autodiff.tape != nil, a.containsTraced { return try callTraced(m.method, &a) }
                return try m.method.impl(&a, self)
            }
        case .object(let o):
            if let v = try o.call(&args, interpreter: self) { return v }
            throw RuntimeError.notCallable(callee)
        case .number, .bool, .string, .tensor, .view, .tuple, .null, .traced:
            throw RuntimeError.notCallable(callee)
        }
    }

    /// Calls with positional arguments only.
    public func call(_ callee: Value, _ positional: [Value]) throws(RuntimeError) -> Value {
        var args = Arguments(function: "", positional: positional)
        return try call(callee, &args)
    }

    @inline(__always)
    func store(_ ref: VariableRef, _ value: Value) {
        switch ref {
        case .local(let slot): stack[fp + slot] = value
        case .cell(let i): frameCells[i].value = value
        case .global(let slot): setGlobal(slot, value)
        }
    }

    /// `store` of a number or a bool (`s += x`): written over an old value that holds no
    /// reference without its destroy (setPlain, setGlobalPlain).
    @inline(__always)
    func storePlain(_ ref: VariableRef, _ value: Value) {
        switch ref {
        case .local(let slot): setPlain(fp + slot, value)
        case .cell(let i): frameCells[i].value = value
        case .global(let slot): setGlobalPlain(slot, value)
        }
    }
}

// Compiles a function's resolved tree to numeric register code (NumericCode.swift), or says
// it does not fit: any node outside the subset, a local that may be read before it is
// assigned or that holds two kinds, a call of anything but a scalar built-in, `min`/`max`,
// `len`, `str`, `format` or another function that fits. Bools and tuples of numbers live in
// number registers; strings in string registers of their own: built by interpolation, `format`
// and `str` of numbers, joined with `+`, compared, measured by `len`, returned, taken as
// arguments (read only) and held by a top-level loop's string globals; a string local does not
// fit. Functions made in the function or handed to it are not values here: their calls are
// compiled in place (NumericInlining.swift).

import Lexer
import Parser

struct NumericCompiler {
    struct Unsupported: Error {}

    /// Operands while compiling: locals are their slots; constants, globals read and
    /// temporaries are numbered apart and placed once the function is compiled (constants after
    /// the locals, then the globals, then the temporaries, so a call's arguments are the frame's
    /// last registers and the callee's frame starts on them).
    private enum Operand: Equatable {
        case local(Int)
        case constant(Int)
        case global(Int)
        case capture(Int)
        case temporary(Int)
        /// A string register: a loop's string globals (below `stringRegisters`), then temporaries;
        /// the string globals read (stringGlobal) are placed between them.
        case text(Int)
        case stringGlobal(Int)
        /// A string written in the code (`stringConstants`), placed after the string globals.
        case stringConstant(Int)
        /// A labelled number of a global tuple read (`h.lr`), loaded at each call (`fields`).
        case field(Int)
        /// The registers of the tuple locals (`a = hanoi(n - 1)`), placed before the temporaries.
        case aggregate(Int)
        /// A register of the frame as it is (a tuple parameter's numbers).
        case frame(Int)
    }

    /// What an operand holds: a number, a bool (0 or 1), a vector of n numbers in n
    /// consecutive registers (a top-level loop's tensor global, a gradient, a step's result),
    /// or a string (in a string register).
    private enum Kind: Equatable {
        case number, bool, vector(Int), string
        /// A tuple of numbers with these labels' names, in consecutive registers (a tuple
        /// literal, a tuple local, a call of a function that returns one, a loop's tuple global).
        case tuple([String?])
        /// A tuple of n tuples of numbers with these labels' names, row after row (a parameter:
        /// `fit(data, epochs)` with `data = ((0, 1), (1, 3.1), ...)`), walked by `for`.
        case rows(Int, [String?])

        /// A grad's or a step's operand: nil for a number, a vector's length; a bool is neither.
        func width() throws(Unsupported) -> Int? {
            switch self {
            case .number: return nil
            case .vector(let n): return n
            case .bool, .string, .tuple, .rows: throw Unsupported()
            }
        }
    }

    /// An interpolation's piece while compiling (NumericInterpolation.Piece, registers not placed).
    private enum Piece {
        case text(String)
        case number(Operand)
        case formatted(Operand, FormatSpec)
        case string(Operand)
    }

    private struct Loop {
        var breaks: [Int] = []
        var continues: [Int] = []
    }

    private let interpreter: Interpreter
    private let function: NumericFunction
    private var code: [(NumericInstruction, [Operand?])] = []
    private var constants: [Double] = []
    /// Global slots read as numbers (`lr` set at the top level): loaded at every call.
    private var globals: [Int] = []
    private var temporaries = 0, mostTemporaries = 0
    /// Temporaries a loop keeps for its whole body (a range's bounds and counter).
    private var reserved = 0
    private var assigned: Set<Int>
    private var loops: [Loop] = []
    /// A top-level loop's globals that it assigns, each with the register that holds it while
    /// the loop runs (NumericLoop.swift); empty for a function.
    private var globalLocals: [Int: Int] = [:]
    /// Those of them that are vectors (a 1-D tensor held in registers while the loop runs),
    /// with their length, and those that are tuples of numbers, with their labels' names.
    private var vectors: [Int: Int] = [:]
    private var tuples: [Int: [String?]] = [:]
    /// Those that are strings, with their string register.
    private var strings: [Int: Int] = [:]
    /// Those string globals that hold one code point where the code being compiled runs (`ch`
    /// in `for ch in text`, or after `ch = text[i]` in its block, in a loop that assigns ch
    /// nowhere else), each with the number register that holds the code point's value
    /// (codePointValue): a comparison with a string of one code point written in the code, or
    /// with another of them, compares these numbers (`ch == "a"`: code point order is the
    /// order of such strings), not the strings.
    private var codePointShadows: [Int: Operand] = [:]
    /// A function's locals that hold tuples of numbers (`a = hanoi(n - 1, ...)`), each with its
    /// first register among the aggregates and its labels' names; a local holds one kind.
    private var tupleLocals: [Int: (base: Operand, names: [String?])] = [:]
    /// The register of each parameter (the parameters' registers come one after another, a
    /// tuple's numbers in place), and how many more registers than parameters they take: the
    /// locals after them move up by that many. Empty for code of numbers only.
    private var parameterRegisters: [Int] = []
    private var parameterExtra = 0
    /// String parameters, each with its string register (the first ones, with a record's
    /// strings: `passedStrings` registers come with the call), then a function's locals that
    /// it assigns strings (stringLocalsOf), each with a register of its own.
    private var stringLocals: [Int: Int] = [:]
    private var passedStrings = 0
    private var aggregateCount = 0
    /// The variables' registers stored as numbers (parameters, assignments, loop variables, a
    /// loop's number globals), and those stored as bools (`prime = n >= 2`, `stopped = false`,
    /// a loop's bool globals): a variable holds one kind.
    private var numberRegisters: Set<Int>
    private var boolRegisters: Set<Int> = []
    /// The labels of the tuple literals compiled, by their names (a returned tuple's labels).
    private var labelsByNames: [[String?]: TupleLabels] = [:]
    /// Calls whose callee returns a tuple into the caller's registers (their destination is
    /// flagged NumericFunction.tupleDestination when placed).
    private var tupleCalls: Set<Int> = []
    /// Labelled numbers of global tuples read (`h.lr`): loaded at every call.
    private var fields: [NumericField] = []
    /// The tuples read by a computed position (`lrs[t % 5]`): their first register and length.
    private var picks: [(first: Operand, count: Int, width: Int)] = []
    /// A function's parameters that are rows (NumericParameter.rows): their first register,
    /// how many rows and the labels' names of each.
    private var rowLocals: [Int: (base: Operand, count: Int, names: [String?])] = [:]
    /// String registers: the loop's string globals, then temporaries (never reused within a
    /// statement; a string frame is small).
    private var stringRegisters = 0, stringTemporaries = 0, mostStringRegisters = 0
    private var interpolations: [(pieces: [Piece], reserve: Int, valueRanges: [SourceRange]?, join: Bool, appends: Bool)] = []
    /// Global slots read as strings: loaded at every call, as `globals`.
    private var stringGlobals: [NumericStringSource] = []
    /// Strings written in the code and read as values (`name == "relu"`): loaded into string
    /// registers of their own at every call, rather than made at every evaluation.
    private var stringConstants: [String] = []
    /// Strings written in the code that compareText compares against (NumericFunction.texts).
    private var texts: [String] = []
    private var compilingLoop = false
    /// The closure the function is compiled for: its captures' kinds (numbers read, closures
    /// called) are those of every closure of the proto it will run for (checked at each call).
    private var closure: Closure?
    /// The captured numbers read, each loaded at every call from the closure called.
    private var captures: [Int] = []
    /// A function's tensor parameters (NumericFunction.tensors), by parameter.
    private var tensorParameters: [Int: NumericTensorSite] = [:]
    /// A function's record parameters (NumericParameter.record), read only by their labels:
    /// each item's number register, tensor site or string register.
    private var recordParameters: [Int: (kind: NumericParameter, read: [String: RecordItem])] = [:]
    private enum RecordItem {
        case number(Operand), tensor(NumericTensorSite), string(Int), other
    }
    /// Local functions (`f = fn(w) = ...`, `fn sq(x) = x * x` in the body), by the local that
    /// holds them: made once and only called or differentiated, so no closure is made and
    /// each call compiles in place, its body renamed into this frame (NumericInlining).
    private struct LocalFunction {
        let proto: FunctionProto
        /// The place in this frame each of its captures reads.
        let captures: [Place]
    }
    private var localFunctions: [Int: LocalFunction] = [:]
    /// Locals holding optimizers and schedules the function makes (`opt = adam(lr: lr)`,
    /// `s = schedule("cosine", 0.1, 1000)`), each with its index among the function's objects:
    /// only stepped (`opt.step(w, g)`) or called (`s(t)`), never passed on.
    private var objectLocals: [Int: Int] = [:]
    private var objectCount = 0
    private static let objectConstructors = Set(Builtins.optimizers.map(\.name) + ["schedule", "ewa"])
    /// The constructor each object local was made by (`ewa`: its update returns a tuple).
    private var objectMakers: [Int: String] = [:]
    /// The local each of the function's cells is (a captured parameter's: the parameter's).
    private var cellLocals: [Int: Int] = [:]
    /// Locals past the proto's frame: its cells', and those of the calls compiled in place.
    private var extraLocals = 0
    /// How many calls compiled in place deep the code being compiled is; the most any of its
    /// code takes (NumericFunction.inlinedDepth).
    private var inlineDepth = 0, mostInlineDepth = 0
    private static let inlineLimit = 8
    /// The range count of a top-level `for` being compiled, run once before its first iteration.
    private var outerRangeCount: Int?
    /// A loop's `for` statements (NumericFunction.forLoops), their registers placed by finish.
    private var forLoops: [(statement: SourceRange, body: Range<Int>, lower: Operand, counter: Operand, text: Operand?)] = []
    /// The growing lists (NumericLists.swift), by the register of their variable (a local's
    /// slot, a loop's global's register): the list's index in the frame's list file, whether
    /// it stands for a vector (nil until its first `xs = ()` or `xs = []` says), and the global
    /// its `append` is read from.
    private var lists: [Int: (index: Int, tensor: Bool?, append: Int)] = [:]
    /// The rows parameters held as column lists (NumericParameter.rowList), by their slot: the
    /// index of the first column's list, and the rows' labels' names. (The slot is in `lists`
    /// too, as its first column, so that every read the lists refuse refuses it, and listOf
    /// and listAssign refuse it as a list; the other columns are entries under negative keys,
    /// which no register has.)
    private var rowLists: [Int: (first: Int, names: [String?])] = [:]

    /// The functions one request compiles (a function and those it calls). If one of them
    /// does not fit, the others that finished may call it: they are compiled again later.
    private final class Session {
        /// Each with whether it is the code for tuple or tensor arguments (numericWithTensors).
        var finished: [(proto: FunctionProto, forOtherArguments: Bool)] = []
        /// The closures that closures called through captures hold (and theirs, 4 deep): a
        /// call site through a capture may meet them at run time (`compose(f, g)` nesting
        /// scalers and shifters), where their code can stand in for the callee's
        /// (NumericMachine.standIn) once compiled, which `precompiled` does when the request ends.
        var reached: [Closure] = []
        var seen = Set<ObjectIdentifier>()

        func reach(from c: Closure, depth: Int = 0) {
            guard depth < 4 else { return }
            for capture in c.captures {
                guard case .function(let fn)? = capture.value, fn.kind == .closure else { continue }
                let d = unsafeDowncast(fn, to: Closure.self)
                guard seen.insert(ObjectIdentifier(d)).inserted else { continue }
                reached.append(d)
                reach(from: d, depth: depth + 1)
            }
        }
    }

    /// `result`, once the closures the request reached are compiled (each a request of its own,
    /// so one that does not fit leaves this one's code as it is).
    private static func precompiled(_ session: Session, _ I: Interpreter, _ result: NumericFunction?) -> NumericFunction? {
        for c in session.reached {
            if case .untried = c.proto.numeric { _ = function(for: c.proto, closure: c, I) }
        }
        return result
    }
    private let session: Session

    /// The proto's compiled function, compiling it (and the functions it calls) at the first
    /// request; nil when it does not fit.
    /// `closure`: the closure called, whose captured numbers (read) and closures (called) the
    /// code may use; each call loads them from the closure it calls.
    static func function(for proto: FunctionProto, closure: Closure?, _ I: Interpreter) -> NumericFunction? {
        let session = Session()
        return precompiled(session, I, function(for: proto, closure: closure, I, session))
    }

    /// The proto's code for calls whose arguments are of the kinds `parameters` says (tensors it
    /// reads elements and lengths of, tuples of numbers), from the general code or from compiled
    /// callers that pass tuples; compiled at the first such call, kept apart from its code for
    /// numbers (proto.numericWithTensors). nil for calls of other kinds than the first's.
    static func function(for proto: FunctionProto, parameters: [NumericParameter], _ I: Interpreter) -> NumericFunction? {
        let session = Session()
        return precompiled(session, I, function(for: proto, parameters: parameters, I, session))
    }

    private static func function(for proto: FunctionProto, parameters: [NumericParameter], _ I: Interpreter,
                                 _ session: Session) -> NumericFunction? {
        switch proto.numericWithTensors {
        case .ready(let f), .compiling(let f): return f.parameters == parameters ? f : nil
        case .unsupported:
            // `loss(xs, ys, a)` from a caller compiled with xs in registers failed for good, and
            // the caller itself; compiled again with its tuples as lists, it asks once more.
            guard proto.tuplesInRegistersFailed, !parameters.contains(where: \.isTupleInRegisters) else { return nil }
            proto.tuplesInRegistersFailed = false
        case .untried: break
        }
        // Its cells (a local or parameter an inner function captures, `fn loss(a)` reading
        // `xs[i]`) are locals, as in the code for numbers (readSlot); a function with captures of
        // its own is called with its closure, which only that code reads.
        guard proto.captureSources.isEmpty, parameters.count == proto.parameterNames.count else {
            proto.numericWithTensors = .unsupported
            return nil
        }
        let f = NumericFunction(proto: proto)
        f.parameters = parameters
        proto.numericWithTensors = .compiling(f)
        var compiler = NumericCompiler(interpreter: I, function: f, session: session)
        for (parameter, cell) in proto.capturedParameters { compiler.cellLocals[cell] = parameter }
        var register = 0
        for (k, parameter) in parameters.enumerated() {
            compiler.parameterRegisters.append(register)
            switch parameter {
            case .number:
                break
            case .tensor(let rank):
                let site = NumericTensorSite(slot: k, rank: rank)
                f.tensors.append(site)
                compiler.tensorParameters[k] = site
                compiler.assigned.remove(k)  // never read as a number
                compiler.numberRegisters.remove(k)
            case .tuple(let names):
                compiler.tupleLocals[k] = (.frame(register), names)
                compiler.numberRegisters.remove(k)
            case .string:
                compiler.stringLocals[k] = compiler.stringRegisters
                compiler.stringRegisters += 1
                compiler.numberRegisters.remove(k)
            case .function(let called):
                compiler.localFunctions[k] = LocalFunction(proto: called, captures: [])
                compiler.numberRegisters.remove(k)
            case .rows(let n, let names):
                compiler.rowLocals[k] = (.frame(register), n, names)
                compiler.numberRegisters.remove(k)
            case .rowList(let names):
                // A list per column (the frame's first lists are the parameters', in order).
                guard compiler.lists.count + names.count <= NumericListFile.frame else {
                    proto.numericWithTensors = .unsupported
                    return nil
                }
                let first = compiler.lists.count
                compiler.lists[k] = (first, false, -1)
                for j in 1..<max(names.count, 1) { compiler.lists[-1 - (first + j)] = (first + j, false, -1) }
                compiler.rowLists[k] = (first, names)
                compiler.numberRegisters.remove(k)
            case .list:
                // A tuple's list (the frame's first lists are the parameters', in order), grown
                // by the `append` its body reads, if any (NumericListScan).
                guard compiler.lists.count < NumericListFile.frame else {
                    proto.numericWithTensors = .unsupported
                    return nil
                }
                let append = NumericListScan.grown(proto.resolved.body, globals: false)[k]
                compiler.lists[k] = (compiler.lists.count, false, append.flatMap { compiler.holdsAppend($0) ? $0 : nil } ?? -1)
                compiler.numberRegisters.remove(k)
            case .record(let names, let items):
                // Its tensors and strings in the order of its items, as a call passes them.
                var read: [String: RecordItem] = [:]
                for (i, (name, item)) in zip(names, items).enumerated() {
                    switch item {
                    case .number: read[name] = .number(.frame(register + i))
                    case .tensor(let rank):
                        let site = NumericTensorSite(slot: k, label: name, rank: rank)
                        f.tensors.append(site)
                        read[name] = .tensor(site)
                    case .string:
                        read[name] = .string(compiler.stringRegisters)
                        compiler.stringRegisters += 1
                    case .other: read[name] = .other
                    }
                }
                compiler.recordParameters[k] = (parameter, read)
                compiler.assigned.remove(k)  // never read whole
                compiler.numberRegisters.remove(k)
            }
            register += parameter.width
        }
        compiler.stringTemporaries = compiler.stringRegisters
        compiler.mostStringRegisters = compiler.stringRegisters
        compiler.parameterExtra = register - parameters.count
        guard let compiled = compile(&compiler, proto.resolved.body, session, { proto.numericWithTensors = $0 }) else {
            proto.tuplesInRegistersFailed = parameters.contains(where: \.isTupleInRegisters)
            return nil
        }
        session.finished.append((proto, true))
        return compiled
    }

    /// Compiles `body` and places its code, leaving the code's state (through `state`) ready or
    /// unsupported. When it does not fit, the functions this request finished are compiled
    /// again at their next call: they may call this one.
    private static func compile(_ compiler: inout NumericCompiler, _ body: ResolvedBlock, _ session: Session,
                                _ state: (NumericState) -> Void) -> NumericFunction? {
        do {
            try compiler.compileBody(body)
        } catch {
            state(.unsupported)
            for (other, forOtherArguments) in session.finished {
                if forOtherArguments { other.numericWithTensors = .untried } else { other.numeric = .untried }
            }
            session.finished = []
            return nil
        }
        compiler.finish()
        state(.ready(compiler.function))
        return compiler.function
    }

    private static func function(for proto: FunctionProto, closure: Closure?, _ I: Interpreter, _ session: Session) -> NumericFunction? {
        switch proto.numeric {
        case .ready(let f), .compiling(let f): return f
        case .unsupported: return nil
        case .untried: break
        }
        // Captured variables it reads from the closure called; its cells (a local an inner
        // function captures) are locals, as its local functions are never passed on.
        // (Defaults are no concern: every call binds its arguments first, or is compiled with
        // them in place, NumericCompiler.bound.)
        guard proto.captureSources.isEmpty || closure != nil else {
            proto.numeric = .unsupported
            return nil
        }
        let f = NumericFunction(proto: proto)
        proto.numeric = .compiling(f)  // a recursive call finds it while its body compiles
        var compiler = NumericCompiler(interpreter: I, function: f, session: session)
        compiler.closure = closure
        for (parameter, cell) in proto.capturedParameters { compiler.cellLocals[cell] = parameter }
        guard let compiled = compile(&compiler, proto.resolved.body, session, { proto.numeric = $0 }) else { return nil }
        session.finished.append((proto, false))
        return compiled
    }

    private init(interpreter: Interpreter, function: NumericFunction, session: Session) {
        self.interpreter = interpreter
        self.function = function
        self.session = session
        assigned = Set(0..<function.proto.parameterNames.count)
        numberRegisters = assigned
    }

    // MARK: statements

    private mutating func compileBody(_ body: ResolvedBlock) throws(Unsupported) {
        if !compilingLoop {
            try growingLocals(body)
            stringLocalsOf(body)
        }
        try block(body)
        // Its string registers must fit the machine's frame of them.
        guard mostStringRegisters + stringGlobals.count + stringConstants.count <= NumericMachine.stringFrame else { throw Unsupported() }
        // Falling off the end returns nil, which is not a number: the general code does it.
        // A top-level loop that ends has done its work: it returns (any number).
        if compilingLoop {
            emit(.returnValue, [constant(0)])
            if givesUpAfterAnEffect() { throw Unsupported() }
        } else {
            emit(.giveUp)
            // Whether it may give up anywhere (a caller with effects may call it only if not),
            // and how deep its calls go and how many registers they take (such a caller checks
            // there is room for them before it starts).
            function.mayGiveUp = code.indices.contains(where: mayGiveUp)
            for (i, _) in code where i.op == .call {
                let callee = function.functions[Int(i.b)].function.takeUnretainedValue()
                function.callDepth = max(function.callDepth, callee.callDepth + 1)
                function.calleeRegisters = max(function.calleeRegisters, callee.frameSize + callee.calleeRegisters)
            }
            function.callDepth = max(function.callDepth, mostInlineDepth)
            // A function that prints or steps an optimizer has effects it cannot take back: it
            // fits only where its code cannot give up after one, and only the general code may
            // call it (a compiled caller could give up after it ran, and run it again).
            if functionGivesUpAfterAnEffect() { throw Unsupported() }
            function.hasEffects = code.contains { NumericCompiler.effects.contains($0.0.op) }
            if function.hasEffects && function.calledWhileCompiling { throw Unsupported() }
            // No compiled caller takes a list (NumericReturn.list): nor a recursive call
            // compiled before the first return said so.
            if function.calledWhileCompiling && code.contains(where: { $0.0.op == .returnList }) { throw Unsupported() }
            // One call's objects at a time: no compiled caller (a recursive call) calls it.
            if objectCount > 0 && function.calledWhileCompiling { throw Unsupported() }
        }
    }

    /// The instructions that have effects the code cannot take back.
    private static let effects: Set<NumericInstruction.Op> = [.optimizerStep, .optimizerStepVector, .setElement, .setElement2, .printString]

    /// Whether a function's code may give up after one of its effects: an instruction that may
    /// give up (mayGiveUp) after the first effect in the code, or in a loop that has one.
    private func functionGivesUpAfterAnEffect() -> Bool {
        let effectful = code.indices.filter { NumericCompiler.effects.contains(code[$0].0.op) }
        guard let first = effectful.first else { return false }
        var loops: [ClosedRange<Int>] = []
        for (j, (i, _)) in code.enumerated() where (i.op == .loopBack || i.op == .loopIf) && Int(i.c) <= j {
            loops.append(Int(i.c)...j)
        }
        func afterAnEffect(_ k: Int) -> Bool {
            k > first || loops.contains { $0.contains(k) && effectful.contains(where: $0.contains) }
        }
        return code.indices.contains { mayGiveUp($0) && afterAnEffect($0) }
    }

    /// Whether the function's instruction k may give up: a call of a callee that may (or is
    /// not compiled yet), a range's count, an element read, a kept string that may break the
    /// size rule, a gradient, falling off the end. (returnString and returnTuple give up only
    /// into a compiled caller that called for another kind, which a finished callee's never does.)
    private func mayGiveUp(_ k: Int) -> Bool {
        let i = code[k].0
        switch i.op {
        case .call, .callClosure:
            // A call through a capture, or of a function with captures, looks at the closure
            // it finds when it runs (one of another function with no code to stand in, or
            // captures that are no longer numbers): it may give up there, after the caller's
            // effects (a closure that prints, then calls the closure it captured, printed twice).
            let target = function.functions[Int(i.b)]
            let callee = target.function.takeUnretainedValue()
            return target.needsClosure || !callee.finished || callee.mayGiveUp
        case .rangeCount, .element, .element2, .elementShifted, .gradient, .gradientVector, .pick, .pickRow, .makeObject, .stepObject,
             .callObject, .updateObject, .listElement, .listSetElement, .setArgument, .setArgument2, .codePointAt:
            return true
        case .listAppend:
            // A vector's list at the element limit (NumericLists.swift); a tuple's has none.
            return i.a != 0
        case .interpolate:
            // A kept string may break the size rule, unless its pieces cannot make one that long.
            let site = interpolations[Int(i.b)]
            return site.valueRanges != nil && NumericCompiler.longest(site.pieces) > interpreter.maxElements
        case .giveUp:
            // The giveUp written after the body runs only when the body can fall off its end.
            let end = code.count - 1
            return k != end || end == 0 || !NumericCompiler.terminators.contains(code[end - 1].0.op)
                || code.contains { NumericCompiler.jumps.contains($0.0.op) && Int($0.0.c) == end }
        case .move, .add, .subtract, .multiply, .divide, .remainder, .power, .negate, .less, .lessEqual,
             .greater, .greaterEqual, .equal, .notEqual, .truth, .not, .jump, .jumpIfFalse, .jumpIfTrue,
             .jumpUnless, .scalar, .abs, .sqrt, .minimum, .maximum, .clipBelow, .clipAbove, .boolResult, .optimizerStep, .loopBack, .loopIf,
             .returnValue, .moveVector, .optimizerStepVector, .setElement, .setElement2, .returnTensor, .bindTensor, .length,
             .jumpUnlessLess, .jumpUnlessLessEqual, .jumpUnlessGreater, .jumpUnlessGreaterEqual, .jumpUnlessEqual,
             .jumpUnlessNotEqual, .loopIfLess, .loopIfLessEqual, .loopIfGreater, .loopIfGreaterEqual, .loopIfEqual,
             .loopIfNotEqual, .stringLength, .codePoint, .codePointValue, .moveString, .returnString, .printString, .returnTuple, .passString,
             .compareStrings, .listClear, .listLength, .returnList, .compareText:
            return false
        }
    }

    /// The most bytes an interpolation of `pieces` can make (Int.max when a piece is a string,
    /// whose length nothing bounds): a number's repr is at most 24 bytes, a formatted number
    /// its width or the longest form a precision of 100 can take (1e308 with grouping: ~520).
    private static func longest(_ pieces: [Piece]) -> Int {
        var n = 0
        for piece in pieces {
            switch piece {
            case .text(let t): n += t.utf8.count
            case .number: n += 32
            case .formatted(_, let spec): n += spec.width + 800
            case .string: return Int.max
            }
        }
        return n
    }

    /// Instructions after which the next one does not run, and those that jump to their c.
    private static let terminators: Set<NumericInstruction.Op> = [.returnValue, .returnString, .jump, .loopBack, .giveUp]
    private static let jumps: Set<NumericInstruction.Op> = [.jump, .jumpIfFalse, .jumpIfTrue, .jumpUnless, .loopBack, .loopIf]

    /// Compiles a top-level `while` or `for` over a range to numeric code whose first registers
    /// are the globals it assigns (`slots`, in that order); `inputs` are those that hold a
    /// number now, which the code may read before assigning them. nil when it does not fit.
    static func loop(_ statement: ResolvedStmt, file: SourceFile, slots: [Int], inputs: Set<Int>,
                     aggregates: [Int: NumericAggregate], _ I: Interpreter) -> NumericFunction? {
        let layout = NumericLoop.registers(slots.map { aggregates[$0]?.count })
        let resolved = ResolvedFunction(name: "<top-level loop>", file: file, headerRange: statement.range,
                                        parameterNames: [], defaults: [], frameSize: layout.count, cellCount: 0,
                                        capturedParameters: [], captureSources: [],
                                        body: ResolvedBlock(statements: [statement], range: statement.range))
        let proto = FunctionProto(resolved: resolved, chunk: nil)
        let f = NumericFunction(proto: proto)
        proto.numeric = .compiling(f)
        let session = Session()
        var compiler = NumericCompiler(interpreter: I, function: f, session: session)
        compiler.compilingLoop = true
        f.file = file
        f.isLoop = true
        let grown = NumericListScan.grown(resolved.body, globals: true)
        for (k, slot) in slots.enumerated() {
            switch aggregates[slot] {
            case .list(let tensor)?:
                // A growing list (NumericLists.swift), the lists in the order of the slots
                // (NumericLoop.run loads them so).
                guard let append = grown[slot], compiler.holdsAppend(append), compiler.lists.count < NumericListFile.frame else { return nil }
                compiler.lists[layout.bases[k]] = (compiler.lists.count, tensor, append)
            case .tensor(let n)?: compiler.vectors[slot] = n
            case .tuple(let names)?: compiler.tuples[slot] = names
            case .bool?: break  // its register is among the bools (below)
            case .string?:
                // String registers in the order of the slots (NumericLoop.stringRegisters).
                compiler.strings[slot] = compiler.stringRegisters
                compiler.stringRegisters += 1
            case nil: break
            }
        }
        compiler.stringTemporaries = compiler.stringRegisters
        compiler.mostStringRegisters = compiler.stringRegisters
        for (k, slot) in slots.enumerated() {
            compiler.globalLocals[slot] = layout.bases[k]
            guard inputs.contains(slot) else { continue }
            compiler.assigned.insert(layout.bases[k])
            switch aggregates[slot] {
            case nil: compiler.numberRegisters.insert(layout.bases[k])
            case .bool?: compiler.boolRegisters.insert(layout.bases[k])
            case .tensor?, .tuple?, .string?, .list?: break
            }
        }
        return precompiled(session, I, compile(&compiler, resolved.body, session) { proto.numeric = $0 })
    }

    /// The register of an assigned variable: a local's slot, or a loop's global.
    private mutating func register(of target: VariableRef) -> Int? {
        switch target {
        case .local(let slot):
            return (compilingLoop && !isFresh(slot)) || tensorParameters[slot] != nil || recordParameters[slot] != nil ? nil : slot
        case .global(let slot): return globalLocals[slot]
        case .cell(let k): return compilingLoop ? nil : cellLocal(k)
        }
    }

    /// The first register and the labels' names of the tuple of numbers an assigned variable
    /// holds in registers: a top-level loop's tuple global, or a tuple local; nil otherwise.
    private mutating func heldTuple(_ target: VariableRef) -> (Operand, [String?])? {
        if case .global(let g) = target, let names = tuples[g], let r = globalLocals[g], assigned.contains(r) {
            return (.local(r), names)
        }
        guard case .local = target, let slot = register(of: target), assigned.contains(slot), let local = tupleLocals[slot] else { return nil }
        return (local.base, local.names)
    }

    /// The local cell k of the function is.
    private mutating func cellLocal(_ k: Int) -> Int {
        if let slot = cellLocals[k] { return slot }
        let slot = freshLocal()
        cellLocals[k] = slot
        return slot
    }

    /// Whether a local is past the proto's frame (a call's compiled in place: a top-level
    /// loop has these locals, and only these).
    private func isFresh(_ slot: Int) -> Bool { slot >= function.proto.frameSize }

    /// A local past the proto's frame.
    private mutating func freshLocal() -> Int {
        extraLocals += 1
        return function.proto.frameSize + extraLocals - 1
    }

    private mutating func block(_ b: ResolvedBlock) throws(Unsupported) {
        // A code point's shadow made in the block holds only in it (its register is let go);
        // one made before it holds after it unless the block may have assigned the variable.
        let shadows = codePointShadows, reservedBefore = reserved
        for s in b.statements {
            try statement(s)
            temporaries = reserved
            stringTemporaries = stringRegisters
        }
        if !shadows.isEmpty {
            let assignedHere = NumericLoopSite.assignedGlobals(ResolvedStmt(.block(b), SourceRange(start: 0, length: 0)))
            codePointShadows = shadows.filter { !assignedHere.contains($0.key) }
        } else {
            codePointShadows = [:]
        }
        reserved = reservedBefore
        temporaries = reserved
    }

    private mutating func statement(_ s: ResolvedStmt) throws(Unsupported) {
        switch s.kind {
        case .block(let b):
            try block(b)
        case .expression(let e):
            if try !printCall(e) { _ = try expression(e, into: nil) }
        case .assign(let target, let op, _, let value):
            if let list = listRegister(target) {
                try listAssign(list, op, value)
                break
            }
            if op == nil, case .function(let f) = value.kind {
                try bindLocalFunction(target, f)
                break
            }
            if op == nil, case .call(let callee, let positional, let labels, let labelled) = value.kind,
               case .read(.global(let slot), _) = callee.kind, globalLocals[slot] == nil, case .function(let fn)? = interpreter.variable(slot),
               fn.kind == .builtin, NumericCompiler.objectConstructors.contains(fn.name) {
                try makeObject(target, slot, unsafeDowncast(fn, to: BuiltinFunction.self), positional, labels, labelled)
                break
            }
            guard let slot = register(of: target), localFunctions[slot] == nil, rowLocals[slot] == nil, objectLocals[slot] == nil else {
                throw Unsupported()
            }
            if case .local = target, let text = stringLocals[slot] {
                // A string local takes a string, whole (`s = " " + s`: built in its register).
                guard op == nil, try expression(value, into: .text(text)).kind == .string else { throw Unsupported() }
            } else if case .global(let global) = target, let n = vectors[global] {
                // A vector global takes only a vector of its length, whole.
                guard op == nil, try expression(value, into: .local(slot)).kind == .vector(n) else { throw Unsupported() }
            } else if case .global(let global) = target, let text = strings[global] {
                // A string global takes a string, whole; its number register says it was
                // assigned (a global bound first in the loop is written back only then).
                codePointShadows[global] = nil
                guard op == nil, try expression(value, into: .text(text)).kind == .string else { throw Unsupported() }
                emit(.move, [.local(slot), constant(0)])
                if isCodePoint(value) {
                    // `ch = text[i]`: its code point's value kept beside it for the rest of the block.
                    temporaries = reserved
                    let shadow = reserve()
                    emit(.codePointValue, [shadow, .text(text)])
                    codePointShadows[global] = shadow
                }
            } else if case .global(let global) = target, let names = tuples[global] {
                // A tuple global takes only a tuple of numbers with its labels, whole: every
                // element computed before any is stored (`p = (x: p.y, y: p.x)`).
                guard op == nil else { throw Unsupported() }
                let (operand, kind) = try expression(value, into: nil)
                guard kind == .tuple(names) else { throw Unsupported() }
                emitMove(.local(slot), operand, kind)
            } else if case .local = target, let local = tupleLocals[slot] {
                // A tuple local takes a tuple with its labels, whole.
                guard op == nil, try expression(value, into: local.base).kind == .tuple(local.names) else { throw Unsupported() }
            } else if case .local = target, op == nil, let names = try tupleNames(of: value) {
                // A local's first tuple: registers of its own from now on.
                guard !numberRegisters.contains(slot), !boolRegisters.contains(slot) else { throw Unsupported() }
                tupleLocals[slot] = (.aggregate(aggregateCount), names)
                aggregateCount += names.count
                guard try expression(value, into: .aggregate(aggregateCount - names.count)).kind == .tuple(names) else { throw Unsupported() }
            } else if let op {
                guard assigned.contains(slot), !boolRegisters.contains(slot) else { throw Unsupported() }
                let v = try number(value, into: nil)
                emit(try arithmetic(op), [.local(slot), .local(slot), v])
            } else {
                // A number, or a bool (0 or 1 in the register; read back as a bool).
                switch try expression(value, into: .local(slot)).kind {
                case .number:
                    guard !boolRegisters.contains(slot) else { throw Unsupported() }
                    numberRegisters.insert(slot)
                case .bool:
                    guard !numberRegisters.contains(slot), tupleLocals[slot] == nil else { throw Unsupported() }
                    boolRegisters.insert(slot)
                case .vector, .string, .tuple, .rows:
                    throw Unsupported()
                }
            }
            assigned.insert(slot)
        case .ifElse(let condition, let body, let elseBody):
            let skip = try jumpUnless(condition)
            let before = assigned
            try block(body)
            let afterBody = assigned
            if let elseBody {
                let end = emit(.jump)
                for j in skip { patch(j) }
                assigned = before
                try statement(elseBody)
                assigned.formIntersection(afterBody)
                patch(end)
            } else {
                for j in skip { patch(j) }
                assigned = before
            }
        case .whileLoop(let condition, let body):
            guard !(compilingLoop && inlineDepth > 0) else { throw Unsupported() }
            forgetShadows(assignedIn: body)  // before the condition, which every iteration tests
            if case .constant(.bool(true)) = condition.kind {
                // `while true`: nothing to test.
                let top = code.count
                try loopBody(body) { compiler in compiler.emitJump(to: top, .loopBack) }
            } else if case .comparison(let op, let l, let r) = condition.kind {
                // Tested before the first iteration, then at the bottom of each (the test's
                // code is compiled twice; it has no effects).
                let exit = try jumpUnless(condition)
                let top = code.count
                try loopBody(body) { compiler throws(Unsupported) in try compiler.loopIf(op, l, r, to: top) }
                for j in exit { patch(j) }
            } else {
                let top = code.count
                let exit = try jumpUnless(condition)
                try loopBody(body) { compiler in compiler.emitJump(to: top, .loopBack) }
                for j in exit { patch(j) }
            }
        case .forIn(let variable, let sequence, let body) where readSlot(sequence).map({ rowLocals[$0] != nil }) ?? false:
            try rowLoop(variable, rowLocals[readSlot(sequence)!]!, body)
        case .forIn(let variable, let sequence, let body) where readSlot(sequence).map({ rowLists[$0] != nil }) ?? false:
            try rowListLoop(s, variable, rowLists[readSlot(sequence)!]!, body)
        case .forIn(let variable, let sequence, let body) where !compilingLoop && listOf(sequence) != nil:
            try listLoop(s, variable, listOf(sequence)!, body)
        case .forIn(let variable, let sequence, let body) where compilingLoop && producesString(sequence):
            try stringLoop(s, variable, sequence, body)
        case .forIn(let variable, let sequence, let body):
            // (A loop's `for` statements are its error notes: none inside a call compiled in place.)
            guard !(compilingLoop && inlineDepth > 0), let slot = register(of: variable), case .range(let lowerBound, let upperBound, let inclusive) = sequence.kind else {
                throw Unsupported()
            }
            if case .global(let global) = variable, vectors[global] != nil || tuples[global] != nil { throw Unsupported() }
            guard tupleLocals[slot] == nil, !boolRegisters.contains(slot), stringLocals[slot] == nil, lists[slot] == nil else {
                throw Unsupported()
            }
            numberRegisters.insert(slot)
            // Bounds and counter live in temporaries the body must not reuse.
            let lower = reserve(), count = reserve(), k = reserve()
            _ = try number(lowerBound, into: lower)
            let upper = try number(upperBound, into: nil)
            var counting = NumericInstruction(op: .rangeCount)
            counting.compare = inclusive ? .lessEqual : .less
            let counted = emit(counting, [count, lower, upper])
            if compilingLoop && loops.isEmpty && outerRangeCount == nil { outerRangeCount = counted }
            try countedLoop(s, slot, count: count, counter: k, note: (lower, nil), body) { compiler in
                compiler.emit(.add, [.local(slot), lower, k])
            }
            reserved -= 3
            temporaries = reserved
        case .breakLoop:
            guard !loops.isEmpty else { throw Unsupported() }
            loops[loops.count - 1].breaks.append(emit(.jump))
        case .continueLoop:
            guard !loops.isEmpty else { throw Unsupported() }
            loops[loops.count - 1].continues.append(emit(.jump))
        case .returnValue(let value):
            // (A return inside a call compiled in place would leave it early: not compiled.)
            guard let value, !compilingLoop, inlineDepth == 0 else { throw Unsupported() }
            if let list = listOf(value) {
                try returnList(list)
                break
            }
            if let k = returnedTensorParameter(value) {
                // `return x` of a tensor parameter (NumericTensorWrites.swift).
                try noteReturn(.tensor)
                var i = NumericInstruction(op: .returnTensor)
                i.a = Int32(k)
                emit(i, [])
                emit(.returnValue, [constant(0)])
                return
            }
            let (operand, kind) = try expression(value, into: nil)
            switch kind {
            case .number:
                try noteReturn(.number)
                emit(.returnValue, [operand])
            case .bool:
                // 0 or 1 to a compiled caller; a bool to the general code (boolResult).
                try noteReturn(.bool)
                emit(.boolResult, [operand])
                emit(.returnValue, [operand])
            case .string:
                try noteReturn(.string)
                emit(.returnString, [operand])
            case .tuple(let names):
                // A tuple of numbers (`return (v: v, s: s)`): its elements in consecutive
                // registers, which the machine hands to the general code (which builds the
                // tuple) or copies into a compiled caller's.
                try noteReturn(.tuple(names))
                function.tupleLabels.append(labelsByNames[names] ?? (names.allSatisfy { $0 == nil } ? nil : TupleLabels(names)))
                var i = NumericInstruction(op: .returnTuple)
                i.b = Int32(names.count)
                i.c = Int32(function.tupleLabels.count - 1)
                emit(i, [operand])
                emit(.returnValue, [operand])
            case .vector, .rows:
                throw Unsupported()
            }
        case .pathAssign(let target, let read, let path, let op, let value):
            if path.count == 1, case .member(let name, _) = path[0], let (first, names) = heldTuple(target),
               let k = names.lastIndex(of: name) {
                // `rec.n += 1`, `rec.lo = x` of a tuple of numbers held in registers (a loop's
                // tuple global, a function's tuple local): the item's register, as the general
                // rule writes the item (the value first, then old op value). A value that is
                // not a number would change what the tuple holds: the general code runs.
                let v = try number(value, into: nil)
                let item = offset(first, k)
                if let op {
                    emit(try arithmetic(op), [item, item, v])
                } else {
                    emitMove(item, v, .number)
                }
                break
            }
            if path.count == 1, case .index(let items, _) = path[0], case .local = target, let r = listRegister(target) {
                try listSetElement(r, items, op, value, s.range)
                break
            }
            // `t[i] = v`, `t[i, j] op= v` on a tensor global of a top-level loop, or on a
            // function's tensor parameter (its own copy: NumericTensorWrites.swift).
            let parameter = writesTensorParameter(target, read)
            var global = false
            if case .global = target { global = true }
            guard parameter || global, path.count == 1, case .index(let items, _) = path[0], op != .matmul else {
                throw Unsupported()
            }
            let v = try number(value, into: nil)  // the value first, then the keys, as the general code
            let (site, keys) = try elementAccess(read, items, write: true, op: op, range: s.range)
            var i = NumericInstruction(op: items.count == 2 ? .setElement2 : .setElement)
            if parameter { i.op = items.count == 2 ? .setArgument2 : .setArgument }
            i.b = site
            emit(i, [v, nil, keys])
        case .function(let target, let f):
            try bindLocalFunction(target, f)
        }
    }

    /// `opt = adam(lr: lr)`, `s = schedule("cosine", 0.1, 1000)` in a function (not in a call
    /// compiled in place): the object made by the constructor's general rule from numbers, bools
    /// and strings written in the code, held in the function's objects.
    private mutating func makeObject(_ target: VariableRef, _ slot: Int, _ constructor: BuiltinFunction, _ positional: [ResolvedExpr],
                                     _ labels: [String], _ labelled: [ResolvedExpr]) throws(Unsupported) {
        guard case .local = target, !compilingLoop, inlineDepth == 0, let local = register(of: target),
              localFunctions[local] == nil, rowLocals[local] == nil, tupleLocals[local] == nil, stringLocals[local] == nil,
              !numberRegisters.contains(local), !boolRegisters.contains(local) else { throw Unsupported() }
        if objectLocals[local] == nil {
            objectLocals[local] = objectCount
            objectCount += 1
        }
        // One constructor per local: the kind of what its methods return is known here.
        guard objectMakers[local, default: constructor.name] == constructor.name else { throw Unsupported() }
        objectMakers[local] = constructor.name
        let arguments = positional + labelled
        let mark = temporaries
        defer { temporaries = mark }
        let first = vectorTemporary(arguments.count)
        var kinds: [NumericConstructorArgument] = []
        for (k, a) in arguments.enumerated() {
            if case .constant(.string(let text)) = a.kind {
                kinds.append(.text(text))
                continue
            }
            switch try expression(a, into: offset(first, k)).kind {
            case .number: kinds.append(.number)
            case .bool: kinds.append(.bool)
            case .vector, .string, .tuple, .rows: throw Unsupported()
            }
        }
        function.calledBuiltins.append((slot, constructor))
        function.constructors.append((constructor, labels, arguments.count))
        function.constructorArguments.append(kinds)
        var i = NumericInstruction(op: .makeObject)
        i.a = Int32(objectLocals[local]!)
        i.b = Int32(function.constructors.count - 1)
        emit(i, [nil, nil, first])
        assigned.insert(local)
    }

    /// `f = fn(w) = ...`, `fn sq(x) = ...` in a function: f a local function from here on,
    /// where nothing else was assigned to f. Its defaults (none) and captures (places of this
    /// frame, read when a call runs: late binding, as a closure reads its cells) make making
    /// it an operation without effects, so no code is written for it.
    private mutating func bindLocalFunction(_ target: VariableRef, _ f: ResolvedFunction) throws(Unsupported) {
        if case .global = target { throw Unsupported() }
        guard inlineDepth == 0, let slot = register(of: target), localFunctions[slot] == nil, !assigned.contains(slot),
              !numberRegisters.contains(slot), !boolRegisters.contains(slot), tupleLocals[slot] == nil, stringLocals[slot] == nil,
              lists[slot] == nil, f.defaults.allSatisfy({ $0 == nil }),
              let proto = function.proto.chunk?.protos.first(where: { $0.resolved === f }) else { throw Unsupported() }
        localFunctions[slot] = LocalFunction(proto: proto, captures: NumericCompiler.captures(of: f))
        assigned.insert(slot)
    }

    /// The local function `callee` reads, once assigned; nil for any other callee.
    private func localFunction(_ callee: ResolvedExpr) -> LocalFunction? {
        guard !compilingLoop, case .read(let place, _) = callee.kind else { return nil }
        var slot: Int?
        if case .local(let s) = place { slot = s }
        if case .cell(let k) = place { slot = cellLocals[k] }
        guard let slot, let f = localFunctions[slot], assigned.contains(slot) else { return nil }
        return f
    }

    /// A call of a local function, compiled in place: the arguments assigned to its parameters
    /// (fresh locals), then its body renamed into this frame, which must end in the one
    /// `return` it has; its value is the call's. The general code would run the call one
    /// frame deeper: the function's code runs only where that depth is within the limit.
    /// (`numbers`: the arguments are these registers' numbers instead, a map's items.)
    private mutating func inlineCall(_ f: LocalFunction, _ arguments: [ResolvedExpr], numbers: [Operand]? = nil,
                                     into dest: Operand?) throws(Unsupported) -> (Operand, Kind) {
        let resolved = f.proto.resolved
        guard (numbers?.count ?? arguments.count) == resolved.parameterNames.count, inlineDepth < NumericCompiler.inlineLimit else {
            throw Unsupported()
        }
        let base = function.proto.frameSize + extraLocals
        extraLocals += resolved.frameSize
        var cells = [Int?](repeating: nil, count: resolved.cellCount)
        for (parameter, cell) in resolved.capturedParameters { cells[cell] = base + parameter }
        let renaming = NumericInlining(locals: base, cells: cells.map { $0 ?? freshLocal() }, captures: f.captures)
        let body = try renaming.block(resolved.body)
        for (k, a) in arguments.enumerated() {
            try statement(ResolvedStmt(.assign(.local(base + k), op: nil, read: nil, value: a), a.range))
        }
        for (k, x) in (numbers ?? []).enumerated() {
            emit(.move, [.local(base + k), x])
            numberRegisters.insert(base + k)
            assigned.insert(base + k)
        }
        // The caller's registers in use stay so: the body's statements reuse only those after.
        let saved = (reserved, stringRegisters, loops)
        reserved = temporaries
        stringRegisters = stringTemporaries
        loops = []
        inlineDepth += 1
        mostInlineDepth = max(mostInlineDepth, inlineDepth)
        defer {
            inlineDepth -= 1
            (reserved, stringRegisters, loops) = saved
        }
        for s in body.statements.dropLast() {
            try statement(s)
            temporaries = reserved
            stringTemporaries = stringRegisters
        }
        guard case .returnValue(let value?) = body.statements.last?.kind else { throw Unsupported() }
        return try expression(value, into: dest)
    }

    /// `map(f, t)` over a tuple of numbers the code holds, f a function of one number written
    /// there (`fn(x) = x * 0.99`), a local function or a global one without captures: f's body
    /// compiled in place for each item, in order, into a tuple of the results with t's labels
    /// (map's general path calls f item by item the same way). `map(f, t, u, ...)` over tuples
    /// of the same labels (the structure map's rule demands, known here before the code runs)
    /// calls f with the items at each position, as Builtins.mapTrees does. In a top-level loop
    /// only code that raises no error of its own, as inlineInLoop.
    private mutating func mapCall(_ slot: Int, _ map: BuiltinFunction, _ callee: ResolvedExpr, _ trees: ArraySlice<ResolvedExpr>) throws(Unsupported) -> (Operand, Kind) {
        var f: LocalFunction
        var global: (slot: Int, proto: FunctionProto)?
        if case .function(let made) = callee.kind {
            guard made.defaults.allSatisfy({ $0 == nil }) else { throw Unsupported() }
            f = LocalFunction(proto: FunctionProto(resolved: made, chunk: nil), captures: NumericCompiler.captures(of: made))
        } else if let local = localFunction(callee) {
            f = local
        } else if case .read(.global(let g), _) = callee.kind, globalLocals[g] == nil, case .function(let fn)? = interpreter.variable(g),
                  fn.kind == .closure, unsafeDowncast(fn, to: Closure.self).proto.captureSources.isEmpty,
                  unsafeDowncast(fn, to: Closure.self).proto.resolved.defaults.allSatisfy({ $0 == nil }) {
            f = LocalFunction(proto: unsafeDowncast(fn, to: Closure.self).proto, captures: [])
            global = (g, f.proto)
        } else {
            throw Unsupported()
        }
        var held: [Operand] = []
        var names: [String?] = []
        for tree in trees {
            let (t, kind) = try expression(tree, into: nil)
            guard case .tuple(let labels) = kind, !labels.isEmpty, held.isEmpty || labels == names else { throw Unsupported() }
            held.append(t)
            names = labels
        }
        function.calledBuiltins.append((slot, map))
        // Into registers of its own: f may read the tuple the result is assigned to.
        let d = vectorTemporary(names.count)
        let start = code.count
        for i in names.indices {
            guard try inlineCall(f, [], numbers: held.map { offset($0, i) }, into: offset(d, i)).1 == .number else { throw Unsupported() }
        }
        if compilingLoop { try raisesNothing(from: start) }
        if let global { function.inlined.append(global) }
        return (d, .tuple(names))
    }

    /// A call in a top-level loop of a global function its code cannot call (one that reads a
    /// global the loop assigns, `f = fn(x) = x * scale` with `scale` changed by the loop),
    /// compiled in place as a local function's, the global checked to hold a closure of its
    /// proto at each run. Only code that cannot raise an error: a loop raises its errors
    /// itself, which inside the call would miss the call's frame in the call chain.
    private mutating func inlineInLoop(_ c: Closure, _ slot: Int, _ arguments: [ResolvedExpr], into dest: Operand?) throws(Unsupported) -> (Operand, Kind) {
        guard c.proto.captureSources.isEmpty, c.proto.resolved.defaults.allSatisfy({ $0 == nil }) else { throw Unsupported() }
        let start = code.count
        let result = try inlineCall(LocalFunction(proto: c.proto, captures: []), arguments, into: dest)
        try raisesNothing(from: start)
        function.inlined.append((slot, c.proto))
        return result
    }

    /// Refuses a top-level loop's code from `start` on when it may raise an error itself: an
    /// instruction that does, or a kept string that may break the size rule.
    private func raisesNothing(from start: Int) throws(Unsupported) {
        for (i, _) in code[start...] where NumericCompiler.raises.contains(i.op) { throw Unsupported() }
        for (i, _) in code[start...] where i.op == .interpolate && interpolations[Int(i.b)].valueRanges != nil { throw Unsupported() }
    }

    /// The instructions with which a top-level loop's code raises errors itself.
    private static let raises: Set<NumericInstruction.Op> = [.element, .element2, .elementShifted, .setElement, .setElement2, .printString,
                                                              .optimizerStep, .optimizerStepVector, .gradient, .gradientVector,
                                                              .listAppend, .listElement]

    /// The place in the frame making function f that each of f's captures reads.
    private static func captures(of f: ResolvedFunction) -> [Place] {
        f.captureSources.map { source in
            switch source {
            case .cell(let k): return .cell(k)
            case .capture(let k): return .capture(k)
            }
        }
    }

    /// `for p in data` over rows: p a tuple local, given each row in turn (the general code's
    /// walk of the tuple's items; there is at least one).
    private mutating func rowLoop(_ variable: VariableRef, _ rows: (base: Operand, count: Int, names: [String?]),
                                  _ body: ResolvedBlock) throws(Unsupported) {
        let (slot, row) = try rowVariable(variable, rows.names)
        let k = reserve()
        emit(.move, [k, constant(0)])
        temporaries = reserved
        let top = code.count
        picks.append((rows.base, rows.count, rows.names.count))
        var pick = NumericInstruction(op: .pickRow)
        pick.b = Int32(picks.count - 1)
        emit(pick, [row, nil, k])
        let before = assigned
        assigned.insert(slot)
        try countedLoopBody(body, counter: k, count: constant(Double(rows.count)), top: top)
        // After the loop p holds the last row, as the general code leaves it.
        assigned = before
        assigned.insert(slot)
        reserved -= 1
        temporaries = reserved
    }

    /// The variable of a `for` over rows: a local that holds a tuple of these labels' names in
    /// registers (its own from here on, if it held nothing yet); its slot and first register.
    private mutating func rowVariable(_ variable: VariableRef, _ names: [String?]) throws(Unsupported) -> (Int, Operand) {
        guard case .local = variable, let slot = register(of: variable), localFunctions[slot] == nil, rowLocals[slot] == nil,
              !numberRegisters.contains(slot), !boolRegisters.contains(slot), stringLocals[slot] == nil, lists[slot] == nil else {
            throw Unsupported()
        }
        if let local = tupleLocals[slot] {
            guard local.names == names else { throw Unsupported() }
            return (slot, local.base)
        }
        let row = Operand.aggregate(aggregateCount)
        tupleLocals[slot] = (row, names)
        aggregateCount += names.count
        return (slot, row)
    }

    /// The local an expression reads as a local (not through a cell).
    private static func localRead(_ e: ResolvedExpr) -> Int? {
        if case .read(.local(let slot), _) = e.kind { return slot }
        return nil
    }

    /// The local an expression reads, nil for any other expression. A cell that is a local
    /// here (a parameter an inner function captures, `xs` in `fn loss(a) = ... xs[i] ...`) is
    /// that local.
    private func readSlot(_ e: ResolvedExpr) -> Int? {
        if case .read(.local(let slot), _) = e.kind { return slot }
        if case .read(.cell(let k), _) = e.kind, !compilingLoop { return cellLocals[k] }
        return nil
    }

    /// A loop's body, then `next` (the step to the next iteration, where `continue` goes);
    /// `break` goes past it. Assignments in the body do not count after the loop.
    private mutating func loopBody(_ body: ResolvedBlock, next: (inout NumericCompiler) throws(Unsupported) -> Void) throws(Unsupported) {
        forgetShadows(assignedIn: body)
        let before = assigned
        loops.append(Loop())
        try block(body)
        let loop = loops.removeLast()
        for j in loop.continues { patch(j) }
        try next(&self)
        for j in loop.breaks { patch(j) }
        assigned = before
    }

    /// A counted loop's body (a `for` over a range, over rows), then the step of its counter `k`
    /// and the test at the bottom: back to `top` while k < count.
    /// `for ch in text` in a loop, text a string variable the loop does not assign (or a global
    /// string it only reads) and ch a string variable of the loop: text's code points counted
    /// once, as the general code takes them when its loop starts, and ch made from each in turn
    /// (by the code points the interpreter keeps for the string indexed last, as s[i] reads
    /// them); a note of an error in the body names ch's value, as the general code's does.
    private mutating func stringLoop(_ s: ResolvedStmt, _ variable: VariableRef, _ sequence: ResolvedExpr,
                                     _ body: ResolvedBlock) throws(Unsupported) {
        guard inlineDepth == 0, case .global(let global) = variable, let slot = register(of: variable), let text = strings[global],
              case .read(.global(let walked), _) = sequence.kind, walked != global,
              !NumericLoopSite.assignedGlobals(ResolvedStmt(.block(body), s.range)).contains(walked) else { throw Unsupported() }
        let (source, kind) = try expression(sequence, into: nil)
        guard kind == .string else { throw Unsupported() }
        let count = reserve(), k = reserve(), shadow = reserve()
        emit(.stringLength, [count, nil, source])
        // ch's code point kept beside it, unless the body assigns ch too.
        let assignedInBody = NumericLoopSite.assignedGlobals(ResolvedStmt(.block(body), s.range))
        let shadowed = !assignedInBody.contains(global)
        let before = codePointShadows
        try countedLoop(s, slot, count: count, counter: k, note: (k, .text(text)), body) { compiler in
            compiler.emit(.codePoint, [.text(text), source, k])
            compiler.emit(.move, [.local(slot), compiler.constant(0)])  // assigned: written back (NumericLoop.runInRegisters)
            if shadowed {
                compiler.emit(.codePointValue, [shadow, .text(text)])
                compiler.codePointShadows[global] = shadow
            }
        }
        // After the loop: the shadows before it, but of what the body (or the loop) assigned.
        codePointShadows = before.filter { !assignedInBody.contains($0.key) }
        codePointShadows[global] = nil
        reserved -= 3
        temporaries = reserved
    }

    /// A `for` of `count` iterations counted by k from 0 (registers the caller reserved), the
    /// variable in `slot` set by `head` at the start of each; a loop's note of an error in the
    /// body (forLoops) names the variable's value: `lower + k`, or the string register `text`.
    private mutating func countedLoop(_ s: ResolvedStmt, _ slot: Int, count: Operand, counter k: Operand,
                                      note: (lower: Operand, text: Operand?), _ body: ResolvedBlock,
                                      head: (inout NumericCompiler) -> Void) throws(Unsupported) {
        emit(.move, [k, constant(0)])
        temporaries = reserved
        var test = NumericInstruction(op: .jumpUnless)
        test.compare = .less
        let exit = emit(test, [k, count])
        let top = code.count
        let loopIndex = forLoops.count
        if compilingLoop { forLoops.append((s.range, top..<top, note.lower, k, note.text)) }
        head(&self)
        let before = assigned
        assigned.insert(slot)
        try countedLoopBody(body, counter: k, count: count, top: top)
        if compilingLoop { forLoops[loopIndex].body = top..<code.count }
        assigned = before
        patch(exit)
    }

    private mutating func countedLoopBody(_ body: ResolvedBlock, counter k: Operand, count: Operand, top: Int) throws(Unsupported) {
        try loopBody(body) { compiler in
            compiler.emit(.add, [k, k, compiler.constant(1)])
            var again = NumericInstruction(op: .loopIf)
            again.compare = .less
            again.c = Int32(top)
            compiler.emit(again, [k, count])
        }
    }

    /// Jumps (to be patched) when the condition is false, as the general code's truth reads it;
    /// falls through when it is true. `and`, `or` and `not` become branches (each operand tested
    /// where it is computed, the second only when the first leaves the answer open), not bools
    /// computed and tested again: `if i % 3 == 0 and not (i % 5 == 0)` is two compare-and-jumps.
    private mutating func jumpUnless(_ condition: ResolvedExpr) throws(Unsupported) -> [Int] {
        let mark = temporaries
        defer { temporaries = mark }
        switch condition.kind {
        case .logical(.and, let l, let r):
            return try jumpUnless(l) + jumpUnless(r)
        case .logical(.or, let l, let r):
            let whenFalse = try jumpUnless(l)
            let toBody = emit(.jump)  // l is true: the body
            for j in whenFalse { patch(j) }
            let exits = try jumpUnless(r)
            patch(toBody)
            return exits
        case .not(let inner):
            let whenFalse = try jumpUnless(inner)
            let exit = emit(.jump)  // inner is true: the condition is false
            for j in whenFalse { patch(j) }
            return [exit]
        case .comparison(let op, let l, let r) where !producesString(l) && !producesString(r):
            var test = NumericInstruction(op: .jumpUnless)
            test.compare = op
            let (a, b) = try compared(op, l, r)
            return [emit(test, [a, b])]
        case .comparison(let op, let l, let r) where codePointComparison(l, r) != nil:
            var test = NumericInstruction(op: .jumpUnless)
            test.compare = op
            let (a, b) = codePointComparison(l, r)!
            return [emit(test, [a, b])]
        case .constant, .interpolation, .read, .tensor, .tuple, .unary, .binary, .comparison, .logical, .range, .call,
             .index, .member, .function:
            return [emit(.jumpIfFalse, [try scalar(condition)])]
        }
    }

    // MARK: expressions

    /// A number or a bool (a truth test's operand), never a vector or a string.
    private mutating func scalar(_ n: ResolvedExpr) throws(Unsupported) -> Operand {
        let (operand, kind) = try expression(n, into: nil)
        guard kind == .number || kind == .bool else { throw Unsupported() }
        return operand
    }

    private mutating func number(_ n: ResolvedExpr, into dest: Operand?) throws(Unsupported) -> Operand {
        let (operand, kind) = try expression(n, into: dest)
        guard kind == .number else { throw Unsupported() }
        return operand
    }

    /// The operand holding n's value (dest when given).
    private mutating func expression(_ n: ResolvedExpr, into dest: Operand?) throws(Unsupported) -> (operand: Operand, kind: Kind) {
        if case .text? = dest {
            // Into a string register: what builds a string builds it there; anything else (a
            // string function's call, a string global) is moved.
            switch n.kind {
            case .interpolation, .constant(.string): break
            // Strings joined (`s = s + "#"`): built there too, appended in place when the first
            // is the register's own (interpolation).
            case .binary(.add, _, _) where producesString(n): break
            case .constant, .read, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .call, .index,
                 .member, .function:
                let (operand, kind) = try expression(n, into: nil)
                guard kind == .string else { throw Unsupported() }
                if operand != dest { emit(.moveString, [dest, operand]) }
                return (dest!, .string)
            }
        }
        let result: Operand, kind: Kind
        switch n.kind {
        case .constant(.number(let x)):
            (result, kind) = (constant(x), .number)
        case .constant(.bool(let b)):
            (result, kind) = (constant(b ? 1 : 0), .bool)
        case .constant(.string(let text)):
            if dest == nil {
                // Placed once per text by its bytes (Swift's == would take "é" for "e\u{301}",
                // which the language tells apart).
                let k = stringConstants.firstIndex { $0.utf8.elementsEqual(text.utf8) } ?? stringConstants.count
                if k == stringConstants.count { stringConstants.append(text) }
                (result, kind) = (.stringConstant(k), .string)
            } else {
                (result, kind) = (interpolate([.text(text)], into: dest), .string)
            }
        case .interpolation(let parts):
            (result, kind) = (try interpolation(parts, into: dest), .string)
        case .read(.local(let slot), _):
            // (A list is read only where NumericLists.swift says: listOf.)
            guard assigned.contains(slot), !compilingLoop || isFresh(slot), localFunctions[slot] == nil, objectLocals[slot] == nil,
                  lists[slot] == nil else {
                throw Unsupported()
            }
            if let local = tupleLocals[slot] {
                (result, kind) = (local.base, .tuple(local.names))
            } else if let rows = rowLocals[slot] {
                (result, kind) = (rows.base, .rows(rows.count, rows.names))
            } else if let text = stringLocals[slot] {
                (result, kind) = (.text(text), .string)
            } else {
                (result, kind) = (.local(slot), boolRegisters.contains(slot) ? .bool : .number)
            }
        case .read(.cell(let k), let name):
            // A local an inner function captures: a local here.
            guard !compilingLoop else { throw Unsupported() }
            return try expression(ResolvedExpr(.read(.local(cellLocal(k)), name: name), n.range), into: dest)
        case .read(.capture(let k), _):
            guard let closure, k < closure.captures.count, case .number = closure.captures[k].value else { throw Unsupported() }
            (result, kind) = (.capture(NumericCompiler.place(k, in: &captures)), .number)
        case .read(.global(let slot), _) where globalLocals[slot] != nil:
            // A global the loop assigns: its register.
            let register = globalLocals[slot]!
            guard assigned.contains(register), lists[register] == nil else { throw Unsupported() }
            if let names = tuples[slot] {
                (result, kind) = (.local(register), .tuple(names))
            } else if let text = strings[slot] {
                (result, kind) = (.text(text), .string)
            } else if boolRegisters.contains(register) {
                (result, kind) = (.local(register), .bool)
            } else {
                (result, kind) = (.local(register), vectors[slot].map { .vector($0) } ?? .number)
            }
        case .read(.global(let slot), _):
            // A number now; each call checks it still is one (nothing the function does can
            // change it while it runs).
            switch interpreter.variable(slot) {
            case .number?: (result, kind) = (.global(NumericCompiler.place(slot, in: &globals)), .number)
            // A string (`sep = " | "`), loaded into a string register at each call the same way.
            case .string?: (result, kind) = (.stringGlobal(NumericCompiler.place(NumericStringSource(slot: slot, label: nil), in: &stringGlobals)), .string)
            case .tuple?:
                // A labelled tuple of numbers read whole (`map(upd, params, grads, scales)`):
                // its items loaded at each call or run as fields that check its structure
                // (NumericField.whole), gathered into registers of their own.
                guard let items = NumericField.items(slot: slot, of: interpreter.variable(slot)) else { throw Unsupported() }
                let first = fields.count
                fields.append(contentsOf: items)
                let d = vectorTemporary(items.count)
                for i in items.indices { emit(.move, [offset(d, i), .field(first + i)]) }
                (result, kind) = (d, .tuple(items.map { $0.steps[0].name }))
            case .bool?, .tensor?, .view?, .function?, .object?, .null?, .traced?, nil: throw Unsupported()
            }
        case .unary(let op, let operand):
            let v = try number(operand, into: nil)
            switch op {
            case .plus: result = v
            case .negate:
                result = dest ?? temporary()
                emit(.negate, [result, v])
            }
            kind = .number
        case .logical(let op, let left, let right):
            // a and b: truth(a), and only when it is true, truth(b) in its place.
            result = try truthOf(left, .truth, into: dest)
            let skip = emit(op == .and ? .jumpIfFalse : .jumpIfTrue, [result])
            _ = try truthOf(right, .truth, into: result)
            patch(skip)
            kind = .bool
        case .not(let operand):
            result = try truthOf(operand, .not, into: dest)
            kind = .bool
        case .call(let callee, let positional, let labels, _) where isListLength(callee, positional, labels):
            return try listLength(callee, positional[0], into: dest)
        case .call(let callee, let positional, let labels, let labelled):
            if let f = localFunction(callee) {
                guard labels.isEmpty else { throw Unsupported() }
                return try inlineCall(f, positional, into: dest)
            } else if let slot = readSlot(callee), let k = objectLocals[slot] {
                // `s(t)` of a local schedule: its rate.
                guard labels.isEmpty, positional.count == 1, assigned.contains(slot), !compilingLoop else { throw Unsupported() }
                let x = try number(positional[0], into: nil)
                result = dest ?? temporary()
                var i = NumericInstruction(op: .callObject)
                i.b = Int32(k)
                emit(i, [result, nil, x])
                kind = .number
            } else if !labels.isEmpty {
                // A function called with labelled arguments: by position, as binding puts them.
                guard let (c, source) = calledClosure(callee) else { throw Unsupported() }
                (result, kind) = try callClosure(c, source, try bound(c.proto, positional, labels, labelled), into: dest)
            } else if case .read(.global(let slot), _) = callee.kind, globalLocals[slot] == nil, positional.count >= 2,
               case .function(let fn)? = interpreter.variable(slot), fn.kind == .builtin, fn.name == "map" {
                (result, kind) = try mapCall(slot, unsafeDowncast(fn, to: BuiltinFunction.self), positional[0], positional[1...])
            } else if case .read(.global(let slot), _) = callee.kind, globalLocals[slot] == nil,
               case .function(let fn)? = interpreter.variable(slot), fn.kind == .builtin, fn.name == "grad" {
                (result, kind) = try gradient(slot, unsafeDowncast(fn, to: BuiltinFunction.self), positional, into: dest)
            } else if case .read(.global(let slot), _) = callee.kind {
                (result, kind) = try call(slot, positional, into: dest)
            } else if case .read(.capture(let k), _) = callee.kind, let closure, k < closure.captures.count,
                      case .function(let fn) = closure.captures[k].value, fn.kind == .closure {
                (result, kind) = try callClosure(unsafeDowncast(fn, to: Closure.self), .capture(k), positional, into: dest)
            } else if case .member(let object, name: "step", _) = callee.kind {
                (result, kind) = try optimizerStep(object, positional, into: dest)
            } else if case .member(let object, name: "update", _) = callee.kind, labels.isEmpty {
                (result, kind) = try averagerUpdate(object, positional, into: dest)
            } else {
                throw Unsupported()
            }
        case .binary(.add, _, _) where producesString(n):
            // `prefix + "_" + str(k)`: one string built from the strings joined, as an
            // interpolation of them builds it. One that would break the size rule gives up, in
            // a loop too (its error belongs to a `+`, which the general code finds), so a loop
            // with effects takes one only where it cannot give up after them.
            (result, kind) = (try interpolation(joined(n), join: true, into: dest), .string)
        case .binary(let op, let l, let r):
            (result, kind) = try binary(op, l, r, into: dest)
        case .comparison(let op, let l, let r):
            result = dest ?? temporary()
            let mark = temporaries
            if let (a, b) = codePointComparison(l, r) {
                // `ch == "a"`: the code points' values.
                emit(compareOp(op), [result, a, b])
            } else if let (other, text, order) = NumericCompiler.comparedText(op, l, r) {
                // `name == "relu"`: the text kept by the function, compared where it is.
                let (a, kind) = try expression(other, into: nil)
                guard kind == .string else { throw Unsupported() }
                var i = NumericInstruction(op: .compareText)
                i.compare = order
                i.c = Int32(texts.count)
                texts.append(text)
                emit(i, [result, a])
            } else if producesString(l) || producesString(r) {
                // Strings, by code points, as the general code compares them.
                let (a, left) = try expression(l, into: nil), (b, right) = try expression(r, into: nil)
                guard left == .string, right == .string else { throw Unsupported() }
                var i = NumericInstruction(op: .compareStrings)
                i.compare = op
                emit(i, [result, a, b])
            } else {
                let (a, b) = try compared(op, l, r)
                emit(compareOp(op), [result, a, b])
            }
            temporaries = mark
            kind = .bool
        case .index(let base, let items) where listOf(base) != nil:
            return try listElement(base, items, n.range, into: dest)
        case .index(let base, let items) where producesString(base):
            // `text[i]`: its code point i, as a string (a position that is not a whole number
            // in range gives up: the general code says what is wrong).
            guard items.count == 1, case .single(let key) = items[0] else { throw Unsupported() }
            let (source, baseKind) = try expression(base, into: nil)
            guard baseKind == .string else { throw Unsupported() }
            let i = try number(key, into: nil)
            result = stringTemporary()
            emit(.codePointAt, [result, source, i])
            kind = .string
        case .index(let base, let items) where NumericCompiler.labelKey(items) != nil:
            // `hp["lr"]`: the label, as `hp.lr` reads it.
            let (name, range) = NumericCompiler.labelKey(items)!
            return try expression(ResolvedExpr(.member(base, name: name, nameRange: range), n.range), into: dest)
        case .index(let base, let items) where try tupleNames(of: base) != nil:
            // `p[0]`, `s[-1]` of a tuple the code holds, by a whole number written in the code:
            // its register; `lrs[t % 5]`, by a number computed: `pick` (a key that is not a whole
            // number in range gives up: the general code says what is wrong).
            let (operand, baseKind) = try expression(base, into: nil)
            guard case .tuple(let names) = baseKind, items.count == 1, case .single(let key) = items[0] else { throw Unsupported() }
            if let k = NumericCompiler.constantNumber(key) {
                guard k == k.rounded(), k >= Double(-names.count), k < Double(names.count) else { throw Unsupported() }
                (result, kind) = (offset(operand, k < 0 ? names.count + Int(k) : Int(k)), .number)
                break
            }
            let i = try number(key, into: nil)
            picks.append((operand, names.count, 1))
            result = dest ?? temporary()
            var pick = NumericInstruction(op: .pick)
            pick.b = Int32(picks.count - 1)
            emit(pick, [result, nil, i])
            kind = .number
        case .index(let base, let items):
            let mark = temporaries
            let (site, keys) = try elementAccess(base, items, write: false, op: nil, range: n.range)
            temporaries = mark
            result = dest ?? temporary()
            var i = NumericInstruction(op: items.count == 2 ? .element2 : .element)
            if function.elements[Int(site)].shift != nil { i.op = .elementShifted }
            i.b = site
            emit(i, [result, nil, keys])
            kind = .number
        case .tuple(let elements, let labels):
            // Its numbers computed in order into registers of their own (so `p = (x: p.y, y: p.x)`
            // reads p before it changes).
            let names = labels?.names ?? Array(repeating: nil, count: elements.count)
            if let labels { labelsByNames[names] = labels }
            guard !elements.isEmpty else {
                (result, kind) = (constant(0), .tuple([]))
                break
            }
            let first = vectorTemporary(elements.count)
            for (k, e) in elements.enumerated() { _ = try number(e, into: offset(first, k)) }
            (result, kind) = (first, .tuple(names))
        case .member(let base, let name, _):
            if let slot = readSlot(base), let record = recordParameters[slot] {
                // `cfg.lr`, `cfg.name` of a record parameter: its register (a tensor item is
                // read by element or length only: tensorSite).
                switch record.read[name] {
                case .number(let register)?: (result, kind) = (register, .number)
                case .string(let register)?: (result, kind) = (.text(register), .string)
                case .tensor?, .other?, nil: throw Unsupported()
                }
                break
            }
            if case .read(.global(let slot), _) = base.kind, globalLocals[slot] == nil {
                // `h.lr`, `cfg.name` of a global tuple the code does not assign: loaded at each call.
                let source = NumericStringSource(slot: slot, label: name)
                if source.string(in: interpreter.variable(slot)) != nil {
                    (result, kind) = (.stringGlobal(NumericCompiler.place(source, in: &stringGlobals)), .string)
                } else {
                    (result, kind) = (try field(slot, [name]), .number)
                }
                break
            }
            if let (slot, path) = globalPath(n) {
                // `cfg.opt.lr` of a global tuple of tuples the code does not assign: its number
                // loaded at each call, as `h.lr`'s.
                (result, kind) = (try field(slot, path), .number)
                break
            }
            // `p.x` of a tuple the code holds: its register (the last of a repeated label, as a
            // tuple reads it).
            let (operand, baseKind) = try expression(base, into: nil)
            guard case .tuple(let names) = baseKind, let k = names.lastIndex(of: name) else { throw Unsupported() }
            (result, kind) = (offset(operand, k), .number)
        case .constant, .read, .tensor, .range, .function:
            throw Unsupported()
        }
        if let dest, dest != result {
            // A string is built in its string register (above), never moved to a number's; a
            // tuple goes only where a tuple's registers are.
            guard kind != .string else { throw Unsupported() }
            if case .tuple = kind, !holdsTuple(dest) { throw Unsupported() }
            emitMove(dest, result, kind)
        }
        return (dest ?? result, kind)
    }

    /// A string built from `parts` as the general code's interpolation builds it: its text, and
    /// each value's text (numbers, and strings: format's, str's, a string function's). `kept`:
    /// an interpolation the program keeps, under the string size rule (not print's line).
    private mutating func interpolation(_ parts: [ResolvedPiece], kept: Bool = true, join: Bool = false,
                                        into dest: Operand?) throws(Unsupported) -> Operand {
        let mark = temporaries
        defer { temporaries = mark }
        var pieces: [Piece] = [], ranges: [SourceRange] = []
        for part in parts {
            switch part {
            case .text(let t):
                pieces.append(.text(t))
            case .value(let e):
                ranges.append(e.range)
                if let formatted = try formatCall(e) {
                    pieces.append(formatted)
                    continue
                }
                let (operand, kind) = try expression(e, into: nil)
                switch kind {
                case .number: pieces.append(.number(operand))
                case .string: pieces.append(.string(operand))
                case .bool, .vector, .tuple, .rows: throw Unsupported()
                }
            }
        }
        // The general code's reservation (ChunkCompiler's interpolation): the text's bytes and
        // 16 per value, once the string is bound to leave its inline form.
        var textBytes = 0, values = 0
        for piece in pieces {
            switch piece {
            case .text(let t): textBytes += t.utf8.count
            case .number, .formatted, .string: values += 1
            }
        }
        let reserve = textBytes + 8 * values > 15 ? textBytes + 16 * values + 1 : 0
        // `s = s + piece ...` (a loop's string variable): the rest appended to s's string in
        // place, not s copied into a new one at every iteration (which made a loop building a
        // line quadratic).
        var appends = false
        if join, let dest, case .string(let first)? = pieces.first, first == dest, pieces.count > 1 {
            pieces.removeFirst()
            ranges.removeFirst()
            appends = true
        }
        interpolations.append((pieces, reserve, kept ? ranges : nil, join, appends))
        var i = NumericInstruction(op: .interpolate)
        i.b = Int32(interpolations.count - 1)
        let d = dest ?? stringTemporary()
        emit(i, [d])
        return d
    }

    /// The strings `a + b + ...` joins, in order, as the pieces of an interpolation.
    private mutating func joined(_ e: ResolvedExpr) -> [ResolvedPiece] {
        if case .binary(.add, let l, let r) = e.kind, producesString(l), producesString(r) { return joined(l) + joined(r) }
        if case .constant(.string(let text)) = e.kind { return [.text(text)] }
        return [.value(e)]
    }

    /// A string of pieces known now (a constant's text): no reservation.
    private mutating func interpolate(_ pieces: [Piece], into dest: Operand?) -> Operand {
        interpolations.append((pieces, 0, nil, false, false))
        var i = NumericInstruction(op: .interpolate)
        i.b = Int32(interpolations.count - 1)
        let d = dest ?? stringTemporary()
        emit(i, [d])
        return d
    }

    /// `print(a, b, ...)` as a statement of a top-level loop, of numbers and strings: the line
    /// print writes (their texts joined by its default sep, then its default end), built as an
    /// interpolation and written by printString. Output is an effect (compileBody's rule), and a
    /// function's code has none. False for any other statement.
    private mutating func printCall(_ e: ResolvedExpr) throws(Unsupported) -> Bool {
        guard case .call(let callee, let arguments, let labels, _) = e.kind, labels.isEmpty,
              case .read(.global(let slot), _) = callee.kind, globalLocals[slot] == nil,
              case .function(let fn)? = interpreter.variable(slot), fn.kind == .builtin, fn.name == "print" else { return false }
        let b = unsafeDowncast(fn, to: BuiltinFunction.self)
        var parts: [ResolvedPiece] = []
        for (k, a) in arguments.enumerated() {
            if k > 0 { parts.append(.text(" ")) }
            parts.append(.value(a))
        }
        parts.append(.text("\n"))
        let line = try interpolation(parts, kept: false, into: nil)
        function.calledBuiltins.append((slot, b))
        emit(.printString, [nil, nil, line])
        return true
    }

    /// A call of `format` or `str` (textPiece) as an interpolation's piece; nil for any other
    /// expression.
    private mutating func formatCall(_ e: ResolvedExpr) throws(Unsupported) -> Piece? {
        guard case .call(let callee, let arguments, let labels, _) = e.kind, labels.isEmpty,
              case .read(.global(let slot), _) = callee.kind, globalLocals[slot] == nil,
              case .function(let fn)? = interpreter.variable(slot), fn.kind == .builtin else { return nil }
        return try textPiece(unsafeDowncast(fn, to: BuiltinFunction.self), slot, arguments)
    }

    /// `format(x, "spec")` of a number (a spec written as a string that parses) or `str(x)` of a
    /// number, called through global `slot` (which must still hold `b` when it runs), as a
    /// piece; nil for any other built-in or arguments.
    private mutating func textPiece(_ b: BuiltinFunction, _ slot: Int, _ arguments: [ResolvedExpr]) throws(Unsupported) -> Piece? {
        if b.name == "str" && arguments.count == 1 {
            // str of a number is its repr, as an interpolated number's text.
            let x = try number(arguments[0], into: nil)
            function.calledBuiltins.append((slot, b))
            return .number(x)
        }
        guard b.name == "format", arguments.count == 2, case .constant(.string(let text)) = arguments[1].kind,
              let spec = try? interpreter.formatSpec(text), spec.formatsNumbers else { return nil }
        let x = try number(arguments[0], into: nil)
        function.calledBuiltins.append((slot, b))
        return .formatted(x, spec)
    }

    /// The number at the labels `path` of the global tuple in `slot` (`h.lr`, `cfg.opt.lr`: a
    /// number there now; each call loads it again and checks it still is one).
    private mutating func field(_ slot: Int, _ path: [String]) throws(Unsupported) -> Operand {
        guard let field = NumericField(slot: slot, path: path, in: interpreter.variable(slot)) else { throw Unsupported() }
        if let known = fields.firstIndex(where: { $0.slot == slot && $0.names == path }) { return .field(known) }
        fields.append(field)
        return .field(fields.count - 1)
    }

    /// The global and the labels of `cfg.opt.lr` (two labels or more) when the global is one
    /// the code does not assign; nil for anything else.
    private func globalPath(_ e: ResolvedExpr) -> (Int, [String])? {
        var names: [String] = [], at = e
        while case .member(let base, let name, _) = at.kind {
            names.insert(name, at: 0)
            at = base
        }
        guard names.count >= 2, case .read(.global(let slot), _) = at.kind, globalLocals[slot] == nil else { return nil }
        return (slot, names)
    }

    /// Whether a tuple may be moved into `o`: a tuple local's registers, or a loop's tuple
    /// global's.
    private func holdsTuple(_ o: Operand) -> Bool {
        switch o {
        case .aggregate, .frame: return true
        case .local(let r): return compilingLoop && tuples.keys.contains { globalLocals[$0] == r }
        case .constant, .global, .capture, .temporary, .text, .stringGlobal, .stringConstant, .field: return false
        }
    }

    /// The labels' names of the tuple `e` gives, when it gives one (known before its code is
    /// compiled: an assignment gives a local its first tuple's registers); nil for any other.
    private mutating func tupleNames(of e: ResolvedExpr) throws(Unsupported) -> [String?]? {
        if case .tuple(let elements, let labels) = e.kind { return labels?.names ?? Array(repeating: nil, count: elements.count) }
        if let slot = readSlot(e) { return tupleLocals[slot]?.names }
        if case .read(.global(let slot), _) = e.kind, globalLocals[slot] != nil { return tuples[slot] }
        if case .binary(let op, let l, let r) = e.kind, op != .matmul {
            // Tuple arithmetic (binary): the labels of its tuple operands, which agree.
            switch (try tupleNames(of: l), try tupleNames(of: r)) {
            case (let a?, let b?): return a == b ? a : nil
            case (let a?, nil): return a
            case (nil, let b?): return b
            case (nil, nil): return nil
            }
        }
        if case .call(let callee, _, _, _) = e.kind, case .member(let object, name: "update", _) = callee.kind,
           let slot = readSlot(object), objectMakers[slot] == "ewa" {
            return NumericCompiler.averagerResult
        }
        guard case .call(let callee, let positional, let labels, let labelled) = e.kind, let (called, _) = calledClosure(callee),
              let arguments = try? bound(called.proto, positional, labels, labelled), let (f, _) = try code(of: called, for: arguments),
              case .tuple(let names)? = f.returns else { return nil }
        return names
    }

    /// The user function a call's callee is now, read from a global or a capture; nil for any
    /// other callee.
    private func calledClosure(_ callee: ResolvedExpr) -> (Closure, NumericCallee.Source)? {
        if case .read(.global(let slot), _) = callee.kind, globalLocals[slot] == nil,
           case .function(let fn)? = interpreter.variable(slot), fn.kind == .closure {
            return (unsafeDowncast(fn, to: Closure.self), .global(slot))
        }
        if case .read(.capture(let k), _) = callee.kind, let closure, k < closure.captures.count,
           case .function(let fn) = closure.captures[k].value, fn.kind == .closure {
            return (unsafeDowncast(fn, to: Closure.self), .capture(k))
        }
        return nil
    }

    /// The arguments of a call of a function of `proto` in parameter order, as binding orders
    /// them: by position, then by label, then a parameter's default when it is written as a
    /// number (any other default was evaluated when the function was made, and may differ from
    /// one closure of the proto to the next). Whatever binding refuses the general code says.
    private func bound(_ proto: FunctionProto, _ positional: [ResolvedExpr], _ labels: [String],
                       _ labelled: [ResolvedExpr]) throws(Unsupported) -> [ResolvedExpr] {
        guard let order = try? proto.binding(positional: positional.count, labels: labels) else { throw Unsupported() }
        let given = positional + labelled
        var arguments: [ResolvedExpr] = []
        for (k, e) in order.enumerated() {
            if let e {
                arguments.append(given[e])
            } else if let d = proto.resolved.defaults[k], NumericCompiler.constantNumber(d) != nil {
                arguments.append(d)
            } else {
                throw Unsupported()
            }
        }
        return arguments
    }

    /// The numbers a comparison of strings compares instead (codePointShadows): when one side
    /// is a shadowed variable and the other another one or a string of one code point written
    /// in the code; nil otherwise.
    private mutating func codePointComparison(_ l: ResolvedExpr, _ r: ResolvedExpr) -> (Operand, Operand)? {
        func shadow(_ e: ResolvedExpr) -> Operand? {
            if case .read(.global(let g), _) = e.kind { return codePointShadows[g] }
            return nil
        }
        func onePoint(_ e: ResolvedExpr) -> Double? {
            guard case .constant(.string(let text)) = e.kind else { return nil }
            var points = text.unicodeScalars.makeIterator()
            guard let first = points.next(), points.next() == nil else { return nil }
            return Double(first.value)
        }
        switch (shadow(l), shadow(r)) {
        case (let a?, let b?): return (a, b)
        case (let a?, nil): return onePoint(r).map { (a, constant($0)) }
        case (nil, let b?): return onePoint(l).map { (constant($0), b) }
        case (nil, nil): return nil
        }
    }

    /// A shadow holds in a loop only for a variable the loop does not assign: a later
    /// iteration reads what the assignment left, whose own shadow (if any) is another register.
    private mutating func forgetShadows(assignedIn body: ResolvedBlock) {
        guard !codePointShadows.isEmpty else { return }
        for g in NumericLoopSite.assignedGlobals(ResolvedStmt(.block(body), SourceRange(start: 0, length: 0))) {
            codePointShadows[g] = nil
        }
    }

    /// Whether an assigned value is one code point of a string (`text[i]`, codePointAt).
    private mutating func isCodePoint(_ e: ResolvedExpr) -> Bool {
        guard case .index(let base, let items) = e.kind, items.count == 1, case .single = items[0] else { return false }
        return producesString(base)
    }

    /// A comparison with a string written in the code on one side: the other side, the text and
    /// the comparison with the other side first (`"m" < name` is `name > "m"`); nil for any
    /// other. The text is a constant, so comparing it first or second changes no error.
    private static func comparedText(_ op: ComparisonOperator, _ l: ResolvedExpr, _ r: ResolvedExpr)
        -> (other: ResolvedExpr, text: String, order: ComparisonOperator)? {
        if case .constant(.string(let text)) = r.kind { return (l, text, op) }
        guard case .constant(.string(let text)) = l.kind else { return nil }
        switch op {
        case .equal, .notEqual: return (r, text, op)
        case .less: return (r, text, .greater)
        case .lessEqual: return (r, text, .greaterEqual)
        case .greater: return (r, text, .less)
        case .greaterEqual: return (r, text, .lessEqual)
        }
    }

    /// Whether `e` gives a string (known before its code is compiled, as tupleNames): a string
    /// written in the code, an interpolation, a string parameter, a string global, `format` or
    /// `str`, a call of a function that returns strings.
    private mutating func producesString(_ e: ResolvedExpr) -> Bool {
        switch e.kind {
        case .constant(let v):
            if case .string = v { return true }
            return false
        case .interpolation:
            return true
        case .read(.local(let slot), _):
            return stringLocals[slot] != nil
        case .read(.cell, _):
            return readSlot(e).map { stringLocals[$0] != nil } ?? false
        case .read(.global(let slot), _):
            if globalLocals[slot] != nil { return strings[slot] != nil }
            if case .string? = interpreter.variable(slot) { return true }
            return false
        case .call(let callee, let positional, let labels, let labelled):
            if case .read(.global(let slot), _) = callee.kind, globalLocals[slot] == nil,
               case .function(let fn)? = interpreter.variable(slot), fn.kind == .builtin {
                return fn.name == "format" || fn.name == "str"
            }
            guard let (called, _) = calledClosure(callee), let arguments = try? bound(called.proto, positional, labels, labelled),
                  let (f, _) = (try? code(of: called, for: arguments)) ?? nil else { return false }
            return f.returns == .string
        case .binary(.add, let l, let r):
            // Two strings joined (the general code refuses a string and anything else).
            return producesString(l) && producesString(r)
        case .index(let base, _):
            // `text[i]`: a code point of a string.
            return producesString(base)
        case .member(let base, let name, _):
            // `cfg.name`: a record parameter's string, or a global tuple's.
            if let slot = readSlot(base), case .string? = recordParameters[slot]?.read[name] { return true }
            if case .read(.global(let slot), _) = base.kind, globalLocals[slot] == nil {
                return NumericStringSource(slot: slot, label: name).string(in: interpreter.variable(slot)) != nil
            }
            return false
        case .read, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .function:
            return false
        }
    }

    /// The code a call of closure `c` with `arguments` runs: its code for numbers, or for the
    /// tuples and strings some arguments are (the kinds are the parameters of that code); nil
    /// when it does not fit.
    private mutating func code(of c: Closure, for arguments: [ResolvedExpr]) throws(Unsupported) -> (NumericFunction, [NumericParameter]?)? {
        var parameters: [NumericParameter] = []
        for a in arguments {
            if let rank = loopTensorArgument(a) {
                parameters.append(.tensor(rank: rank))
            } else if !compilingLoop, let r = listOf(a), lists[r]?.tensor == false {
                // A function's tuple list, passed on as one (passList).
                parameters.append(.list)
            } else if let names = try tupleNames(of: a) {
                parameters.append(.tuple(names))
            } else if let record = recordArgument(a) {
                parameters.append(record)
            } else {
                parameters.append(producesString(a) ? .string : .number)
            }
        }
        guard parameters.contains(where: { $0 != .number }) else {
            return NumericCompiler.function(for: c.proto, closure: c, interpreter, session).map { ($0, nil) }
        }
        return NumericCompiler.function(for: c.proto, parameters: parameters, interpreter, session).map { ($0, parameters) }
    }

    /// What `a` passes as a record (NumericParameter.record): this function's own record
    /// parameter, or a global tuple of numbers and other things that the code does not assign
    /// (a loop's `cfg`, loaded at each run). nil for anything else.
    private func recordArgument(_ a: ResolvedExpr) -> NumericParameter? {
        switch a.kind {
        case .read(.local(let slot), _): return recordParameters[slot]?.kind
        case .read(.cell, _): return readSlot(a).flatMap { recordParameters[$0]?.kind }
        case .read(.global(let slot), _) where globalLocals[slot] == nil: return NumericParameter.record(of: interpreter.variable(slot))
        case .constant, .interpolation, .read, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .call,
             .index, .member, .function:
            return nil
        }
    }

    /// A record argument's items where the callee's registers for it are (`at`): its numbers
    /// moved there, its tensors' sites bound to the callee's (`bindings`, a loop's only: see
    /// readsLoopTensors), its strings passed as string arguments (`passed`), each read as
    /// `a.label` reads it here.
    private mutating func passRecord(_ a: ResolvedExpr, _ parameter: Int, _ names: [String], _ items: [NumericRecordItem],
                                     at: Operand, _ bindings: inout [(parameter: Int, label: String?, site: NumericTensorSite)],
                                     _ passed: inout [Operand]) throws(Unsupported) {
        for (i, (name, item)) in zip(names, items).enumerated() {
            let read = ResolvedExpr(.member(a, name: name, nameRange: a.range), a.range)
            switch item {
            case .number:
                _ = try number(read, into: offset(at, i))
            case .tensor:
                bindings.append((parameter, name, try tensorSite(read, write: false)))
            case .string:
                let (operand, kind) = try expression(read, into: nil)
                guard kind == .string else { throw Unsupported() }
                passed.append(operand)
            case .other:
                break
            }
        }
    }

    /// The label a key written as a string names (`t["lr"]`), with where it is written.
    private static func labelKey(_ items: [ResolvedIndexItem]) -> (String, SourceRange)? {
        guard items.count == 1, case .single(let key) = items[0], case .constant(.string(let name)) = key.kind else { return nil }
        return (name, key.range)
    }

    /// The number an expression written as a number is (`2`, `-1`), nil for any other.
    private static func constantNumber(_ e: ResolvedExpr) -> Double? {
        if case .constant(.number(let x)) = e.kind { return x }
        if case .unary(let op, let operand) = e.kind, case .constant(.number(let x)) = operand.kind {
            switch op {
            case .plus: return x
            case .negate: return -x
            }
        }
        return nil
    }

    /// Records what a return statement gives: every return of a function gives one kind, so
    /// a compiled caller knows where its result goes. Numbers on some paths and tuples on
    /// others (or tuples of other labels) fit for the general code's calls only (`mixed`),
    /// unless a compiled caller already takes this function's tuples into its registers.
    private mutating func noteReturn(_ r: NumericReturn) throws(Unsupported) {
        guard let old = function.returns, old != r else {
            function.returns = r
            return
        }
        // A compiled caller put the result where its kind goes; strings have registers of their own.
        if old == .string || r == .string || function.returnKindRelied { throw Unsupported() }
        function.returns = .mixed
    }

    /// Where `x` is in `list` (a global or capture loaded at each call), added the first time.
    private static func place<T: Equatable>(_ x: T, in list: inout [T]) -> Int {
        if let k = list.firstIndex(of: x) { return k }
        list.append(x)
        return list.count - 1
    }

    /// `op` (truth or not) of n's value, as a bool in dest or a new temporary.
    private mutating func truthOf(_ n: ResolvedExpr, _ op: NumericInstruction.Op, into dest: Operand?) throws(Unsupported) -> Operand {
        let d = dest ?? temporary()
        let mark = temporaries
        emit(op, [d, try scalar(n)])
        temporaries = mark
        return d
    }

    /// `l op r` of two numbers, or of tuples of numbers with the same labels, or of a tuple and
    /// a number (`s + dt / 2 * k1`): item by item into registers of their own, as the general
    /// code's leafwise and mapLeaves apply the operator (RK4 over a state tuple ran 3x CPython's
    /// time, session 20's hunt r24, with its tuples built and taken apart by the general code
    /// at every step). Decided by the operands' kinds once compiled: asking tupleNames first at
    /// every operator walked the whole left spine of `a + b + c + ...` each time (3,000 terms
    /// compiled in 0.8 s). Anything else (labels or lengths that differ, a bool, a tensor) gives
    /// up: the general code says what is wrong.
    private mutating func binary(_ op: BinaryOperator, _ l: ResolvedExpr, _ r: ResolvedExpr,
                                 into dest: Operand?) throws(Unsupported) -> (Operand, Kind) {
        let instruction = try arithmetic(op)
        let mark = temporaries
        let (a, left) = try expression(l, into: nil), (b, right) = try expression(r, into: nil)
        let names: [String?]
        switch (left, right) {
        case (.number, .number):
            // The operands' temporaries are read by the one instruction that writes d: d may be one.
            temporaries = mark
            let d = dest ?? temporary()
            emit(instruction, [d, a, b])
            return (d, .number)
        case (.tuple(let x), .tuple(let y)) where x == y: names = x
        case (.tuple(let x), .number), (.number, .tuple(let x)): names = x
        case (.number, _), (.bool, _), (.vector, _), (.string, _), (.tuple, _), (.rows, _): throw Unsupported()
        }
        guard !names.isEmpty else { throw Unsupported() }
        // Above the operands' registers (an item of d is written while later items of a and b
        // are still to be read); the statement lets them all go.
        let d = vectorTemporary(names.count)
        func item(_ o: Operand, _ kind: Kind, _ k: Int) -> Operand {
            if case .tuple = kind { return offset(o, k) }
            return o
        }
        for k in names.indices { emit(instruction, [offset(d, k), item(a, left, k), item(b, right, k)]) }
        return (d, .tuple(names))
    }

    /// A call of a scalar built-in or of a function that fits, through a global that must
    /// still hold it when the call runs.
    private mutating func call(_ slot: Int, _ arguments: [ResolvedExpr], into dest: Operand?) throws(Unsupported) -> (Operand, Kind) {
        guard globalLocals[slot] == nil, case .function(let fn)? = interpreter.variable(slot) else { throw Unsupported() }
        switch fn.kind {
        case .builtin:
            let b = unsafeDowncast(fn, to: BuiltinFunction.self)
            let before = temporaries
            if let piece = try textPiece(b, slot, arguments) {
                // format(x, spec), str(x): a string of one piece. The registers that computed
                // its number are read by then, and let go, as every expression lets go of its own.
                let text = interpolate([piece], into: dest)
                temporaries = before
                return (text, .string)
            }
            let d = dest ?? temporary()
            let mark = temporaries
            defer { temporaries = mark }
            if b.name == "len", arguments.count == 1, let s = readSlot(arguments[0]), let rows = rowLocals[s] {
                // len(data) of rows: how many.
                function.calledBuiltins.append((slot, b))
                return (constant(Double(rows.count)), .number)
            }
            if b.name == "len", arguments.count == 1, let s = readSlot(arguments[0]), let rows = rowLists[s] {
                // len(data) of rows held as column lists: the first column's count.
                function.calledBuiltins.append((slot, b))
                var i = NumericInstruction(op: .listLength)
                i.b = Int32(rows.first)
                emit(i, [d])
                return (d, .number)
            }
            if b.name == "len", arguments.count == 1, let site = try? tensorSite(arguments[0], write: false) {
                // len(x) of a tensor: its first axis.
                function.calledBuiltins.append((slot, b))
                var i = NumericInstruction(op: .length)
                i.b = Int32(function.tensors.firstIndex { $0 === site } ?? 0)
                emit(i, [d])
                return (d, .number)
            }
            if b.name == "len", arguments.count == 1 {
                // len(s) of a string: its code points.
                let (s, kind) = try expression(arguments[0], into: nil)
                guard kind == .string else { throw Unsupported() }
                function.calledBuiltins.append((slot, b))
                emit(.stringLength, [d, nil, s])
                return (d, .number)
            }
            if b.name == "min" || b.name == "max", arguments.count >= 2, case .extremum = b.builtin.differentiation {
                // min(a, b), max(a, b, c) of numbers: what the built-in does with them (nanMin,
                // nanMax, left to right), each partial result apart until the last (d may be an
                // argument's register: `m = min(a, b, m)`).
                var operands: [Operand] = []
                for a in arguments { operands.append(try number(a, into: nil)) }
                function.calledBuiltins.append((slot, b))
                var acc = operands[0]
                for (k, y) in operands.enumerated().dropFirst() {
                    let into = k == operands.count - 1 ? d : temporary()
                    emit(b.name == "min" ? .minimum : .maximum, [into, acc, y])
                    acc = into
                }
                return (d, .number)
            }
            if b.name == "clip", arguments.count == 3, case .clip = b.builtin.differentiation {
                // clip(x, lo, hi) of three numbers (a clipped gradient): raised, then lowered.
                let x = try number(arguments[0], into: nil), lo = try number(arguments[1], into: nil)
                let hi = try number(arguments[2], into: nil)
                function.calledBuiltins.append((slot, b))
                // The lower half apart: d may be hi's register (`h = clip(x, lo, h)`).
                let low = temporary()
                emit(.clipBelow, [low, x, lo])
                emit(.clipAbove, [d, low, hi])
                return (d, .number)
            }
            if ["isnan", "isinf", "isfinite"].contains(b.name), arguments.count == 1 {
                // The NaN checks of a number (a bool), as comparisons that hold exactly when the
                // built-in's predicate does: x != x is NaN; |x| == inf infinite; x - x == 0 (NaN
                // for both) finite.
                let x = try number(arguments[0], into: nil)
                function.calledBuiltins.append((slot, b))
                switch b.name {
                case "isnan":
                    emit(.notEqual, [d, x, x])
                case "isinf":
                    let size = temporary()
                    emit(.abs, [size, nil, x])
                    emit(.equal, [d, size, constant(.infinity)])
                default:
                    let gap = temporary()
                    emit(.subtract, [gap, x, x])
                    emit(.equal, [d, gap, constant(0)])
                }
                return (d, .bool)
            }
            guard let apply = b.scalar, arguments.count == 1 else { throw Unsupported() }
            let x = try number(arguments[0], into: nil)
            function.builtins.append((slot, b, apply))
            var i = NumericInstruction(op: .scalar)
            // abs and sqrt (newton's loop) as instructions of their own; the call still
            // checks, through `builtins`, that the global holds the built-in.
            if case .unary(.abs) = b.builtin.differentiation { i.op = .abs }
            if case .unary(.sqrt) = b.builtin.differentiation { i.op = .sqrt }
            i.b = Int32(function.builtins.count - 1)
            emit(i, [d, nil, x])
            return (d, .number)
        case .closure:
            return try callClosure(unsafeDowncast(fn, to: Closure.self), .global(slot), arguments, into: dest)
        case .method:
            throw Unsupported()
        }
    }

    /// A call of a function that fits, the closure `c` now, read from a global or from this
    /// function's captures: whatever it holds when the call runs must be a closure of c's proto.
    /// A callee that returns strings (known once its first return compiled: a recursive call
    /// before that takes a number, and the machine gives up if a string comes back) returns
    /// into a string register.
    private mutating func callClosure(_ c: Closure, _ source: NumericCallee.Source, _ arguments: [ResolvedExpr],
                                      into dest: Operand?) throws(Unsupported) -> (Operand, Kind) {
        // (In a call compiled in place its frame would be one deeper than the machine counts.)
        guard inlineDepth == 0 else { throw Unsupported() }
        let arguments = arguments.count < c.proto.parameterNames.count ? try bound(c.proto, arguments, [], []) : arguments
        guard c.proto.parameterNames.count == arguments.count, let (callee, parameters) = try code(of: c, for: arguments),
              callee.tensors.isEmpty || readsLoopTensors(callee), !callee.hasEffects, callee.objects.isEmpty, !callee.reads(anyOf: globalLocals) else {
            guard compilingLoop, case .global(let slot) = source else { throw Unsupported() }
            return try inlineInLoop(c, slot, arguments, into: dest)
        }
        // A callee still compiling (a recursive call) must turn out to have no effects.
        if !callee.finished { callee.calledWhileCompiling = true }
        if case .capture = source { session.reach(from: c) }
        let kind: Kind
        switch callee.returns {
        case nil, .number?: kind = .number
        case .bool?: kind = .bool
        case .string?: kind = .string
        case .tuple(let names)?: kind = .tuple(names)
        case .mixed?, .list?, .tensor?: throw Unsupported()
        }
        if callee.returns != nil { callee.returnKindRelied = true }
        let d: Operand
        switch kind {
        case .string:
            // (expression() gives a string register as a destination only to what builds a string.)
            guard dest == nil else { throw Unsupported() }
            d = stringTemporary()
        case .tuple(let names):
            // Straight into a tuple local's registers; anything else moves it from its own.
            if case .aggregate? = dest { d = dest! } else { d = vectorTemporary(names.count) }
        case .number, .bool, .vector:
            d = dest ?? temporary()
        case .rows:
            throw Unsupported()
        }
        let mark = temporaries
        defer { temporaries = mark }
        // The arguments in the frame's last registers, where the callee's frame begins.
        let first = temporaries
        var passed: [Operand] = []
        var passedLists: [NumericInstruction] = []
        var bindings: [(parameter: Int, label: String?, site: NumericTensorSite)] = []
        for (k, a) in arguments.enumerated() {
            if case .tensor? = parameters?[k] {
                // Its register (unused); the callee's site reads the loop's tensor (bindTensor).
                _ = temporary()
                bindings.append((k, nil, try tensorSite(a, write: false)))
                continue
            }
            if case .list? = parameters?[k] {
                // Its register (unused), and the list shared with the callee's frame once
                // every argument is computed (passList; the callee's lists are its list
                // parameters', in order).
                _ = temporary()
                guard let r = listOf(a), assigned.contains(r), let list = lists[r] else { throw Unsupported() }
                var pass = NumericInstruction(op: .listClear)  // passList
                pass.a = Int32(passedLists.count)
                pass.b = Int32(list.index)
                pass.c = 1
                passedLists.append(pass)
                continue
            }
            if case .record(let names, let items)? = parameters?[k] {
                let at = vectorTemporary(names.count)
                let inner = temporaries
                try passRecord(a, k, names, items, at: at, &bindings, &passed)
                temporaries = inner
                continue
            }
            if case .string? = parameters?[k] {
                // Its register (unused), and the string, moved to the callee's string registers
                // once every argument is computed (a later one may call code that uses them).
                // The registers computing it used are let go: the next argument's register
                // must be the next of the frame (`f(str(i % 997), 8)` put 8 past i % 997's).
                _ = temporary()
                let inner = temporaries
                let (operand, kind) = try expression(a, into: nil)
                guard kind == .string else { throw Unsupported() }
                temporaries = inner
                passed.append(operand)
                continue
            }
            guard case .tuple(let names)? = parameters?[k] else {
                let at = temporary()
                let inner = temporaries
                _ = try number(a, into: at)
                temporaries = inner
                continue
            }
            // A tuple's numbers in place, where the callee's registers for it are.
            let at = vectorTemporary(names.count)
            let inner = temporaries
            let (operand, kind) = try expression(a, into: nil)
            guard kind == .tuple(names) else { throw Unsupported() }
            emitMove(at, operand, kind)
            temporaries = inner
        }
        for pass in passedLists { emit(pass, []) }
        for (k, operand) in passed.enumerated() {
            var pass = NumericInstruction(op: .passString)
            pass.a = Int32(k)
            emit(pass, [nil, operand])
        }
        for (k, label, site) in bindings {
            guard let parameter = callee.tensors.firstIndex(where: { $0.slot == k && $0.label == label }),
                  let loopSite = function.tensors.firstIndex(where: { $0 === site }) else { throw Unsupported() }
            var bind = NumericInstruction(op: .bindTensor)
            bind.a = Int32(parameter)
            bind.b = Int32(function.functions.count)  // the callee's, appended below
            bind.c = Int32(loopSite)
            emit(bind, [])
        }
        function.callees.append(callee)
        function.functions.append(NumericCallee(source: source, function: Unmanaged.passUnretained(callee)))
        var i = NumericInstruction(op: .call)
        i.b = Int32(function.functions.count - 1)
        let at = emit(i, [d, nil, .temporary(first)])
        if case .tuple = kind { tupleCalls.insert(at) }
        for pass in passedLists {
            // The callee's lists let go of once it returned (listClear with c = 2): else the
            // list stays shared, and the caller's next append copies it whole.
            var letGo = pass
            letGo.c = 2
            emit(letGo, [])
        }
        return (d, kind)
    }

    /// `grad(f, x)` of a global function of one number, or of a loop's vector global, that has
    /// tape-free derivative code: what that code gives, as grad's general path takes it
    /// (Gradient.swift). A vector's gradient goes to registers of its own (the code reads x
    /// while it writes the gradient).
    private mutating func gradient(_ gradSlot: Int, _ grad: BuiltinFunction, _ arguments: [ResolvedExpr],
                                   into dest: Operand?) throws(Unsupported) -> (Operand, Kind) {
        guard arguments.count == 2 else { throw Unsupported() }
        let proto: FunctionProto, slot: Int
        if let local = localFunction(arguments[0]) {
            // A local function (no captures: the tape-free code reads none): the general code
            // would take its gradient one frame deeper.
            (proto, slot) = (local.proto, NumericGradientSite.localFunction)
            mostInlineDepth = max(mostInlineDepth, inlineDepth + 1)
        } else {
            guard case .read(.global(let global), _) = arguments[0].kind, globalLocals[global] == nil,
                  case .function(let fn)? = interpreter.variable(global), fn.kind == .closure else { throw Unsupported() }
            (proto, slot) = (unsafeDowncast(fn, to: Closure.self).proto, global)
        }
        let mark = temporaries
        let (x, kind) = try expression(arguments[1], into: nil)
        let width = try kind.width()
        guard let code = NumericGradient.code(for: proto, count: width ?? 1, scalar: width == nil, interpreter) else { throw Unsupported() }
        let reads = [gradSlot] + (slot == NumericGradientSite.localFunction ? [] : [slot]) + code.readSlots
        // A global the loop keeps in a register would be read stale by f.
        guard !reads.contains(where: { globalLocals[$0] != nil }) else { throw Unsupported() }
        function.gradients.append(NumericGradientSite(gradSlot: gradSlot, grad: grad, functionSlot: slot, proto: proto,
                                                      width: width, reads: reads))
        var i = NumericInstruction(op: width == nil ? .gradient : .gradientVector)
        i.b = Int32(function.gradients.count - 1)
        guard let n = width else {
            temporaries = mark
            let d = dest ?? temporary()
            emit(i, [d, nil, x])
            return (d, .number)
        }
        let d = vectorTemporary(n)
        emit(i, [d, nil, x])
        return (d, .vector(n))
    }

    /// `a.update(x)` of a local averager (`a = ewa(beta: 0.9)` in the function) with a number:
    /// its (t:, v:, corrected:) in three registers.
    private mutating func averagerUpdate(_ object: ResolvedExpr, _ arguments: [ResolvedExpr], into dest: Operand?) throws(Unsupported) -> (Operand, Kind) {
        guard let slot = readSlot(object), let k = objectLocals[slot], objectMakers[slot] == "ewa",
              arguments.count == 1, assigned.contains(slot), !compilingLoop else { throw Unsupported() }
        let x = try number(arguments[0], into: nil)
        let d = dest ?? vectorTemporary(NumericCompiler.averagerResult.count)
        var i = NumericInstruction(op: .updateObject)
        i.b = Int32(k)
        emit(i, [d, nil, x])
        return (d, .tuple(NumericCompiler.averagerResult))
    }

    /// What an averager's update returns: Averager.labels' names.
    private static let averagerResult: [String?] = Averager.labels.names

    /// `opt.step(x, g)` in a top-level loop, on numbers or on vectors of one length, with an
    /// optimizer that steps them without fail (Optimizer.stepsSafely, checked again at each
    /// run). The step changes the optimizer: compileBody refuses a loop that could give up
    /// after it. Its operands are copied to consecutive registers (x, then g), where the step
    /// runs in place; the result is then x's registers.
    private mutating func optimizerStep(_ object: ResolvedExpr, _ arguments: [ResolvedExpr], into dest: Operand?) throws(Unsupported) -> (Operand, Kind) {
        if let slot = readSlot(object), let k = objectLocals[slot] {
            // A local optimizer's step of numbers.
            guard arguments.count == 2, assigned.contains(slot), !compilingLoop else { throw Unsupported() }
            let first = vectorTemporary(2)
            _ = try number(arguments[0], into: first)
            _ = try number(arguments[1], into: offset(first, 1))
            let d = dest ?? temporary()
            var i = NumericInstruction(op: .stepObject)
            i.b = Int32(k)
            emit(i, [d, nil, first])
            return (d, .number)
        }
        guard arguments.count == 2, case .read(.global(let slot), _) = object.kind, globalLocals[slot] == nil,
              case .object(let o)? = interpreter.variable(slot), let opt = o as? Optimizer else {
            throw Unsupported()
        }
        let (w, kind) = try expression(arguments[0], into: nil)
        let width = try kind.width()
        guard opt.stepsSafely(width: width) else { throw Unsupported() }
        let n = width ?? 1
        let first = vectorTemporary(2 * n)
        emitMove(first, w, kind)
        guard try expression(arguments[1], into: offset(first, n)).kind == kind else { throw Unsupported() }
        function.optimizers.append(NumericOptimizerSite(slot: slot, width: width))
        var i = NumericInstruction(op: width == nil ? .optimizerStep : .optimizerStepVector)
        i.b = Int32(function.optimizers.count - 1)
        let d = dest ?? (width == nil ? temporary() : vectorTemporary(n))
        emit(i, [d, nil, first])
        return (d, kind)
    }

    /// An element of a tensor global in a top-level loop: its site (the tensor's, one per
    /// global) and its keys, one register or two consecutive ones. The global holds a tensor
    /// of that many axes now (checked again at each run) and the loop does not assign it whole.
    private mutating func elementAccess(_ base: ResolvedExpr, _ items: [ResolvedIndexItem], write: Bool, op: BinaryOperator?,
                                        range: SourceRange) throws(Unsupported) -> (site: Int32, keys: Operand) {
        let tensor = try tensorSite(base, write: write)
        guard tensor.rank == items.count else { throw Unsupported() }
        var expressions: [ResolvedExpr] = []
        for item in items {
            guard case .single(let e) = item else { throw Unsupported() }
            expressions.append(e)
        }
        let keys: Operand
        var shift: Double?
        if expressions.count == 1, let (e, k) = NumericCompiler.shiftedKey(expressions[0]), !write || !compilingLoop {
            // `x[j + 1]`: j's register, and the constant the instruction adds (the same IEEE add
            // the key's `+` makes; a loop's writes, whose errors report the key, have none).
            keys = try number(e, into: nil)
            shift = k
        } else if expressions.count == 1 {
            keys = try number(expressions[0], into: nil)
        } else {
            keys = vectorTemporary(2)
            _ = try number(expressions[0], into: keys)
            _ = try number(expressions[1], into: offset(keys, 1))
        }
        function.elements.append(NumericElementSite(tensor: tensor, write: write, op: op, range: range, shift: shift))
        return (Int32(function.elements.count - 1), keys)
    }

    /// A key `e + k` or `e - k` with k a finite number written in the code: e and what to add
    /// (e - k is e + -k in IEEE arithmetic, bit for bit).
    private static func shiftedKey(_ key: ResolvedExpr) -> (ResolvedExpr, Double)? {
        guard case .binary(let op, let e, let c) = key.kind, let k = constantNumber(c), k.isFinite else { return nil }
        switch op {
        case .add: return (e, k)
        case .subtract: return (e, -k)
        case .multiply, .divide, .remainder, .matmul, .power: return nil
        }
    }

    /// The rank of the tensor global a top-level loop passes to a function (`bsearch(xs, t)`):
    /// one the loop does not assign whole, of one or two axes now (checked again at each run,
    /// as every tensor the loop reads); nil for any other argument.
    private func loopTensorArgument(_ a: ResolvedExpr) -> Int? {
        loopTensor(a)?.tensor.rank
    }

    /// The tensor of one or two axes a top-level loop (or a loop of a function) reads and does
    /// not assign whole: a variable's (`xs`), or the labelled item of a tuple's (`cfg.data`,
    /// read only: writing it would write the tuple).
    private func loopTensor(_ a: ResolvedExpr, write: Bool = false) -> (slot: Int, label: String?, tensor: Tensor)? {
        guard compilingLoop else { return nil }
        var e = a, label: String?
        if case .member(let base, let name, _) = a.kind, !write {
            e = base
            label = name
        }
        guard case .read(.global(let slot), _) = e.kind, globalLocals[slot] == nil else { return nil }
        let t: Tensor
        switch (interpreter.variable(slot), label) {
        case (.tensor(let held)?, nil):
            t = held
        case (.tuple(let tuple)?, let name?):
            guard let k = tuple.labels?.position(of: name), case .tensor(let item) = tuple.items[k] else { return nil }
            t = item
        default:
            return nil
        }
        return t.rank == 1 || t.rank == 2 ? (slot, label, t) : nil
    }

    /// Whether a top-level loop may call `callee`, a function of tensor parameters (passed the
    /// loop's tensor globals, loopTensorArgument): it only reads them. Its sites are bound to the
    /// loop's before each call (bindTensor); nothing else runs its code meanwhile (the machine
    /// is not re-entered), and it calls no function with tensors itself (only a loop does).
    private func readsLoopTensors(_ callee: NumericFunction) -> Bool {
        compilingLoop && callee.finished && !callee.tensors.contains { $0.writable }
    }

    /// Whether `target[...] = v` writes elements of a tensor parameter of the function (its own
    /// statement, not one of a call compiled in place: NumericTensorWrites.swift).
    private func writesTensorParameter(_ target: VariableRef, _ read: ResolvedExpr) -> Bool {
        guard !compilingLoop, inlineDepth == 0, case .local(let slot) = target, tensorParameters[slot] != nil,
              readSlot(read) == slot else { return false }
        return true
    }

    /// The index in `function.tensors` of the tensor parameter `value` reads, if it is one.
    private func returnedTensorParameter(_ value: ResolvedExpr) -> Int? {
        guard let slot = readSlot(value), let site = tensorParameters[slot] else { return nil }
        return function.tensors.firstIndex { $0 === site }
    }

    /// The tensor `base` reads: a function's tensor parameter (written only as
    /// writesTensorParameter allows), or a tensor global of a top-level loop that the loop does
    /// not assign whole (one site per global).
    private mutating func tensorSite(_ base: ResolvedExpr, write: Bool) throws(Unsupported) -> NumericTensorSite {
        if !write, case .member(let record, let name, _) = base.kind, let slot = readSlot(record),
           case .tensor(let site)? = recordParameters[slot]?.read[name] {
            // `cfg.w[i]` of a record parameter (read only: writing it would write the tuple).
            return site
        }
        if let slot = write ? NumericCompiler.localRead(base) : readSlot(base), let site = tensorParameters[slot], !write || inlineDepth == 0 {
            // (Written only by the function's own statements: writesTensorParameter.)
            if write { site.writable = true }
            return site
        }
        guard let (slot, label, t) = loopTensor(base, write: write) else { throw Unsupported() }
        let tensor: NumericTensorSite
        if let known = function.tensors.first(where: { $0.slot == slot && $0.label == label }) {
            tensor = known
        } else {
            tensor = NumericTensorSite(slot: slot, label: label, rank: t.rank)
            function.tensors.append(tensor)
        }
        if write { tensor.writable = true }
        return tensor
    }

    /// Whether the code may give up after an optimizer step: a loop that stepped cannot be run
    /// again from the start by the general code. Its own range (counted once, before the first
    /// iteration) is the only place left where it may.
    private func givesUpAfterAnEffect() -> Bool {
        guard code.contains(where: { NumericCompiler.effects.contains($0.0.op) }) else { return false }
        return code.indices.contains { k in
            switch code[k].0.op {
            case .call, .callClosure, .giveUp, .returnTuple, .pick, .pickRow, .makeObject, .stepObject, .callObject, .updateObject,
                 .returnList, .codePointAt, .listSetElement:
                return true
            case .rangeCount: return k != outerRangeCount
            case .interpolate:
                // A join that would break the size rule gives up (one of its `+`s says so).
                let site = interpolations[Int(code[k].0.b)]
                return site.join && site.valueRanges != nil
            case .move, .add, .subtract, .multiply, .divide, .remainder, .power, .negate, .less, .lessEqual,
                 .greater, .greaterEqual, .equal, .notEqual, .truth, .not, .jump, .jumpIfFalse, .jumpIfTrue,
                 .jumpUnless, .scalar, .abs, .sqrt, .minimum, .maximum, .clipBelow, .clipAbove, .boolResult, .gradient, .optimizerStep, .loopBack, .loopIf, .returnValue,
                 .moveVector, .gradientVector, .optimizerStepVector, .element, .element2, .setElement, .setElement2, .length,
                 .setArgument, .setArgument2, .returnTensor, .bindTensor, .elementShifted,
                 .jumpUnlessLess, .jumpUnlessLessEqual, .jumpUnlessGreater, .jumpUnlessGreaterEqual, .jumpUnlessEqual,
                 .jumpUnlessNotEqual, .loopIfLess, .loopIfLessEqual, .loopIfGreater, .loopIfGreaterEqual, .loopIfEqual,
                 .loopIfNotEqual, .stringLength, .codePoint, .codePointValue, .moveString, .returnString, .printString, .passString,
                 .compareStrings, .listClear, .listLength, .listAppend, .listElement, .compareText:
                // gradient gives up only under a tape or at the recursion limit, never at the top level.
                return false
            }
        }
    }

    // MARK: registers and code

    private mutating func constant(_ x: Double) -> Operand {
        if let i = constants.firstIndex(where: { $0.bitPattern == x.bitPattern }) { return .constant(i) }
        constants.append(x)
        return .constant(constants.count - 1)
    }

    /// n consecutive temporaries; the first.
    private mutating func vectorTemporary(_ n: Int) -> Operand {
        let first = temporary()
        for _ in 1..<max(n, 1) { _ = temporary() }
        return first
    }

    /// The register k after `o`, the first of consecutive ones (vectorTemporary's, a tuple
    /// local's, a loop's vector or tuple global's).
    private func offset(_ o: Operand, _ k: Int) -> Operand {
        switch o {
        case .temporary(let t): return .temporary(t + k)
        case .aggregate(let t): return .aggregate(t + k)
        case .frame(let r): return .frame(r + k)
        case .local(let r): return .local(r + k)
        case .constant, .global, .capture, .text, .stringGlobal, .stringConstant, .field: return o
        }
    }

    /// A string register for this statement.
    private mutating func stringTemporary() -> Operand {
        stringTemporaries += 1
        mostStringRegisters = max(mostStringRegisters, stringTemporaries)
        return .text(stringTemporaries - 1)
    }

    private mutating func temporary() -> Operand {
        temporaries += 1
        mostTemporaries = max(mostTemporaries, temporaries)
        return .temporary(temporaries - 1)
    }

    private mutating func reserve() -> Operand {
        precondition(temporaries == reserved, "a loop reserves registers between statements")
        reserved += 1
        return temporary()
    }

    private func arithmetic(_ op: BinaryOperator) throws(Unsupported) -> NumericInstruction.Op {
        switch op {
        case .add: return .add
        case .subtract: return .subtract
        case .multiply: return .multiply
        case .divide: return .divide
        case .remainder: return .remainder
        case .power: return .power
        case .matmul: throw Unsupported()
        }
    }

    private func compareOp(_ op: ComparisonOperator) -> NumericInstruction.Op {
        switch op {
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .equal: return .equal
        case .notEqual: return .notEqual
        }
    }

    @discardableResult
    private mutating func emit(_ op: NumericInstruction.Op, _ operands: [Operand?] = []) -> Int {
        emit(NumericInstruction(op: op), operands)
    }

    /// Appends an instruction whose register fields (a, b, c in order) are `operands`; nil
    /// leaves a field to the instruction (a built-in's or a callee's index).
    @discardableResult
    private mutating func emit(_ i: NumericInstruction, _ operands: [Operand?]) -> Int {
        code.append((i, operands))
        return code.count - 1
    }

    /// dest = source, one register or a vector's.
    private mutating func emitMove(_ dest: Operand, _ source: Operand, _ kind: Kind) {
        let n: Int
        switch kind {
        case .vector(let count): n = count
        case .tuple(let names): n = names.count
        case .rows(let count, let names): n = count * names.count
        case .number, .bool, .string:
            emit(.move, [dest, source])
            return
        }
        var move = NumericInstruction(op: .moveVector)
        move.c = Int32(n)
        emit(move, [dest, source])
    }

    private mutating func emitJump(to target: Int, _ op: NumericInstruction.Op = .jump) {
        var j = NumericInstruction(op: op)
        j.c = Int32(target)
        emit(j, [])
    }

    /// A loop's bottom: back to `top` while `l op r` holds.
    private mutating func loopIf(_ op: ComparisonOperator, _ l: ResolvedExpr, _ r: ResolvedExpr, to top: Int) throws(Unsupported) {
        let mark = temporaries
        defer { temporaries = mark }
        var again = NumericInstruction(op: .loopIf)
        again.compare = op
        again.c = Int32(top)
        let (a, b) = try compared(op, l, r)
        emit(again, [a, b])
    }

    /// The operands of `l op r` compared as numbers: two numbers, or two bools under `==` or
    /// `!=` (`if done == false`, `flag != last`): a bool's register holds 0 or 1, so they compare
    /// as the general code compares bools. Anything else (a bool against a number, which is
    /// never equal, or ordered bools, an error) does not fit.
    private mutating func compared(_ op: ComparisonOperator, _ l: ResolvedExpr, _ r: ResolvedExpr) throws(Unsupported) -> (Operand, Operand) {
        let (a, left) = try expression(l, into: nil), (b, right) = try expression(r, into: nil)
        if left == .number && right == .number { return (a, b) }
        guard left == .bool, right == .bool, op == .equal || op == .notEqual else { throw Unsupported() }
        return (a, b)
    }

    /// Points a forward jump at the next instruction.
    private mutating func patch(_ at: Int) {
        code[at].0.c = Int32(code.count)
    }

    /// Places constants and temporaries and writes the function's code.
    private func finish() {
        let locals = function.proto.frameSize + parameterExtra + extraLocals
        let firstGlobal = locals + constants.count, firstField = firstGlobal + globals.count
        let firstCapture = firstField + fields.count, firstAggregate = firstCapture + captures.count
        let firstTemporary = firstAggregate + aggregateCount
        func register(_ o: Operand) -> Int32 {
            switch o {
            case .local(let s):
                guard !parameterRegisters.isEmpty else { return Int32(s) }
                return Int32(s < parameterRegisters.count ? parameterRegisters[s] : s + parameterExtra)
            case .constant(let k): return Int32(locals + k)
            case .global(let k): return Int32(firstGlobal + k)
            case .capture(let k): return Int32(firstCapture + k)
            case .temporary(let t): return Int32(firstTemporary + t)
            case .text(let k): return ~Int32(k < stringRegisters ? k : k + stringGlobals.count + stringConstants.count)
            case .stringConstant(let k): return ~Int32(stringRegisters + stringGlobals.count + k)
            case .stringGlobal(let k): return ~Int32(stringRegisters + k)
            case .field(let k): return Int32(firstField + k)
            case .aggregate(let k): return Int32(firstAggregate + k)
            case .frame(let r): return Int32(r)
            }
        }
        function.code = .allocate(capacity: code.count)
        for (k, (i, operands)) in code.enumerated() {
            var i = i
            if i.op == .call && function.functions[Int(i.b)].needsClosure { i.op = .callClosure }
            if operands.count > 0, let o = operands[0] { i.a = register(o) }
            if operands.count > 1, let o = operands[1] { i.b = register(o) }
            if operands.count > 2, let o = operands[2] { i.c = register(o) }
            if tupleCalls.contains(k) { i.a += Int32(NumericFunction.tupleDestination) }
            if i.isLoopOrCall { function.loopsOrCalls = true }
            function.code.initializeElement(at: k, to: Instruction(typed: i, at: k))
        }
        function.interpolations = interpolations.map { pieces, reserve, valueRanges, join, appends in
            NumericInterpolation(pieces: pieces.map { piece in
                switch piece {
                case .text(let t): return .text(t)
                case .number(let o): return .number(register(o))
                case .formatted(let o, let spec): return .formatted(register(o), spec)
                case .string(let o): return .string(~register(o))
                }
            }, reserve: reserve, valueRanges: valueRanges, givesUp: join, appends: appends)
        }
        function.stringFrameSize = mostStringRegisters + stringGlobals.count + stringConstants.count
        function.listCount = lists.count
        function.listTensors = lists.values.sorted { $0.index < $1.index }.map { $0.tensor ?? false }
        function.stringConstants = stringConstants
        function.texts = texts
        // A function's string arguments come with the call (passString, NumericMachine.call:
        // their frame made ready, the registers counted to be emptied); a loop's are loaded.
        function.loadsStrings = function.stringFrameSize > 0
            && (compilingLoop || mostStringRegisters > passedStrings || !stringGlobals.isEmpty || !stringConstants.isEmpty)
        function.stringGlobals = stringGlobals
        function.stringGlobalBase = stringRegisters
        function.forLoops = forLoops.map {
            NumericForLoop(statement: $0.statement, body: $0.body, lower: register($0.lower), counter: register($0.counter),
                           text: $0.text.map(register))
        }
        function.constants = .allocate(capacity: constants.count)
        _ = function.constants.initialize(from: constants)
        function.constantBase = locals
        function.globals = globals
        function.globalBase = firstGlobal
        function.fields = fields
        function.fieldBase = firstField
        function.picks = picks.map { (Int(register($0.first)), $0.count, $0.width) }
        function.captures = captures
        function.captureBase = firstCapture
        function.readsFieldsOrCaptures = !fields.isEmpty || !captures.isEmpty
        function.boolRegisters = boolRegisters
        function.inlinedDepth = mostInlineDepth
        function.objects = Array(repeating: nil, count: objectCount)
        function.objectKernels = Array(repeating: nil, count: objectCount)
        function.finished = true
        function.frameSize = firstTemporary + mostTemporaries
    }
}

// MARK: growing lists

/// The compiling of growing lists (NumericLists.swift): a variable grown only by
/// `xs = append(xs, x)` of numbers, cleared by `xs = ()` or `xs = []`, read by `len(xs)` and
/// `xs[i]`, returned by a function. Every other use of it does not fit (its reads refuse it).
extension NumericCompiler {
    /// The function's locals grown as lists (NumericListScan): not a parameter (whose value
    /// comes from the caller), grown by the built-in `append` as the globals hold it now.
    private mutating func growingLocals(_ body: ResolvedBlock) throws(Unsupported) {
        for (slot, append) in NumericListScan.grown(body, globals: false).sorted(by: { $0.key < $1.key })
        where slot >= function.proto.parameterNames.count && holdsAppend(append) {
            guard lists.count < NumericListFile.frame else { throw Unsupported() }
            lists[slot] = (lists.count, nil, append)
        }
    }

    /// A function's locals that it assigns strings (`s = ""`, `s = " " + s`, `line = line + k`,
    /// `s = str(x)`), each given a string register after the parameters' before the body
    /// compiles: a string is built straight into its variable's register, so the compiler must
    /// know the register before it meets the first assignment. A local holds one kind: any
    /// other assignment to one does not fit (the general code ran every such function before).
    private mutating func stringLocalsOf(_ body: ResolvedBlock) {
        passedStrings = stringRegisters
        var assignments: [(slot: Int, value: ResolvedExpr)] = []
        NumericCompiler.localAssignments(body.statements, into: &assignments)
        var found = true
        while found {  // `t = s + "x"` after `s = ""`: until no more are found
            found = false
            for (slot, value) in assignments
            where slot >= function.proto.parameterNames.count && stringLocals[slot] == nil && isString(value) {
                stringLocals[slot] = stringRegisters
                stringRegisters += 1
                found = true
            }
        }
        stringTemporaries = stringRegisters
        mostStringRegisters = max(mostStringRegisters, stringRegisters)
    }

    /// The whole assignments (`x = e`, not `x += e`) to locals in `statements`, nested ones too.
    private static func localAssignments(_ statements: [ResolvedStmt], into found: inout [(slot: Int, value: ResolvedExpr)]) {
        for s in statements {
            switch s.kind {
            case .assign(.local(let slot), nil, _, let value): found.append((slot, value))
            case .ifElse(_, let body, let elseBody):
                localAssignments(body.statements, into: &found)
                if let elseBody { localAssignments([elseBody], into: &found) }
            case .block(let b), .forIn(_, _, let b), .whileLoop(_, let b): localAssignments(b.statements, into: &found)
            case .assign, .expression, .pathAssign, .function, .breakLoop, .continueLoop, .returnValue: break
            }
        }
    }

    /// Whether `e` is written as a string: text, an interpolation, a string local, `str` or
    /// `format` of the built-ins, or `+` with one of them on either side (anything else `+`
    /// joins to a string is an error, which the general code reports). Read from the text
    /// alone, before the body compiles: `producesString`, which the compiling asks, compiles
    /// the functions a call reaches to learn what they return.
    private func isString(_ e: ResolvedExpr) -> Bool {
        switch e.kind {
        case .constant(.string), .interpolation: return true
        case .read(.local(let slot), _): return stringLocals[slot] != nil
        case .read(.cell, _): return readSlot(e).map { stringLocals[$0] != nil } ?? false
        case .binary(.add, let l, let r): return isString(l) || isString(r)
        case .call(let callee, _, _, _):
            guard case .read(.global(let slot), _) = callee.kind, case .function(let fn)? = interpreter.variable(slot),
                  fn.kind == .builtin else { return false }
            return fn.name == "str" || fn.name == "format"
        case .constant, .read, .tensor, .tuple, .unary, .binary, .comparison, .logical, .not, .range, .index, .member, .function:
            return false
        }
    }

    /// Whether global `slot` holds the built-in `append` (and the code does not assign it).
    fileprivate func holdsAppend(_ slot: Int) -> Bool {
        guard globalLocals[slot] == nil, case .function(let fn)? = interpreter.variable(slot), fn.kind == .builtin else { return false }
        return fn.name == "append"
    }

    /// The list register an assignment's target is, nil for any other target.
    private func listRegister(_ target: VariableRef) -> Int? {
        switch target {
        case .local(let slot): return lists[slot] != nil ? slot : nil
        case .global(let slot): return globalLocals[slot].flatMap { lists[$0] != nil ? $0 : nil }
        case .cell: return nil
        }
    }

    /// The list register `e` reads, nil for any other expression.
    private func listOf(_ e: ResolvedExpr) -> Int? {
        guard case .read(let place, _) = e.kind else { return nil }
        switch place {
        case .local(let slot): return lists[slot] != nil && rowLists[slot] == nil ? slot : nil
        case .global(let slot): return globalLocals[slot].flatMap { lists[$0] != nil ? $0 : nil }
        case .cell:
            guard let slot = readSlot(e) else { return nil }
            return lists[slot] != nil && rowLists[slot] == nil ? slot : nil
        case .capture: return nil
        }
    }

    /// `xs = ()` or `xs = []` (a tuple's list or a vector's: one kind per variable), or
    /// `xs = append(xs, x)` of a number x, through the global `append` the scan found.
    private mutating func listAssign(_ r: Int, _ op: BinaryOperator?, _ value: ResolvedExpr) throws(Unsupported) {
        guard op == nil, let list = lists[r], rowLists[r] == nil else { throw Unsupported() }
        var i = NumericInstruction(op: .listClear)
        i.b = Int32(list.index)
        if case .tuple(let items, _) = value.kind, items.isEmpty {
            guard list.tensor != true else { throw Unsupported() }
            lists[r]!.tensor = false
            emit(i, [])
        } else if case .tensor(let items) = value.kind, items.isEmpty {
            guard list.tensor != false else { throw Unsupported() }
            lists[r]!.tensor = true
            emit(i, [])
        } else if case .call(let callee, let positional, let labels, _) = value.kind, labels.isEmpty, positional.count == 2,
                  case .read(.global(let slot), _) = callee.kind, slot == list.append, listOf(positional[0]) == r,
                  case .function(let fn)? = interpreter.variable(slot), holdsAppend(slot) {
            // (Read before the number, as the general code reads the arguments: a read of an
            // assigned variable, which cannot fail.)
            guard assigned.contains(r), let tensor = list.tensor else { throw Unsupported() }
            let mark = temporaries
            defer { temporaries = mark }
            let x = try number(positional[1], into: nil)
            function.calledBuiltins.append((slot, unsafeDowncast(fn, to: BuiltinFunction.self)))
            i.op = .listAppend
            i.a = tensor ? 1 : 0
            // (A loop raises the limit's error at the call, as the general code's callGrowing.)
            function.listSites[emit(i, [nil, nil, x])] = value.range
        } else {
            throw Unsupported()
        }
        assigned.insert(r)
    }

    /// Whether a call is `len(xs)` of a list, through a global holding the built-in `len`.
    private func isListLength(_ callee: ResolvedExpr, _ positional: [ResolvedExpr], _ labels: [String]) -> Bool {
        guard labels.isEmpty, positional.count == 1, listOf(positional[0]) != nil, case .read(.global(let slot), _) = callee.kind,
              globalLocals[slot] == nil, case .function(let fn)? = interpreter.variable(slot), fn.kind == .builtin else { return false }
        return fn.name == "len"
    }

    /// `len(xs)` (isListLength): the list's count.
    private mutating func listLength(_ callee: ResolvedExpr, _ argument: ResolvedExpr, into dest: Operand?) throws(Unsupported) -> (Operand, Kind) {
        guard let r = listOf(argument), assigned.contains(r), let list = lists[r], case .read(.global(let slot), _) = callee.kind,
              case .function(let fn)? = interpreter.variable(slot) else { throw Unsupported() }
        function.calledBuiltins.append((slot, unsafeDowncast(fn, to: BuiltinFunction.self)))
        let d = dest ?? temporary()
        var i = NumericInstruction(op: .listLength)
        i.b = Int32(list.index)
        emit(i, [d])
        return (d, .number)
    }

    /// `xs[i]` of a list, i a number: its item (a position the rule refuses gives up, or a
    /// loop raises the rule's error at `range`, the index expression's).
    private mutating func listElement(_ base: ResolvedExpr, _ items: [ResolvedIndexItem], _ range: SourceRange,
                                      into dest: Operand?) throws(Unsupported) -> (Operand, Kind) {
        guard let r = listOf(base), assigned.contains(r), let list = lists[r], list.tensor != nil, items.count == 1,
              case .single(let key) = items[0] else {
            throw Unsupported()
        }
        let d = dest ?? temporary()
        let mark = temporaries
        defer { temporaries = mark }
        let k = try number(key, into: nil)
        var i = NumericInstruction(op: .listElement)
        i.b = Int32(list.index)
        function.listSites[emit(i, [d, nil, k])] = range
        return (d, .number)
    }

    /// `t[i] = x`, `t[i] op= x` of a function's tuple list (a tuple of numbers grown by append,
    /// or a parameter given one), x a number: the item written in the list (listSetElement), as
    /// the general rule writes a tuple's item: the value first, then the key, then (with op)
    /// the old item op the value. A position the rule refuses gives up; the general code runs
    /// the call and says what is wrong. A tuple sorted in place by its items (bubble sort over
    /// `data = append(data, x)`) left its whole function to the general code.
    private mutating func listSetElement(_ r: Int, _ items: [ResolvedIndexItem], _ op: BinaryOperator?, _ value: ResolvedExpr,
                                         _ range: SourceRange) throws(Unsupported) {
        guard !compilingLoop, op != .matmul, assigned.contains(r), let list = lists[r], list.tensor == false, rowLists[r] == nil,
              items.count == 1, case .single(let key) = items[0] else {
            throw Unsupported()
        }
        let mark = temporaries
        defer { temporaries = mark }
        let v = try number(value, into: nil)
        let k = try number(key, into: nil)
        var x = v
        if let op {
            let old = temporary()
            var item = NumericInstruction(op: .listElement)
            item.b = Int32(list.index)
            function.listSites[emit(item, [old, nil, k])] = range
            emit(try arithmetic(op), [old, old, v])
            x = old
        }
        var write = NumericInstruction(op: .listSetElement)
        write.b = Int32(list.index)
        function.listSites[emit(write, [x, nil, k])] = range
    }

    /// Whether statements write an item of local `slot` (`t[i] = x`), anywhere in them.
    private static func writesItem(of slot: Int, _ statements: [ResolvedStmt]) -> Bool {
        statements.contains { s in
            switch s.kind {
            case .pathAssign(.local(slot), _, _, _, _): return true
            case .ifElse(_, let body, let elseBody): return writesItem(of: slot, body.statements) || writesItem(of: slot, elseBody.map { [$0] } ?? [])
            case .block(let b), .forIn(_, _, let b), .whileLoop(_, let b): return writesItem(of: slot, b.statements)
            case .assign, .expression, .pathAssign, .function, .breakLoop, .continueLoop, .returnValue: return false
            }
        }
    }

    /// `for x in xs` over a function's list: x a number local given each item in turn, as the
    /// general code walks the tuple the list stands for. That tuple is the one xs held when
    /// the loop began, so a body that assigns xs (an `append` would show in the list) does
    /// not fit.
    private mutating func listLoop(_ s: ResolvedStmt, _ variable: VariableRef, _ r: Int, _ body: ResolvedBlock) throws(Unsupported) {
        var written: [(slot: Int, value: ResolvedExpr)] = []
        NumericCompiler.localAssignments(body.statements, into: &written)
        guard case .local = variable, let slot = register(of: variable), slot != r, assigned.contains(r), let list = lists[r],
              list.tensor == false, !written.contains(where: { $0.slot == r }), !Self.writesItem(of: r, body.statements),
              localFunctions[slot] == nil, rowLocals[slot] == nil,
              tupleLocals[slot] == nil, !boolRegisters.contains(slot), stringLocals[slot] == nil, lists[slot] == nil else {
            throw Unsupported()
        }
        numberRegisters.insert(slot)
        let count = reserve(), k = reserve()
        var length = NumericInstruction(op: .listLength)
        length.b = Int32(list.index)
        emit(length, [count])
        try countedLoop(s, slot, count: count, counter: k, note: (count, nil), body) { compiler in
            var item = NumericInstruction(op: .listElement)
            item.b = Int32(list.index)
            compiler.emit(item, [.local(slot), nil, k])
        }
        reserved -= 2
        temporaries = reserved
    }

    /// `for p in pts` over rows held as column lists (NumericParameter.rowList): p a tuple
    /// local given each row in turn, its numbers read from the columns at the row's position,
    /// as rowLoop gives rows held in registers (the parameter is never written: listAssign
    /// refuses it). After a loop that ran, p holds the last row, as the general code leaves it;
    /// after one that did not, p is as it was.
    private mutating func rowListLoop(_ s: ResolvedStmt, _ variable: VariableRef, _ rows: (first: Int, names: [String?]),
                                      _ body: ResolvedBlock) throws(Unsupported) {
        guard !compilingLoop else { throw Unsupported() }
        let (slot, row) = try rowVariable(variable, rows.names)
        let count = reserve(), k = reserve()
        var length = NumericInstruction(op: .listLength)
        length.b = Int32(rows.first)
        emit(length, [count])
        try countedLoop(s, slot, count: count, counter: k, note: (count, nil), body) { compiler in
            for j in rows.names.indices {
                var item = NumericInstruction(op: .listElement)
                item.b = Int32(rows.first + j)
                compiler.emit(item, [compiler.offset(row, j), nil, k])
            }
        }
        reserved -= 2
        temporaries = reserved
    }

    /// `return xs` of a tuple's list: its value to the general code (NumericReturn.list), then
    /// a return. (A vector's is the general code's: handing one back took a case of its own in
    /// NumericMachine.Returned, which every general call checks, and map_tree moved by 10%.)
    private mutating func returnList(_ r: Int) throws(Unsupported) {
        guard assigned.contains(r), let list = lists[r], list.tensor == false else { throw Unsupported() }
        try noteReturn(.list)
        var i = NumericInstruction(op: .returnList)
        i.b = Int32(list.index)
        emit(i, [])
        emit(.returnValue, [constant(0)])
    }
}

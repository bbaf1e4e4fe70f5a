// Interpreter: the state of one session (globals that persist across REPL entries, the
// value stack, limits, output sink) and the entry point `run(program)`.

import Lexer
import Parser
import Synchronization

/// Set by the host's SIGINT handler or timer; polled at loop back-edges and calls.
/// 0: keep going, 1: interrupted, 2: time limit reached.
public let interruptRequest = Atomic<Int>(0)

public final class Interpreter {
    public static let maxCallDepth = 10_000

    // Globals by slot; nil marks a name the resolver has seen but nothing has bound yet.
    /// Written only through `setGlobal`, which keeps `functionEpoch`.
    @exclusivity(unchecked) private(set) var globals = GlobalSlots()
    /// Counts writes that bind or unbind a function in a global: numeric code (Numeric/) checks
    /// the globals it calls through only when this has moved since it last looked.
    @exclusivity(unchecked) private(set) var functionEpoch = 0
    public private(set) var globalNames: [String] = []
    var globalIndex: [String: Int] = [:]

    // Hot state is exempt from dynamic exclusivity checks: only the evaluator touches it,
    // and never through overlapping accesses.
    // The value stack: frames are windows [fp, fp + frameSize); indices only, since it may move.
    @exclusivity(unchecked) var stack: UnsafeMutablePointer<Value?>
    /// Where the frame of the function whose loop the numeric tier runs begins on the stack
    /// (Interpreter.variable, NumericLoopSite.run).
    @exclusivity(unchecked) var numericLoopFrame = 0
    /// The labels of the tuple literals resolved so far, one object per list of names.
    private var literalLabels: [[String?]: TupleLabels] = [:]
    /// The string indexed last and its code points (Interpreter.codePoints).
    @exclusivity(unchecked) var indexedString: (text: String, codePoints: [Unicode.Scalar])?
    @exclusivity(unchecked) var stackCapacity: Int
    @exclusivity(unchecked) var sp = 0
    @exclusivity(unchecked) var fp = 0
    @exclusivity(unchecked) var depth = 0
    /// The callers of the functions the machine entered in its loop (Machine.swift, run),
    /// innermost last: `inlineCount` of them. Each entry deepens `depth`, which stops at
    /// maxCallDepth + 1, so the capacity is never passed. (An array's append and removeLast
    /// were a tenth of a recursion over a tree.)
    let inlineFrames = UnsafeMutablePointer<InlineFrame>.allocate(capacity: Interpreter.maxCallDepth + 2)
    @exclusivity(unchecked) var inlineCount = 0
    @exclusivity(unchecked) var frameCells: [Cell] = []
    @exclusivity(unchecked) var closureCaptures: [Cell] = []
    /// The arguments of a call into numeric code, as numbers (runNumeric).
    static let numericArgumentCapacity = 16
    let numericArguments = UnsafeMutablePointer<Double>.allocate(capacity: Interpreter.numericArgumentCapacity)
    /// The arrays a call of numeric code with tensor arguments fills (`predict(w, x)` once per
    /// sample): kept between calls so a call allocates neither. A call takes them out (a call
    /// inside it then finds them empty and makes its own) and puts them back emptied.
    @exclusivity(unchecked) var mixedNumbers: [Double] = []
    @exclusivity(unchecked) var mixedTensors: [Tensor] = []
    /// Runs functions compiled to numeric code (Numeric/); its registers are taken at the first call.
    let numericMachine = NumericMachine()
    /// Off, every call and loop runs in the general machine (the tests compare the two).
    @exclusivity(unchecked) public var usesNumericTier = true
    /// Off, the compiled code's shortcuts for tuple elements (`p[0]`, `t["lr"]`), tensor elements
    /// read and written in place (`x[j]`, `x[j + 1] = t`), slices of 1-D tensors and views
    /// (`x[0:h]`) and calls (built-ins' and methods' direct entries, a schedule called with a
    /// number, `map` over one tree) take the general rules they stand for; and code compiled
    /// while it is off has its general shape (ChunkCompiler.shortcuts). The tests compare the two.
    @exclusivity(unchecked) public var usesFastPaths = true
    /// The globals that code in the functions of the programs run so far names: those a
    /// function may read while a top-level call runs it, which the call may not lend.
    @exclusivity(unchecked) var globalsInFunctions = Set<Int>()
    /// The globals top-level calls lent to the functions they call (enterFrame) or let go of
    /// with them (a statement's target, CallOperands.releases), by slot: bound still for the
    /// names an error suggests (a global is never unbound again, so one marked once is bound
    /// anyway after its call).
    @exclusivity(unchecked) var lentGlobals: [Bool] = []

    /// Marks global g as lent (lentGlobals).
    func markLent(_ g: Int) {
        if g >= lentGlobals.count { lentGlobals += [Bool](repeating: false, count: g + 1 - lentGlobals.count) }
        lentGlobals[g] = true
    }
    /// The specs `format` parsed: a loop formats with the same few specs every time, and
    /// parsing one was a fifth of `format(loss, ".4f")` inside an interpolation.
    @exclusivity(unchecked) private var formatSpecs: [String: FormatSpec] = [:]
    /// The last few specs used, compared before the table is hashed: a table row formats with
    /// three or four specs in turn (hashing was 2% of `format_table`).
    @exclusivity(unchecked) private var recentFormatSpecs: [(text: String, spec: FormatSpec)] = []
    @exclusivity(unchecked) private var nextRecentFormatSpec = 0
    @exclusivity(unchecked) public var maxElements = TensorLimits.defaultMaxElements
    /// What the host set (output, precision, plot size, sandbox, random stream).
    public let host: HostSettings
    /// What the host observes of a run (display hints, progress, trace, partial results).
    public let channel = HostChannel()
    /// The running grad's tape.
    let autodiff = AutodiffContext()
    /// The tuple `argv` of the program's arguments (strings).
    public var argv: [String] = [] {
        didSet { defineGlobal("argv", .tuple(TupleValue(argv.map { .string($0) }))) }
    }

    public init(output: @escaping (String) -> Void) {
        host = HostSettings(output: output)
        stackCapacity = 1 << 12
        stack = UnsafeMutablePointer<Value?>.allocate(capacity: stackCapacity)
        stack.initialize(repeating: nil, count: stackCapacity)
        defineBuiltins()
    }

    deinit {
        stack.deinitialize(count: stackCapacity)
        stack.deallocate()
        numericArguments.deallocate()
        inlineFrames.deinitialize(count: inlineCount)
        inlineFrames.deallocate()
        globals.free()
    }

    /// Binds every entry of the built-in table as a global (user code may shadow them).
    func defineBuiltins() {
        var namespaces: [String: [Builtin]] = [:]
        for b in Builtins.table {
            if let dot = b.name.firstIndex(of: ".") {
                namespaces[String(b.name[..<dot]), default: []].append(b)
            } else {
                defineGlobal(b.name, .function(BuiltinFunction(b)))
            }
        }
        for (name, entries) in namespaces { defineGlobal(name, .object(Namespace(name: name, entries: entries))) }
        for (name, value) in Builtins.constants { defineGlobal(name, .number(value)) }
        defineGlobal("argv", .tuple(TupleValue(argv.map { .string($0) })))
    }

    /// Forgets every user binding (`:reset`).
    public func reset() {
        for i in globals.indices { setGlobal(i, nil) }
        defineBuiltins()
    }

    public func defineGlobal(_ name: String, _ value: Value) {
        setGlobal(globalSlot(name), value)
    }

    /// Defines `name` as `value`, or leaves it unbound when `value` is nil.
    public func restoreGlobal(_ name: String, _ value: Value?) {
        setGlobal(globalSlot(name), value)
    }

    /// The labels of a tuple literal: one object for every literal of these names, so that a
    /// tree whose leaves and inner nodes are built by two literals (`(v: v, l: nil, r: nil)`
    /// and `(v: v, l: build(...), r: build(...))`) has one labels object, which each `t.v`
    /// finds in its member site's cache (MemberSite) instead of looking the name up: a sum over
    /// such a tree hashed the label at every read (with `t == nil` read in place,
    /// Machine.compareInPlace: a sum over a tree of 4,095 nodes 100 times, 142 -> 84 ms).
    func labels(_ names: [String?]) -> TupleLabels {
        if let known = literalLabels[names] { return known }
        let labels = TupleLabels(names)
        literalLabels[names] = labels
        return labels
    }

    @inline(__always)
    func setGlobal(_ slot: Int, _ value: Value?) {
        if case .function? = value {
            functionEpoch &+= 1
        } else if case .function? = globals[slot] {
            functionEpoch &+= 1
        }
        globals[slot] = value
    }

    /// setGlobal of a number or a bool: a slot that holds no reference (a number, a bool, nil,
    /// unbound; never a function, so `functionEpoch` stays) is written over without the
    /// destroy an assignment calls (`s = i`, a top-level loop's variable, once per step).
    @inline(__always)
    func setGlobalPlain(_ slot: Int, _ value: Value) {
        let p = globals.pointer(slot)
        // Safe: the old value holds nothing to release, so initializing over it leaks nothing.
        if holdsNoReference(p) { p.initialize(to: value) } else { setGlobal(slot, value) }
    }

    /// Runs `body` on the storage of the global `slot`, for an update in place that leaves it
    /// holding a value of the same kind (no function is bound or unbound, so `functionEpoch`
    /// stays). The pointer is valid only inside `body`.
    @inline(__always)
    func withGlobal<R>(_ slot: Int, _ body: (UnsafeMutablePointer<Value?>) -> R) -> R {
        // Safe: `slot` is one of the globals', and nothing appends a slot while `body` runs.
        body(globals.pointer(slot))
    }

    /// A format spec, parsed (FormatSpec.parse) or as parsed before.
    func formatSpec(_ text: String) throws(RuntimeError) -> FormatSpec {
        // A loop formats with one spec over and over: comparing it with the last one is
        // cheaper than hashing it (the lookup was 5% of a label built per step).
        for recent in recentFormatSpecs where recent.text == text { return recent.spec }
        let spec: FormatSpec
        if let known = formatSpecs[text] {
            spec = known
        } else {
            spec = try FormatSpec.parse(text)
            // Specs built by the program (`".\(p)f"`) could be many: keep a few.
            if formatSpecs.count >= 64 { formatSpecs.removeAll(keepingCapacity: true) }
            formatSpecs[text] = spec
        }
        // The recent ones in a ring of four, the oldest replaced.
        if recentFormatSpecs.count < 4 {
            recentFormatSpecs.append((text, spec))
        } else {
            recentFormatSpecs[nextRecentFormatSpec] = (text, spec)
            nextRecentFormatSpec = (nextRecentFormatSpec + 1) & 3
        }
        return spec
    }

    public func global(_ name: String) -> Value? {
        guard let i = globalIndex[name] else { return nil }
        return globals[i]
    }

    /// The session's own bindings, in order of first use (`:vars`): every bound name that is not
    /// a built-in, and built-in names the user has rebound.
    public var userVariables: [(String, Value)] {
        globalNames.indices.compactMap { i -> (String, Value)? in
            guard let v = globals[i] else { return nil }
            let name = globalNames[i]
            if name == "argv" { return nil }
            if Builtins.byName[name] != nil, case .function(let f) = v, f.kind == .builtin, f.name == name { return nil }
            if let c = Builtins.constants.first(where: { $0.0 == name }), case .number(let x) = v,
               x.bitPattern == c.1.bitPattern || (x.isNaN && c.1.isNaN) { return nil }
            if case .object(let o) = v, o is Namespace { return nil }
            return (name, v)
        }
    }

    /// The names bound now (built-ins and the session's), for completion and suggestions.
    public var boundGlobalNames: [String] {
        globalNames.indices.filter { globals[$0] != nil || ($0 < lentGlobals.count && lentGlobals[$0]) }.map { globalNames[$0] }
    }

    func globalSlot(_ name: String) -> Int {
        if let i = globalIndex[name] { return i }
        let slot = globals.append()
        globalIndex[name] = slot
        globalNames.append(name)
        return slot
    }

    /// Makes room for `n` more slots above `sp`.
    @inline(__always)
    func reserveStack(_ n: Int) {
        if sp + n > stackCapacity { growStack(sp + n) }
    }

    @inline(never)
    func growStack(_ needed: Int) {
        var capacity = stackCapacity
        while capacity < needed { capacity *= 2 }
        let bigger = UnsafeMutablePointer<Value?>.allocate(capacity: capacity)
        bigger.moveInitialize(from: stack, count: stackCapacity)
        (bigger + stackCapacity).initialize(repeating: nil, count: capacity - stackCapacity)
        stack.deallocate()
        stack = bigger
        stackCapacity = capacity
    }

    /// Polled at loop back-edges and calls.
    @inline(__always)
    func checkInterrupt() throws(RuntimeError) {
        if interruptRequest.load(ordering: .relaxed) != 0 { try raiseInterrupt() }
    }

    @inline(never)
    func raiseInterrupt() throws(RuntimeError) {
        try Interrupts.raise()
    }

    // MARK: entry point

    /// Resolves and runs a program, compiled (Compiled/): a chunk per top-level statement, each
    /// in a frame of its registers. `display` receives the value of each top-level statement
    /// that shows one (the REPL); scripts pass nil. On error, variables keep what they had.
    public func run(_ program: Program, display: ((Value) -> Void)? = nil) throws(RuntimeError) {
        let resolved = Resolver(interpreter: self, file: program.file).resolveTopLevel(program.statements)
        globalsInFunctions.formUnion(GlobalsInFunctions.named(by: resolved))
        let lendable = host.errorsEndTheRun ? { [globalsInFunctions] g in !globalsInFunctions.contains(g) } : nil
        let savedSp = sp, savedFp = fp, savedDepth = depth
        defer { sp = savedSp; fp = savedFp; depth = savedDepth }
        for (k, statement) in resolved.enumerated() {
            channel.displayHint = nil
            let chunk = ChunkCompiler.topLevel(statement, file: program.file, shortcuts: usesFastPaths, lendable: lendable)
            let base = sp
            reserveStack(chunk.registerCount)
            fp = base
            sp = base + chunk.registerCount
            do {
                // Between statements too: straight-line code of long built-ins (a few large
                // matmuls) has no loop back-edge to notice Ctrl-C or --max-seconds at.
                try checkInterrupt()
                let shown = try execute(chunk)
                leaveFrame(base: base, size: chunk.registerCount)
                if let display, !program.silent.contains(k), let shown, !shown.isNull {
                    defineGlobal("ans", shown)
                    try checkPrintable(shown)
                    display(shown)
                }
            } catch {
                var e = error
                e.locate(statement.range, in: program.file)
                // Clear the frames the error unwound through.
                for i in base..<Swift.max(base, stackCapacity) where stack[i] != nil { stack[i] = nil }
                sp = base
                throw e
            }
        }
    }
}

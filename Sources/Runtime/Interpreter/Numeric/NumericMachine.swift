// Runs typed code: the chunk instructions (Chunk.swift, the `typed` cases) NumericCompiler
// makes for a function or a loop whose values it proved numbers, strings, tuples or tensors.
// One register file for all frames: a call's frame begins at its arguments, the caller's last
// registers. Strings have a file of their own, a frame of string registers per call depth. nil
// means "give up": the general code then runs the call from the start.
//
// The same instruction set as the general machine's (Machine.swift), run by a loop of its
// own: one loop for both (session 19, kept on the branch `fold`) made typed loops 1.2-1.5x
// slower, as the general instructions' state left no machine register for this loop's
// instruction pointer and number registers (docs/performance.md).

import CKernels
import Lexer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class NumericMachine {
    /// 8 MB of address space, taken at the first call (start-up pays nothing for it); pages
    /// are touched only as deep recursion reaches them.
    static let capacity = 1 << 20
    @exclusivity(unchecked) private var storage: UnsafeMutablePointer<Double>?
    /// The string registers: a frame of `stringFrame` of them per call depth of a run (a
    /// function's string registers are the frame at its depth), so calls and returns do nothing
    /// for strings (keeping a string base in every caller's record made fib(30) 20% slower).
    /// Taken at the first need, and made empty strings a frame at a time, as deep as runs reach.
    static let stringFrame = 32
    @exclusivity(unchecked) private var strings: UnsafeMutablePointer<String>?
    @exclusivity(unchecked) private var stringFramesReady = 0
    /// The call depth of the running run's first frame (its string frame is the first).
    @exclusivity(unchecked) private var entryDepth = 0
    /// The end of the string registers used since the outermost run began (emptied when it
    /// ends: a string held there is the program's no longer).
    @exclusivity(unchecked) private var stringsUsed = 0
    /// What a returnTuple or a returnString gave the general code: the call from it takes it
    /// (NumericMachine.call); anywhere else the code gives up on a tuple.
    enum Returned {
        case tuple(values: [Double], labels: TupleLabels?)
        case string(String)
        case bool(Bool)
        /// tensors[k] of the call (returnTensor): the call for tensor arguments makes it `tensor`
        case tensorArgument(Int)
        case tensor(Tensor)
    }
    @exclusivity(unchecked) var returned: Returned?
    /// Where interpolate writes a string's bytes, taken at the first need.
    static let scratchCapacity = 4096
    @exclusivity(unchecked) private var scratch: UnsafeMutableBufferPointer<UInt8>?
    /// Whether code runs here now. The general code it may call (a `grad` whose tape-free code
    /// no longer fits takes the tape) must not start another run: each starts at the first
    /// registers, which the running code holds. It runs the call itself instead.
    @exclusivity(unchecked) private var running = false
    var isRunning: Bool { running }
    /// Whether the running code is a top-level loop's (runLoop), which holds the globals it
    /// assigns in its registers until it ends.
    @exclusivity(unchecked) private var runningLoop = false
    /// Top-level loops this machine ran to their end or interrupt (the tests read it).
    @exclusivity(unchecked) private(set) var loopsRun = 0
    /// Calls that ran the code of another proto in a callee's place (standIn; the tests read it).
    @exclusivity(unchecked) private(set) var standInsCalled = 0

    deinit {
        release(storage)
        release(callers)
        strings?.deinitialize(count: stringFramesReady * NumericMachine.stringFrame)
        release(strings)
        scratch?.deallocate()
    }

    /// The string file's capacity: a frame per call depth.
    static let stringFileCapacity = (Interpreter.maxCallDepth + 2) * NumericMachine.stringFrame

    /// The buffers mapped by `map`, with their sizes.
    @exclusivity(unchecked) private var mappings: [(pointer: UnsafeMutableRawPointer, bytes: Int)] = []

    /// Room for `count` values of T in a mapping of its own (optrepl_map: the registers, callers
    /// and strings are megabytes touched only as deep as runs reach, and in the heap's huge
    /// pages their first touch could stall on the kernel's compaction), or from the allocator
    /// when the mapping fails.
    private func map<T>(_: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        let bytes = count * MemoryLayout<T>.stride
        guard let p = optrepl_map(UInt(bytes)) else { return .allocate(capacity: count) }
        mappings.append((p, bytes))
        return p.bindMemory(to: T.self, capacity: count)
    }

    /// Gives back a buffer `map` made: unmapped, or to the allocator it came from.
    private func release<T>(_ p: UnsafeMutablePointer<T>?) {
        guard let p else { return }
        if let m = mappings.first(where: { $0.pointer == UnsafeMutableRawPointer(p) }) {
            optrepl_unmap(m.pointer, UInt(m.bytes))
        } else {
            p.deallocate()
        }
    }

    /// Calls f with `arguments` (numbers) from the general code, at call depth `depth`. When f
    /// returned a tuple of numbers or a string, `returned` holds it (and the number returned
    /// means nothing): the caller takes it.
    func call(_ f: NumericFunction, _ arguments: UnsafeBufferPointer<Double>, closure: Closure? = nil, depth: Int,
              _ I: Interpreter) throws(RuntimeError) -> Double? {
        guard !running else { return nil }
        // A function with effects finds its optimizers ready, and room for its calls (they
        // must not give up after it printed), before it starts.
        if f.hasEffects {
            guard f.optimizersReady(I), depth + f.callDepth <= Interpreter.maxCallDepth,
                  f.frameSize + f.calleeRegisters <= NumericMachine.capacity, f.calleeEntriesHold(I) else { return nil }
        }
        running = true
        defer { running = false }
        let registers = storage ?? map(Double.self, NumericMachine.capacity)
        storage = registers
        for k in arguments.indices { registers[k] = arguments[k] }
        defer {
            if stringsUsed > 0 { emptyStrings() }
            if lists.used > 0 { lists.letGo() }
        }
        let v = try run(f, registers, base: 0, closure: closure.map { Unmanaged.passUnretained($0) }, depth: depth, I)
        if !f.objects.isEmpty { f.letGoOfObjects() }
        if v == nil {
            f.givenUp += 1
            // A function that keeps giving up (one that returns nil on purpose) is left to
            // the general code rather than run twice on every call.
            if f.givenUp > 16 { f.forget(forGood: true) }
        }
        return v
    }

    /// `call` for code for tensor, tuple or string arguments (NumericParameter): `numbers` holds
    /// every parameter's registers (a tuple's numbers in place; a tensor's or a string's register
    /// is not read), `tensors` the tensor arguments in order, `strings` the string arguments.
    func call(_ f: NumericFunction, _ numbers: [Double], tensors: inout [Tensor], strings: [String], depth: Int,
              _ I: Interpreter) throws(RuntimeError) -> Double? {
        guard !running else { return nil }
        if !strings.isEmpty {
            // The string arguments in the first registers of the first string frame (let go
            // of when the call ends, however it ends).
            let frame = stringFrame(0)
            for (k, s) in strings.enumerated() { frame[k] = s }
            stringsUsed = max(stringsUsed, strings.count)
        }
        defer { if stringsUsed > 0 { emptyStrings() } }
        let v = try f.withBuffers(&tensors, from: 0) { () throws(RuntimeError) -> Double? in
            let v = try numbers.withUnsafeBufferPointer { (p) throws(RuntimeError) -> Double? in try call(f, p, depth: depth, I) }
            // Given up: the general code runs the call on the tensors as they were passed.
            if v == nil { for site in f.tensors where site.writable { site.state.pointee.forgetWrites() } }
            return v
        }
        // `return x` of a tensor parameter: as the call left it (written in place or into its own copy).
        if v != nil, case .tensorArgument(let k)? = returned { returned = .tensor(tensors[k]) }
        return v
    }

    /// Runs a compiled top-level loop (NumericLoop.swift) whose frame starts with `initial`, and
    /// its string frame with `initialStrings`; `finish` reads those frames when the loop ends and
    /// also when it is interrupted (the globals then keep what the iterations so far assigned,
    /// as in the general code). False when the code gave up: nothing was written, and the
    /// general code runs the loop.
    /// Its growing lists (NumericLists.swift) start as `initialLists`, the first lists of the
    /// first frame, which `finish` takes.
    func runLoop(_ f: NumericFunction, _ initial: [Double], _ initialStrings: [String], initialLists: [[Double]] = [],
                 depth: Int, _ I: Interpreter,
                 finish: (UnsafePointer<Double>, UnsafePointer<String>) -> Void) throws(RuntimeError) -> Bool {
        guard !running, f.calleeEntriesHold(I) else { return false }
        running = true
        runningLoop = true
        defer { running = false; runningLoop = false }
        let registers = storage ?? map(Double.self, NumericMachine.capacity)
        storage = registers
        for k in initial.indices { registers[k] = initial[k] }
        let texts = stringFrame(0)
        for k in initialStrings.indices { texts[k] = initialStrings[k] }
        stringsUsed = max(stringsUsed, initialStrings.count)
        for (k, data) in initialLists.enumerated() { lists.list(frame: 0, k).pointee = data }
        defer {
            if stringsUsed > 0 { emptyStrings() }
            if lists.used > 0 { lists.letGo() }
        }
        let v: Double?
        do {
            v = try run(f, registers, base: 0, closure: nil, depth: depth, I)
        } catch {
            finish(registers, texts)
            loopsRun += 1
            throw error
        }
        guard v != nil else { return false }
        finish(registers, texts)
        loopsRun += 1
        return true
    }

    /// The string frame at depth d of a run (d <= the recursion limit), made ready. Inline
    /// when it is (every call but the first at a depth: each string argument passed asks).
    @inline(__always)
    private func stringFrame(_ d: Int) -> UnsafeMutablePointer<String> {
        if d < stringFramesReady, let file = strings { return file + d * NumericMachine.stringFrame }
        return makeStringFrames(d)
    }

    @inline(never)
    private func makeStringFrames(_ d: Int) -> UnsafeMutablePointer<String> {
        let file = strings ?? map(String.self, NumericMachine.stringFileCapacity)
        strings = file
        while stringFramesReady <= d {
            (file + stringFramesReady * NumericMachine.stringFrame).initialize(repeating: "", count: NumericMachine.stringFrame)
            stringFramesReady += 1
        }
        return file + d * NumericMachine.stringFrame
    }

    /// Lets go of the strings the runs left in their registers.
    @inline(never)
    private func emptyStrings() {
        guard let strings else { return }
        for k in 0..<stringsUsed { strings[k] = "" }
        stringsUsed = 0
    }

    /// A caller's place while its callee runs in the same loop: calls between compiled
    /// functions push one of these instead of making a Swift call (hanoi's million calls are
    /// most of its time), so a call costs a push, the callee's prologue and a pop.
    private struct Caller {
        var function: Unmanaged<NumericFunction>
        /// The closure it runs for (its captures), unretained: a global or a cell holds it,
        /// and numeric code changes neither.
        var closure: Unmanaged<Closure>?
        /// Its next instruction.
        var ip: UnsafeMutablePointer<Instruction>
        var base: Int
        /// The register the callee's result goes to: ~k for string register k (the callee must
        /// return a string: a callee compiled after its caller may not, and gives up), else a
        /// number's (only a callee that returns numbers has returnValue).
        var destination: Int
    }
    /// The callers of the running code, from `callerBase` of the outermost run up; room for
    /// the recursion limit, taken at the first call.
    @exclusivity(unchecked) private var callers: UnsafeMutablePointer<Caller>?
    @exclusivity(unchecked) private var callerCount = 0
    /// The position in f's code of the instruction before `ip` (the one running).
    private static func position(before ip: UnsafeMutablePointer<Instruction>, in f: Unmanaged<NumericFunction>) -> Int {
        ip - 1 - f._withUnsafeGuaranteedRef { $0.code.baseAddress.unsafelyUnwrapped }
    }

    /// The closure the running function was called for (nil for a top-level loop).
    @exclusivity(unchecked) private var runningClosure: Unmanaged<Closure>?

    /// Runs f on the frame at `base` to its return; nil when the code gave up (at any depth of
    /// the calls it made: the general code then runs the outermost call again).
    private func run(_ f: NumericFunction, _ registers: UnsafeMutablePointer<Double>, base: Int,
                     closure: Unmanaged<Closure>?, depth: Int, _ I: Interpreter) throws(RuntimeError) -> Double? {
        let callers = self.callers ?? map(Caller.self, Interpreter.maxCallDepth + 2)
        self.callers = callers
        // Nothing re-enters the machine while it runs (`running`), but a run leaves the caller
        // stack as it found it, whichever way it ends.
        let outermost = callerCount
        defer { callerCount = outermost }
        var function = Unmanaged.passUnretained(f)
        var base = base, depth = depth
        // The running function's closure lives in the machine, not in a local of this loop: it
        // is read only by calls, and one more live variable here slowed every instruction.
        let outerClosure = runningClosure
        runningClosure = closure
        let outerDepth = entryDepth
        entryDepth = depth
        defer {
            runningClosure = outerClosure
            entryDepth = outerDepth
        }
        guard enter(f, closure, registers + base, base: base, depth: depth, I) else { return nil }
        var r = registers + base
        // The next instruction: jumps are offsets from it (Instruction(typed:at:)), so the loop
        // keeps one pointer and no start of the code (hanoi 39.6 -> 33.1 ms, sieve 35.4 ->
        // 29.7 against an index into the code). Calls between compiled functions push a
        // `Caller` and go on in this loop, so a call costs a push, the callee's prologue and a
        // pop. Rare operations run out of it: each case's code here is code between the
        // scalar instructions (W1 read 4-8% slower with four more in it; every call of hanoi
        // 6-14% slower with min/max or returnTuple's code here). The conditional jumps carry
        // branch weights (_fastPath, _slowPath): without them the optimizer turned `if test {
        // jump }` into a conditional move, so every next dispatch waited for the test's
        // operands instead of running ahead on the branch predictor (collatz 334 -> 194 ms).
        var ip = f.code.baseAddress.unsafelyUnwrapped
        while true {
            let instruction = ip.pointee
            ip += 1
            switch instruction {
            case .typedMove(let a, let b): r[Int(a)] = r[Int(b)]
            case .typedAdd(let a, let b, let c): r[Int(a)] = r[Int(b)] + r[Int(c)]
            case .typedSubtract(let a, let b, let c): r[Int(a)] = r[Int(b)] - r[Int(c)]
            case .typedMultiply(let a, let b, let c): r[Int(a)] = r[Int(b)] * r[Int(c)]
            case .typedDivide(let a, let b, let c): r[Int(a)] = r[Int(b)] / r[Int(c)]
            case .typedRemainder(let a, let b, let c): r[Int(a)] = Arithmetic.remainder(r[Int(b)], r[Int(c)])
            case .typedPower(let a, let b, let c): r[Int(a)] = Arithmetic.power(r[Int(b)], r[Int(c)])
            case .typedNegate(let a, let b): r[Int(a)] = -r[Int(b)]
            case .typedLess(let a, let b, let c): r[Int(a)] = r[Int(b)] < r[Int(c)] ? 1 : 0
            case .typedLessEqual(let a, let b, let c): r[Int(a)] = r[Int(b)] <= r[Int(c)] ? 1 : 0
            case .typedGreater(let a, let b, let c): r[Int(a)] = r[Int(b)] > r[Int(c)] ? 1 : 0
            case .typedGreaterEqual(let a, let b, let c): r[Int(a)] = r[Int(b)] >= r[Int(c)] ? 1 : 0
            case .typedEqual(let a, let b, let c): r[Int(a)] = r[Int(b)] == r[Int(c)] ? 1 : 0
            case .typedNotEqual(let a, let b, let c): r[Int(a)] = r[Int(b)] != r[Int(c)] ? 1 : 0
            case .typedTruth(let a, let b): r[Int(a)] = r[Int(b)] != 0 ? 1 : 0
            case .typedNot(let a, let b): r[Int(a)] = r[Int(b)] != 0 ? 0 : 1
            case .typedJump(let c): ip += Int(c)
            case .typedJumpIfFalse(let a, let c): if _slowPath(!(r[Int(a)] != 0)) { ip += Int(c) }
            case .typedJumpIfTrue(let a, let c): if _slowPath(r[Int(a)] != 0) { ip += Int(c) }
            case .typedJumpUnlessLess(let a, let b, let c): if _slowPath(!(r[Int(a)] < r[Int(b)])) { ip += Int(c) }
            case .typedJumpUnlessLessEqual(let a, let b, let c): if _slowPath(!(r[Int(a)] <= r[Int(b)])) { ip += Int(c) }
            case .typedJumpUnlessGreater(let a, let b, let c): if _slowPath(!(r[Int(a)] > r[Int(b)])) { ip += Int(c) }
            case .typedJumpUnlessGreaterEqual(let a, let b, let c): if _slowPath(!(r[Int(a)] >= r[Int(b)])) { ip += Int(c) }
            case .typedJumpUnlessEqual(let a, let b, let c): if _slowPath(!(r[Int(a)] == r[Int(b)])) { ip += Int(c) }
            case .typedJumpUnlessNotEqual(let a, let b, let c): if _slowPath(!(r[Int(a)] != r[Int(b)])) { ip += Int(c) }
            case .typedLoopBack(let c):
                try I.checkInterrupt()
                ip += Int(c)
            case .typedLoopIfLess(let a, let b, let c):
                try I.checkInterrupt()
                if _fastPath(r[Int(a)] < r[Int(b)]) { ip += Int(c) }
            case .typedLoopIfLessEqual(let a, let b, let c):
                try I.checkInterrupt()
                if _fastPath(r[Int(a)] <= r[Int(b)]) { ip += Int(c) }
            case .typedLoopIfGreater(let a, let b, let c):
                try I.checkInterrupt()
                if _fastPath(r[Int(a)] > r[Int(b)]) { ip += Int(c) }
            case .typedLoopIfGreaterEqual(let a, let b, let c):
                try I.checkInterrupt()
                if _fastPath(r[Int(a)] >= r[Int(b)]) { ip += Int(c) }
            case .typedLoopIfEqual(let a, let b, let c):
                try I.checkInterrupt()
                if _fastPath(r[Int(a)] == r[Int(b)]) { ip += Int(c) }
            case .typedLoopIfNotEqual(let a, let b, let c):
                try I.checkInterrupt()
                if _fastPath(r[Int(a)] != r[Int(b)]) { ip += Int(c) }
            case .typedAbs(let a, let c): r[Int(a)] = Swift.abs(r[Int(c)])
            case .typedSqrt(let a, let c): r[Int(a)] = Double.sqrt(r[Int(c)])
            case .typedScalar(let a, let b, let c):
                r[Int(a)] = function._withUnsafeGuaranteedRef { $0.builtins[Int(b)].apply(r[Int(c)]) }
            case .typedCall(let a, let b, let c):
                // A callee without captures: the running closure stays as it is.
                try I.checkInterrupt()
                let caller = function
                let callee = caller._withUnsafeGuaranteedRef { $0.functions[Int(b)].function }
                callers[callerCount] = Caller(function: caller, closure: runningClosure, ip: ip, base: base, destination: Int(a))
                callerCount += 1
                base += Int(c)
                depth += 1
                r = registers + base
                guard callee._withUnsafeGuaranteedRef({ enter($0, nil, r, base: base, depth: depth, I) }) else { return nil }
                function = callee
                ip = callee._withUnsafeGuaranteedRef { $0.code.baseAddress.unsafelyUnwrapped }
            case .typedCallClosure(let a, let b, let c):
                // A callee read from a capture, or one that reads captures: the closure it runs for.
                try I.checkInterrupt()
                let caller = function
                let target = caller._withUnsafeGuaranteedRef { $0.functions[Int(b)] }
                guard let calleeClosure = self.closure(of: target, in: runningClosure, I) else { return nil }
                callers[callerCount] = Caller(function: caller, closure: runningClosure, ip: ip, base: base, destination: Int(a))
                callerCount += 1
                base += Int(c)
                depth += 1
                r = registers + base
                runningClosure = calleeClosure
                // (The code to run: the target's, or its stand-in's, which closure(of:) found.)
                let callee = calleeCode.unsafelyUnwrapped
                guard callee._withUnsafeGuaranteedRef({ enter($0, calleeClosure, r, base: base, depth: depth, I) }) else { return nil }
                function = callee
                ip = callee._withUnsafeGuaranteedRef { $0.code.baseAddress.unsafelyUnwrapped }
            case .typedGradient(let a, let b, let c):
                guard let d = try gradient(function, Int(b), r[Int(c)], depth: depth, I) else { return nil }
                r[Int(a)] = d
            case .typedOptimizerStep(let a, let b, let c):
                guard let w = try step(function, Int(b), r[Int(c)], r[Int(c) + 1], I) else { return nil }
                r[Int(a)] = w
            case .typedElement(let a, let b, let c):
                // The site's fields it needs, not the site (a copy of it went through the stack).
                let f = function
                let state = f._withUnsafeGuaranteedRef { $0.elements[Int(b)].state }
                let x = r[Int(c)]
                guard let v = state.pointee.element(x, 0) else {
                    if f._withUnsafeGuaranteedRef({ !$0.isLoop }) { return nil }
                    throw elementFailure(f, f._withUnsafeGuaranteedRef { $0.elements[Int(b)] }, [x], 0, pc: NumericMachine.position(before: ip, in: f), r)
                }
                r[Int(a)] = v
            case .typedElementShifted(let a, let b, let c):
                let f = function
                let x = r[Int(c)] + f._withUnsafeGuaranteedRef { $0.elements[Int(b)].shift.unsafelyUnwrapped }
                guard let v = shiftedElement(f, Int(b), x) else {
                    if f._withUnsafeGuaranteedRef({ !$0.isLoop }) { return nil }
                    throw elementFailure(f, f._withUnsafeGuaranteedRef { $0.elements[Int(b)] }, [x], 0, pc: NumericMachine.position(before: ip, in: f), r)
                }
                r[Int(a)] = v
            case .typedLength(let a, let b):
                r[Int(a)] = Double(function._withUnsafeGuaranteedRef { $0.tensors[Int(b)].rows })
            case .typedElement2(let a, let b, let c):
                let f = function
                let state = f._withUnsafeGuaranteedRef { $0.elements[Int(b)].state }
                let x = r[Int(c)], y = r[Int(c) + 1]
                guard let v = state.pointee.element(x, y) else {
                    if f._withUnsafeGuaranteedRef({ !$0.isLoop }) { return nil }
                    throw elementFailure(f, f._withUnsafeGuaranteedRef { $0.elements[Int(b)] }, [x, y], 0, pc: NumericMachine.position(before: ip, in: f), r)
                }
                r[Int(a)] = v
            case .typedSetElement(let a, let b, let c):
                let f = function
                let site = f._withUnsafeGuaranteedRef { $0.elements[Int(b)] }
                let x = r[Int(c)]
                guard let o = site.tensor.offset(x, 0) else { throw elementFailure(f, site, [x], r[Int(a)], pc: NumericMachine.position(before: ip, in: f), r) }
                let buffer = site.tensor.buffer
                buffer[o] = site.op.map { Arithmetic.apply($0, buffer[o], r[Int(a)]) } ?? r[Int(a)]
            case .typedSetElement2(let a, let b, let c):
                let f = function
                let site = f._withUnsafeGuaranteedRef { $0.elements[Int(b)] }
                let x = r[Int(c)], y = r[Int(c) + 1]
                guard let o = site.tensor.offset(x, y) else { throw elementFailure(f, site, [x, y], r[Int(a)], pc: NumericMachine.position(before: ip, in: f), r) }
                let buffer = site.tensor.buffer
                buffer[o] = site.op.map { Arithmetic.apply($0, buffer[o], r[Int(a)]) } ?? r[Int(a)]
            case .typedMoveVector(let a, let b, let c):
                for k in 0..<Int(c) { r[Int(a) + k] = r[Int(b) + k] }
            case .typedGradientVector(let a, let b, let c):
                guard try gradient(function, Int(b), r + Int(c), into: r + Int(a), depth: depth, I) else { return nil }
            case .typedOptimizerStepVector(let a, let b, let c):
                guard try step(function, Int(b), r + Int(c), into: r + Int(a), I) else { return nil }
            case .typedRangeCount(let a, let b, let c, let inclusive):
                let lo = r[Int(b)], hi = r[Int(c)]
                guard lo.isFinite && hi.isFinite else { return nil }
                let n = Interpreter.rangeLength(lo, hi, inclusive: inclusive)
                guard n <= Interpreter.longestLoop else { return nil }
                r[Int(a)] = n
            case .typedReturnValue(let a):
                let v = r[Int(a)]
                guard callerCount > outermost else { return v }
                callerCount -= 1
                let caller = callers[callerCount]
                function = caller.function
                runningClosure = caller.closure
                ip = caller.ip
                base = caller.base
                depth -= 1
                r = registers + base
                r[caller.destination] = v
            case .typedReturnString(let a):
                guard callerCount > outermost else {
                    _ = returnString(Int(a), depth: depth, to: nil)
                    return 0
                }
                callerCount -= 1
                let caller = callers[callerCount]
                guard returnString(Int(a), depth: depth, to: caller.destination) else { return nil }
                // The caller resumed as typedReturnValue resumes it, written out again: one
                // helper taking the loop's locals inout made every call of hanoi 9% slower.
                function = caller.function
                runningClosure = caller.closure
                ip = caller.ip
                base = caller.base
                depth -= 1
                r = registers + base
            case .typedBoolResult(let a):
                boolResult(r[Int(a)], outermost: outermost)
            case .typedMinimum(let a, let b, let c):
                r[Int(a)] = NumericMachine.extremum(.minimum, r[Int(b)], r[Int(c)])
            case .typedMaximum(let a, let b, let c):
                r[Int(a)] = NumericMachine.extremum(.maximum, r[Int(b)], r[Int(c)])
            case .typedClipBelow(let a, let b, let c):
                r[Int(a)] = Builtins.clipBelow(r[Int(b)], r[Int(c)])
            case .typedClipAbove(let a, let b, let c):
                r[Int(a)] = Builtins.clipAbove(r[Int(b)], r[Int(c)])
            case .typedPick(let a, let b, let c):
                guard let x = pick(function, Int(b), r[Int(c)], r) else { return nil }
                r[Int(a)] = x
            case .typedSetArgument(let i):
                guard setArgument(i, function, r) else { return nil }
            case .typedRare(let i):
                guard rareInstruction(i, function, r, I) else { return nil }
            case .typedString(let i):
                guard try stringInstruction(i, function, r, depth: depth, pc: NumericMachine.position(before: ip, in: function), I) else { return nil }
            case .typedReturnTuple(let a, let b, let c):
                // The typedReturnValue after it returns the first number, and resumes the caller.
                guard returnTuple(r + Int(a), count: Int(b), labels: Int(c), function, outermost: outermost,
                                     registers) else { return nil }
            case .typedGiveUp: return nil
            case .typedListAppend(let a, let b, let c):
                // In this loop: a collecting loop's one step besides its arithmetic (out of
                // it, append_fn took 19-22 ms, in it 17.5). A vector's list at the element
                // limit is listInstruction's (NumericLists.swift).
                let list = lists.list(frame: depth - entryDepth, Int(b))
                if _fastPath(a == 0 || list.pointee.count < I.maxElements) {
                    list.pointee.append(r[Int(c)])
                } else {
                    let i = NumericInstruction(op: .listAppend, a: a, b: b, c: c)
                    guard try stringInstruction(i, function, r, depth: depth, pc: NumericMachine.position(before: ip, in: function), I) else { return nil }
                }
            case .constant, .readLocal, .copy, .readCell, .readCapture, .readGlobal, .storeLocal, .storeCell, .storeGlobal, .clearLocal, .binary, .binaryNumber, .numberBinary, .compare, .compareNumber, .compareNil, .compareString, .unary, .matmul, .truth, .not, .fused, .fusedCompound, .compound, .compoundNumber, .tensor, .tuple, .appendPiece, .concatStart, .concatCheck, .concatStore, .rangeBound, .rangeTensor, .closure, .index, .element, .elementLabel, .setElement, .setElementNumber, .elementShifted, .setElementShifted, .member, .memberOfGlobal, .pathAssign, .checkCallable, .call, .callWith, .callGrowing, .growableItem, .takeItem, .jump, .jumpIfFalse, .jumpIfTrue, .compareJump, .compareNumberJump, .compareNilJump, .compareStringJump, .compareMemberStringJump, .loop, .numericLoop, .forRange, .forRangeCall, .forSequence, .forNext, .forLoop, .returnValue, .returnNull, .returnConstant, .returnNothing:
                preconditionFailure("a general instruction in typed code")
            }
        }
    }

    /// returnTuple's values r[a..<a+count], before the returnValue of the first: to the general
    /// code (`returned`, with the labels the function's tupleLabels[labels] holds) when no
    /// compiled caller waits; else into the registers of the caller on top of the caller stack,
    /// when it called for a tuple (the compiler gives a tuple-returning callee's call that
    /// destination; a call compiled before its recursive callee's first return called for a
    /// number, and the general code then runs the call): all but the first, and the caller's
    /// destination unflagged, so returnValue's resume writes the first.
    @inline(never)
    private func returnTuple(_ values: UnsafeMutablePointer<Double>, count: Int, labels: Int, _ function: Unmanaged<NumericFunction>,
                             outermost: Int, _ registers: UnsafeMutablePointer<Double>) -> Bool {
        guard callerCount > outermost else {
            returned = .tuple(values: Array(UnsafeBufferPointer(start: values, count: count)),
                              labels: function._withUnsafeGuaranteedRef { $0.tupleLabels[labels] })
            return true
        }
        let top = callers.unsafelyUnwrapped + (callerCount - 1)
        guard top.pointee.destination >= NumericFunction.tupleDestination else { return false }
        top.pointee.destination -= NumericFunction.tupleDestination
        let into = registers + top.pointee.base + top.pointee.destination
        for k in 1..<max(count, 1) { into[k] = values[k] }
        return true
    }

    /// elementShifted's read, out of the machine's loop: a second copy of the element read in
    /// it (or one case for both, testing the op) made every call of hanoi 5-7% slower; the
    /// call costs the bubble sort nothing measurable.
    @inline(never)
    private func shiftedElement(_ f: Unmanaged<NumericFunction>, _ b: Int, _ x: Double) -> Double? {
        f._withUnsafeGuaranteedRef { $0.elements[b].state }.pointee.element(x, 0)
    }

    /// boolResult: the bool the general code gets when no compiled caller waits.
    @inline(never)
    private func boolResult(_ x: Double, outermost: Int) {
        if callerCount == outermost { returned = .bool(x != 0) }
    }

    /// pick: the item at position `key` (negative from the end, as the general rule reads it)
    /// of the tuple site k holds; nil when that is not a whole number in range.
    @inline(never)
    private func pick(_ f: Unmanaged<NumericFunction>, _ k: Int, _ key: Double, _ r: UnsafeMutablePointer<Double>) -> Double? {
        let site = f._withUnsafeGuaranteedRef { $0.picks[k] }
        guard let position = tuplePosition(key, count: site.count) else { return nil }
        return r[site.first + position]
    }

    /// The rows' and local objects' instructions; false when the code gives up.
    @inline(never)
    private func rareInstruction(_ i: NumericInstruction, _ f: Unmanaged<NumericFunction>, _ r: UnsafeMutablePointer<Double>,
                                 _ I: Interpreter) -> Bool {
        let a = Int(i.a), b = Int(i.b), c = Int(i.c)
        switch i.op {
        case .pickRow:
            return pickRow(f, b, r[c], into: r + a, r)
        case .makeObject:
            return makeObject(f, a, b, r + c, I)
        case .callObject:
            guard let x = callObject(f, b, r[c], I) else { return false }
            r[a] = x
            return true
        case .stepObject:
            guard let w = stepObject(f, b, r[c], r[c + 1], I) else { return false }
            r[a] = w
            return true
        case .updateObject:
            return updateObject(f, b, r[c], into: r + a)
        case .returnTensor:
            // The returnValue after it returns to the general code: no compiled caller calls a
            // function that returns a tensor (NumericCompiler.callClosure).
            returned = .tensorArgument(a)
            return true
        case .bindTensor:
            f._withUnsafeGuaranteedRef { caller in
                caller.functions[b].function._withUnsafeGuaranteedRef { $0.tensors[a].read(caller.tensors[c]) }
            }
            return true
        case .move, .add, .subtract, .multiply, .divide, .remainder, .power, .negate, .less, .lessEqual, .greater,
             .greaterEqual, .equal, .notEqual, .truth, .not, .jump, .jumpIfFalse, .jumpIfTrue, .jumpUnless, .scalar, .abs,
             .sqrt, .call, .callClosure, .gradient, .optimizerStep, .moveVector, .gradientVector, .optimizerStepVector,
             .element, .element2, .setElement, .setElement2, .setArgument, .setArgument2, .elementShifted, .length, .returnString, .rangeCount, .loopBack, .loopIf, .minimum,
             .maximum, .clipBelow, .clipAbove, .boolResult, .pick, .jumpUnlessLess, .jumpUnlessLessEqual, .jumpUnlessGreater, .jumpUnlessGreaterEqual,
             .jumpUnlessEqual, .jumpUnlessNotEqual, .loopIfLess, .loopIfLessEqual, .loopIfGreater, .loopIfGreaterEqual,
             .loopIfEqual, .loopIfNotEqual, .returnValue, .returnTuple, .giveUp, .interpolate, .stringLength, .codePoint, .codePointValue, .codePointAt, .printString,
             .moveString, .passString, .compareStrings, .listClear, .listAppend, .listLength, .listElement, .listSetElement, .returnList, .compareText:
            return true  // run() and stringInstruction run these
        }
    }

    /// pickRow: the row at position `key` (as pick reads an item) of the rows site k holds,
    /// into the registers from `d`; false when that is not a whole number in range.
    @inline(never)
    private func pickRow(_ f: Unmanaged<NumericFunction>, _ k: Int, _ key: Double, into d: UnsafeMutablePointer<Double>,
                         _ r: UnsafeMutablePointer<Double>) -> Bool {
        let site = f._withUnsafeGuaranteedRef { $0.picks[k] }
        guard let position = tuplePosition(key, count: site.count) else { return false }
        let row = site.first + position * site.width
        for j in 0..<site.width { d[j] = r[row + j] }
        return true
    }

    @inline(never)
    private static func extremum(_ op: NumericInstruction.Op, _ x: Double, _ y: Double) -> Double {
        op == .minimum ? nanMin(x, y) : nanMax(x, y)
    }

    /// The string instructions but returnString, and the list instructions but listAppend's
    /// step: a list read in range first, without the rest of their code (a merge over list
    /// parameters reads them at every step; a case of its own in the run loop made hanoi 6%
    /// and collatz 4% slower, and a small entry of its own here, calling on for the string
    /// instructions, made the palindromes 13% slower). False when the code gives up (a
    /// function's string breaks the size rule: the general code runs the call and says so); a
    /// top-level loop's raises the rule's error itself.
    @inline(never)
    private func stringInstruction(_ i: NumericInstruction, _ function: Unmanaged<NumericFunction>, _ r: UnsafeMutablePointer<Double>,
                                   depth: Int, pc: Int, _ I: Interpreter) throws(RuntimeError) -> Bool {
        if let operation = i.op.listOperation {
            if lists.read(i, r, frame: depth - entryDepth) { return true }
            return try listInstruction(operation, i, function, r, frame: depth - entryDepth, pc: pc, I)
        }
        let file = strings.unsafelyUnwrapped + (depth - entryDepth) * NumericMachine.stringFrame
        let a = Int(i.a), b = Int(i.b), c = Int(i.c)
        switch i.op {
        case .interpolate:
            let site = function._withUnsafeGuaranteedRef { $0.interpolations[b] }
            let limit = site.valueRanges == nil ? Int.max : I.maxElements
            if site.appends {
                // The rest built (a text written in the code is there already), then appended
                // in place (the string is its register's alone after the first append); past
                // the size rule, the general code's `+` says so.
                guard let rest = site.text ?? interpolate(site, r, file, limit: Int.max),
                      file[~a].utf8.count + rest.utf8.count <= limit else { return false }
                file[~a].append(rest)
                return true
            }
            guard let s = interpolate(site, r, file, limit: limit) else {
                guard function._withUnsafeGuaranteedRef({ $0.isLoop }), !site.givesUp, let (k, bytes) = tooLarge else { return false }
                let e = RuntimeError.stringTooLarge(bytes, limit: limit)
                throw located(e, function, site.valueRanges?[k] ?? SourceRange(start: 0, length: 0), pc: pc, r)
            }
            file[~a] = s
        case .stringLength:
            r[a] = Double(I.codePointCount(file[~c]))
        case .codePointAt:
            // s[i]'s rule (a whole number, negative from the end, in range) or give up.
            let x = r[c]
            guard x == x.rounded(.towardZero), abs(x) < 0x1p53, let ch = I.codePoint(file[~b], at: Int(x)) else { return false }
            file[~a] = ch
        case .codePoint:
            // The string walked, at a position its length (stringLength) bounds, as s[i] reads it.
            file[~a] = I.codePoint(file[~b], at: Int(r[c]))!
        case .codePointValue:
            r[a] = Double(file[~b].unicodeScalars.first?.value ?? 0)
        case .printString:
            // As print: a pending interrupt stops it before anything is written.
            try I.checkInterrupt()
            I.host.output(file[~c])
        case .moveString:
            file[~a] = file[~b]
        case .passString:
            let next = stringFrame(depth - entryDepth + 1)
            // A loop calling f(name, ...) finds name there from the last call: nothing to copy.
            if !NumericMachine.sameString(next + a, file + ~b) { next[a] = file[~b] }
            stringsUsed = max(stringsUsed, (depth - entryDepth + 1) * NumericMachine.stringFrame + a + 1)
        case .compareStrings:
            r[a] = I.compareStrings(i.compare, file[~b], file[~c]) ? 1 : 0
        case .compareText:
            r[a] = function._withUnsafeGuaranteedRef { I.compareStrings(i.compare, file[~b], $0.texts[c]) } ? 1 : 0
        case .move, .add, .subtract, .multiply, .divide, .remainder, .power, .negate, .less, .lessEqual, .greater,
             .greaterEqual, .equal, .notEqual, .truth, .not, .jump, .jumpIfFalse, .jumpIfTrue, .jumpUnless, .scalar, .abs,
             .sqrt, .call, .callClosure, .gradient, .optimizerStep, .moveVector, .gradientVector, .optimizerStepVector,
             .element, .element2, .setElement, .setElement2, .setArgument, .setArgument2, .returnTensor, .bindTensor, .elementShifted,
             .length, .returnString, .rangeCount, .loopBack, .loopIf, .minimum, .maximum, .clipBelow, .clipAbove, .boolResult, .pick, .pickRow, .makeObject,
             .stepObject, .callObject, .updateObject,
             .jumpUnlessLess, .jumpUnlessLessEqual, .jumpUnlessGreater, .jumpUnlessGreaterEqual, .jumpUnlessEqual,
             .jumpUnlessNotEqual, .loopIfLess, .loopIfLessEqual, .loopIfGreater, .loopIfGreaterEqual, .loopIfEqual,
             .loopIfNotEqual, .returnValue, .returnTuple, .giveUp, .listClear, .listAppend, .listLength, .listElement, .listSetElement,
             .returnList:
            break  // run() runs these (the lists' went to listInstruction above)
        }
        return true
    }

    /// Whether two string registers hold the same string: the same bits (one storage with one
    /// count, or one small string), read as raw words (never used as a pointer) so that no
    /// reference count is touched.
    @inline(__always)
    private static func sameString(_ x: UnsafeMutablePointer<String>, _ y: UnsafeMutablePointer<String>) -> Bool {
        guard MemoryLayout<String>.size == 16 else { return false }
        let p = UnsafeRawPointer(x), q = UnsafeRawPointer(y)
        return p.load(as: UInt64.self) == q.load(as: UInt64.self)
            && p.load(fromByteOffset: 8, as: UInt64.self) == q.load(fromByteOffset: 8, as: UInt64.self)
    }

    /// returnString's string s[k] of the frame at `depth` handed to the caller's register
    /// ~destination (the frame below), or to the general code (`returned`) when there is no
    /// compiled caller; false when the caller took a number (compiled before its recursive
    /// callee's first return): the general code then runs the call.
    @inline(never)
    private func returnString(_ k: Int, depth: Int, to destination: Int?) -> Bool {
        let frame = strings.unsafelyUnwrapped + (depth - entryDepth) * NumericMachine.stringFrame
        let s = frame + ~k
        guard let destination else {
            returned = .string(s.move())
            s.initialize(to: "")
            return true
        }
        guard destination < 0 else { return false }
        swap(&s.pointee, &(frame - NumericMachine.stringFrame)[~destination])
        return true
    }

    /// A string built as the general code's interpolation builds it (Machine.appendPiece): each
    /// piece's text in order, a number's as `str` writes it (its repr), a formatted one's as
    /// `format` does. The bytes go to a scratch buffer, written there by repr's and format's own
    /// writers (NumberFormat.writeRepr, FormatSpec.write), and become one String: no String per
    /// piece, no growing (a label built per step was mostly String appends).
    ///
    /// nil when the string breaks the size rule (`limit` bytes, checked as the general code
    /// checks it: after each value and the text that follows it): `tooLarge` then says at which
    /// value, with how many bytes.
    @inline(never)
    private func interpolate(_ site: NumericInterpolation, _ r: UnsafeMutablePointer<Double>,
                             _ file: UnsafeMutablePointer<String>, limit: Int) -> String? {
        let scratch = self.scratch ?? UnsafeMutableBufferPointer<UInt8>.allocate(capacity: NumericMachine.scratchCapacity)
        self.scratch = scratch
        let out = scratch.baseAddress!
        var n = 0, values = 0
        for piece in site.pieces {
            // Room for the longest number a piece writes (FormatSpec.write's, repr's).
            guard n + FormatSpec.stackCapacity <= scratch.count else { return appended(site, r, file, limit: limit) }
            if case .text = piece {} else {
                // A value: the one before it and its text are all in.
                guard values == 0 || n <= limit else { return tooLarge(values - 1, n) }
                values += 1
            }
            switch piece {
            case .text(let t):
                guard NumericMachine.append(t, scratch, &n) else { return appended(site, r, file, limit: limit) }
            case .number(let k):
                n += NumberFormat.writeRepr(r[Int(k)], to: out + n)
            case .formatted(let k, let spec):
                let x = r[Int(k)]
                if let length = spec.write(x, into: UnsafeMutableBufferPointer(start: out + n, count: FormatSpec.stackCapacity)) {
                    n += length
                } else {
                    guard NumericMachine.append(spec.format(x), scratch, &n) else { return appended(site, r, file, limit: limit) }
                }
            case .string(let k):
                guard NumericMachine.append(file[Int(k)], scratch, &n) else { return appended(site, r, file, limit: limit) }
            }
        }
        guard values == 0 || n <= limit else { return tooLarge(values - 1, n) }
        return String(decoding: UnsafeBufferPointer(start: out, count: n), as: UTF8.self)
    }

    /// Which value of the last interpolation broke the size rule, and the bytes it made.
    @exclusivity(unchecked) private var tooLarge: (value: Int, bytes: Int)?

    private func tooLarge(_ value: Int, _ bytes: Int) -> String? {
        tooLarge = (value, bytes)
        return nil
    }

    /// `text`'s bytes at `n` in `buffer`, n moved past them; false when they do not fit.
    /// (A static function: a nested one capturing n boxed it, with an exclusivity check at
    /// every access.)
    @inline(__always)
    private static func append(_ text: String, _ buffer: UnsafeMutableBufferPointer<UInt8>, _ n: inout Int) -> Bool {
        // In place where the bytes are contiguous (native and small strings: all the language
        // makes), without the copy (a retain and release) that withUTF8 needs.
        let at = n
        // The bytes' count, or -1 when they do not fit.
        func copy(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            guard at + bytes.count <= buffer.count else { return -1 }
            if let from = bytes.baseAddress { (buffer.baseAddress! + at).update(from: from, count: bytes.count) }
            return bytes.count
        }
        var count = text.utf8.withContiguousStorageIfAvailable(copy)
        if count == nil {
            var text = text
            count = text.withUTF8(copy)
        }
        guard let count, count >= 0 else { return false }
        n += count
        return true
    }

    /// `interpolate` for a string longer than the scratch buffer: appended piece by piece.
    @inline(never)
    private func appended(_ site: NumericInterpolation, _ r: UnsafeMutablePointer<Double>,
                          _ file: UnsafeMutablePointer<String>, limit: Int) -> String? {
        var text = ""
        if site.reserve > 15 { text.reserveCapacity(site.reserve) }
        var values = 0
        for piece in site.pieces {
            if case .text = piece {} else {
                guard values == 0 || text.utf8.count <= limit else { return tooLarge(values - 1, text.utf8.count) }
                values += 1
            }
            switch piece {
            case .text(let t): text += t
            case .number(let k): text += NumberFormat.repr(r[Int(k)])
            case .formatted(let k, let spec): text += spec.format(r[Int(k)])
            case .string(let k): text += file[Int(k)]
            }
        }
        guard values == 0 || text.utf8.count <= limit else { return tooLarge(values - 1, text.utf8.count) }
        return text
    }

    /// What an element instruction with a bad index leaves for NumericLoop.run: the keys and
    /// value, so the general rule can say what is wrong once the tensor is back in its global.
    @exclusivity(unchecked) var failedElement: (site: NumericElementSite, keys: [Double], value: Double)?
    /// The growing lists of the running code (NumericLists.swift). (Here, last: the fields
    /// every call reads keep their places.)
    let lists = NumericListFile()

    /// The error of an element instruction whose index the fast path does not take: located
    /// at the site, with the notes of the `for` loops around it (the general code's, outermost
    /// first); its message is the general rule's, filled in by NumericLoop.run.
    @inline(never)
    private func elementFailure(_ f: Unmanaged<NumericFunction>, _ site: NumericElementSite, _ keys: [Double], _ value: Double,
                                pc: Int, _ r: UnsafeMutablePointer<Double>) -> RuntimeError {
        failedElement = (site, keys, value)
        return located(RuntimeError("index out of range"), f, site.range, pc: pc, r)
    }

    /// A top-level loop's error at `range` of its file, with the notes of the `for` loops
    /// around the instruction at `pc` (the general code's, outermost first).
    @inline(never)
    func located(_ error: RuntimeError, _ f: Unmanaged<NumericFunction>, _ range: SourceRange, pc: Int,
                 _ r: UnsafeMutablePointer<Double>) -> RuntimeError {
        var e = error
        f._withUnsafeGuaranteedRef { f in
            if let file = f.file { e.locate(range, in: file) }
            for loop in f.forLoops.reversed() where loop.body.contains(pc) {
                if let text = loop.text, let file = strings {
                    // A loop's string registers are the first frame's.
                    e.inLoop(loop.statement, .string(file[~Int(text)]))
                } else {
                    e.inLoop(loop.statement, .number(r[Int(loop.lower)] + r[Int(loop.counter)]))
                }
            }
        }
        return e
    }

    /// `grad(f, x)`: f's tape-free derivative, as grad's general path computes it (the same
    /// conditions as Interpreter.valueAndGradient, the tape when the tape-free code no longer
    /// fits); nil when the general code must make the call (under a tape, or at the limit).
    @inline(never)
    private func gradient(_ f: Unmanaged<NumericFunction>, _ k: Int, _ x: Double, depth: Int,
                          _ I: Interpreter) throws(RuntimeError) -> Double? {
        // The site unretained: the function's `gradients` holds it while the code runs (a
        // retain and release of it, and of its code, were a tenth of a grad + momentum step).
        let site = f._withUnsafeGuaranteedRef { Unmanaged.passUnretained($0.gradients[k]) }
        guard I.autodiff.tape == nil, depth < Interpreter.maxCallDepth else { return nil }
        let direct = site._withUnsafeGuaranteedRef { site in
            NumericGradient.code(for: site.proto, count: 1, scalar: true, I)?.derivative(x, I)
        }
        if let direct { return direct }
        let slot = site._withUnsafeGuaranteedRef { $0.functionSlot }
        guard slot != NumericGradientSite.localFunction else { return nil }
        guard case .number(let derivative) = try I.valueAndGradient(I.variable(slot) ?? .null, .number(x)).grad else {
            return nil
        }
        return derivative
    }

    /// `grad(f, x)` of a vector x (the site's width) into the registers from `d`: the tape-free
    /// code's gradient, or the tape's; false as `gradient` gives nil.
    @inline(never)
    private func gradient(_ f: Unmanaged<NumericFunction>, _ k: Int, _ x: UnsafeMutablePointer<Double>,
                          into d: UnsafeMutablePointer<Double>, depth: Int, _ I: Interpreter) throws(RuntimeError) -> Bool {
        let site = f._withUnsafeGuaranteedRef { $0.gradients[k] }
        let n = site.width ?? 1
        guard I.autodiff.tape == nil, depth < Interpreter.maxCallDepth else { return false }
        if let code = NumericGradient.code(for: site.proto, count: n, scalar: false, I),
           code.gradient(at: UnsafeBufferPointer(start: x, count: n), into: UnsafeMutableBufferPointer(start: d, count: n), I) {
            return true
        }
        guard site.functionSlot != NumericGradientSite.localFunction else { return false }
        let point = Value.tensor(Tensor(shape: [n], data: Array(UnsafeBufferPointer(start: x, count: n))))
        guard case .tensor(let g) = try I.valueAndGradient(I.variable(site.functionSlot) ?? .null, point).grad, g.count == n else {
            return false
        }
        for i in 0..<n { d[i] = g.data[i] }
        return true
    }

    /// `opt.step(w, g)` on vectors of the site's width, w and g consecutive from `operands`:
    /// stepped in place there, then copied to `d`. Like the number step, never false.
    @inline(never)
    private func step(_ f: Unmanaged<NumericFunction>, _ k: Int, _ operands: UnsafeMutablePointer<Double>,
                      into d: UnsafeMutablePointer<Double>, _ I: Interpreter) throws(RuntimeError) -> Bool {
        let site = f._withUnsafeGuaranteedRef { $0.optimizers[k] }
        let n = site.width ?? 1
        guard let opt = site.optimizer,
              try opt.step(vector: UnsafeMutableBufferPointer(start: operands, count: n),
                           UnsafeBufferPointer(start: operands + n, count: n), I) else { return false }
        for i in 0..<n { d[i] = operands[i] }
        return true
    }

    /// makeObject: the constructor called as the general code calls a built-in (binding,
    /// checks), with the numbers and bools of r[first...] and the strings written in the code;
    /// false (the code gives up, and the general code makes the call and says what is wrong) on
    /// an error, an optimizer whose steps of numbers could fail, a schedule whose rates call user
    /// code, or under :trace (a step would print).
    @inline(never)
    private func makeObject(_ f: Unmanaged<NumericFunction>, _ object: Int, _ k: Int, _ first: UnsafeMutablePointer<Double>,
                            _ I: Interpreter) -> Bool {
        guard !I.channel.trace else { return false }
        return f._withUnsafeGuaranteedRef { f in
            let site = f.constructors[k]
            let b = site.function.builtin
            var values: [Value] = []
            for (i, argument) in f.constructorArguments[k].enumerated() {
                switch argument {
                case .number: values.append(.number(first[i]))
                case .bool: values.append(.bool(first[i] != 0))
                case .text(let s): values.append(.string(s))
                }
            }
            let positional = site.count - site.labels.count
            var args = Arguments(function: b.name, positional: Array(values[..<positional]),
                                 labelled: zip(site.labels, values[positional...]).map { ($0, $1) })
            guard (try? args.bind(b.parameters, hints: b.labelHints, keepsViews: b.keepsViews)) != nil,
                  case .object(let o)? = try? b.impl(&args, I) else { return false }
            if let opt = o as? Optimizer, opt.stepsSafely(width: nil) {
                f.objects[object] = opt
            } else if let schedule = o as? Schedule, schedule.kind.callsNoUserCode {
                f.objects[object] = schedule
            } else if let averager = o as? Averager, !I.channel.showsHints {
                // Its updates leave the REPL a hint of their own (Averager.update), which this
                // code does not: where the REPL asks for hints, the general code runs the call.
                f.objects[object] = averager
            } else {
                return false
            }
            f.objectKernels[object] = nil
            return true
        }
    }

    /// callObject: the local schedule's rate at epoch x, as `s(x)` gives it; nil when that is
    /// not a number (not a whole number, negative: the general code says so).
    @inline(never)
    private func callObject(_ f: Unmanaged<NumericFunction>, _ object: Int, _ x: Double, _ I: Interpreter) -> Double? {
        f._withUnsafeGuaranteedRef { f in
            guard let schedule = f.objects[object] as? Schedule, case .number(let rate)? = try? schedule.callDirect(.number(x), interpreter: I) else {
                return nil
            }
            return rate
        }
    }

    /// updateObject: the local averager's update with the number x, by its own rule, into
    /// d[0...2] (t, v, corrected); false when it holds something else.
    @inline(never)
    private func updateObject(_ f: Unmanaged<NumericFunction>, _ object: Int, _ x: Double, into d: UnsafeMutablePointer<Double>) -> Bool {
        f._withUnsafeGuaranteedRef { f in
            guard let a = f.objects[object] as? Averager, let r = a.update(number: x) else { return false }
            d[0] = r.t
            d[1] = r.v
            d[2] = r.corrected
            return true
        }
    }

    /// stepObject: the step method's rule for numbers on the local optimizer, by its steady
    /// kernel once it has one (as `step` does).
    @inline(never)
    private func stepObject(_ f: Unmanaged<NumericFunction>, _ object: Int, _ w: Double, _ g: Double, _ I: Interpreter) -> Double? {
        f._withUnsafeGuaranteedRef { f in
            guard let opt = f.objects[object] as? Optimizer else { return nil }
            var w = w
            if let kernel = f.objectKernels[object] {
                opt.repeatStep(kernel, &w, g)
                return w
            }
            // Made safe to step (stepsSafely) with :trace off: a number, without an error (else
            // the general code, which makes its own optimizer, runs the call).
            guard case .number(let stepped)? = try? opt.step(number: w, g, I) else { return nil }
            f.objectKernels[object] = opt.steadyScalarKernel
            return stepped
        }
    }

    /// `opt.step(w, g)` on numbers, by the step method's own rule. The optimizer was found
    /// ready before the loop ran (NumericFunction.optimizersReady), so neither nil below happens.
    @inline(never)
    private func step(_ f: Unmanaged<NumericFunction>, _ k: Int, _ w: Double, _ g: Double,
                      _ I: Interpreter) throws(RuntimeError) -> Double? {
        // The site and its optimizer unretained: the function's `optimizers` holds the site, the
        // site the optimizer, while the code runs.
        let site = f._withUnsafeGuaranteedRef { Unmanaged.passUnretained($0.optimizers[k]) }
        guard let opt = site._withUnsafeGuaranteedRef({ $0.optimizer.map(Unmanaged.passUnretained) }) else { return nil }
        if !I.channel.trace {
            var w = w
            let steady = site._withUnsafeGuaranteedRef { site in
                guard let kernel = site.kernel else { return false }
                opt._withUnsafeGuaranteedRef { $0.repeatStep(kernel, &w, g) }
                return true
            }
            if steady { return w }
        }
        guard case .number(let stepped) = try opt.takeUnretainedValue().step(number: w, g, I) else { return nil }
        site._withUnsafeGuaranteedRef { $0.kernel = opt._withUnsafeGuaranteedRef { $0.steadyScalarKernel } }
        return stepped
    }

    /// A frame's prologue: its constants and the global numbers it reads; false when the call
    /// cannot run here (too deep, out of registers, a global no longer what it was compiled
    /// against or no longer a number).
    @inline(__always)
    private func enter(_ f: NumericFunction, _ closure: Unmanaged<Closure>?, _ r: UnsafeMutablePointer<Double>, base: Int, depth: Int,
                       _ I: Interpreter) -> Bool {
        guard depth + f.inlinedDepth <= Interpreter.maxCallDepth, base + f.frameSize <= NumericMachine.capacity,
              f.globalsUnchanged(I) else { return false }
        if f.loadsStrings && !enterStrings(f, depth: depth, I) { return false }
        let constants = f.constants
        for i in constants.indices { r[f.constantBase + i] = constants[i] }
        if !f.globals.isEmpty {
            for (k, slot) in f.globals.enumerated() {
                guard case .number(let x)? = I.variable(slot) else { return false }
                r[f.globalBase + k] = x
            }
        }
        return !f.readsFieldsOrCaptures || loadFieldsAndCaptures(f, closure, r, I)
    }

    /// The labelled numbers of global tuples f reads, and its captured numbers from the
    /// closure called; false when one is not a number now. Out of line: most calls have none,
    /// and the loop that inlines `enter` stays small (one test of a flag for both: a second
    /// test made every call of hanoi 4% slower).
    @inline(never)
    private func loadFieldsAndCaptures(_ f: NumericFunction, _ closure: Unmanaged<Closure>?, _ r: UnsafeMutablePointer<Double>,
                                       _ I: Interpreter) -> Bool {
        if !f.fields.isEmpty {
            for (k, field) in f.fields.enumerated() {
                guard let x = field.number(in: I.variable(field.slot)) else { return false }
                r[f.fieldBase + k] = x
            }
        }
        return f.captures.isEmpty || loadCaptures(f, closure, r)
    }

    /// f's string frame (the one at its depth) made ready, and the global strings it reads
    /// loaded; false when one of them is not a string now.
    @inline(never)
    private func enterStrings(_ f: NumericFunction, depth: Int, _ I: Interpreter) -> Bool {
        let d = depth - entryDepth
        let frame = stringFrame(d)
        stringsUsed = max(stringsUsed, d * NumericMachine.stringFrame + f.stringFrameSize)
        // Nothing to load into a frame of arguments and temporaries.
        if f.stringGlobals.isEmpty && f.stringConstants.isEmpty { return true }
        for (k, source) in f.stringGlobals.enumerated() {
            guard let s = source.string(in: I.variable(source.slot)) else { return false }
            frame[f.stringGlobalBase + k] = s
        }
        let constants = f.stringGlobalBase + f.stringGlobals.count
        for (k, s) in f.stringConstants.enumerated() { frame[constants + k] = s }
        return true
    }

    /// The captured numbers f reads, from the closure called; false when one is not a number.
    @inline(__always)
    private func loadCaptures(_ f: NumericFunction, _ closure: Unmanaged<Closure>?, _ r: UnsafeMutablePointer<Double>) -> Bool {
        guard let closure else { return false }
        return closure._withUnsafeGuaranteedRef { (c: Closure) -> Bool in
            for (k, capture) in f.captures.enumerated() {
                guard case .number(let x) = c.captures[capture].value else { return false }
                r[f.captureBase + k] = x
            }
            return true
        }
    }

    /// The closure a callClosure calls, and in `calleeCode` the code it runs there: the
    /// callee's for a closure of its proto; for one of another proto, that proto's code if it
    /// can stand in (standIn); nil otherwise (the code gives up). (The code in a field, not
    /// returned with the closure: the loop's code for it was larger, and collatz, which makes
    /// no such call, 5% slower.)
    @inline(never)
    private func closure(of target: NumericCallee, in caller: Unmanaged<Closure>?, _ I: Interpreter) -> Unmanaged<Closure>? {
        let held: Value?
        switch target.source {
        case .global(let slot):
            held = I.variable(slot)
        case .capture(let k):
            guard let caller else { return nil }
            held = caller._withUnsafeGuaranteedRef { $0.captures[k].value }
        }
        guard case .function(let fn)? = held, fn.kind == .closure else { return nil }
        let c = unsafeDowncast(fn, to: Closure.self)
        guard c.proto === target.function._withUnsafeGuaranteedRef({ $0.proto }) else {
            guard let g = standIn(for: target.function, c) else { return nil }
            calleeCode = g
            return Unmanaged.passUnretained(c)
        }
        calleeCode = target.function
        return Unmanaged.passUnretained(c)
    }
    @exclusivity(unchecked) private var calleeCode: Unmanaged<NumericFunction>?

    /// A call site that meets closures of several protos (`fn compose(f, g) = fn(x) = f(g(x))`
    /// composing scalers and shifters: one site, a different function at each level): the
    /// compiled code of c's proto where it can run in the callee's place, as the caller was
    /// compiled against the callee: as many numbers in, and none of the callee's defaults
    /// (the caller passes them in its place), the same kind out, no effects, objects or tensors (only the
    /// general code calls those, or the caller checked the callee's), giving up only where the
    /// callee could (a caller with effects relies on it), calls no deeper and frames no larger
    /// (the room such a caller checked before it started), and in a top-level loop no global
    /// read (the loop holds those it assigns in its registers; the caller checked the callee
    /// against them). Only code already compiled: compiling here would start the compiler while
    /// code runs (the compiler compiles the closures a captured one reaches: precompile).
    @inline(never)
    private func standIn(for target: Unmanaged<NumericFunction>, _ c: Closure) -> Unmanaged<NumericFunction>? {
        guard case .ready(let g) = c.proto.numeric else { return nil }
        let fits = target._withUnsafeGuaranteedRef { f in
            f.parameters.isEmpty && g.parameters.isEmpty && g.returns != nil && g.returns == f.returns
                && g.proto.parameterCount == f.proto.parameterCount
                && f.proto.resolved.defaults.allSatisfy({ $0 == nil })
                && !g.hasEffects && g.objects.isEmpty && g.tensors.isEmpty && (!g.mayGiveUp || f.mayGiveUp)
                && g.callDepth <= f.callDepth && g.frameSize + g.calleeRegisters <= f.frameSize + f.calleeRegisters
                && !(runningLoop && g.readsAnyGlobal)
        }
        guard fits else { return nil }
        standInsCalled += 1
        return Unmanaged.passUnretained(g)
    }
}

extension Interpreter {
    /// Whether global `slot` still holds `object` (a numeric function's built-in).
    @inline(__always)
    func global(_ slot: Int, holds object: Callable) -> Bool {
        if case .function(let f)? = variable(slot) { return f === object }
        return false
    }

    /// Whether global `slot` still holds a closure of `proto` (a numeric function's callee).
    @inline(__always)
    func global(_ slot: Int, holdsClosureOf proto: FunctionProto) -> Bool {
        guard case .function(let f)? = variable(slot), f.kind == .closure else { return false }
        return unsafeDowncast(f, to: Closure.self).proto === proto
    }
}

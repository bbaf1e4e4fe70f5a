// Growing lists in the numeric tier. A function that collects numbers (`pts = ()`, then
// `pts = append(pts, x)` in its loop) or a top-level loop that records them in a global
// (`losses = append(losses, loss)`) was left to the general code by its one append, which there
// costs a boxed value and a call per step. Such a variable is a "list" here: the doubles of a
// growing buffer in the frame's list file (NumericListFile), appended to in place. The code may
// only clear it (`xs = ()` or `xs = []`), append numbers to it, read its length (`len(xs)`) and
// its items (`xs[i]`), walk it (`for x in xs`, a function's list the body does not assign) and
// return it (a function's); any other use of the variable (printed, compared, captured by an
// inner function) leaves the function or loop to the general code, as before. A parameter
// given an unlabelled tuple of numbers by the general code may be a list too
// (NumericParameter.list: its numbers loaded into the frame's first lists at the call), and a
// function passes such a list on to another one's list parameter (passList, a listClear with
// c = 1: the array shared, copy-on-write). It becomes the value it stands for only where it leaves the
// code: a function's tuple of numbers (without labels: `()` grown by append has none) or
// vector returned to the general code (never to a compiled caller: NumericReturn.list), a
// loop's global written back when the loop ends, is interrupted or raises an error.
//
// The value is the general code's to the bit: Builtins.grow appends the very number to the
// items or the data, and so does listAppend. A position that is not a whole number in range,
// or a vector's row count past the element limit, makes a function's code give up (the general
// code runs the call again and says what is wrong, with its call chain); a top-level loop
// raises the general rule's own error there itself, with its loop notes, and writes its globals
// back as the general code would have left them (NumericMachine.listInstruction). A loop's
// global that is not a vector when the loop starts leaves the loop to the general code (a
// tuple too: nothing bounds its length, and a loop this fast grew one so long between two
// checks of an interrupt that writing it back as items took seconds; NumericLoopSite.prepared). A variable shared with another one changes nothing: growing
// never shows through another variable (copy-on-write), and a loop writes the global back as a
// new value.

import Lexer

/// The lists of running numeric code: a frame of `frame` lists per call depth of a run (as the
/// string registers are kept, NumericMachine), made at the first use of each and kept, with
/// their memory, for the next call's appends (a short list's: `letGo`).
final class NumericListFile {
    /// The lists a function or loop may hold.
    static let frame = 8
    private static let capacity = (Interpreter.maxCallDepth + 2) * frame
    /// A list that took more memory than this many numbers is let go of when the outermost
    /// run ends (the program keeps no reference to it); a shorter one keeps its memory.
    private static let kept = 1 << 16
    @exclusivity(unchecked) private var storage: UnsafeMutablePointer<[Double]>?
    @exclusivity(unchecked) private var ready = 0
    /// The end of the lists used since the outermost run began.
    @exclusivity(unchecked) private(set) var used = 0

    deinit {
        storage?.deinitialize(count: ready)
        storage?.deallocate()
    }

    /// List k of the frame at depth d of the run (counted from its first), made ready.
    @inline(__always)
    func list(frame d: Int, _ k: Int) -> UnsafeMutablePointer<[Double]> {
        let n = d * NumericListFile.frame + k
        if _slowPath(n >= ready) { prepare(n) }
        if n >= used { used = n + 1 }
        return storage.unsafelyUnwrapped + n
    }

    @inline(never)
    private func prepare(_ n: Int) {
        let file = storage ?? UnsafeMutablePointer<[Double]>.allocate(capacity: NumericListFile.capacity)
        storage = file
        (file + ready).initialize(repeating: [], count: n + 1 - ready)
        ready = n + 1
    }

    /// listLength, or listElement at a position in range, of list i.b of frame d (made ready
    /// by the code's first use of it, an append or the call's parameters); false for anything
    /// else, which listInstruction then runs.
    @inline(__always)
    func read(_ i: NumericInstruction, _ r: UnsafeMutablePointer<Double>, frame d: Int) -> Bool {
        guard i.op == .listLength || i.op == .listElement else { return false }
        let n = d * NumericListFile.frame + Int(i.b)
        guard n < used else { return false }
        let list = storage.unsafelyUnwrapped + n
        if i.op == .listLength {
            r[Int(i.a)] = Double(list.pointee.count)
            return true
        }
        // A whole number under 2^53 by a conversion and back (no call of the rounding
        // function); anything else is listInstruction's, which applies the whole rule.
        let x = r[Int(i.c)], count = list.pointee.count
        guard Swift.abs(x) < WholeNumber.maxMagnitude else { return false }
        var k = Int(x)
        guard Double(k) == x else { return false }
        if k < 0 { k += count }
        guard k >= 0 && k < count else { return false }
        r[Int(i.a)] = list.pointee[k]
        return true
    }

    /// The numbers of list k of frame d, moved out (the list is left empty).
    func take(frame d: Int, _ k: Int) -> [Double] {
        var data: [Double] = []
        swap(&data, &list(frame: d, k).pointee)
        return data
    }

    /// Ends a run: the long lists let go of (the others keep their numbers until the next
    /// listClear, which empties them: a returned tuple's are read after the run).
    @inline(never)
    func letGo() {
        guard let storage else { return }
        for k in 0..<used where storage[k].capacity > NumericListFile.kept { storage[k] = [] }
        used = 0
    }

    /// The position `key` reads in a list of `count` numbers: the general rule's for tuples
    /// (Interpreter.tupleIndex) and vectors (NumericTensorSite.offset) alike, a whole number,
    /// negative from the end; nil for any key that rule refuses (the general code says why).
    @inline(__always)
    static func position(_ key: Double, count: Int) -> Int? {
        guard var i = WholeNumber.exactly(key) else { return nil }
        if i < 0 { i += count }
        guard i >= 0 && i < count else { return nil }
        return i
    }

    /// The value a list stands for: a vector (`[]` grown), or a tuple of numbers (`()` grown:
    /// no labels, as Builtins.grow leaves an unlabelled tuple's).
    static func value(_ data: [Double], tensor: Bool) -> Value {
        if tensor { return .tensor(Tensor(shape: [data.count], data: data)) }
        return .tuple(TupleValue(data.map { .number($0) }))
    }
}

/// The list instructions, as listInstruction runs them (NumericInstruction.Op.listOperation).
enum NumericListOperation {
    case clear, append, length, element, setElement, returnList
}

extension NumericInstruction.Op {
    /// Which list instruction it is (NumericMachine.listInstruction runs them); nil for the rest.
    var listOperation: NumericListOperation? {
        switch self {
        case .listClear: return .clear
        case .listAppend: return .append
        case .listLength: return .length
        case .listElement: return .element
        case .listSetElement: return .setElement
        case .returnList: return .returnList
        case .move, .add, .subtract, .multiply, .divide, .remainder, .power, .negate, .less, .lessEqual, .greater,
             .greaterEqual, .equal, .notEqual, .truth, .not, .jump, .jumpIfFalse, .jumpIfTrue, .jumpUnless, .scalar, .abs,
             .sqrt, .call, .callClosure, .gradient, .optimizerStep, .moveVector, .gradientVector, .optimizerStepVector,
             .element, .element2, .setElement, .setElement2, .length, .returnString, .rangeCount, .loopBack, .loopIf, .minimum,
             .maximum, .clipBelow, .clipAbove, .boolResult, .pick, .pickRow, .makeObject, .stepObject, .callObject, .updateObject, .setArgument,
             .setArgument2, .returnTensor, .bindTensor, .elementShifted, .jumpUnlessLess,
             .jumpUnlessLessEqual, .jumpUnlessGreater, .jumpUnlessGreaterEqual, .jumpUnlessEqual, .jumpUnlessNotEqual,
             .loopIfLess, .loopIfLessEqual, .loopIfGreater, .loopIfGreaterEqual, .loopIfEqual, .loopIfNotEqual,
             .returnValue, .returnTuple, .giveUp, .interpolate, .stringLength, .codePoint, .codePointValue, .codePointAt, .printString, .moveString, .passString,
             .compareStrings, .compareText:
            return nil
        }
    }
}

extension NumericMachine {
    /// The list instructions (the run loop appends itself while a vector's list is under the
    /// limit; the rest come through stringInstruction), on list b of the frame at depth d of the
    /// run; false when a function's code gives up. A top-level loop raises the general rule's error itself instead, at the general
    /// code's place (the call of `append`, the index expression) with its loop notes, as
    /// elementFailure does: it never gives up after an effect for these.
    @inline(never)
    func listInstruction(_ operation: NumericListOperation, _ i: NumericInstruction, _ function: Unmanaged<NumericFunction>,
                         _ r: UnsafeMutablePointer<Double>, frame d: Int, pc: Int, _ I: Interpreter) throws(RuntimeError) -> Bool {
        let list = lists.list(frame: d, Int(i.b))
        switch operation {
        case .clear where i.c == 1:
            // passList (NumericInstruction.Op.listClear): into list a of the next call's frame,
            // the array shared, not copied; the first write to either list copies it.
            lists.list(frame: d + 1, Int(i.a)).pointee = list.pointee
        case .clear where i.c == 2:
            // After the call: list a of the callee's frame let go of, so the caller's list is
            // its own again (an append to it no longer copies it).
            lists.list(frame: d + 1, Int(i.a)).pointee = []
        case .clear:
            list.pointee.removeAll(keepingCapacity: true)
        case .append:
            let count = list.pointee.count
            if i.a != 0 && count >= I.maxElements {
                // A vector's new row count past the element limit: Builtins.grow's rule.
                guard function._withUnsafeGuaranteedRef({ $0.isLoop }) else { return false }
                do {
                    _ = try TensorLimits.checkedCount([count + 1], limit: I.maxElements)
                } catch {
                    throw located(error, function, listSite(function, pc), pc: pc, r)
                }
            }
            list.pointee.append(r[Int(i.c)])
        case .length:
            r[Int(i.a)] = Double(list.pointee.count)
        case .element:
            let key = r[Int(i.c)]
            guard let k = NumericListFile.position(key, count: list.pointee.count) else {
                guard function._withUnsafeGuaranteedRef({ $0.isLoop }) else { return false }
                // The general rule's error, from the value the list stands for.
                let whole = NumericListFile.value(list.pointee, tensor: function._withUnsafeGuaranteedRef { $0.listTensors[Int(i.b)] })
                do {
                    _ = try I.index(whole, [.value(.number(key))])
                } catch {
                    var e = error
                    e.range = nil
                    throw located(e, function, listSite(function, pc), pc: pc, r)
                }
                return false  // never: the rule refuses every position `position` does
            }
            r[Int(i.a)] = list.pointee[k]
        case .setElement:
            // `t[i] = x` of a function's tuple list (never a loop's: NumericCompiler.listSetElement):
            // the rule of a tuple's item write, a whole number in range, negative from the end,
            // or the code gives up and the general code says what is wrong. The list is the
            // frame's own (a parameter's shared array is copied at its first write).
            guard let k = NumericListFile.position(r[Int(i.c)], count: list.pointee.count) else { return false }
            list.pointee[k] = r[Int(i.a)]
        case .returnList:
            // A tuple's numbers to the general code, as returnTuple gives them (made items when
            // it takes them, after the run: the list, held alone again, keeps its memory). No
            // compiled caller calls a function that returns a list (NumericCompiler.returnList);
            // the returnValue after it returns.
            returned = .tuple(values: list.pointee, labels: nil)
        }
        return true
    }

    /// The general code's range for the list instruction at `pc` of a top-level loop.
    private func listSite(_ f: Unmanaged<NumericFunction>, _ pc: Int) -> SourceRange {
        f._withUnsafeGuaranteedRef { $0.listSites[pc] } ?? SourceRange(start: 0, length: 0)
    }
}

/// The variables a function body or a top-level loop grows as lists: those assigned
/// `x = append(x, e)` somewhere in it (not in a function written inside it, whose variables
/// are its own), locals of the function (`globals` false) or globals of the loop, each with the
/// global its callee is read from (the compiler keeps those where it holds the built-in
/// `append`, and decides whether each use of them fits).
enum NumericListScan {
    static func grown(_ body: ResolvedBlock, globals: Bool) -> [Int: Int] {
        var found: [Int: Int] = [:]
        func walk(_ s: ResolvedStmt) {
            switch s.kind {
            case .assign(let ref, nil, _, let value):
                guard case .call(let callee, let positional, let labels, _) = value.kind, labels.isEmpty, positional.count == 2,
                      case .read(.global(let f), _) = callee.kind, case .read(let place, _) = positional[0].kind else { return }
                switch (ref, place) {
                case (.local(let x), .local(let y)) where !globals && x == y: found[x] = f
                case (.global(let x), .global(let y)) where globals && x == y: found[x] = f
                case (.local, _), (.global, _), (.cell, _): break
                }
            case .assign, .expression, .pathAssign, .function, .breakLoop, .continueLoop, .returnValue:
                break
            case .ifElse(_, let body, let elseBody):
                body.statements.forEach(walk)
                if let elseBody { walk(elseBody) }
            case .block(let b), .forIn(_, _, let b), .whileLoop(_, let b):
                b.statements.forEach(walk)
            }
        }
        body.statements.forEach(walk)
        return found
    }
}

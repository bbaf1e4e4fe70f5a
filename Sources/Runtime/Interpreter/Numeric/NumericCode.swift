// The numeric tier: a function whose parameters and locals are numbers and which does
// nothing but arithmetic, comparisons, control flow, calls of scalar built-ins (sin, exp, min,
// ...) and calls of other such functions is compiled, at its first call, to register code over
// unboxed doubles (NumericCompiler.swift) and run by a small machine (NumericMachine.swift):
// no Value is made, copied or released per operation, which is what the general code spends
// most of a scalar loop on. It may also read the numbers a closure captured, call closures it
// captured, read elements and lengths of tensor arguments (and write elements of its own copy
// of one: NumericTensorWrites.swift) and take `grad` of a function of
// numbers; a function it makes or is handed (no value made: each call compiled in place). Bools it holds as 0 and 1; tuples of numbers in consecutive registers (locals,
// arguments in place, results copied into a compiled caller's registers, a global tuple's
// labels loaded at each call). Strings it may build (interpolation, `format`, `str` of
// numbers), compare, measure (`len`), take as arguments, return and hold (a top-level loop's
// string global) in string registers of their own.
//
// Such a function reads its locals, its arguments and global values (`lr` set at the top level,
// loaded at each call) and writes nothing but its locals, so whenever the machine meets
// something its code does not cover (a global rebound to another function, a range with an
// infinite bound, recursion past the limit, falling off the end, an index out of range), it
// gives up and the general code runs the call again from the start, with the same result and
// the same error it would have given anyway. Every operation is the same IEEE operation the
// general code performs, in the same order, so results agree bit for bit. A top-level loop
// (NumericLoop.swift) may have effects (elements written, optimizers stepped, lines printed),
// and so may a function (lines printed, a global optimizer stepped): such code compiles only
// where it cannot give up after an effect (a loop raises the general rule's own errors
// itself), and a function with effects is called by the general code only.

import Parser
import Lexer

/// One typed operation as NumericCompiler builds it: on registers of the current frame, `a`
/// the destination (or the register tested), `b` and `c` operands, jump targets instruction
/// indices. The finished code is the chunk's instructions (`Instruction(typed:at:)`); the rare
/// operations the machine runs out of its loop keep this form as their payload.
struct NumericInstruction {
    enum Op: UInt8 {
        case move                       // r[a] = r[b]
        case add, subtract, multiply, divide, remainder, power   // r[a] = r[b] op r[c]
        case negate                     // r[a] = -r[b]
        case less, lessEqual, greater, greaterEqual, equal, notEqual  // r[a] = r[b] cmp r[c] ? 1 : 0
        case truth                      // r[a] = r[b] != 0 ? 1 : 0
        case not                        // r[a] = r[b] != 0 ? 0 : 1
        case jump                       // goto c
        case jumpIfFalse                // if !(r[a] != 0) goto c
        case jumpIfTrue                 // if r[a] != 0 goto c
        /// if !(r[a] cmp r[b]) goto c, with the comparison in `compare`: a loop's or an if's test.
        case jumpUnless
        case scalar                     // r[a] = builtins[b](r[c])
        case abs, sqrt                  // r[a] = abs(r[c]), sqrt(r[c]): the scalar built-ins' own rules, without the indirect call
        /// before a `returnValue a` of a bool (0 or 1): when no compiled caller waits, the
        /// general code gets the bool (`returned`)
        case boolResult
        /// r[a] = min(r[b], r[c]), max(r[b], r[c]): the built-ins of two numbers (nanMin, nanMax:
        /// NaN wins), checked through calledBuiltins as `len` is
        case minimum, maximum
        /// r[a] = r[b] raised to r[c], lowered to r[c]: clip(x, lo, hi) of three numbers in two
        /// halves, by the built-in's rule (Builtins.clipBelow, clipAbove), checked as min is
        case clipBelow, clipAbove
        /// r[a] = the item r[c] of the tuple picks[b] holds (its first register and length); a
        /// position that is not a whole number in range gives up
        case pick
        /// r[a..<a+w] = the row r[c] of the rows picks[b] holds (their first register, how many,
        /// and w, the numbers of each): a tuple of tuples' item, as pick reads a number
        case pickRow
        case call                       // r[a] = functions[b](r[c], r[c + 1], ...)
        /// call through a capture, or of a function with captures: the closure called is found
        /// (and checked to be of the callee's proto) when the call runs
        case callClosure
        /// r[a] = grad(f, r[c]) with f and grad as gradients[b] holds them (no effects)
        case gradient
        /// r[a] = opt.step(r[c], r[c + 1]) with opt as optimizers[b] holds it: an effect, so
        /// only in a top-level loop that cannot give up once it has stepped (NumericCompiler)
        case optimizerStep
        /// objects[a] = the object constructors[b] makes from r[c...] (`opt = adam(lr: lr)`,
        /// `s = schedule("cosine", 0.1, 1000)` in a function): the constructor's own binding and
        /// checks; gives up unless it made an optimizer whose steps of numbers cannot fail (and
        /// :trace is off), a schedule whose rates call no user code, or an averager (when the
        /// REPL asks for display hints, which its updates leave, it gives up on one)
        case makeObject
        /// r[a] = objects[b].step(r[c], r[c + 1]): a step of a local optimizer, whose state no
        /// one else sees (the general code, running the call again, makes its own)
        case stepObject
        /// r[a] = objects[b](r[c]): a local schedule's rate at a whole epoch, by its own rule
        /// (anything else gives up: the general code says what is wrong)
        case callObject
        /// r[a], r[a+1], r[a+2] = objects[b].update(r[c]): a local averager's (t:, v:,
        /// corrected:) after a number, by its own rule (Averager.update(number:))
        case updateObject
        /// r[a..<a+c] = r[b..<b+c]: a vector's registers (forward: a <= b when they overlap)
        case moveVector
        /// the vector forms: r[a...] = grad(f, r[c...]); r[a...] = opt.step(r[c...], r[c+n...])
        /// with n the site's width
        case gradientVector, optimizerStepVector
        /// r[a] = t[r[c]], t[r[c], r[c+1]] with t and what to say of a bad index in elements[b]
        /// (a top-level loop's tensor globals only)
        case element, element2
        /// t[r[c]] = r[a], t[r[c], r[c+1]] = r[a] (or op=): an effect, as optimizerStep
        case setElement, setElement2
        /// t[r[c]] = r[a], t[r[c], r[c+1]] = r[a] (or op=) on a function's tensor parameter: into
        /// its own copy, made at the first write (NumericTensorSite.copy), so the caller's tensor
        /// never changes and the call has no effect the general code could see; a bad index
        /// gives up (NumericTensorWrites.swift)
        case setArgument, setArgument2
        /// before a `returnValue`: the general code gets tensors[a], the tensor parameter as the
        /// call wrote it (no compiled caller calls a function that returns one)
        case returnTensor
        /// functions[b]'s tensor site a reads what this loop's site tensors[c] reads: before a
        /// call of a function of tensor parameters from a top-level loop (`bsearch(xs, t)`)
        case bindTensor
        /// r[a] = t[r[c] + k], k the site's shift (`x[j + 1]`): element with its key's addition
        case elementShifted
        /// r[a] = len(tensors[b]): its first axis
        case length
        /// s[a] = interpolations[b] built from its pieces (text, numbers, formatted numbers,
        /// strings); a string operand is a string register, written as ~k (NumericFunction)
        case interpolate
        /// r[a] = len(s[c]): its code points
        case stringLength
        /// s[a] = code point r[c] of s[b], as a string: a loop's `for ch in text` (r[c] always in
        /// range: the loop counts the code points first)
        case codePoint
        /// s[a] = `s[b][r[c]]`: the code point at a whole-number position (negative from the
        /// end); any other position gives up (the general code says what is wrong)
        case codePointAt
        /// r[a] = the value of s[b]'s one code point (written after a codePoint or codePointAt
        /// into s[b]): the number a comparison of that string with a one-code-point string reads
        /// instead (NumericCompiler.codePointShadows)
        case codePointValue
        /// s[a] = s[b]
        case moveString
        /// the string register a of the next call's frame = s[b]: a string argument, moved there
        /// once every argument is computed
        case passString
        /// r[a] = s[b] cmp s[c] ? 1 : 0, by code points, with the comparison in `compare`
        case compareStrings
        /// r[a] = s[b] cmp texts[c] ? 1 : 0: a string against one written in the code (`name ==
        /// "relu"`), read where the function keeps it rather than loaded into a register at
        /// every call
        case compareText
        /// return s[a] (to a caller that called for a string: else the code gives up)
        case returnString
        /// print's output of the line s[c] (after its interrupt check): an effect, as
        /// optimizerStep (a top-level loop's only)
        case printString
        case rangeCount                 // r[a] = element count of r[b]..<r[c] (inclusive when compare == .lessEqual)
        /// A loop's way back, once per iteration: the interrupt flag, then goto c (loopBack), or
        /// goto c if r[a] cmp r[b] with the comparison in `compare` (loopIf: a loop whose test
        /// is a comparison tests it at the bottom, one dispatch per iteration fewer).
        case loopBack, loopIf
        /// jumpUnless and loopIf with their comparison in the operation (the compiler's
        /// `finish` writes them): one dispatch instead of a second switch on `compare`.
        case jumpUnlessLess, jumpUnlessLessEqual, jumpUnlessGreater, jumpUnlessGreaterEqual, jumpUnlessEqual, jumpUnlessNotEqual
        case loopIfLess, loopIfLessEqual, loopIfGreater, loopIfGreaterEqual, loopIfEqual, loopIfNotEqual
        case returnValue                // return r[a]
        /// hand the tuple (r[a], ..., r[a + b - 1]) labelled tupleLabels[c] to the general code,
        /// or copy all but its first number into the registers of a compiled caller that called
        /// for a tuple (its destination flagged NumericFunction.tupleDestination; any other
        /// gives up); a `returnValue a` follows it and returns
        case returnTuple
        case giveUp                     // let the general code run the call
        /// (After the others: their numbers stay as they were.) The growing lists (NumericLists.swift): a local or a loop's global grown only by
        /// `xs = append(xs, x)` of numbers, held as the doubles of list b of the frame's list
        /// file. listClear: list b empty (`xs = ()`, `xs = []`); listAppend: r[c] appended (a
        /// = 1 for a tensor's list: past the element limit a function's code gives up, a
        /// top-level loop raises the rule's error); listLength: r[a] = its count; listElement:
        /// r[a] = its item r[c] (a position that is not a whole number in range: as listAppend's
        /// limit);
        /// listSetElement: its item r[c] = r[a] (`t[i] = x` of a function's tuple list; a position
        /// that is not a whole number in range gives up);
        /// returnList: a tuple's list goes to the general code as the tuple of numbers it stands
        /// for, and the returnValue after it returns.
        /// listClear with c = 1 is passList: list a of the next call's frame = list b of this
        /// one, a list argument (a tuple parameter held as a list, NumericParameter.list),
        /// shared until either is written (copy-on-write), as the general code passes the
        /// tuple; with c = 2, after the call, list a of the callee's frame let go of. (Not
        /// operations of their own: one more case in this enum made hanoi and collatz 3%
        /// slower.)
        case listClear, listAppend, listLength, listElement, listSetElement, returnList
    }

    /// A loop's back edge or a call (NumericFunction.worthEnteringFromGeneralCode).
    var isLoopOrCall: Bool {
        switch op {
        case .loopBack, .loopIf, .loopIfLess, .loopIfLessEqual, .loopIfGreater, .loopIfGreaterEqual, .loopIfEqual,
             .loopIfNotEqual, .call, .callClosure:
            return true
        case .move, .add, .subtract, .multiply, .divide, .remainder, .power, .negate, .less, .lessEqual, .greater,
             .greaterEqual, .equal, .notEqual, .truth, .not, .jump, .jumpIfFalse, .jumpIfTrue, .jumpUnless, .scalar, .abs,
             .sqrt, .gradient, .optimizerStep, .moveVector, .gradientVector, .optimizerStepVector, .element, .element2,
             .setElement, .setElement2, .setArgument, .setArgument2, .returnTensor, .bindTensor, .elementShifted, .length,
             .returnString, .rangeCount, .minimum, .maximum, .clipBelow, .clipAbove, .boolResult, .pick, .pickRow, .makeObject, .stepObject,
             .callObject, .updateObject, .jumpUnlessLess, .jumpUnlessLessEqual, .jumpUnlessGreater, .jumpUnlessGreaterEqual,
             .jumpUnlessEqual, .jumpUnlessNotEqual, .returnValue, .returnTuple, .giveUp, .interpolate, .stringLength, .codePoint, .codePointValue, .codePointAt,
             .printString, .moveString, .passString, .compareStrings, .compareText, .listClear, .listAppend, .listLength, .listElement, .listSetElement,
             .returnList:
            return false
        }
    }

    /// jumpUnless and loopIf as the operation of their comparison.
    static func specialized(_ op: NumericInstruction.Op, _ compare: ComparisonOperator) -> NumericInstruction.Op {
        let loop = op == .loopIf
        switch compare {
        case .less: return loop ? .loopIfLess : .jumpUnlessLess
        case .lessEqual: return loop ? .loopIfLessEqual : .jumpUnlessLessEqual
        case .greater: return loop ? .loopIfGreater : .jumpUnlessGreater
        case .greaterEqual: return loop ? .loopIfGreaterEqual : .jumpUnlessGreaterEqual
        case .equal: return loop ? .loopIfEqual : .jumpUnlessEqual
        case .notEqual: return loop ? .loopIfNotEqual : .jumpUnlessNotEqual
        }
    }

    var op: Op
    var compare: ComparisonOperator = .equal
    var a: Int32 = 0
    var b: Int32 = 0
    var c: Int32 = 0
}

extension Instruction {
    /// The chunk's instruction for a typed operation as the compiler built it (its operands
    /// registers of the typed frame by now), the k-th of its function's code: a jump's target
    /// `t` as an offset from the next instruction, as a chunk's (Chunk.init).
    init(typed i: NumericInstruction, at k: Int) {
        let a = i.a, b = i.b, c = i.c, t = i.c - Int32(k + 1)
        switch i.op {
        case .move: self = .typedMove(a, b)
        case .add: self = .typedAdd(a, b, c)
        case .subtract: self = .typedSubtract(a, b, c)
        case .multiply: self = .typedMultiply(a, b, c)
        case .divide: self = .typedDivide(a, b, c)
        case .remainder: self = .typedRemainder(a, b, c)
        case .power: self = .typedPower(a, b, c)
        case .negate: self = .typedNegate(a, b)
        case .less: self = .typedLess(a, b, c)
        case .lessEqual: self = .typedLessEqual(a, b, c)
        case .greater: self = .typedGreater(a, b, c)
        case .greaterEqual: self = .typedGreaterEqual(a, b, c)
        case .equal: self = .typedEqual(a, b, c)
        case .notEqual: self = .typedNotEqual(a, b, c)
        case .truth: self = .typedTruth(a, b)
        case .not: self = .typedNot(a, b)
        case .jump: self = .typedJump(t)
        case .jumpIfFalse: self = .typedJumpIfFalse(a, t)
        case .jumpIfTrue: self = .typedJumpIfTrue(a, t)
        case .jumpUnless, .loopIf:
            // The operation of its comparison: the loop has one case per comparison.
            var j = i
            j.op = NumericInstruction.specialized(i.op, i.compare)
            self = Instruction(typed: j, at: k)
        case .jumpUnlessLess: self = .typedJumpUnlessLess(a, b, t)
        case .jumpUnlessLessEqual: self = .typedJumpUnlessLessEqual(a, b, t)
        case .jumpUnlessGreater: self = .typedJumpUnlessGreater(a, b, t)
        case .jumpUnlessGreaterEqual: self = .typedJumpUnlessGreaterEqual(a, b, t)
        case .jumpUnlessEqual: self = .typedJumpUnlessEqual(a, b, t)
        case .jumpUnlessNotEqual: self = .typedJumpUnlessNotEqual(a, b, t)
        case .loopBack: self = .typedLoopBack(t)
        case .loopIfLess: self = .typedLoopIfLess(a, b, t)
        case .loopIfLessEqual: self = .typedLoopIfLessEqual(a, b, t)
        case .loopIfGreater: self = .typedLoopIfGreater(a, b, t)
        case .loopIfGreaterEqual: self = .typedLoopIfGreaterEqual(a, b, t)
        case .loopIfEqual: self = .typedLoopIfEqual(a, b, t)
        case .loopIfNotEqual: self = .typedLoopIfNotEqual(a, b, t)
        case .abs: self = .typedAbs(a, c)
        case .sqrt: self = .typedSqrt(a, c)
        case .scalar: self = .typedScalar(a, b, c)
        case .minimum: self = .typedMinimum(a, b, c)
        case .maximum: self = .typedMaximum(a, b, c)
        case .clipBelow: self = .typedClipBelow(a, b, c)
        case .clipAbove: self = .typedClipAbove(a, b, c)
        case .call: self = .typedCall(a, b, c)
        case .callClosure: self = .typedCallClosure(a, b, c)
        case .gradient: self = .typedGradient(a, b, c)
        case .optimizerStep: self = .typedOptimizerStep(a, b, c)
        case .gradientVector: self = .typedGradientVector(a, b, c)
        case .optimizerStepVector: self = .typedOptimizerStepVector(a, b, c)
        case .element: self = .typedElement(a, b, c)
        case .element2: self = .typedElement2(a, b, c)
        case .elementShifted: self = .typedElementShifted(a, b, c)
        case .setElement: self = .typedSetElement(a, b, c)
        case .setElement2: self = .typedSetElement2(a, b, c)
        case .length: self = .typedLength(a, b)
        case .moveVector: self = .typedMoveVector(a, b, c)
        case .pick: self = .typedPick(a, b, c)
        case .rangeCount: self = .typedRangeCount(a, b, c, inclusive: i.compare == .lessEqual)
        case .returnValue: self = .typedReturnValue(a)
        case .returnString: self = .typedReturnString(a)
        case .returnTuple: self = .typedReturnTuple(a, b, c)
        case .boolResult: self = .typedBoolResult(a)
        case .giveUp: self = .typedGiveUp
        case .listAppend: self = .typedListAppend(a, b, c)
        case .setArgument, .setArgument2: self = .typedSetArgument(i)
        case .pickRow, .makeObject, .stepObject, .callObject, .updateObject, .bindTensor, .returnTensor: self = .typedRare(i)
        case .interpolate, .stringLength, .codePoint, .codePointValue, .codePointAt, .printString, .moveString, .passString,
             .compareStrings, .compareText, .listClear, .listLength, .listElement, .listSetElement, .returnList:
            self = .typedString(i)
        }
    }
}

/// What a compiled function returns: numbers, bools, strings, or tuples of numbers with these
/// labels' names; `mixed` when it returns one kind on some paths and another on others (or
/// tuples of different labels), which only the general code may call it for.
enum NumericReturn: Equatable {
    case number, bool, string, tuple([String?]), mixed
    /// A growing list's value (NumericLists.swift), which only the general code takes.
    case list
    /// A tensor parameter (`return x` after writing its elements): to the general code only.
    case tensor
}

/// What a parameter of a function's code for arguments other than numbers takes
/// (FunctionProto.numericWithTensors): a number (one register), a tensor it reads (one register,
/// unused), a tuple of numbers with these labels' names (a register per number, in place: the
/// parameters' registers come one after another, as the caller's arguments do), or a string
/// (one register, unused, and the first string registers of the frame in order), or a function
/// of this proto without captures (one register, unused: its calls are compiled in place, as a
/// local function's).
enum NumericParameter: Equatable {
    case number, tensor(rank: Int), tuple([String?]), string, function(FunctionProto)
    /// A tuple of tuples of numbers (`((0, 1), (1, 3.1), ...)`), each with these labels'
    /// names: a register per number, row after row.
    case rows(Int, [String?])
    /// A labelled tuple of numbers and other things (`cfg = (name: "run", w: [0.5, -1], lr:
    /// 0.1)`), read only by its labels: a register per item, its numbers loaded there, its
    /// tensors read by element and length (a site each, NumericTensorSite.label) and its
    /// strings in string registers; what else it holds is never read.
    case record([String], [NumericRecordItem])
    /// An unlabelled tuple of numbers of any length (one register, unused): its numbers are
    /// loaded into a growing list of the frame (NumericLists.swift), which the code reads by
    /// `len` and position, walks with `for`, grows by `append` and returns, as a local list.
    /// A call from the general code gives it this kind where a tuple's registers cannot hold
    /// it: empty, longer than NumericLoop.longestVector, or of another length than the call
    /// before (a merge sort's halves). Only the general code calls such code.
    case list
    /// A tuple of tuples of numbers with these labels' names (`((x, y), (x, y), ...)`, a
    /// dataset of pairs) that rows' registers cannot hold (NumericParameter.rows: more than 64
    /// rows or 256 numbers, or another count than the call before): a list per column of the
    /// frame's lists, in order (one register, unused). The code walks it with `for p in pts`
    /// (p a tuple local given each row) and reads `len(pts)`; only the general code calls it.
    case rowList([String?])

    /// The kind of a tuple of rows held as column lists (`.rowList`): an unlabelled tuple of
    /// one or more tuples of 1 to 4 numbers, each with the first one's labels.
    static func rowList(of v: Value?) -> NumericParameter? {
        guard case .tuple(let t)? = v, t.labels == nil, case .tuple(let first)? = t.items.first,
              first.count >= 1, first.count <= NumericListFile.frame / 2 else { return nil }
        let names = first.labels?.names ?? Array(repeating: nil, count: first.count)
        for item in t.items {
            guard case .tuple(let row) = item, NumericParameter.isRow(row, like: first) else { return nil }
        }
        return .rowList(names)
    }

    /// Whether `row` is a tuple of numbers with `first`'s count and labels (no array made: a
    /// call checks every row).
    @inline(__always)
    static func isRow(_ row: TupleValue, like first: TupleValue) -> Bool {
        guard row.count == first.count else { return false }
        if row.labels !== first.labels {
            guard let a = row.labels, let b = first.labels, a.names == b.names else { return false }
        }
        for item in row.items {
            guard case .number = item else { return false }
        }
        return true
    }

    /// The kind of a tuple argument held as a list (`.list`): an unlabelled tuple of numbers.
    static func list(of v: Value?) -> NumericParameter? {
        guard case .tuple(let t)? = v, t.labels == nil,
              t.items.allSatisfy({ if case .number = $0 { return true } else { return false } }) else { return nil }
        return .list
    }

    static func == (a: NumericParameter, b: NumericParameter) -> Bool {
        switch (a, b) {
        case (.number, .number), (.string, .string), (.list, .list): return true
        case (.rowList(let x), .rowList(let y)): return x == y
        case (.tensor(let x), .tensor(let y)): return x == y
        case (.tuple(let x), .tuple(let y)): return x == y
        case (.function(let x), .function(let y)): return x === y
        case (.rows(let n, let x), .rows(let m, let y)): return n == m && x == y
        case (.record(let n, let x), .record(let m, let y)): return n == m && x == y
        case (.number, _), (.string, _), (.tensor, _), (.tuple, _), (.function, _), (.rows, _), (.record, _), (.list, _), (.rowList, _):
            return false
        }
    }

    /// Whether the parameter is held in lists of the frame (`.list`, `.rowList`).
    var isList: Bool {
        switch self {
        case .list, .rowList: return true
        case .number, .tensor, .string, .function, .tuple, .rows, .record: return false
        }
    }

    /// A tuple held in registers (`.tuple`, `.rows`), whose code may not fit where the same
    /// tuple as a list (`.list`, `.rowList`) does (FunctionProto.tuplesInRegistersFailed).
    var isTupleInRegisters: Bool {
        switch self {
        case .tuple, .rows: return true
        case .number, .tensor, .string, .function, .list, .rowList, .record: return false
        }
    }

    var width: Int {
        switch self {
        case .number, .tensor, .string, .function, .list, .rowList: return 1
        case .tuple(let names): return names.count
        case .rows(let n, let names): return n * names.count
        case .record(let names, _): return names.count
        }
    }

    /// What `v` is as a record: a tuple of 1 to 64 items, each labelled (by names no two items
    /// share), not all numbers (that is a tuple's code); nil for any other value.
    static func record(of v: Value?) -> NumericParameter? {
        guard case .tuple(let t)? = v, t.count >= 1, t.count <= 64, let labels = t.labels else { return nil }
        var names: [String] = []
        for name in labels.names {
            guard let name, !names.contains(name) else { return nil }
            names.append(name)
        }
        let items = t.items.map(NumericRecordItem.of)
        guard items.contains(where: { $0 != .number }) else { return nil }
        return .record(names, items)
    }

    /// What `v` is as rows: a tuple of 1 to 64 tuples of numbers with the same labels (at most
    /// 256 numbers); nil for any other value.
    static func rows(of v: Value?) -> NumericParameter? {
        guard case .tuple(let t)? = v, t.count >= 1, t.count <= 64, case .tuple(let first) = t.items[0], first.count >= 1,
              t.count * first.count <= 256 else { return nil }
        let names = first.labels?.names ?? Array(repeating: nil, count: first.count)
        for item in t.items {
            guard case .tuple(let row) = item, row.count == first.count,
                  (row.labels?.names ?? Array(repeating: nil, count: row.count)) == names,
                  row.items.allSatisfy({ if case .number = $0 { return true } else { return false } }) else { return nil }
        }
        return .rows(t.count, names)
    }
}

/// What an item of a record is (NumericParameter.record): its kind decides what the code does
/// with it, and a call passes a record whose items are of the same kinds.
enum NumericRecordItem: Equatable {
    case number, tensor(rank: Int), string, other

    static func of(_ v: Value) -> NumericRecordItem {
        switch v {
        case .number: return .number
        case .tensor(let t) where t.rank == 1 || t.rank == 2: return .tensor(rank: t.rank)
        case .string: return .string
        case .bool, .tensor, .view, .tuple, .function, .object, .null, .traced: return .other
        }
    }
}

/// A string global code reads (`sep`), or the labelled string of a global tuple (`cfg.name`):
/// loaded into a string register at each call.
struct NumericStringSource: Equatable {
    let slot: Int
    let label: String?

    /// The string it reads in `value` now; nil when there is none there.
    func string(in value: Value?) -> String? {
        var held = value
        if let label {
            guard case .tuple(let t)? = value, let k = t.labels?.position(of: label) else { return nil }
            held = t.items[k]
        }
        guard case .string(let s)? = held else { return nil }
        return s
    }
}

/// A labelled number of a global tuple that code reads (`h.lr`, `cfg.opt.lr` through tuples
/// of tuples): each label's index in the labels its tuple had when compiled (a tuple with
/// other labels is looked up by name, as the general member rule looks it up).
struct NumericField {
    let slot: Int
    let steps: [(name: String, labels: TupleLabels, index: Int)]
    /// For an item of a global tuple read whole (`map(f, params, scales)`): the tuple's
    /// length. The item is read at its position only from a tuple of that length with the
    /// same labels in the same order (the structure the whole was compiled for); nil for a
    /// label read, looked up by name in a tuple of other labels.
    var whole: Int?

    var names: [String] { steps.map(\.name) }

    /// The items of the labelled tuple of numbers `value` holds, read whole (each name given
    /// once, at most 64 items); nil for any other value.
    static func items(slot: Int, of value: Value?) -> [NumericField]? {
        guard case .tuple(let t)? = value, t.count >= 1, t.count <= NumericLoop.longestVector, let labels = t.labels,
              Set(labels.names.compactMap { $0 }).count == t.count,
              t.items.allSatisfy({ if case .number = $0 { return true } else { return false } }) else { return nil }
        return labels.names.enumerated().map { i, name in
            NumericField(slot: slot, steps: [(name ?? "", labels, i)], whole: t.count)
        }
    }

    private init(slot: Int, steps: [(name: String, labels: TupleLabels, index: Int)], whole: Int?) {
        self.slot = slot
        self.steps = steps
        self.whole = whole
    }

    /// The field of `path` in `value` (the global's value now); nil unless each label but the
    /// last finds a labelled tuple there and the last a number.
    init?(slot: Int, path: [String], in value: Value?) {
        var steps: [(name: String, labels: TupleLabels, index: Int)] = [], held = value
        for name in path {
            guard case .tuple(let t)? = held, let labels = t.labels, let k = labels.position(of: name) else { return nil }
            steps.append((name, labels, k))
            held = t.items[k]
        }
        guard case .number? = held else { return nil }
        self.slot = slot
        self.steps = steps
        self.whole = nil
    }

    /// The number it reads in `value` now; nil when that is not a tuple with a number there.
    @inline(__always)
    func number(in value: Value?) -> Double? {
        if let whole { return item(in: value, count: whole) }
        var held = value
        for step in steps {
            guard case .tuple(let t)? = held else { return nil }
            let k: Int
            if t.labels === step.labels {
                k = step.index
            } else {
                guard let found = t.labels?.position(of: step.name) else { return nil }
                k = found
            }
            guard k < t.count else { return nil }
            held = t.items[k]
        }
        guard case .number(let x)? = held else { return nil }
        return x
    }

    /// A whole tuple's item: at its position in a tuple of `count` items with the same labels.
    @inline(never)
    private func item(in value: Value?, count: Int) -> Double? {
        let step = steps[0]
        guard case .tuple(let t)? = value, t.count == count, let labels = t.labels,
              labels === step.labels || labels.names == step.labels.names,
              case .number(let x) = t.items[step.index] else { return nil }
        return x
    }
}

/// A compiled function. Its frame: the parameters and locals in the proto's slots, then its
/// constants (copied in at each call), the globals, fields and captures it reads (loaded at
/// each call), its tuple locals' registers, then temporaries. Beside it, a frame of string
/// registers (`stringFrameSize`, none for most functions): an operand that is one is written
/// ~k (negative), so a call's destination says which kind its callee must return.
final class NumericFunction {
    let proto: FunctionProto
    /// Code and constants in memory of their own, set once compiled: the machine reads them
    /// on every call without touching a reference count.
    @exclusivity(unchecked) var code = UnsafeMutableBufferPointer<Instruction>(start: nil, count: 0)
    /// Whether the code has a loop or a call (worthEnteringFromGeneralCode).
    var loopsOrCalls = false
    @exclusivity(unchecked) var constants = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    /// Where the constants start in the frame, and the frame's size.
    @exclusivity(unchecked) var constantBase = 0
    /// Global slots read as numbers, loaded into the frame from `globalBase` at every call.
    @exclusivity(unchecked) var globals: [Int] = []
    @exclusivity(unchecked) var globalBase = 0
    /// Labelled numbers of global tuples read (`h.lr`), loaded into the frame from `fieldBase`
    /// at every call.
    @exclusivity(unchecked) var fields: [NumericField] = []
    @exclusivity(unchecked) var fieldBase = 0
    /// The registers of its variables that hold bools (0 or 1): a top-level loop writes those
    /// globals back as bools.
    @exclusivity(unchecked) var boolRegisters: Set<Int> = []
    /// Whether it prints or steps an optimizer (a function only the general code calls: see
    /// NumericCompiler.compileBody), whether it is compiled, and whether a compiled caller
    /// called it before it was (a recursive call).
    @exclusivity(unchecked) var hasEffects = false
    /// The optimizers, schedules and averagers its locals hold (`opt = adam(lr: lr)`), made by each call, let go of when
    /// it ends, and the steady kernel of each once stepped. A function that holds them is
    /// called by the general code only (never recursively): one call's objects at a time.
    @exclusivity(unchecked) var objects: [RuntimeObject?] = []
    @exclusivity(unchecked) var objectKernels: [SteadyKernel?] = []
    /// The optimizer constructors it calls: the built-in, the labels of its arguments after
    /// the positional ones, and how many arguments in all.
    @exclusivity(unchecked) var constructors: [(function: BuiltinFunction, labels: [String], count: Int)] = []
    /// For each constructor call, its arguments: a number or a bool from its register (in order
    /// from the call's first), or a string written in the code.
    @exclusivity(unchecked) var constructorArguments: [[NumericConstructorArgument]] = []

    func letGoOfObjects() {
        for k in objects.indices {
            objects[k] = nil
            objectKernels[k] = nil
        }
    }
    @exclusivity(unchecked) var finished = false
    @exclusivity(unchecked) var calledWhileCompiling = false
    /// Whether its code may give up (conservatively: a callee not compiled yet may), how many
    /// calls deep its calls go, and the registers the deepest of them take beyond its frame.
    @exclusivity(unchecked) var mayGiveUp = true
    @exclusivity(unchecked) var callDepth = 0
    /// How many frames deeper than its own the general code would run the deepest of its calls
    /// compiled in place (local functions, NumericInlining): it runs only where those are
    /// within the recursion limit.
    @exclusivity(unchecked) var inlinedDepth = 0
    /// Global functions a top-level loop's code runs in place, each with its slot, which must
    /// still hold a closure of that proto when the code runs.
    @exclusivity(unchecked) var inlined: [(slot: Int, proto: FunctionProto)] = []
    @exclusivity(unchecked) var calleeRegisters = 0
    /// The parameters of code for arguments other than numbers (empty: all numbers).
    @exclusivity(unchecked) var parameters: [NumericParameter] = []
    /// The tuples read by a computed position (`pick`): first register and length.
    @exclusivity(unchecked) var picks: [(first: Int, count: Int, width: Int)] = []
    /// Whether `fields` or `captures` has any (set when compiled).
    @exclusivity(unchecked) var readsFieldsOrCaptures = false
    /// The captures of the closure called that it reads as numbers, loaded into the frame from
    /// `captureBase` at every call.
    @exclusivity(unchecked) var captures: [Int] = []
    @exclusivity(unchecked) var captureBase = 0
    @exclusivity(unchecked) var frameSize = 0
    /// Scalar built-ins called, each with the global slot it was read from: the slot must
    /// still hold that built-in when the call runs.
    @exclusivity(unchecked) var builtins: [(slot: Int, function: BuiltinFunction, apply: @Sendable (Double) -> Double)] = []
    /// Functions called, each with its global slot, which must still hold a closure of that
    /// proto when the call runs.
    @exclusivity(unchecked) var functions: [NumericCallee] = []
    /// The callees held: `functions` does not retain them, and a proto may drop its function
    /// (recompiled, or left to the general code) while a caller's code still calls it. A
    /// recursive function holds itself, which is fine: functions live for the session.
    @exclusivity(unchecked) var callees: [NumericFunction] = []
    /// `grad(f, x)` calls: of a global function of one number whose tape-free derivative
    /// code exists, through a global holding the built-in grad.
    @exclusivity(unchecked) var gradients: [NumericGradientSite] = []
    /// `opt.step(x, g)` calls of a top-level loop, through a global holding an optimizer.
    @exclusivity(unchecked) var optimizers: [NumericOptimizerSite] = []
    /// The tensor globals a top-level loop reads or writes elements of, each once (for a
    /// function: its tensor parameters, read only, their `slot` the parameter's index, in
    /// order), and its element reads and writes.
    @exclusivity(unchecked) var tensors: [NumericTensorSite] = []
    /// A top-level loop (its bad indices raise the general rule's errors), not a function
    /// (which gives up on them: the general code runs the call and says what is wrong).
    @exclusivity(unchecked) var isLoop = false
    /// Built-ins called through globals for what they are, not as scalar functions (`len`).
    @exclusivity(unchecked) var calledBuiltins: [(slot: Int, function: BuiltinFunction)] = []
    @exclusivity(unchecked) var elements: [NumericElementSite] = []
    /// The loop's `for` statements, outermost first: an error in one's body notes the value of
    /// its variable, as the general code's does.
    @exclusivity(unchecked) var forLoops: [NumericForLoop] = []
    /// The file a top-level loop is in (for its errors).
    @exclusivity(unchecked) var file: SourceFile?
    /// The labels of each tuple the function returns (`return (v: v, s: s)`), by returnTuple's c.
    @exclusivity(unchecked) var tupleLabels: [TupleLabels?] = []
    /// The strings built (`"step \(k): \(format(l, ".4f"))"`), by interpolate's b.
    @exclusivity(unchecked) var interpolations: [NumericInterpolation] = []
    @exclusivity(unchecked) var stringFrameSize = 0
    /// Global slots read as strings, loaded into the string frame from `stringGlobalBase` at
    /// every call.
    @exclusivity(unchecked) var stringGlobals: [NumericStringSource] = []
    @exclusivity(unchecked) var stringGlobalBase = 0
    /// Strings written in the code, loaded into the string frame after the global strings at
    /// every call.
    @exclusivity(unchecked) var stringConstants: [String] = []
    /// Whether a call must make its string frame ready (enterStrings): false for a function
    /// whose string registers are its string arguments only, which the caller put there.
    @exclusivity(unchecked) var loadsStrings = false
    /// Strings written in the code that compareText compares against, by its c.
    @exclusivity(unchecked) var texts: [String] = []
    /// What its return statements give (all of them, so a compiled caller knows where the
    /// result goes); nil before its first return statement is compiled.
    @exclusivity(unchecked) var returns: NumericReturn?
    /// Whether a compiled caller relies on `returns` (read once it was set): a later return
    /// statement of another kind then makes the function not fit, rather than `mixed`.
    @exclusivity(unchecked) var returnKindRelied = false
    /// A call's destination when the callee returns a tuple into the caller's registers: the
    /// first register plus this flag (returnTuple checks it; numbers' and strings' never have it).
    static let tupleDestination = 1 << 30
    /// Calls that gave up (see NumericMachine.call).
    @exclusivity(unchecked) var givenUp = 0
    /// Tensors lent to its calls, written in place (writingCopy; the tests read it).
    @exclusivity(unchecked) var lentTensors = 0
    /// The interpreter's functionEpoch when the globals above were last found holding what
    /// they held at compile time.
    @exclusivity(unchecked) var checkedEpoch = -1
    /// How many growing lists its frame holds (NumericLists.swift), at most NumericListFile.frame,
    /// and a top-level loop's ranges for their errors, by instruction (the call of `append`,
    /// the index expression).
    @exclusivity(unchecked) var listCount = 0
    @exclusivity(unchecked) var listSites: [Int: SourceRange] = [:]
    /// Whether each list stands for a vector (else a tuple), by index.
    @exclusivity(unchecked) var listTensors: [Bool] = []

    init(proto: FunctionProto) { self.proto = proto }

    /// Whether this function or one it calls reads one of the global `slots` (as a number, or
    /// to call through it). A top-level loop keeps the globals it assigns in registers until
    /// it ends, so it must not call code that would read them from the globals meanwhile.
    func reads(anyOf slots: [Int: Int]) -> Bool {
        anyReachable { f in
            f.globals.contains(where: { slots[$0] != nil }) || f.stringGlobals.contains(where: { slots[$0.slot] != nil })
                || f.fields.contains(where: { slots[$0.slot] != nil })
                || f.builtins.contains(where: { slots[$0.slot] != nil })
                || f.calledBuiltins.contains(where: { slots[$0.slot] != nil })
                || f.functions.contains(where: { $0.globalSlot.map { slots[$0] != nil } ?? false })
                || f.gradients.contains(where: { $0.reads.contains(where: { slots[$0] != nil }) })
        }
    }

    /// Whether `test` holds for this function or one it may call (its callees, theirs, ...),
    /// each looked at once. (At compile time too: a callee still compiling has the callees
    /// it has so far.)
    func anyReachable(_ test: (NumericFunction) -> Bool) -> Bool {
        var seen = Set<ObjectIdentifier>()
        var pending = [self]
        while let f = pending.popLast() {
            guard seen.insert(ObjectIdentifier(f)).inserted else { continue }
            if test(f) { return true }
            pending += f.callees
        }
        return false
    }

    /// Whether its entry (NumericMachine.enter) reads globals: the functions it calls through
    /// them, and the numbers, strings and labelled numbers it loads from them.
    var entryReadsGlobals: Bool {
        !globals.isEmpty || !stringGlobals.isEmpty || !fields.isEmpty || !builtins.isEmpty || !calledBuiltins.isEmpty
            || functions.contains(where: { $0.globalSlot != nil })
    }

    /// Whether this function or one it calls reads a global at all (reads(anyOf:) for every
    /// slot, and gradients, optimizers, tensors and functions run in place counted as reads):
    /// a stand-in for another callee in a top-level loop must not (NumericMachine.standIn).
    lazy var readsAnyGlobal: Bool = anyReachable { f in
        f.entryReadsGlobals || !f.gradients.isEmpty || !f.optimizers.isEmpty || !f.tensors.isEmpty || !f.inlined.isEmpty
    }

    /// Whether a call from the general code should run this code: code for a tensor argument
    /// that runs straight through (no loop, no call: `predict(w, x) = w[0] + w[1] * x`) costs
    /// more to enter (each tensor's buffer bound, the argument arrays filled: ~160 ns a call)
    /// than the general machine takes to run it (w[0] read in place): sgd_sample_fn's 90k
    /// calls took it from 38 to 57 ms. Compiled callers still call it. Code for a record
    /// argument is never entered from the general code: checking each item's kind and label at
    /// a call cost more than the code saved, even with a loop inside (`score(cfg, x)` with a
    /// loop of 3: 59 -> 61 ms; `fn f(t, k) = k + t.b`: 1M calls 95 -> 237 ms), and a long loop in
    /// such a function runs in the tier anyway, as a loop of the function (NumericLoop.swift).
    lazy var worthEnteringFromGeneralCode: Bool = {
        if parameters.contains(where: { if case .record = $0 { return true } else { return false } }) { return false }
        // A list parameter copies its tuple's numbers at each call: worth it for a loop only.
        guard !tensors.isEmpty || parameters.contains(where: \.isList) else { return true }
        return loopsOrCalls
    }()

    deinit {
        code.deallocate()
        constants.deallocate()
    }

    /// The functions this one may call (its callees, theirs, ...) whose entry reads globals.
    lazy var calleesReadingGlobals: [NumericFunction] = {
        var found: [NumericFunction] = []
        _ = anyReachable { f in
            if f !== self && f.entryReadsGlobals { found.append(f) }
            return false
        }
        return found
    }()

    /// Whether every function this one may call would find its globals as it needs them when
    /// entered. Nothing writes a global while code runs, so a function or loop with effects
    /// checks this before it starts, and no callee gives up at its entry after an effect
    /// (`fn loud(x) { print(x); return g(x) }` with `g` reading `lr`, which held a string by
    /// then, printed twice).
    func calleeEntriesHold(_ I: Interpreter) -> Bool {
        for g in calleesReadingGlobals {
            guard g.globalsUnchanged(I), g.globals.allSatisfy({ if case .number? = I.variable($0) { return true } else { return false } }),
                  g.stringGlobals.allSatisfy({ $0.string(in: I.variable($0.slot)) != nil }),
                  g.fields.allSatisfy({ $0.number(in: I.variable($0.slot)) != nil }) else { return false }
        }
        return true
    }

    /// Whether every global this function calls through still holds what it held when the
    /// function was compiled.
    @inline(__always)
    func globalsUnchanged(_ I: Interpreter) -> Bool {
        checkedEpoch == I.functionEpoch || globalsRechecked(I)
    }

    @inline(never)
    private func globalsRechecked(_ I: Interpreter) -> Bool {
        for e in builtins where !I.global(e.slot, holds: e.function) {
            forget()
            return false
        }
        for e in functions {
            // A callee read from a capture is checked where it is called.
            guard let slot = e.globalSlot, !I.global(slot, holdsClosureOf: e.function.takeUnretainedValue().proto) else { continue }
            // Compiled against a function since rebound: compile again at the next call.
            forget()
            return false
        }
        for e in calledBuiltins where !I.global(e.slot, holds: e.function) {
            forget()
            return false
        }
        for e in inlined where !I.global(e.slot, holdsClosureOf: e.proto) {
            forget()
            return false
        }
        for e in gradients where !I.global(e.gradSlot, holds: e.grad)
            || (e.functionSlot != NumericGradientSite.localFunction && !I.global(e.functionSlot, holdsClosureOf: e.proto)) {
            forget()
            return false
        }
        checkedEpoch = I.functionEpoch
        return true
    }

    /// Runs `body` with the buffers of tensors[k...] (those of `self.tensors`) in their sites:
    /// a written tensor's buffer made its own first (copied if another variable shares it, as
    /// its first write would); a function's written parameter copied at its first write only,
    /// and left in tensors[k] as the call wrote it.
    func withBuffers<R>(_ tensors: inout [Tensor], from k: Int,
                        _ body: () throws(RuntimeError) -> R) throws(RuntimeError) -> R {
        guard k < tensors.count else { return try body() }
        let site = self.tensors[k]
        var t = Tensor(shape: [0], data: [])
        swap(&t, &tensors[k])  // held here alone while the code runs
        defer { swap(&t, &tensors[k]) }
        site.rows = t.shape[0]
        site.columns = site.rank == 2 ? t.shape[1] : 1
        if site.writable && !isLoop {
            // A function's parameter: read in place, copied at its first write.
            return try site.writingCopy(of: &t, in: self) { () throws(RuntimeError) -> R in try withBuffers(&tensors, from: k + 1, body) }
        }
        if site.writable {
            return try t.data.withUnsafeMutableBufferPointer { (p) throws(RuntimeError) -> R in
                site.buffer = p
                defer { site.buffer = UnsafeMutableBufferPointer(start: nil, count: 0) }
                return try withBuffers(&tensors, from: k + 1, body)
            }
        }
        return try t.data.withUnsafeBufferPointer { (p) throws(RuntimeError) -> R in
            // Read only: no instruction writes through a site that is not writable.
            site.buffer = UnsafeMutableBufferPointer(mutating: p)
            defer { site.buffer = UnsafeMutableBufferPointer(start: nil, count: 0) }
            return try withBuffers(&tensors, from: k + 1, body)
        }
    }

    /// Leaves the proto to compile this code again at its next call (a global it was compiled
    /// against changed), or (`forGood`) to the general code.
    func forget(forGood: Bool = false) {
        let state: NumericState = forGood ? .unsupported : .untried
        if !isLoop && !parameters.isEmpty { proto.numericWithTensors = state } else { proto.numeric = state }
    }

    /// Whether each optimizer a loop steps is still in its global and can be stepped here
    /// (checked at each run: rebinding `opt` to another object changes no function epoch).
    func optimizersReady(_ I: Interpreter) -> Bool {
        for site in optimizers {
            guard case .object(let o)? = I.variable(site.slot), let opt = o as? Optimizer, opt.stepsSafely(width: site.width) else { return false }
            site.optimizer = opt
            site.kernel = nil
        }
        return true
    }
}

/// A `grad(f, x)` call in numeric code: grad and f are read from their globals, which must
/// still hold the built-in and a closure of `proto`.
/// A class: the machine reads its fields through one reference (a struct of three references
/// was copied, retained and released at every step of a grad loop).
final class NumericGradientSite {
    let gradSlot: Int
    let grad: BuiltinFunction
    let functionSlot: Int
    let proto: FunctionProto
    /// x's length when it is a vector (a loop's tensor global); nil for a number.
    let width: Int?
    /// The globals the call depends on: grad's, f's and the numbers f reads.
    let reads: [Int]
    /// functionSlot of a local function's gradient (no global holds it: when its tape-free code
    /// does not fit at a call, the code gives up).
    static let localFunction = -1

    init(gradSlot: Int, grad: BuiltinFunction, functionSlot: Int, proto: FunctionProto, width: Int?, reads: [Int]) {
        self.gradSlot = gradSlot
        self.grad = grad
        self.functionSlot = functionSlot
        self.proto = proto
        self.width = width
        self.reads = reads
    }
}

/// A tensor global a top-level loop indexes: found in its global at each run of the loop, and
/// its buffer held while the loop runs (NumericLoop.run); a written one is taken out of the
/// global meanwhile, so the loop holds it alone and writes in place.
final class NumericTensorSite {
    let slot: Int
    /// A loop's tensor read as the labelled item of the tuple in `slot` (`cfg.data[i]`): never
    /// written (NumericCompiler.loopTensor).
    let label: String?
    /// 1 or 2: the number of indices every access of it gives.
    let rank: Int
    var writable = false
    /// Its buffer and shape (NumericTensorState), in memory of its own that element sites point
    /// to: the machine reads them with no reference counting and no call (through the class
    /// each read retained it, or called a closure the optimizer would not inline).
    let state: UnsafeMutablePointer<NumericTensorState>
    /// The buffer and shape while the loop runs (columns is 1 for a vector).
    var buffer: UnsafeMutableBufferPointer<Double> {
        get { state.pointee.buffer }
        set { state.pointee.buffer = newValue }
    }
    var rows: Int {
        get { state.pointee.rows }
        set { state.pointee.rows = newValue }
    }
    var columns: Int {
        get { state.pointee.columns }
        set { state.pointee.columns = newValue }
    }
    /// A written function parameter's own copy of its elements, made at the first write (nil
    /// before it): `buffer` then points into it (NumericTensorWrites.swift).
    var copy: UnsafeMutableBufferPointer<Double>? {
        get { state.pointee.copy }
        set { state.pointee.copy = newValue }
    }
    init(slot: Int, label: String? = nil, rank: Int) {
        self.slot = slot
        self.label = label
        self.rank = rank
        state = UnsafeMutablePointer<NumericTensorState>.allocate(capacity: 1)
        state.initialize(to: NumericTensorState(rank: rank))
    }

    deinit {
        // A struct of plain values and pointers: nothing to deinitialize but the undo log.
        state.pointee.undo?.deallocate()
        state.deallocate()
    }

    /// What the site reads of the value its slot holds: the value, or its item labelled `label`.
    func tensor(in held: Value?) -> Value? {
        guard let label else { return held }
        guard case .tuple(let t)? = held, let k = t.labels?.position(of: label) else { return nil }
        return t.items[k]
    }

    /// The offset of the element at whole-number indices in range (NumericTensorState.offset).
    @inline(__always)
    func offset(_ x: Double, _ y: Double) -> Int? { state.pointee.offset(x, y) }
}

/// A tensor site's buffer and shape while the code runs.
struct NumericTensorState {
    let rank: Int
    var buffer = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    var rows = 0, columns = 1
    var copy: UnsafeMutableBufferPointer<Double>?
    /// Whether `buffer` is the caller's tensor itself, lent to the call: the call's writes go
    /// into it, each first logged in `undo` (NumericTensorWrites.swift).
    var lent = false
    /// The offsets and former values of a lent buffer's writes, in order; memory kept from
    /// call to call, let go of with the site.
    var undo: UnsafeMutablePointer<(offset: Int, value: Double)>?
    var undoCount = 0, undoCapacity = 0

    init(rank: Int) { self.rank = rank }

    /// The offset of the element at whole-number indices in range (Interpreter.elementOffset's
    /// rule, without libm's round: exactIndex); nil for anything else, which the general rule
    /// then reports.
    @inline(__always)
    func offset(_ x: Double, _ y: Double) -> Int? {
        guard var i = exactIndex(x) else { return nil }
        if i < 0 { i += rows }
        guard i >= 0 && i < rows else { return nil }
        guard rank == 2 else { return i }
        guard var j = exactIndex(y) else { return nil }
        if j < 0 { j += columns }
        guard j >= 0 && j < columns else { return nil }
        return i * columns + j
    }

    /// The element at the keys x, y (element, element2); nil for keys the offset rule does not
    /// take.
    @inline(__always)
    func element(_ x: Double, _ y: Double) -> Double? {
        guard let o = offset(x, y) else { return nil }
        return buffer[o]
    }
}

/// `t[i]` or `t[i, j]` read, or written (`op=` too), in a top-level loop.
struct NumericElementSite {
    /// Unretained: the function's `tensors` holds it (reading a site must not retain it).
    unowned(unsafe) let tensor: NumericTensorSite
    /// The tensor's state, which the machine reads (through `tensor` every element read
    /// retained and released it: half of a bubble sort's time); it lives as long as the site.
    let state: UnsafeMutablePointer<NumericTensorState>
    let write: Bool
    let op: BinaryOperator?
    /// The general code's range for its errors: the index expression, or the whole statement.
    let range: SourceRange
    /// What the instruction adds to its key register (`x[j + 1]`, `x[j - 1]`: elementShifted, and
    /// a parameter's writes); nil for a key used as it is.
    let shift: Double?

    init(tensor: NumericTensorSite, write: Bool, op: BinaryOperator?, range: SourceRange, shift: Double? = nil) {
        self.tensor = tensor
        state = tensor.state
        self.write = write
        self.op = op
        self.range = range
        self.shift = shift
    }
}

/// A `for` of a top-level loop: its statement, the instructions of its body, and the registers
/// of its lower bound and counter (the variable's value is their sum).
struct NumericForLoop {
    let statement: SourceRange
    var body: Range<Int>
    var lower: Int32
    var counter: Int32
    /// A `for ch in text` loop's variable: its string register (its value in a loop note).
    var text: Int32? = nil
}

/// An `opt.step(x, g)` call in a top-level loop: the optimizer in global `slot`, found there
/// again at every run of the loop.
final class NumericOptimizerSite {
    let slot: Int
    /// The vectors' length; nil when the step is on numbers.
    let width: Int?
    @exclusivity(unchecked) var optimizer: Optimizer?
    /// Its steady kernel once a step of numbers made one (Optimizer.steadyScalarKernel); a run
    /// starts without it.
    @exclusivity(unchecked) var kernel: SteadyKernel?
    init(slot: Int, width: Int?) {
        self.slot = slot
        self.width = width
    }
}

/// A string built by numeric code: its pieces in order, each appended as the general code's
/// interpolation appends it (Machine.appendPiece: `str` of a number, a string as it is).
final class NumericInterpolation {
    enum Piece {
        case text(String)
        /// r[k] as `str` writes a number
        case number(Int32)
        /// `format(r[k], spec)` of a number
        case formatted(Int32, FormatSpec)
        /// s[k] (k a string register, not ~k)
        case string(Int32)
    }
    let pieces: [Piece]
    /// The bytes to reserve before appending (as the general code's interpolation reserves);
    /// 0 for a string bound to stay inline.
    let reserve: Int
    /// For an interpolation the program keeps, the range of each value piece in order: the
    /// string size rule (Interpreter.checkStringSize) is checked as each value and the text
    /// after it are appended, and fails at that value, as in the general code. nil for print's
    /// line and a lone `format` or `str`, which the rule does not cover.
    let valueRanges: [SourceRange]?
    /// Strings joined by `+`: one that would break the size rule gives up (in a loop too: the
    /// error belongs to one of its `+`s, which the general code finds).
    let givesUp: Bool
    /// `s = s + ...`: the pieces (s's not among them) are appended to the destination's string
    /// in place.
    let appends: Bool

    /// The string it makes when its pieces are all texts written in the code (`s = s + "#"`).
    let text: String?

    init(pieces: [Piece], reserve: Int, valueRanges: [SourceRange]?, givesUp: Bool = false, appends: Bool = false) {
        self.pieces = pieces
        self.reserve = reserve
        self.valueRanges = valueRanges
        self.givesUp = givesUp
        self.appends = appends
        var text = ""
        for piece in pieces {
            guard case .text(let t) = piece else {
                self.text = nil
                return
            }
            text += t
        }
        self.text = text
    }
}

/// A call's target: the global it is read from, and the function called, unretained (the
/// caller's `callees` holds it), so no call pays for reference counting.
struct NumericCallee {
    /// Where the callee is read from when the call runs.
    enum Source {
        case global(Int)
        /// The caller's capture: the caller's closure must hold a closure of the callee's proto.
        case capture(Int)
    }
    let source: Source
    let function: Unmanaged<NumericFunction>

    var globalSlot: Int? {
        switch source {
        case .global(let slot): return slot
        case .capture: return nil
        }
    }

    /// Whether the call needs the closure it calls (callClosure): read from a capture, or a
    /// function with captures of its own.
    var needsClosure: Bool { globalSlot == nil || !function._withUnsafeGuaranteedRef { $0.proto.captureSources.isEmpty } }
}

/// An argument of a local object's constructor (NumericFunction.constructorArguments).
enum NumericConstructorArgument {
    case number, bool, text(String)
}

extension Schedule.Kind {
    /// Whether a schedule of this kind computes its rates without calling user code (a lambda,
    /// or schedules it combines that may): only such a one is a numeric function's local.
    var callsNoUserCode: Bool {
        switch self {
        case .constant, .inverse_time, .staircase, .step, .multistep, .exponential, .cosine, .cosine_restarts, .linear,
             .onecycle, .warmup_cosine, .polynomial, .cyclic:
            return true
        case .lambda, .multiplicative, .sequential, .chained, .plateau:
            return false
        }
    }
}

/// A proto's tier: compiled at the first call, or known not to fit.
enum NumericState {
    case untried
    case compiling(NumericFunction)
    case ready(NumericFunction)
    case unsupported
}

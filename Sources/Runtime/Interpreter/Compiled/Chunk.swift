// The compiled form of code: one chunk per function body and per top-level statement, made
// from the resolved program by ChunkCompiler and run by the machine (Machine.swift).
//
// Registers are the interpreter's value stack: register r of a frame is `stack[fp + r]`. A
// function's parameters and uncaptured locals keep the slots the resolver gave them (the
// registers below `localCount`); the compiler's temporaries come after. Globals are read and
// written by slot. Instructions are plain values (operands are register numbers, jump targets
// and indices into the chunk's side tables), so fetching one copies no reference.
//
// Every construct compiles: an instruction either has its fast path (two numbers, a rank-1
// tensor and a whole index, a tuple and a cached label, ...) or calls the general function of
// the operator tables, which carries the error text. Where an error points is the range the
// instruction's site records.

import Lexer
import Parser

/// One instruction. `dst`, `a`, `b` are registers; `site` indexes a side table named by the case.
enum Instruction {
    // Values and variables
    case constant(dst: Int32, index: Int32)
    /// Copies a local that may be unassigned (the read's site names it).
    case readLocal(dst: Int32, src: Int32, site: Int32)
    /// Copies a register known to hold a value.
    case copy(dst: Int32, src: Int32)
    case readCell(dst: Int32, cell: Int32, site: Int32)
    case readCapture(dst: Int32, capture: Int32, site: Int32)
    case readGlobal(dst: Int32, slot: Int32, site: Int32)
    /// Moves a temporary into a local's register (the temporary is dead after).
    case storeLocal(slot: Int32, src: Int32)
    case storeCell(cell: Int32, src: Int32)
    case storeGlobal(slot: Int32, src: Int32)
    /// Lets go of a local's value: one no later code reads, before a write that may then find
    /// the tuple or tensor it changes held once (ChunkCompiler.clearDeadLocals).
    case clearLocal(slot: Int32)

    // Operators (`site` indexes `operators`)
    case binary(BinaryOperator, dst: Int32, a: Int32, b: Int32, site: Int32)
    /// `a op 2`: the right operand a number constant.
    case binaryNumber(BinaryOperator, dst: Int32, a: Int32, y: Double, site: Int32)
    /// `2 * b`: the left operand a number constant.
    case numberBinary(BinaryOperator, dst: Int32, x: Double, b: Int32, site: Int32)
    case compare(ComparisonOperator, dst: Int32, a: Int32, b: Int32, site: Int32)
    case compareNumber(ComparisonOperator, dst: Int32, a: Int32, y: Double, site: Int32)
    /// `a == nil` (`a != nil` when `equal` is false): whether the operand (as `compare`'s)
    /// holds nil, looked at in place: nil equals nil alone (`if t == nil` in a recursion
    /// over a tree).
    case compareNil(equal: Bool, dst: Int32, a: Int32, site: Int32)
    /// `a == "num"`: the right operand the string constant `constants[k]`, compared with a
    /// string operand where both are (`if e.op == "num"` dispatching on a tag); otherwise
    /// `compare`'s general path.
    case compareString(ComparisonOperator, dst: Int32, a: Int32, k: Int32, site: Int32)
    case unary(UnaryOperator, dst: Int32, a: Int32, site: Int32)
    case matmul(dst: Int32, a: Int32, b: Int32, site: Int32)
    /// The truth of a value as a bool (`site` indexes `ranges`: where a non-bool points).
    case truth(dst: Int32, a: Int32, site: Int32)
    case not(dst: Int32, a: Int32, site: Int32)
    /// A fused element-wise expression (Fusion.swift): when its root fuses, the value of the
    /// whole expression, then a jump past its operator-by-operator code.
    case fused(dst: Int32, site: Int32, skip: Int32)
    /// `x op= expression` fused into x's buffer, then a jump past the general code.
    case fusedCompound(site: Int32, skip: Int32)
    /// `x op= value`, stored into x (`site` indexes `compounds`): `old` holds x's value (its
    /// own register when x is a local, x's slot `-1 - slot` when x is a global read in place),
    /// `b` the right side (a register, or a global read in its slot).
    case compound(old: Int32, b: Int32, site: Int32)
    /// `x op= 1`: `compound` with a number literal on the right, no register to load it into.
    case compoundNumber(old: Int32, y: Double, site: Int32)

    // Construction
    case tensor(dst: Int32, first: Int32, count: Int32, site: Int32)
    /// A tuple literal into `dst`: a register, or the global `-1 - dst` (written only once
    /// every element has run). The tuple `dst` held is reused when it has as many items.
    case tuple(dst: Int32, first: Int32, count: Int32, labels: Int32)
    /// Appends a piece of an interpolation to the string in `dst` (`site` indexes `pieces`).
    case appendPiece(dst: Int32, a: Int32, site: Int32)
    /// `x = x + e1 + e2 ...` (`site` indexes `concats`): when x (its register or global operand
    /// `x`, `Chunk.noOperand` for a cell) holds a string, the pieces follow; else a jump to the
    /// general code at `skip`.
    case concatStart(x: Int32, site: Int32, skip: Int32)
    /// Piece `piece` of a concatenation, in its register, checked as its `+` checks it (a
    /// string, within the size limit with x and the pieces before it).
    case concatCheck(site: Int32, piece: Int32)
    /// The checked pieces appended to x's string, in place when x holds it alone; then a jump
    /// past the general code to `end`.
    case concatStore(site: Int32, end: Int32)
    /// Converts a range bound in place to a number (`site` indexes `bounds`).
    case rangeBound(a: Int32, site: Int32)
    case rangeTensor(dst: Int32, a: Int32, b: Int32, site: Int32)
    case closure(dst: Int32, proto: Int32, defaults: Int32)

    // Access
    case index(dst: Int32, base: Int32, keys: Int32, site: Int32)
    /// `t[i]` or `t[i, j]` (`j` is `Chunk.noOperand` for one index): operands as an
    /// operator's (a global read in its slot); `site` indexes `elements`.
    case element(dst: Int32, base: Int32, i: Int32, j: Int32, site: Int32)
    /// `t["lr"]`, the key a string literal (no register): a tuple's item by the label's position
    /// cached at `label` (indexes `members`, as `t.lr`'s), else the general index of the string.
    /// `base` is an operand as an operator's; `site` indexes `elements`.
    case elementLabel(dst: Int32, base: Int32, label: Int32, site: Int32)
    /// `t[i] = v`, `t[i, j] op= v` on a variable (`site` indexes `elementWrites`). `value`, `i`
    /// and `j` are operands as an operator's; `target` is the variable's register or global
    /// operand when a number may be written in place (`Chunk.noOperand`: a cell, or `op=`);
    /// `dst` receives what the REPL shows (`Chunk.noOperand`: nothing shows it).
    case setElement(dst: Int32, value: Int32, i: Int32, j: Int32, target: Int32, site: Int32)
    /// `t[i] = 2` in a statement: `setElement` with a number literal as the value (`target`
    /// never `Chunk.noOperand`).
    case setElementNumber(x: Double, i: Int32, j: Int32, target: Int32, site: Int32)
    /// `t[i + k]`, `t[i - k]`, `t[k + i]` with `i` a local's register or a global operand and
    /// `k` a whole constant (`t[i - 1]` is k = -1): when `i` holds a number and the sum names
    /// an element of the 1-D tensor or view in `base` (an operand as `element`'s), that
    /// element into `dst` and a jump to `skip`, past the general code that follows (the sum
    /// into a register, then `element`), which runs otherwise: one instruction for two.
    case elementShifted(dst: Int32, base: Int32, i: Int32, k: Int32, skip: Int32)
    /// `t[i + k] = v` in a statement: `setElement`'s write in place with the key as
    /// `elementShifted` computes it (`value` and `target` as setElement's), then a jump past
    /// the general code (the sum, then `setElement`) to `skip`.
    case setElementShifted(value: Int32, target: Int32, i: Int32, k: Int32, skip: Int32)
    case member(dst: Int32, base: Int32, site: Int32)
    /// `p.x` with p a global, read in its slot (no copy of the tuple into a register).
    case memberOfGlobal(dst: Int32, slot: Int32, site: Int32)
    /// `x[...] = v`, `x.f op= v` (`site` indexes `paths`); `dst` gets the value the REPL shows
    /// (`Chunk.noOperand`: none).
    case pathAssign(dst: Int32, value: Int32, keys: Int32, site: Int32)

    // Calls (`site` indexes `calls`); the arguments are in registers `args ..< args + n`.
    /// Refuses a callee that is neither a function nor an object before its arguments run.
    case checkCallable(a: Int32, site: Int32)
    case call(dst: Int32, callee: Int32, args: Int32, site: Int32)
    /// A call that reads its operands itself (`CallOperands.operands`, and `CallOperands.callee`
    /// when `callee` is `Chunk.noOperand`); `args` are the consecutive registers the general
    /// path binds from.
    case callWith(dst: Int32, callee: Int32, args: Int32, site: Int32)
    /// `x = append(x, v)` as `callWith` (its operands, `CallOperands.reusing` set): when the
    /// callee is a built-in with a growing entry, x holds a tensor or tuple and nothing is a view,
    /// the entry grows x's value in place without the call's reads, checks and closure; else
    /// `callWith`, which says what is wrong.
    case callGrowing(dst: Int32, callee: Int32, args: Int32, site: Int32)
    /// `s = (xs: append(s.xs, v), ...)` of a global or a cell (ChunkCompiler.grownRecord): on
    /// when the callee is `append` (a built-in with a growing entry) and register `item` holds a
    /// tuple, so the call cannot fail; otherwise to `otherwise`, where the elements run in order.
    case growableItem(callee: Int32, item: Int32, otherwise: Int32)
    /// `x = s.a` with `s.a = ...` to come before anything reads s (ChunkCompiler.itemWrittenBeforeRead):
    /// the item `takenItems[place]` moves out of its variable into register dst (global `-1 - dst`
    /// when negative), and on to `done`;
    /// when it is not there (s no tuple, no such item), the read that follows runs as written.
    case takeItem(dst: Int32, place: Int32, done: Int32)

    // Control
    case jump(to: Int32)
    case jumpIfFalse(a: Int32, to: Int32, site: Int32)
    case jumpIfTrue(a: Int32, to: Int32, site: Int32)
    /// `if a < b`, `while j <= n`: the comparison (operands as `compare`'s, `site` indexes
    /// `operators`) and a jump when it is false, one instruction for the two.
    case compareJump(ComparisonOperator, a: Int32, b: Int32, to: Int32, site: Int32)
    case compareNumberJump(ComparisonOperator, a: Int32, y: Double, to: Int32, site: Int32)
    case compareNilJump(equal: Bool, a: Int32, to: Int32, site: Int32)
    case compareStringJump(ComparisonOperator, a: Int32, k: Int32, to: Int32, site: Int32)
    /// `if e.op == "num"` with `e` an assigned local: the item `e.op` (`members[member]`)
    /// compared where it is with the string constant `constants[k]`, then the jump when false;
    /// otherwise the member read's and the comparison's general paths, in that order.
    case compareMemberStringJump(ComparisonOperator, base: Int32, member: Int32, k: Int32, to: Int32, site: Int32)
    /// A loop's back edge: polls for Ctrl-C and --max-seconds, then jumps.
    case loop(to: Int32)
    /// A top-level loop's numeric code (NumericLoop.swift): when it ran the loop, a jump past it.
    case numericLoop(site: Int32, skip: Int32)
    /// `for` over a range: registers `base ..< base + 3` hold the first value, the count and
    /// the step number; `site` indexes `loops`.
    case forRange(base: Int32, lower: Int32, upper: Int32, site: Int32)
    /// `for x in range(...)`: the built-in's bounds, or else the general sequence.
    case forRangeCall(base: Int32, callee: Int32, args: Int32, site: Int32)
    /// `for` over a value: a tensor's first axis, a tuple, a string.
    case forSequence(base: Int32, a: Int32, site: Int32)
    /// The next value into the loop variable, or the jump out.
    /// `variable` is the loop variable's register or global operand (`Chunk.noOperand`: a
    /// cell, named by the loop's site), so a step reads no side table.
    case forNext(base: Int32, site: Int32, exit: Int32, variable: Int32)
    /// A `for` loop's back edge: polls for Ctrl-C and --max-seconds as `loop` does, then takes
    /// the next value as `forNext` does and jumps to the body (`to`), or falls through when
    /// the loop is done: one instruction per step instead of two.
    case forLoop(base: Int32, site: Int32, to: Int32, variable: Int32)
    case returnValue(a: Int32)
    case returnNull
    /// `return 0`, `return nil`: the constant `constants[k]`, with no register to move it through
    /// (a recursion's leaves, half of its calls, run one instruction fewer).
    case returnConstant(k: Int32)
    /// The end of a top-level statement that shows no value in the REPL.
    case returnNothing

    // Typed code: the body NumericCompiler makes for a function (or a top-level loop) whose
    // locals it proved numbers, bools, strings, tuples of numbers or tensors, run in typed
    // frames (NumericMachine.swift). Operands are registers of the frame's number file, `r[a]
    // = r[b] + r[c]` (a string register is `~k`), and a jump's target `t` an offset from the
    // next instruction; NumericInstruction (NumericCode.swift) says what each operation does.
    // A typed body gives up (`typedGiveUp`, or a check that fails) to the general body of the
    // same function, which runs the call again from the start. A general chunk holds none of
    // these, nor a typed body a general instruction.
    case typedMove(Int32, Int32)
    case typedAdd(Int32, Int32, Int32), typedSubtract(Int32, Int32, Int32), typedMultiply(Int32, Int32, Int32)
    case typedDivide(Int32, Int32, Int32), typedRemainder(Int32, Int32, Int32), typedPower(Int32, Int32, Int32)
    case typedNegate(Int32, Int32)
    case typedLess(Int32, Int32, Int32), typedLessEqual(Int32, Int32, Int32), typedGreater(Int32, Int32, Int32)
    case typedGreaterEqual(Int32, Int32, Int32), typedEqual(Int32, Int32, Int32), typedNotEqual(Int32, Int32, Int32)
    case typedTruth(Int32, Int32), typedNot(Int32, Int32)
    case typedJump(Int32)
    /// `if !(r[a] != 0) goto c`, `if r[a] != 0 goto c`.
    case typedJumpIfFalse(Int32, Int32), typedJumpIfTrue(Int32, Int32)
    /// `if !(r[a] < r[b]) goto c` and the other comparisons: a test and its jump in one.
    case typedJumpUnlessLess(Int32, Int32, Int32), typedJumpUnlessLessEqual(Int32, Int32, Int32)
    case typedJumpUnlessGreater(Int32, Int32, Int32), typedJumpUnlessGreaterEqual(Int32, Int32, Int32)
    case typedJumpUnlessEqual(Int32, Int32, Int32), typedJumpUnlessNotEqual(Int32, Int32, Int32)
    /// A loop's back edge: polls for Ctrl-C and --max-seconds, then `goto c` (when the
    /// comparison holds, for the conditional ones).
    case typedLoopBack(Int32)
    case typedLoopIfLess(Int32, Int32, Int32), typedLoopIfLessEqual(Int32, Int32, Int32)
    case typedLoopIfGreater(Int32, Int32, Int32), typedLoopIfGreaterEqual(Int32, Int32, Int32)
    case typedLoopIfEqual(Int32, Int32, Int32), typedLoopIfNotEqual(Int32, Int32, Int32)
    case typedAbs(Int32, Int32), typedSqrt(Int32, Int32)
    case typedScalar(Int32, Int32, Int32)
    case typedMinimum(Int32, Int32, Int32), typedMaximum(Int32, Int32, Int32)
    case typedClipBelow(Int32, Int32, Int32), typedClipAbove(Int32, Int32, Int32)
    case typedCall(Int32, Int32, Int32), typedCallClosure(Int32, Int32, Int32)
    case typedGradient(Int32, Int32, Int32), typedOptimizerStep(Int32, Int32, Int32)
    case typedGradientVector(Int32, Int32, Int32), typedOptimizerStepVector(Int32, Int32, Int32)
    case typedElement(Int32, Int32, Int32), typedElement2(Int32, Int32, Int32), typedElementShifted(Int32, Int32, Int32)
    case typedSetElement(Int32, Int32, Int32), typedSetElement2(Int32, Int32, Int32)
    case typedLength(Int32, Int32)
    case typedMoveVector(Int32, Int32, Int32)
    case typedPick(Int32, Int32, Int32)
    /// The count of r[b] ..< r[c] (`...` when inclusive) into r[a].
    case typedRangeCount(Int32, Int32, Int32, inclusive: Bool)
    case typedReturnValue(Int32)
    case typedReturnString(Int32)
    case typedReturnTuple(Int32, Int32, Int32)
    case typedBoolResult(Int32)
    case typedGiveUp
    case typedListAppend(Int32, Int32, Int32)
    /// setArgument, setArgument2: an element of a tensor argument written.
    case typedSetArgument(NumericInstruction)
    /// The operations run out of the loop (NumericMachine.rareInstruction): objects, rows, tensors bound and returned.
    case typedRare(NumericInstruction)
    /// Strings and lists (NumericMachine.stringInstruction).
    case typedString(NumericInstruction)
}

/// Where a read points when its variable is unassigned or unknown.
struct ReadSite {
    let name: String
    let range: SourceRange
}

/// An operator's range, and for arithmetic which operands are temporaries that the result
/// may be written into, and the fusion site of the expression it is the root of. An operand
/// or destination below zero is the global `-1 - r`, read with the site's read.
///
/// A class: the machine reads a site on an operator's general path (a tensor's arithmetic), and
/// a struct holding two reads' names was copied out of the array there, a retain per string (a
/// twelfth of `map` over a tree once functions were entered in the machine's loop).
final class OperatorSite {
    let range: SourceRange
    var leftRead: ReadSite?, rightRead: ReadSite?
    var reuseLeft = false, reuseRight = false
    /// Index into `fusions` when this operator is a fusion root.
    var fusion: Int32 = -1

    init(range: SourceRange, reuseLeft: Bool = false, fusion: Int32 = -1) {
        self.range = range
        self.reuseLeft = reuseLeft
        self.fusion = fusion
    }
}

/// A fusion root: its plan and whether it fuses (decided at its first evaluation).
final class FusionSite {
    let plan: FusionPlan
    @exclusivity(unchecked) var state = FusionState.undecided
    init(plan: FusionPlan) { self.plan = plan }
}

struct CompoundSite {
    let target: VariableRef
    let op: BinaryOperator
    let range: SourceRange
    /// Whether `old` is a temporary holding a copy (dropped before an in-place update).
    let oldIsCopy: Bool
    let fusion: Int32
    /// When `old` (or `b`) is a global read in its slot (`-1 - slot`): its read's index in
    /// `reads`, which names it if it is unbound (-1: a register).
    var oldRead: Int32 = -1, rightRead: Int32 = -1
}

struct PieceSite {
    /// The range of the value piece (nil: `a` is unused and only `text` is appended).
    let range: SourceRange?
    let text: String
    /// The bytes to reserve for the whole string (its text and a guess per value), taken when
    /// the string leaves the inline form (15 bytes), so it is allocated once rather than grown
    /// as pieces come, and a short one is not allocated at all.
    var reserve = 0
}

/// `x = x + e1 + e2 ...`: the variable, the register of the first piece (the others follow)
/// and the range of each `+` (the expression it ends), where its error points.
struct ConcatSite {
    let target: VariableRef
    let first: Int32
    let ranges: [SourceRange]
    /// Piece k's text when it is a string literal (no instruction computes it, nor checks it
    /// alone: the check before it does, as nothing runs between the two); nil for a piece
    /// computed into its register `first + k`.
    let texts: [String?]

    /// The bytes of piece `k` (a literal, or the string in its register).
    func bytes(_ k: Int, _ stack: UnsafeMutablePointer<Value?>, _ base: Int) -> Int {
        if let t = texts[k] { return t.utf8.count }
        if case .string(let p)? = stack[base + Int(first) + k] { return p.utf8.count }
        return 0
    }
}

/// A range's bound (`which` is "lower" or "upper"), or the range itself (`which` empty).
struct BoundSite {
    let which: String
    let range: SourceRange
    var inclusive = false
}

/// How an index's registers are laid out: one register per single item, three per slice
/// (a missing bound is the register -1).
enum IndexItemLayout {
    case single
    case slice(Int32, Int32, Int32, ranges: [SourceRange?])
}

final class IndexSite {
    let items: [IndexItemLayout]
    let range: SourceRange
    /// Whether every item is a single value (the element fast path applies).
    let allSingle: Bool
    /// Whether the index is one slice (`x[a:b]`: the slice fast path applies).
    let oneSlice: Bool
    /// The place of `x = x[a:b]` (x read itself) or `x.a = x.a[a:b]`, whose tuple the slice may
    /// cut in place once the place lets go of it (Interpreter.cutInPlace): a tuple used as a
    /// stack, popped by `stack = stack[0:len(stack) - 1]`, was copied whole at each pop.
    let reusing: ReusedPlace?
    init(items: [IndexItemLayout], range: SourceRange, reusing: ReusedPlace? = nil) {
        self.items = items
        self.range = range
        self.reusing = reusing
        allSingle = items.allSatisfy { if case .single = $0 { return true } else { return false } }
        if items.count == 1, case .slice = items[0] { oneSlice = true } else { oneSlice = false }
    }
}

/// Where `x = f(x, ...)`, `x.a.b = f(x.a.b, ...)` or `x[k].a = f(x[k].a, ...)` keeps the value
/// the call may update in place: the variable and the keys from its tuple down to the item
/// (none: the variable's own value). A log kept in a record (`hist.loss = append(hist.loss, l)`,
/// `logs["loss"] = ...`, `buckets[k] = append(buckets[k], x)`) was copied whole at each append
/// while the record held it too.
struct ReusedPlace {
    /// A key on the way: a label or position written in the code, a variable holding one (read
    /// when the place is, with nothing run in between that could assign it), or an operator on
    /// two such keys (`b[i % 4]`, worked out only when both are numbers).
    indirect enum Key {
        case constant(Value)
        case local(Int)
        case global(Int)
        case binary(BinaryOperator, Key, Key)
    }
    let variable: VariableRef
    let path: [Key]
}

/// `t[i, j]` read with its operands in place: where each operand's read points, the range.
struct ElementSite {
    let range: SourceRange
    var baseRead: ReadSite?
    var keyReads: [ReadSite?]
}

/// `t[i, j] op= v`: the variable, its read, the operator, the keys' reads, the statement.
/// A class: the instruction reads it on every write, and a struct holding strings would be
/// copied (retained) each time.
final class ElementWriteSite {
    let target: VariableRef
    let read: ReadSite
    let op: BinaryOperator?
    var keyReads: [ReadSite?]
    /// The value's read when it is a global read in its slot.
    var valueRead: ReadSite?
    let range: SourceRange
    init(target: VariableRef, read: ReadSite, op: BinaryOperator?, keyReads: [ReadSite?], range: SourceRange) {
        self.target = target
        self.read = read
        self.op = op
        self.keyReads = keyReads
        self.range = range
    }
}

/// `p.x`: the labels of the tuple last read here and where the name is among them (a tuple
/// built by the same literal shares its labels object, so a loop skips the hash lookup).
final class MemberSite {
    let name: String
    let nameRange: SourceRange
    @exclusivity(unchecked) var cachedLabels: ObjectIdentifier?
    @exclusivity(unchecked) var cachedIndex = 0
    /// Holds the cached labels alive, so their identifier is never reused while cached.
    @exclusivity(unchecked) var cachedOwner: TupleLabels?
    /// The read of the global holding the tuple, for `memberOfGlobal`.
    var global = ReadSite(name: "", range: SourceRange(start: 0, length: 0))
    /// Where an object found the name last (`a.update`, `s.table`).
    let objectCache = MemberCache()
    init(name: String, nameRange: SourceRange) {
        self.name = name
        self.nameRange = nameRange
    }

    /// Where the name is among `labels`: the cached position when they are the labels last
    /// seen here, else the lookup, remembered; nil when there is no such label.
    @inline(__always)
    func position(in labels: TupleLabels) -> Int? {
        if ObjectIdentifier(labels) == cachedLabels { return cachedIndex }
        guard let i = labels.position(of: name) else { return nil }
        cachedLabels = ObjectIdentifier(labels)
        cachedOwner = labels
        cachedIndex = i
        return i
    }
}

/// One step of an assignment path.
enum PathStepKind {
    /// An index of `IndexSite` items whose registers start at the given offset from `keys`.
    case index(IndexSite, Int32)
    case member(String)
}

final class PathSite {
    let target: VariableRef
    let read: ReadSite
    let steps: [PathStepKind]
    let op: BinaryOperator?
    let range: SourceRange
    init(target: VariableRef, read: ReadSite, steps: [PathStepKind], op: BinaryOperator?, range: SourceRange) {
        self.target = target
        self.read = read
        self.steps = steps
        self.op = op
        self.range = range
    }
}

final class CallOperands {
    let positional: Int
    let labels: [String]
    /// How this call binds its arguments (FunctionProto.binding) for the function it called
    /// last, kept: a call with labels or defaults left out (`huber(r, delta: 0.8)`) binds once,
    /// not at every call (Machine+Calls).
    @exclusivity(unchecked) var boundProto: FunctionProto?
    @exclusivity(unchecked) var boundOrder: [Int?] = []
    let range: SourceRange
    let calleeRange: SourceRange
    let file: SourceFile
    /// One positional argument that is a temporary (a built-in's scalar function may work in
    /// its buffer).
    let temporaryArgument: Bool
    /// `x = f(x, ...)` (x read itself as the first argument), or `x.a = f(x.a, ...)`: the place,
    /// which a built-in or method that may update that argument in place (`reusesArgument`)
    /// lets go of first.
    let reusing: ReusedPlace?
    /// A local the callee's frame lets go of with the one lent, or `-1 - g` for global g
    /// (Chunk.noOperand: none): in `r = step(xs, t)`, r, whose old tuple may hold xs's value too
    /// (ChunkCompiler.statement(_:before:)).
    let releases: Int32
    /// In a top-level `x = f(x, ...)`, whether the closure's frame takes global x's value, as a
    /// function's call takes a local's (ChunkCompiler.Lending).
    let lendsGlobal: Bool
    /// Variables a closure's frame takes besides `reusing` (a local, or a script's global no
    /// function names): `r = f(a, b)` with a and b assigned again before anything reads them.
    let alsoLent: [ReusedPlace]
    /// For `callWith`: where each positional argument is, with the read that names it in an
    /// error; where the callee is when the call reads it itself (nil: its register).
    let operands: [CallOperand]
    let operandReads: [ReadSite?]
    let callee: CallOperand?
    let calleeRead: ReadSite?
    /// The sites of the `.member` operands, and the operators of the `.arithmetic` ones.
    let members: [MemberSite]
    let arithmetic: [CallArithmetic]
    init(positional: Int, labels: [String], range: SourceRange, calleeRange: SourceRange, file: SourceFile,
         temporaryArgument: Bool, reusing: ReusedPlace?, releases: Int32 = Chunk.noOperand, lendsGlobal: Bool = false,
         alsoLent: [ReusedPlace] = [],
         operands: [CallOperand] = [],
         operandReads: [ReadSite?] = [], callee: CallOperand? = nil, calleeRead: ReadSite? = nil, members: [MemberSite] = [],
         arithmetic: [CallArithmetic] = []) {
        self.releases = releases
        self.lendsGlobal = lendsGlobal
        self.alsoLent = alsoLent
        self.operands = operands
        self.members = members
        self.arithmetic = arithmetic
        self.operandReads = operandReads
        self.callee = callee
        self.calleeRead = calleeRead
        self.positional = positional
        self.labels = labels
        self.range = range
        self.calleeRange = calleeRange
        self.file = file
        self.temporaryArgument = temporaryArgument
        self.reusing = reusing
    }
}

/// The caller of a function the machine entered in its loop (Machine.swift, run): its chunk,
/// where it goes on, its frame and the register the result goes to; the closure and the call
/// site an error leaving the function names; the frame pointer to restore and the callee's
/// frame size.
struct InlineFrame {
    let chunk: Chunk
    let pc: Int
    let base: Int
    let dst: Int32
    let closure: Closure
    let site: CallOperands
    let fp: Int
    let size: Int
}

/// Where `callWith` reads its callee or an argument.
enum CallOperand {
    /// A register that holds a value (a temporary is moved out, a local copied).
    case register(Int32)
    /// A local that may be unassigned.
    case local(Int32)
    case cell(Int32)
    case capture(Int32)
    case global(Int32)
    /// `t.name` of an assigned local `t` (its register, never empty), `CallOperands.members[site]`
    /// the member's site: `tsum(t.l)` reads the item itself, no member instruction and no
    /// callee check before it (the call checks its callee before reading any operand).
    case member(Int32, site: Int32)
    /// `n - 1`, `2 * v` of an assigned local `n` (its register, never empty) and a number
    /// literal, `CallOperands.arithmetic[site]` the operator: `fib(n - 1)` computes its argument
    /// itself, with no callee check and no operator instruction before it.
    case arithmetic(Int32, site: Int32)
}

/// The operator of a `CallOperand.arithmetic`: `x op y`, or `y op x` when `numberFirst`, and
/// where its error points.
struct CallArithmetic {
    let op: BinaryOperator
    let y: Double
    let numberFirst: Bool
    let range: SourceRange
}

/// A `for` loop: its statement's range (for the loop note of an error in its body), the range
/// of its sequence, the variable it assigns and the instructions of its body.
struct LoopSite {
    let statement: SourceRange
    let sequence: SourceRange
    let variable: VariableRef
    var body: Range<Int> = 0..<0
    var base: Int32 = 0
    var inclusive = false
    /// `for x in range(...)`: the call made when the callee is not the built-in.
    var call: Int32 = -1
}

final class Chunk {
    /// An absent operand (every negative operand above it names a global).
    static let noOperand = Int32.min
    /// The instructions, in memory the chunk owns: the machine reads them through the pointer,
    /// without an array's bounds checks or retain per fetch (instructions are trivial values).
    let code: UnsafeMutablePointer<Instruction>
    let constants: [Value]
    /// Registers below this are the frame's locals (never moved out of); the rest temporaries.
    let localCount: Int
    let registerCount: Int
    let reads: [ReadSite]
    let ranges: [SourceRange]
    let operators: [OperatorSite]
    let fusions: [FusionSite]
    let compounds: [CompoundSite]
    let pieces: [PieceSite]
    let concats: [ConcatSite]
    let bounds: [BoundSite]
    let indexes: [IndexSite]
    let elements: [ElementSite]
    let elementWrites: [ElementWriteSite]
    let members: [MemberSite]
    let paths: [PathSite]
    let calls: [CallOperands]
    let loops: [LoopSite]
    let labels: [TupleLabels?]
    let protos: [FunctionProto]
    let numericLoops: [NumericLoopSite]
    /// The items `takeItem` moves out of their locals.
    let takenItems: [ReusedPlace]

    init(code instructions: ContiguousArray<Instruction>, constants: [Value], localCount: Int, registerCount: Int,
         reads: [ReadSite], ranges: [SourceRange], operators: [OperatorSite], fusions: [FusionSite],
         compounds: [CompoundSite], pieces: [PieceSite], concats: [ConcatSite], bounds: [BoundSite], indexes: [IndexSite],
         elements: [ElementSite], elementWrites: [ElementWriteSite],
         members: [MemberSite], paths: [PathSite], calls: [CallOperands], loops: [LoopSite], labels: [TupleLabels?],
         protos: [FunctionProto], numericLoops: [NumericLoopSite], takenItems: [ReusedPlace]) {
        self.takenItems = takenItems
        code = UnsafeMutablePointer<Instruction>.allocate(capacity: Swift.max(1, instructions.count))
        code.initialize(from: Array(instructions), count: instructions.count)
        self.constants = constants
        self.localCount = localCount
        self.registerCount = registerCount
        self.reads = reads
        self.ranges = ranges
        self.operators = operators
        self.fusions = fusions
        self.compounds = compounds
        self.pieces = pieces
        self.concats = concats
        self.bounds = bounds
        self.indexes = indexes
        self.elements = elements
        self.elementWrites = elementWrites
        self.members = members
        self.paths = paths
        self.calls = calls
        self.loops = loops
        self.labels = labels
        self.protos = protos
        self.numericLoops = numericLoops
    }

    deinit { code.deallocate() }
}

// Compiles a function's resolved tree to numeric register code (NumericCode.swift), or says
// it does not fit: any node outside the subset, a local that may be read before it is
// assigned, a bool stored in a variable or returned, a call of anything but a scalar built-in
// or another function that fits.

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
        case temporary(Int)
    }

    private enum Kind { case number, bool }

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

    /// The functions one request compiles (a function and those it calls). If one of them
    /// does not fit, the others that finished may call it: they are compiled again later.
    private final class Session {
        var finished: [FunctionProto] = []
    }
    private let session: Session

    /// The proto's compiled function, compiling it (and the functions it calls) at the first
    /// request; nil when it does not fit.
    static func function(for proto: FunctionProto, _ I: Interpreter) -> NumericFunction? {
        function(for: proto, I, Session())
    }

    private static func function(for proto: FunctionProto, _ I: Interpreter, _ session: Session) -> NumericFunction? {
        switch proto.numeric {
        case .ready(let f), .compiling(let f): return f
        case .unsupported: return nil
        case .untried: break
        }
        guard !proto.needsCellSetup, proto.defaultNodes.allSatisfy({ $0 == nil }) else {
            proto.numeric = .unsupported
            return nil
        }
        let f = NumericFunction(proto: proto)
        proto.numeric = .compiling(f)  // a recursive call finds it while its body compiles
        var compiler = NumericCompiler(interpreter: I, function: f, session: session)
        do {
            try compiler.compileBody(proto.body)
        } catch {
            proto.numeric = .unsupported
            for other in session.finished { other.numeric = .untried }
            session.finished = []
            return nil
        }
        compiler.finish()
        proto.numeric = .ready(f)
        session.finished.append(proto)
        return f
    }

    private init(interpreter: Interpreter, function: NumericFunction, session: Session) {
        self.interpreter = interpreter
        self.function = function
        self.session = session
        assigned = Set(0..<function.proto.parameterNames.count)
    }

    // MARK: statements

    private mutating func compileBody(_ body: BlockNode) throws(Unsupported) {
        try block(body)
        // Falling off the end returns nil, which is not a number: the tree walker does it.
        emit(.giveUp)
    }

    private mutating func block(_ b: BlockNode) throws(Unsupported) {
        for s in b.statements {
            try statement(s)
            temporaries = reserved
        }
    }

    private mutating func statement(_ s: StmtNode) throws(Unsupported) {
        switch s {
        case let s as BlockNode:
            try block(s)
        case let s as ExpressionStmtNode:
            _ = try expression(s.expr, into: nil)
        case let s as AssignNode:
            guard case .local(let slot) = s.target else { throw Unsupported() }
            if let op = s.op {
                guard assigned.contains(slot) else { throw Unsupported() }
                let v = try number(s.value, into: nil)
                emit(try arithmetic(op), [.local(slot), .local(slot), v])
            } else {
                guard try expression(s.value, into: .local(slot)).kind == .number else { throw Unsupported() }
            }
            assigned.insert(slot)
        case let s as IfNode:
            let skip = try jumpUnless(s.condition)
            let before = assigned
            try block(s.body)
            let afterBody = assigned
            if let elseBody = s.elseBody {
                let end = emit(.jump)
                patch(skip)
                assigned = before
                try statement(elseBody)
                assigned.formIntersection(afterBody)
                patch(end)
            } else {
                patch(skip)
                assigned = before
            }
        case let s as WhileNode:
            let top = code.count
            let exit = try jumpUnless(s.condition)
            try loopBody(s.body) { compiler in
                compiler.emit(.loopCheck)
                compiler.emitJump(to: top)
            }
            patch(exit)
        case let s as ForNode:
            guard case .local(let slot) = s.variable, let r = s.sequence as? RangeNode else { throw Unsupported() }
            // Bounds and counter live in temporaries the body must not reuse.
            let lower = reserve(), count = reserve(), k = reserve()
            _ = try number(r.lower, into: lower)
            let upper = try number(r.upper, into: nil)
            var counting = NumericInstruction(op: .rangeCount)
            counting.compare = r.inclusive ? .lessEqual : .less
            emit(counting, [count, lower, upper])
            emit(.move, [k, constant(0)])
            temporaries = reserved
            let top = code.count
            var test = NumericInstruction(op: .jumpUnless)
            test.compare = .less
            let exit = emit(test, [k, count])
            emit(.add, [.local(slot), lower, k])
            let before = assigned
            assigned.insert(slot)
            try loopBody(s.body) { compiler in
                compiler.emit(.add, [k, k, compiler.constant(1)])
                compiler.emit(.loopCheck)
                compiler.emitJump(to: top)
            }
            assigned = before
            patch(exit)
            reserved -= 3
            temporaries = reserved
        case is BreakNode:
            guard !loops.isEmpty else { throw Unsupported() }
            loops[loops.count - 1].breaks.append(emit(.jump))
        case is ContinueNode:
            guard !loops.isEmpty else { throw Unsupported() }
            loops[loops.count - 1].continues.append(emit(.jump))
        case let s as ReturnNode:
            guard let value = s.value else { throw Unsupported() }
            emit(.returnValue, [try number(value, into: nil)])
        default:
            throw Unsupported()
        }
    }

    /// A loop's body, then `next` (the step to the next iteration, where `continue` goes);
    /// `break` goes past it. Assignments in the body do not count after the loop.
    private mutating func loopBody(_ body: BlockNode, next: (inout NumericCompiler) -> Void) throws(Unsupported) {
        let before = assigned
        loops.append(Loop())
        try block(body)
        let loop = loops.removeLast()
        for j in loop.continues { patch(j) }
        next(&self)
        for j in loop.breaks { patch(j) }
        assigned = before
    }

    /// Jumps (to be patched) when the condition is false, as the tree walker's truth reads it.
    private mutating func jumpUnless(_ condition: ExprNode) throws(Unsupported) -> Int {
        let mark = temporaries
        defer { temporaries = mark }
        if let (op, l, r) = condition.comparison {
            var test = NumericInstruction(op: .jumpUnless)
            test.compare = op
            let a = try number(l, into: nil), b = try number(r, into: nil)
            return emit(test, [a, b])
        }
        return emit(.jumpIfFalse, [try expression(condition, into: nil).operand])
    }

    // MARK: expressions

    private mutating func number(_ n: ExprNode, into dest: Operand?) throws(Unsupported) -> Operand {
        let (operand, kind) = try expression(n, into: dest)
        guard kind == .number else { throw Unsupported() }
        return operand
    }

    /// The operand holding n's value (dest when given).
    private mutating func expression(_ n: ExprNode, into dest: Operand?) throws(Unsupported) -> (operand: Operand, kind: Kind) {
        let result: Operand, kind: Kind
        switch n {
        case let n as ConstantNode:
            switch n.value {
            case .number(let x): (result, kind) = (constant(x), .number)
            case .bool(let b): (result, kind) = (constant(b ? 1 : 0), .bool)
            default: throw Unsupported()
            }
        case let n as LocalNode:
            guard assigned.contains(n.slot) else { throw Unsupported() }
            (result, kind) = (.local(n.slot), .number)
        case let n as GlobalNode:
            // A number now; each call checks it still is one (nothing the function does can
            // change it while it runs).
            guard case .number? = interpreter.globals[n.slot] else { throw Unsupported() }
            if let k = globals.firstIndex(of: n.slot) {
                result = .global(k)
            } else {
                globals.append(n.slot)
                result = .global(globals.count - 1)
            }
            kind = .number
        case let n as UnaryNode:
            let v = try number(n.operand, into: nil)
            switch n.op {
            case .plus: result = v
            case .negate:
                result = dest ?? temporary()
                emit(.negate, [result, v])
            }
            kind = .number
        case let n as LogicalNode:
            // a and b: truth(a), and only when it is true, truth(b) in its place.
            result = try truthOf(n.left, .truth, into: dest)
            let skip = emit(n.op == .and ? .jumpIfFalse : .jumpIfTrue, [result])
            _ = try truthOf(n.right, .truth, into: result)
            patch(skip)
            kind = .bool
        case let n as NotNode:
            result = try truthOf(n.operand, .not, into: dest)
            kind = .bool
        case let n as CallNode:
            result = try call(n, into: dest)
            kind = .number
        default:
            if let (op, l, r) = n.arithmetic {
                result = try binary(op, l, r, into: dest)
                kind = .number
                break
            }
            guard let (op, l, r) = n.comparison else { throw Unsupported() }
            result = dest ?? temporary()
            let mark = temporaries
            let a = try number(l, into: nil), b = try number(r, into: nil)
            emit(compareOp(op), [result, a, b])
            temporaries = mark
            kind = .bool
        }
        if let dest, dest != result { emit(.move, [dest, result]) }
        return (dest ?? result, kind)
    }

    /// `op` (truth or not) of n's value, as a bool in dest or a new temporary.
    private mutating func truthOf(_ n: ExprNode, _ op: NumericInstruction.Op, into dest: Operand?) throws(Unsupported) -> Operand {
        let d = dest ?? temporary()
        let mark = temporaries
        emit(op, [d, try expression(n, into: nil).operand])
        temporaries = mark
        return d
    }

    private mutating func binary(_ op: BinaryOperator, _ l: ExprNode, _ r: ExprNode, into dest: Operand?) throws(Unsupported) -> Operand {
        let d = dest ?? temporary()
        let mark = temporaries
        let a = try number(l, into: nil), b = try number(r, into: nil)
        emit(try arithmetic(op), [d, a, b])
        temporaries = mark
        return d
    }

    /// A call of a scalar built-in or of a function that fits, through a global that must
    /// still hold it when the call runs.
    private mutating func call(_ n: CallNode, into dest: Operand?) throws(Unsupported) -> Operand {
        guard let g = n.callee as? GlobalNode, n.labelled.isEmpty,
              case .function(let fn)? = interpreter.globals[g.slot] else { throw Unsupported() }
        let d = dest ?? temporary()
        let mark = temporaries
        defer { temporaries = mark }
        switch fn.kind {
        case .builtin:
            let b = unsafeDowncast(fn, to: BuiltinFunction.self)
            guard let apply = b.scalar, n.arguments.count == 1 else { throw Unsupported() }
            let x = try number(n.arguments[0], into: nil)
            function.builtins.append((g.slot, b, apply))
            var i = NumericInstruction(op: .scalar)
            i.b = Int32(function.builtins.count - 1)
            emit(i, [d, nil, x])
        case .closure:
            let proto = unsafeDowncast(fn, to: Closure.self).proto
            guard proto.parameterNames.count == n.arguments.count,
                  let callee = NumericCompiler.function(for: proto, interpreter, session) else { throw Unsupported() }
            // The arguments in the frame's last registers, where the callee's frame begins.
            let first = temporaries
            for a in n.arguments { _ = try number(a, into: temporary()) }
            function.callees.append(callee)
            function.functions.append(NumericCallee(slot: g.slot, function: Unmanaged.passUnretained(callee)))
            var i = NumericInstruction(op: .call)
            i.b = Int32(function.functions.count - 1)
            emit(i, [d, nil, .temporary(first)])
        case .method:
            throw Unsupported()
        }
        return d
    }

    // MARK: registers and code

    private mutating func constant(_ x: Double) -> Operand {
        if let i = constants.firstIndex(where: { $0.bitPattern == x.bitPattern }) { return .constant(i) }
        constants.append(x)
        return .constant(constants.count - 1)
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

    private mutating func emitJump(to target: Int) {
        var j = NumericInstruction(op: .jump)
        j.c = Int32(target)
        emit(j, [])
    }

    /// Points a forward jump at the next instruction.
    private mutating func patch(_ at: Int) {
        code[at].0.c = Int32(code.count)
    }

    /// Places constants and temporaries and writes the function's code.
    private func finish() {
        let locals = function.proto.frameSize
        let firstGlobal = locals + constants.count, firstTemporary = firstGlobal + globals.count
        func register(_ o: Operand) -> Int32 {
            switch o {
            case .local(let s): return Int32(s)
            case .constant(let k): return Int32(locals + k)
            case .global(let k): return Int32(firstGlobal + k)
            case .temporary(let t): return Int32(firstTemporary + t)
            }
        }
        function.code = .allocate(capacity: code.count)
        for (k, (i, operands)) in code.enumerated() {
            var i = i
            if operands.count > 0, let o = operands[0] { i.a = register(o) }
            if operands.count > 1, let o = operands[1] { i.b = register(o) }
            if operands.count > 2, let o = operands[2] { i.c = register(o) }
            function.code.initializeElement(at: k, to: i)
        }
        function.constants = .allocate(capacity: constants.count)
        _ = function.constants.initialize(from: constants)
        function.constantBase = locals
        function.globals = globals
        function.globalBase = firstGlobal
        function.frameSize = firstTemporary + mostTemporaries
    }
}

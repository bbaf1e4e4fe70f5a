// Writes into a function's tensor parameters in the numeric tier (`x[j] = x[j + 1]` in a bubble
// sort of its argument). The language gives a parameter its own value: the general code's local
// shares the caller's buffer until its first element write, which copies it (Swift's
// copy-on-write: the caller's variable still holds the buffer). The tier does the same: the
// parameter's site reads the caller's buffer in place and copies it at the first write
// (setArgument), so the caller's tensor never changes and a call that writes nothing copies
// nothing. The writes touch only that copy, which no one else sees: when the code gives up
// (a bad index, a range it does not take, the recursion limit), the copy is dropped and the
// general code runs the call from its start on the caller's tensor, doing every write itself,
// once, and raising its own error where there is one. When the call returns, the copy becomes
// the parameter's tensor, which `return x` hands to the general code (returnTensor).
//
// A tensor the caller lent (`h = push(h, k, x)`: the caller's variable let go of it, so the
// call's argument holds it alone) is written in place, as the general code's local writes it:
// copying it at each call made a heap kept in a tensor quadratic. A give-up must still leave
// it as the caller passed it, so each write first logs the element it writes over, and a
// give-up writes the log back, last first (forgetWrites). A call that writes much (more than
// a quarter of the elements) stops logging and keeps the elements as they were before it,
// once: never more than the copy it saves.
//
// A top-level loop may also pass its tensor globals to a function that only reads them
// (`s += bsearch(xs, t)`): before each call, the callee's parameter site is bound to the loop's
// site for that global (bindTensor), so the call reads the tensor in place with no argument
// marshalling (NumericCompiler.readsLoopTensors says when).

import Parser

extension NumericTensorSite {
    /// Runs `body` with the site reading t's elements in place; when the code wrote them (`own`
    /// made the copy), t holds the written elements afterwards, as the general code's local
    /// would. The copy is let go of however the body ends (after a give-up or an error the
    /// caller drops t: the general code runs the call again, or the error unwinds it).
    func writingCopy<R>(of t: inout Tensor, in f: NumericFunction, _ body: () throws(RuntimeError) -> R) throws(RuntimeError) -> R {
        copy = nil
        defer {
            copy?.deallocate()
            copy = nil
            state.pointee.lent = false
            state.pointee.undoCount = 0
        }
        if t.holdsItsElementsAlone() {
            // Lent: written in place (the buffer is t's alone, so this takes no copy).
            f.lentTensors += 1
            return try t.data.withUnsafeMutableBufferPointer { (p) throws(RuntimeError) -> R in
                buffer = p
                state.pointee.lent = true
                defer { buffer = UnsafeMutableBufferPointer(start: nil, count: 0) }
                return try body()
            }
        }
        let result = try t.data.withUnsafeBufferPointer { (p) throws(RuntimeError) -> R in
            // Read only until `own` replaces it: no instruction writes through it before.
            buffer = UnsafeMutableBufferPointer(mutating: p)
            defer { buffer = UnsafeMutableBufferPointer(start: nil, count: 0) }
            return try body()
        }
        if let copy { t.data = Array(copy) }
        return result
    }
}

extension NumericMachine {
    /// setArgument, setArgument2: the element at whole-number keys in range (the general rule's
    /// offset, NumericTensorState.offset) of the parameter's own copy set to r[a], or op= r[a] as
    /// Arithmetic.apply computes it (the general code's op= on an element); false (give up) for
    /// any other key, so the general code runs the call and reports it.
    @inline(__always)
    func setArgument(_ i: NumericInstruction, _ f: Unmanaged<NumericFunction>, _ r: UnsafeMutablePointer<Double>) -> Bool {
        // The site's fields it needs, each read in place (a copy of the site went through the stack).
        let b = Int(i.b), c = Int(i.c)
        let shift = f._withUnsafeGuaranteedRef { $0.elements[b].shift }, op = f._withUnsafeGuaranteedRef { $0.elements[b].op }
        let x = shift.map { r[c] + $0 } ?? r[c], y = i.op == .setArgument2 ? r[c + 1] : 0
        return f._withUnsafeGuaranteedRef { $0.elements[b].state }.pointee.write(x, y, r[Int(i.a)], op)
    }
}

extension NumericTensorState {
    /// setArgument's write of `value` (op= when `op` is set) at the keys x, y; false for keys the
    /// offset rule does not take.
    @inline(__always)
    mutating func write(_ x: Double, _ y: Double, _ value: Double, _ op: BinaryOperator?) -> Bool {
        guard let o = offset(x, y) else { return false }
        if copy == nil { prepareWrite(at: o) }
        buffer[o] = op.map { Arithmetic.apply($0, buffer[o], value) } ?? value
        return true
    }

    /// Before a write at offset o while `copy` is nil: the first write of a call copies the
    /// elements into memory of the site's own, which the code reads and writes from then on; a
    /// lent buffer's write is logged, or, when the log has grown to a quarter of the elements,
    /// the elements as they were before the call are kept in `copy` and logging stops. (Doubles
    /// need no deinitialization: writingCopy only deallocates it.)
    @inline(never)
    mutating func prepareWrite(at o: Int) {
        if lent, undoCount < max(64, buffer.count / 4) {
            if undoCount == undoCapacity { growUndo() }
            undo![undoCount] = (o, buffer[o])
            undoCount += 1
            return
        }
        let c = UnsafeMutableBufferPointer<Double>.allocate(capacity: buffer.count)
        _ = c.initialize(from: buffer)
        copy = c
        guard lent else {
            buffer = c
            return
        }
        for k in stride(from: undoCount - 1, through: 0, by: -1) { c[undo![k].offset] = undo![k].value }
        undoCount = 0
    }

    /// The undo log with room for twice as many writes.
    private mutating func growUndo() {
        let capacity = max(64, 2 * undoCapacity)
        let grown = UnsafeMutablePointer<(offset: Int, value: Double)>.allocate(capacity: capacity)
        if let undo {
            grown.moveInitialize(from: undo, count: undoCount)
            undo.deallocate()
        }
        undo = grown
        undoCapacity = capacity
    }

    /// A give-up's end of the call: a lent buffer back as the caller passed it (the elements
    /// kept, or the log written back, last first); the parameter's own copy dropped, so
    /// writingCopy leaves the tensor as it was.
    mutating func forgetWrites() {
        if lent {
            if let copy {
                _ = buffer.update(fromContentsOf: copy)
            } else {
                for k in stride(from: undoCount - 1, through: 0, by: -1) { buffer[undo![k].offset] = undo![k].value }
            }
            undoCount = 0
        }
        copy?.deallocate()
        copy = nil
    }
}

extension NumericTensorSite {
    /// bindTensor: this function parameter's site reads what a top-level loop's site reads.
    @inline(__always)
    func read(_ other: NumericTensorSite) {
        buffer = other.buffer
        rows = other.rows
        columns = other.columns
    }
}

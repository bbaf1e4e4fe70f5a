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
    func writingCopy<R>(of t: inout Tensor, _ body: () throws(RuntimeError) -> R) throws(RuntimeError) -> R {
        copy = nil
        defer {
            copy?.deallocate()
            copy = nil
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
        if copy == nil { own() }
        buffer[o] = op.map { Arithmetic.apply($0, buffer[o], value) } ?? value
        return true
    }

    /// The first write of a call: the elements copied into memory of the site's own, which the
    /// code reads and writes from then on. (Doubles need no deinitialization: writingCopy only
    /// deallocates it.)
    @inline(never)
    mutating func own() {
        let c = UnsafeMutableBufferPointer<Double>.allocate(capacity: buffer.count)
        _ = c.initialize(from: buffer)
        copy = c
        buffer = c
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

// The machine's element and path instructions off their fast paths: keys built from
// registers, a variable's value taken out of its place, updated in place and put back
// (Machine.swift runs the loop; Interpreter+Indexing.swift has the rules).

import Lexer
import Parser

/// `WholeNumber.exactly` without its call to libm's round (a tenth of a loop of element
/// writes): within ±2^53 the conversion truncates, and only a whole number converts back to
/// itself; nan and ±inf fail the bound. Kept here, for the machines' keys only (this one's
/// and the numeric tier's element sites; changing `WholeNumber` itself moved the inlining of
/// the built-ins that use it: `grad_scalar` 1.10).
@inline(__always)
func exactIndex(_ x: Double) -> Int? {
    guard Swift.abs(x) <= WholeNumber.maxMagnitude else { return nil }
    let i = Int(x)
    return Double(i) == x ? i : nil
}

/// The position of `t[x]` in a tuple of `count` items when x is a whole number in range, a
/// negative one counting from the end (as `tupleIndex` says, which gives the errors); nil for
/// anything else. The machine's reads and writes of tuple items by number all ask it.
@inline(__always)
func tuplePosition(_ x: Double, count: Int) -> Int? {
    guard var whole = exactIndex(x) else { return nil }
    if whole < 0 { whole += count }
    return whole >= 0 && whole < count ? whole : nil
}

extension Interpreter {
    // MARK: indexing

    /// The offset of the element `t[i, j, ...]` names when the keys are whole numbers in range.
    @inline(__always)
    func elementOffset(_ t: Tensor, _ first: Int, _ n: Int) -> Int? {
        guard n == t.shape.count, n > 0 else { return nil }
        var offset = 0
        for axis in 0..<n {
            guard case .number(let x)? = stack[first + axis], var i = exactIndex(x) else { return nil }
            let size = t.shape[axis]
            if i < 0 { i += size }
            guard i >= 0 && i < size else { return nil }
            offset = offset * size + i
        }
        return offset
    }

    /// `x[a:b:c]` of a 1-D tensor or view whose bounds are whole numbers (or left out, or
    /// nil) and whose step is not 0: the view the general index makes (Tensor.basicIndex), with
    /// no arrays of keys, specs or positions on the way; nil for anything else (the general
    /// path gives the value or the error). The bounds' registers are left for leaveFrame:
    /// numbers hold nothing.
    @inline(__always)
    func sliceView(_ v: Value, _ first: Int, _ s: IndexSite) -> Value? {
        guard case .slice(let ra, let rb, let rc, _) = s.items[0] else { return nil }
        guard let a = sliceBound(first, ra), let b = sliceBound(first + 1, rb), let c = sliceBound(first + 2, rc),
              c != 0 else { return nil }
        let base: Tensor, offset: Int, size: Int, stride: Int
        switch v {
        case .tensor(let t):
            guard t.shape.count == 1 else { return nil }
            (base, offset, size, stride) = (t, 0, t.shape[0], 1)
        case .view(let w):
            guard w.shape.count == 1 else { return nil }
            (base, offset, size, stride) = (w.base, w.offset, w.shape[0], w.strides[0])
        case .number, .bool, .string, .tuple, .function, .object, .null, .traced:
            return nil
        }
        // Never nil: the step is not 0.
        guard let r = try? Tensor.sliceBounds(start: a, stop: b, step: c, length: size) else { return nil }
        let start = r.count > 0 ? offset + r.first * stride : offset
        return .view(TensorView(base: base, offset: start, shape: [r.count], strides: [r.count > 1 ? r.step * stride : stride]))
    }

    /// A slice bound in its register as `indexKeys` reads it, when it is whole: `.some(nil)`
    /// for one left out (`reg` -1) or nil; nil for anything else.
    @inline(__always)
    private func sliceBound(_ i: Int, _ reg: Int32) -> Int?? {
        guard reg >= 0 else { return .some(nil) }
        switch stack[i] {
        case .number(let x)?:
            guard let k = exactIndex(x) else { return nil }
            return .some(k)
        case .null?: return .some(nil)
        case .bool?, .string?, .tensor?, .view?, .tuple?, .function?, .object?, .traced?, nil:
            return nil
        }
    }

    /// The keys of an index from its registers.
    func indexKeys(_ s: IndexSite, _ first: Int, _ locals: Int, first r: Int32) throws(RuntimeError) -> [IndexKey] {
        var keys: [IndexKey] = []
        keys.reserveCapacity(s.items.count)
        var at = 0
        for item in s.items {
            switch item {
            case .single:
                keys.append(.value(operand(first + at, locals, r + Int32(at))))
                at += 1
            case .slice(let a, let b, let c, let ranges):
                // Each bound read in turn (no array of them: a stack popped by slicing made two
                // arrays per pop).
                func bound(_ k: Int, _ reg: Int32) throws(RuntimeError) -> Double? {
                    guard reg >= 0 else { return nil }
                    let v = operand(first + at + k, locals, r + Int32(at + k))
                    switch v {
                    case .number(let x): return x
                    case .null: return nil
                    case .bool, .string, .tensor, .view, .tuple, .function, .object, .traced:
                        throw RuntimeError("a slice bound must be a number, not \(v.kindWithArticle)").at(ranges[k] ?? s.range)
                    }
                }
                let lower = try bound(0, a), upper = try bound(1, b), step = try bound(2, c)
                keys.append(.slice(lower, upper, step))
                at += 3
            }
        }
        return keys
    }

    /// `x[...] = rhs`, `x.f op= rhs`: the variable's value is taken out of its place, updated
    /// in place (so a tensor it holds alone is not copied) and put back. Returns what the REPL shows.
    func pathAssign(_ s: PathSite, _ rhs: Value, _ first: Int, _ locals: Int, first r: Int32) throws(RuntimeError) -> Value {
        if s.steps.count == 1, case .member(let name) = s.steps[0], usesFastPaths,
           let v = writeItem(s.target, s.op, rhs, at: { $0.index(of: name) }) {
            // `rec.n += 1`: the tuple's item written in place, no keys or path to build.
            return v
        }
        if s.steps.count == 1, case .index(let site, let offset) = s.steps[0], site.allSingle,
           let v = try writeElement(s.target, s.op, rhs, at: { elementOffset($0, first + Int(offset), site.items.count) }) {
            return v
        }
        if s.steps.count > 1, usesFastPaths, let v = writeNested(s, rhs, first) { return v }
        var keys: [[IndexKey]] = []
        var steps: [UpdateStep] = []
        keys.reserveCapacity(s.steps.count)
        for step in s.steps {
            switch step {
            case .index(let site, let offset):
                keys.append(try indexKeys(site, first + Int(offset), locals, first: r + offset))
                steps.append(.index)
            case .member(let name):
                keys.append([])
                steps.append(.member(name))
            }
        }
        var whole = try read(place(s.target), s.read)
        store(s.target, .null)  // park a placeholder so `whole` holds the only reference
        do {
            let shown = try update(&whole, path: steps, keys: keys, at: 0, op: s.op, rhs: rhs)
            store(s.target, whole)
            return shown
        } catch {
            store(s.target, whole)
            throw error.at(s.range)
        }
    }

    /// `ps[1].w += 1`, `model.layers[i].w = v`: a path of labels and single keys through tuples,
    /// each tuple taken out of its holder while its item changes, so that every one on the way
    /// is written in place, as `update` writes it without its arrays of keys and steps (4 of
    /// every 5 instructions of such an update). nil, with everything as it was, when a step
    /// finds no tuple or no item, a key is no label or whole position, or `op=` meets no two
    /// numbers: the general path then runs (and reports what is wrong).
    private func writeNested(_ s: PathSite, _ rhs: Value, _ first: Int) -> Value? {
        guard var held = take(s.target) else { return nil }
        let v = writeNested(&held, s, 0, rhs, first)
        store(s.target, held)
        return v
    }

    private func writeNested(_ v: inout Value, _ s: PathSite, _ k: Int, _ rhs: Value, _ first: Int) -> Value? {
        guard let i = nestedPosition(v, s.steps[k], first), case .tuple(var t) = v else { return nil }
        v = .null  // `t` alone holds the items now
        defer { v = .tuple(t) }
        guard k == s.steps.count - 1 else {
            var inner = t.items[i]
            t.items[i] = .null
            defer { t.items[i] = inner }
            return writeNested(&inner, s, k + 1, rhs, first)
        }
        var new = rhs
        if let op = s.op {
            guard case .number(let a) = t.items[i], case .number(let b) = rhs else { return nil }
            new = .number(Arithmetic.apply(op, a, b))
        }
        t.items[i] = new
        return new
    }

    /// The item a path's step names in the tuple v holds, looked at in place: a label, or a
    /// single key in its register (a whole position, negative from the end, or a label).
    private func nestedPosition(_ v: Value, _ step: PathStepKind, _ first: Int) -> Int? {
        guard case .tuple(let t) = v else { return nil }
        switch step {
        case .member(let name):
            return t.index(of: name)
        case .index(let site, let offset):
            guard site.allSingle, site.items.count == 1 else { return nil }
            switch stack[first + Int(offset)] {
            case .number(let x)?: return tuplePosition(x, count: t.count)
            case .string(let label)?: return t.index(of: label)
            case .bool?, .tensor?, .view?, .tuple?, .function?, .object?, .null?, .traced?, nil: return nil
            }
        }
    }

    /// `x[...] = rhs` (or `op=`) on a tensor the variable holds, at the element `at` finds:
    /// written in place (most of a sieve's inner loop). nil when the variable holds no tensor or
    /// `at` finds no element: the general path must run (it reports what is wrong).
    @inline(__always)  // so `at` is inlined at each of its two callers
    private func writeElement(_ target: VariableRef, _ op: BinaryOperator?, _ rhs: Value,
                              at: (Tensor) -> Int?) throws(RuntimeError) -> Value? {
        guard case .number = rhs else { return nil }
        var held = take(target)
        guard case .tensor(var t)? = held, let o = at(t) else {
            if let held { store(target, held) }
            return nil
        }
        held = nil  // `t` alone holds the buffer now
        var new = rhs
        if let op { new = try binary(op, .number(t.data[o]), rhs) }
        if case .number(let z) = new { t.data[o] = z }
        store(target, .tensor(t))
        return new
    }

    /// `t[label] = v`, `t.label op= x`, `t[2] += 1` of a tuple a variable holds, at the item
    /// `at` finds (and for `op=`, of a number item by a number): the item written in place, as
    /// the general path (`update`) writes it, without its path of keys. nil, with everything as
    /// it was, when the general path must run (it reports what is wrong).
    @inline(__always)
    private func writeItem(_ target: VariableRef, _ op: BinaryOperator?, _ rhs: Value, at: (TupleValue) -> Int?) -> Value? {
        guard var held = take(target) else { return nil }
        guard case .tuple(var t) = held, let k = at(t) else {
            store(target, held)
            return nil
        }
        var new = rhs
        if let op {
            guard case .number(let a) = t.items[k], case .number(let b) = rhs else {
                store(target, held)
                return nil
            }
            new = .number(Arithmetic.apply(op, a, b))
        }
        held = .null  // `t` alone holds the items now
        t.items[k] = new
        store(target, .tuple(t))
        return new
    }

    // MARK: elements

    /// The offset of `t[x]` or `t[x, y]` when the keys are whole numbers in range and name one
    /// element; nil for anything else (the general path says what is wrong).
    @inline(__always)
    func offset(_ t: Tensor, _ x: Value?, _ y: Value?) -> Int? {
        offset(t.shape, x, y, start: 0, strides: t.shape.count == 2 ? (t.shape[1], 1) : (1, 0))
    }

    /// The offset in its base's data of `v[x]` or `v[x, y]`.
    @inline(__always)
    func offset(_ v: TensorView, _ x: Value?, _ y: Value?) -> Int? {
        offset(v.shape, x, y, start: v.offset, strides: (v.strides[0], v.shape.count == 2 ? v.strides[1] : 0))
    }

    @inline(__always)
    func offset(_ shape: [Int], _ x: Value?, _ y: Value?, start: Int, strides: (Int, Int)) -> Int? {
        guard case .number(let a)? = x else { return nil }
        guard let y else { return offset(shape, a, nil, start: start, strides: strides) }
        guard case .number(let b) = y else { return nil }
        return offset(shape, a, b, start: start, strides: strides)
    }

    /// The offset of element `[a]` or `[a, b]` of a tensor or view of that shape, when the keys
    /// are whole numbers in range (negative ones counting from the end) and name one element.
    @inline(__always)
    func offset(_ shape: [Int], _ a: Double, _ b: Double?, start: Int, strides: (Int, Int)) -> Int? {
        guard shape.count == (b == nil ? 1 : 2), var i = exactIndex(a) else { return nil }
        if i < 0 { i += shape[0] }
        guard i >= 0 && i < shape[0] else { return nil }
        guard let b else { return start + i * strides.0 }
        guard var k = exactIndex(b) else { return nil }
        if k < 0 { k += shape[1] }
        guard k >= 0 && k < shape[1] else { return nil }
        return start + i * strides.0 + k * strides.1
    }

    /// The keys of an element instruction as numbers (`j` Chunk.noOperand: one key, `y` nil);
    /// nil when one is not a number.
    @inline(__always)
    func elementKeys(_ base: Int, _ i: Int32, _ j: Int32) -> (x: Double, y: Double?)? {
        guard let x = number(base, i) else { return nil }
        guard j != Chunk.noOperand else { return (x, nil) }
        guard let y = number(base, j) else { return nil }
        return (x, y)
    }

    /// `t[x]` or `t[x, y]` of the tensor or view in operand `b` (a register, or the global
    /// `-1 - b`), read where it is: no copy of the tensor out of its place (a retain and a
    /// release of its arrays per element). nil when the keys name no element of a 1-D or
    /// 2-D tensor or view: the general path reads it or says what is wrong.
    @inline(__always)
    func elementInPlace(_ base: Int, _ b: Int32, _ x: Double, _ y: Double?) -> Double? {
        b >= 0 ? element(of: stack[base + Int(b)], x, y) : element(of: globals[Int(-1 - b)], x, y)
    }

    /// The element of a value borrowed where it is: a `borrowing` parameter, because a switch
    /// over the place itself copied the tensor out (a retain of its arrays, then their
    /// release) once the view's case was among the cases.
    @inline(__always)
    private func element(of cell: borrowing Value?, _ x: Double, _ y: Double?) -> Double? {
        switch cell {
        case .tensor(let t)?:
            guard let o = offset(t.shape, x, y, start: 0, strides: t.shape.count == 2 ? (t.shape[1], 1) : (1, 0)) else { return nil }
            return t.data[o]
        case .view(let v)?:
            // `B[k, j]` of a transposed matrix: the element through the view's strides.
            guard let o = offset(v.shape, x, y, start: v.offset, strides: (v.strides[0], v.shape.count == 2 ? v.strides[1] : 0)) else {
                return nil
            }
            return v.base.data[o]
        case .number?, .bool?, .string?, .tuple?, .function?, .object?, .null?, .traced?, nil:
            return nil
        }
    }

    /// `t[i] = z`, `t[i, j] = z` with the tensor in operand `t` (a register, or the global
    /// `-1 - t`) and the keys in operands `i`, `j`: written in place when they are numbers
    /// that name one element. false, with everything as it was, when the general path must run.
    @inline(__always)
    func writeElement(_ base: Int, _ t: Int32, _ z: Double, _ i: Int32, _ j: Int32) -> Bool {
        guard let k = elementKeys(base, i, j) else { return false }
        return writeElement(base, t, z, k.x, k.y)
    }

    /// `t[x] = z`, `t[x, y] = z` with the keys' numbers given.
    @inline(__always)
    func writeElement(_ base: Int, _ t: Int32, _ z: Double, _ x: Double, _ y: Double?) -> Bool {
        guard t >= 0 else { return withGlobal(Int(-1 - t)) { writeElement($0, z, x, y) } }
        return writeElement(stack + base + Int(t), z, x, y)
    }

    /// The offset of element `[x]` or `[x, y]` of the tensor (not a view) a value holds.
    @inline(__always)
    private func tensorOffset(of cell: borrowing Value?, _ x: Double, _ y: Double?) -> Int? {
        switch cell {
        case .tensor(let t)?:
            return offset(t.shape, x, y, start: 0, strides: t.shape.count == 2 ? (t.shape[1], 1) : (1, 0))
        case .number?, .bool?, .string?, .view?, .tuple?, .function?, .object?, .null?, .traced?, nil:
            return nil
        }
    }

    /// The element found where the tensor is (no copy), then the tensor moved out of its place,
    /// written and moved back: the write copies the buffer only when something else shares it
    /// (the caller's variable, at the first write into a parameter), as copy-on-write says.
    @inline(__always)
    private func writeElement(_ cell: UnsafeMutablePointer<Value?>, _ z: Double, _ x: Double, _ y: Double?) -> Bool {
        guard let o = tensorOffset(of: cell.pointee, x, y) else { return false }
        // Safe: `cell` points at an initialized value (a register or a global's storage), and
        // both branches initialize it again, with nothing in between that could read it.
        var held = cell.move()
        guard case .tensor(var t)? = held else {
            cell.initialize(to: held)  // never: it held a tensor just above
            return false
        }
        held = nil  // `t` alone holds the buffer now (a switch's subject would hold it too)
        t.data[o] = z
        cell.initialize(to: .tensor(t))
        return true
    }

    /// `t[i, j]` off the tensor fast paths: a tuple's item by a whole number in range or a label,
    /// else the operands read in order and the general index.
    @inline(never)
    func element(_ chunk: Chunk, _ base: Int, _ b: Int32, _ i: Int32, _ j: Int32, _ site: Int32) throws(RuntimeError) -> Value {
        if j == Chunk.noOperand, usesFastPaths, let v = tupleItem(chunk, base, b, i, site) { return v }
        let s = chunk.elements[Int(site)]
        let locals = chunk.localCount
        let v = try value(base, locals, b, s.baseRead)
        var keys: [IndexKey] = [.value(try value(base, locals, i, s.keyReads[0]))]
        if j != Chunk.noOperand { keys.append(.value(try value(base, locals, j, s.keyReads[1]))) }
        do {
            return try index(v, keys)
        } catch { throw error.at(s.range) }
    }

    /// `t["lr"]` off its cached position: a tuple's item by the label (the position remembered
    /// at the site), else the general index of the string, which gives the value or the error.
    @inline(never)
    func elementLabel(_ chunk: Chunk, _ base: Int, _ b: Int32, _ label: Int32, _ site: Int32) throws(RuntimeError) -> Value {
        let m = chunk.members[Int(label)]
        let s = chunk.elements[Int(site)]
        let v = try value(base, chunk.localCount, b, s.baseRead)
        if usesFastPaths, case .tuple(let t) = v, let labels = t.labels, let k = m.position(in: labels) { return t.items[k] }
        do {
            return try index(v, [.value(.string(m.name))])
        } catch { throw error.at(s.range) }
    }

    /// A tuple's item at a number key in place (the tuple not copied out of its register): the
    /// key a whole number in range, negative ones counting from the end; nil for anything else.
    @inline(__always)
    func tupleItem(_ p: UnsafeMutablePointer<Value?>, _ x: Double) -> Value? {
        switch p.pointee {
        case .tuple(let t)?:
            guard let k = tuplePosition(x, count: t.items.count) else { return nil }
            return t.items[k]
        case .number?, .bool?, .string?, .tensor?, .view?, .function?, .object?, .null?, .traced?, nil:
            return nil
        }
    }

    /// `t[x]` of a tuple when x is a whole number in range (a negative one counting from the end,
    /// as `tupleIndex` says) or a label the tuple has (its position cached at the site when x is
    /// a string literal), and `s[x]` of a string by the code point rule (CodePoints; an array of
    /// keys per character read was a tenth of a decoding loop); nil for anything else, with the
    /// registers as they were: the general rule then gives the value or the error.
    @inline(__always)
    private func tupleItem(_ chunk: Chunk, _ base: Int, _ b: Int32, _ i: Int32, _ site: Int32) -> Value? {
        // A switch over the register in place: the tuple is not copied out (retained) to be read.
        switch load(base, b) {
        case .some(.tuple(let t)):
            let k: Int
            switch load(base, i) {
            case .some(.number(let x)):
                guard let position = tuplePosition(x, count: t.items.count) else { return nil }
                k = position
            case .some(.string(let name)):
                guard let labels = t.labels, let position = labels.position(of: name) else { return nil }
                k = position
                if Int(i) >= chunk.localCount { stack[base + Int(i)] = nil }
            case .bool?, .tensor?, .view?, .tuple?, .function?, .object?, .null?, .traced?, nil:
                return nil
            }
            let v = t.items[k]
            if Int(b) >= chunk.localCount { stack[base + Int(b)] = nil }
            return v
        case .some(.string(let s)):
            guard case .number(let x)? = load(base, i), x == x.rounded(.towardZero), abs(x) < 0x1p53,
                  let ch = codePoint(s, at: Int(x)) else { return nil }
            if Int(b) >= chunk.localCount { stack[base + Int(b)] = nil }
            return .string(ch)
        case .number?, .bool?, .tensor?, .view?, .function?, .object?, .null?, .traced?, nil:
            return nil
        }
    }

    /// `t[i, j] op= rhs` on a variable: in place when it holds a tensor and the keys name one
    /// element, else the general update. Returns what the REPL shows.
    @inline(never)
    func setElement(_ s: ElementWriteSite, _ rhs: Value, _ base: Int, _ locals: Int, _ i: Int32, _ j: Int32) throws(RuntimeError) -> Value {
        let x = try value(base, locals, i, s.keyReads[0])
        let y = j != Chunk.noOperand ? try value(base, locals, j, s.keyReads[1]) : nil
        if let v = try writeElement(s.target, s.op, rhs, at: { offset($0, x, y) }) { return v }
        if usesFastPaths, y == nil {
            switch x {
            case .string(let label):
                if let v = writeItem(s.target, s.op, rhs, at: { $0.index(of: label) }) { return v }
            case .number(let key):
                // `counts[b] += 1` of a tuple: the position as tupleItem reads it.
                if let v = writeItem(s.target, s.op, rhs, at: { tuplePosition(key, count: $0.count) }) { return v }
            case .bool, .tensor, .view, .tuple, .function, .object, .null, .traced:
                break
            }
        }
        var keys: [IndexKey] = [.value(x)]
        if let y { keys.append(.value(y)) }
        var whole = try read(place(s.target), s.read)
        store(s.target, .null)  // park a placeholder so `whole` holds the only reference
        do {
            let shown = try update(&whole, path: [.index], keys: [keys], at: 0, op: s.op, rhs: rhs)
            store(s.target, whole)
            return shown
        } catch {
            store(s.target, whole)
            throw error.at(s.range)
        }
    }
}

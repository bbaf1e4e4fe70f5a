// Reference cycles through closures. Values are reference counted, and a closure that captures
// the cell holding it (`fn f() { g = fn() = g; return 1 }`, or a local recursive helper) is a
// cycle: cell → closure → cell. When f returns, nothing else may hold either, and counting
// alone would never free them (a loop of 10^6 calls grew by 150 MB).
//
// So when a frame with cells ends, the cells it made are checked as CPython's collector checks
// its generations (trial deletion), over the small graph of those cells, the closures they hold
// and the cells those closures capture: each object's references from inside the graph are
// subtracted from its reference count; what is left has a holder outside (a variable, the
// return value, a tensor of closures...) and is alive, and so is everything it reaches. The
// rest is unreachable, and emptying its cells frees it. A count read wrongly high only keeps
// garbage; the bias of reading counts at all is measured once, on an object with one holder.

enum CycleBreaker {
    /// Graphs larger than this are left alone (a leak at worst): the ones a frame makes are a
    /// few cells and closures, searched linearly.
    static let largestGraph = 64

    @inline(never)
    private static func refcount(_ o: AnyObject) -> Int { Int(_getRetainCount(o)) }

    /// Empties the cells of `frame` (cells a frame made, its locals captured by closures) that
    /// only cycles among themselves and their closures still reach.
    static func collect(_ frame: [Cell]) {
        // Most frames' cells hold numbers or tensors: no closure, no cycle.
        guard frame.contains(where: { if case .function(let f)? = $0.value { return f.kind == .closure }; return false }) else {
            return
        }
        var cells: [Cell] = []
        var closures: [Closure] = []
        func addCell(_ c: Cell) {
            if !cells.contains(where: { $0 === c }) { cells.append(c) }
        }
        for c in frame { addCell(c) }
        // The graph: cells → the closures they hold → the cells those capture → ...
        var k = 0
        while k < cells.count {
            if case .function(let f)? = cells[k].value, f.kind == .closure, !closures.contains(where: { $0 === f }) {
                let closure = unsafeDowncast(f, to: Closure.self)
                closures.append(closure)
                for c in closure.captures { addCell(c) }
            }
            k += 1
            if cells.count + closures.count > largestGraph { return }
        }
        func cellIndex(_ c: Cell) -> Int { cells.firstIndex { $0 === c }! }
        func closureIndex(_ f: Callable) -> Int? { closures.firstIndex { $0 === f } }
        // What reading a count adds, measured on an object made here and held once by an array,
        // read the way every node is read.
        let probe = [Cell(nil)]
        let bias = refcount(probe[0]) - 1
        // References from inside the graph, and from this collector's own arrays.
        var cellRefs = [Int](repeating: 1, count: cells.count)  // `cells` holds each once
        for c in frame { cellRefs[cellIndex(c)] += 1 }  // and the frame's array
        var closureRefs = [Int](repeating: 1, count: closures.count)  // `closures` holds each once
        for c in cells {
            if case .function(let f)? = c.value, let j = closureIndex(f) { closureRefs[j] += 1 }
        }
        for closure in closures {
            for c in closure.captures { cellRefs[cellIndex(c)] += 1 }
        }
        // Alive: held from outside the graph, or reached from something alive.
        var cellAlive = [Bool](repeating: false, count: cells.count)
        var closureAlive = [Bool](repeating: false, count: closures.count)
        var work: [(isCell: Bool, index: Int)] = []
        for i in cells.indices where refcount(cells[i]) - bias > cellRefs[i] { work.append((true, i)) }
        for j in closures.indices where refcount(closures[j]) - bias > closureRefs[j] { work.append((false, j)) }
        while let (isCell, i) = work.popLast() {
            if isCell {
                guard !cellAlive[i] else { continue }
                cellAlive[i] = true
                if case .function(let f)? = cells[i].value, let j = closureIndex(f) { work.append((false, j)) }
            } else {
                guard !closureAlive[i] else { continue }
                closureAlive[i] = true
                for c in closures[i].captures { work.append((true, cellIndex(c))) }
            }
        }
        // The rest only holds itself: emptying its cells lets every part of it go.
        for i in cells.indices where !cellAlive[i] { cells[i].value = nil }
        withExtendedLifetime(probe) {}
    }
}

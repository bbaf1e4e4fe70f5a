// The globals' storage: one `Value?` per slot the resolver gave a name, in memory this type
// owns (the value stack's own kind of storage), so a read or write of a global by the machine
// is a load or store at a known address.
//
// As an array, each write made the array's buffer unique first (a call and a test per
// `s = i` at the top level, the REPL's and most scripts' level), and a `switch` over a slot
// went through the array's bounds check. Slots are only ever indices the interpreter handed
// out (`Interpreter.globalSlot`), so none is out of range; that is the one thing this type
// relies on unchecked.

struct GlobalSlots {
    private var base: UnsafeMutablePointer<Value?>
    private(set) var count = 0
    private var capacity: Int

    init() {
        capacity = 256
        base = UnsafeMutablePointer<Value?>.allocate(capacity: capacity)
    }

    /// A slot's value, read and written in place (a `switch` over it copies nothing).
    subscript(slot: Int) -> Value? {
        @inline(__always) unsafeAddress { UnsafePointer(base + slot) }
        @inline(__always) nonmutating unsafeMutableAddress { base + slot }
    }

    var indices: Range<Int> { 0..<count }

    /// A new slot, unbound (nil); its index.
    mutating func append() -> Int {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Value?>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: nil)
        count += 1
        return count - 1
    }

    /// The storage of `slot`, valid until the next `append`.
    func pointer(_ slot: Int) -> UnsafeMutablePointer<Value?> { base + slot }

    /// Lets go of every value and of the storage (the interpreter's deinit).
    func free() {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

// Some results read better in the REPL in a form of their own (spec §9.2, §9.8, §9.11): an
// ewa update shows v and the corrected value side by side, a stepper's step a row with t,
// loss, w and the update's size, compare a table of the steps where the two runs differ.
// The built-in leaves a hint with the value it returns; the REPL uses it only when the
// value it shows is that very value (the same buffers), so `s.step() + 1` shows a tensor.

struct DisplayHint {
    let value: Value
    let text: String
}

extension Interpreter {
    /// Leaves `text` for the REPL to show in place of `value` (only when the REPL asks).
    func hint(_ value: Value, _ text: @autoclosure () -> String) {
        guard channel.showsHints else { return }
        channel.displayHint = DisplayHint(value: value, text: text())
    }

    /// What the REPL prints for a shown value.
    public func displayText(_ v: Value) -> String {
        if let h = channel.displayHint, Interpreter.identical(h.value, v) { return h.text }
        return display(v)
    }

    /// The same value, not merely an equal one: tensors share their buffer.
    static func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.tensor(let x), .tensor(let y)):
            return x.shape == y.shape && x.bufferIdentity == y.bufferIdentity
        case (.tuple(let x), .tuple(let y)):
            guard x.count == y.count, x.labels === y.labels else { return false }
            return zip(x.items, y.items).allSatisfy { identical($0, $1) }
        case (.number(let x), .number(let y)):
            return x.bitPattern == y.bitPattern
        case (.null, .null):
            return true
        default:
            return false
        }
    }

    /// Numbers and tensors in one line, 6 significant digits.
    static func short(_ v: Value) -> String {
        switch v {
        case .number(let x): return NumberFormat.cFormat("%.6g", x)
        case .tensor(let t): return "[" + t.data.map { NumberFormat.cFormat("%.6g", $0) }.joined(separator: ", ") + "]"
        default: return repr(v)
        }
    }
}

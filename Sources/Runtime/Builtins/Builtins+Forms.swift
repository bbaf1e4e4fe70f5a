// Built-ins whose one table entry stands for several forms: `schedule(KIND, ...)` takes other
// parameters for each kind. `:help schedule`, the reference and completion after `schedule("`
// list the forms (read from the kinds' rows in Builtins+Schedules.swift) instead of the entry's
// merged signature, whose labels are the union of every kind's.

extension Builtins {
    public struct Form: Sendable {
        /// What completion inserts inside the string: `step`.
        public let key: String
        /// `schedule("step", lr, step_size, gamma: 0.1)`
        public let signature: String
        public let doc: String
    }

    /// The forms of a built-in, or nil when it has one signature.
    public static func forms(of name: String) -> [Form]? {
        guard name == "schedule" else { return nil }
        return scheduleKinds.map { kind, spec in
            let labelled = spec.labelled.map { "\($0.0): \($0.1.text)" }
            let signature = "schedule(" + (["\"\(kind)\""] + spec.positional + labelled).joined(separator: ", ") + ")"
            // The PyTorch class a kind replays, unless its doc names it already.
            let torch = spec.torch.map { spec.doc.contains($0) ? "" : " (PyTorch's \($0))" } ?? " (the course's)"
            return Form(key: kind, signature: signature, doc: spec.doc + torch)
        }
    }

    /// The signature `:help` and the reference show: `schedule(kind, ...)` for a built-in with forms.
    public static func shownSignature(_ b: Builtin) -> String {
        guard forms(of: b.name) != nil else { return b.signature }
        return b.name + "(" + b.parameters.filter { $0.kind == .normal && $0.defaultValue == nil }.map(\.name).joined(separator: ", ") + ", ...)"
    }
}

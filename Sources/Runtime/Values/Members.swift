// The members of an object class (optimizers, averagers, schedules, grad scalers, steppers) as
// one table per class: each row is a field (read, and written when it has a writer) or a method,
// with its doc. Member access, assignment, completion after `.`, `:help opt.step` and the
// objects' section of docs/reference.md all read the same rows, so none can list a member the
// others do not know.

/// What `:help`, completion and the reference know of one member.
public struct MemberInfo: Sendable {
    public enum Kind: Sendable {
        case field
        /// A field the program may assign (`opt.lr = 0.01`).
        case settableField
        case method
    }

    public let name: String
    public let kind: Kind
    public let doc: String
    /// `step(params, grads)` for a method (its receiver left out), the name for a field.
    public let signature: String

    /// The line `:help` and the reference show.
    public var line: String {
        switch kind {
        case .field: return "\(signature)  (field) \(doc)"
        case .settableField: return "\(signature)  (field, settable) \(doc)"
        case .method: return "\(signature)  \(doc)"
        }
    }
}

struct MemberTable<Object: RuntimeObject>: Sendable {
    struct Row: Sendable {
        let info: MemberInfo
        let read: @Sendable (Object) -> Value
        let write: (@Sendable (Object, Value) throws(RuntimeError) -> Void)?
    }

    let rows: [Row]
    private let index: [String: Int]

    init(_ rows: [Row]) {
        self.rows = rows
        var index: [String: Int] = [:]
        // A later row of the same name wins (a plateau schedule's current lr over its start).
        for (k, r) in rows.enumerated() { index[r.info.name] = k }
        self.index = index
    }

    var infos: [MemberInfo] {
        var seen = Set<String>()
        return rows.reversed().filter { seen.insert($0.info.name).inserted }.reversed().map(\.info)
    }

    func read(_ o: Object, _ name: String) -> Value? {
        index[name].map { rows[$0].read(o) }
    }

    /// False when there is no settable field of that name.
    func write(_ o: Object, _ name: String, _ value: Value) throws(RuntimeError) -> Bool {
        guard let k = index[name], let write = rows[k].write else { return false }
        try write(o, value)
        return true
    }
}

extension MemberTable.Row {
    static func field(_ name: String, _ doc: String, _ read: @escaping @Sendable (Object) -> Value,
                      set write: (@Sendable (Object, Value) throws(RuntimeError) -> Void)? = nil) -> Self {
        Self(info: MemberInfo(name: name, kind: write == nil ? .field : .settableField, doc: doc, signature: name),
            read: read, write: write)
    }

    /// A method: reading it gives the method bound to the object.
    static func method(_ b: Builtin) -> Self {
        let shown = b.parameters.dropFirst().map(\.signatureText)
        let entry = MethodEntry(b)
        return Self(info: MemberInfo(name: b.name, kind: .method, doc: b.doc,
                                    signature: "\(b.name)(\(shown.joined(separator: ", ")))"),
                   read: { .function(BoundMethod(receiver: .object($0), entry: entry)) }, write: nil)
    }
}

/// Every class of object a built-in constructs, with its members: `:help adam.step` and the
/// reference's objects section read this.
public enum ObjectClasses {
    public struct Entry: Sendable {
        public let title: String
        /// The built-ins that construct it.
        public let constructors: [String]
        public let members: [MemberInfo]
    }

    public static let all: [Entry] = {
        let rules = CourseOptimizers.all + [Lion.rule] + TorchOptimizers.all
        let hyper = MemberInfo(name: "lr, ...", kind: .settableField,
                               doc: "every parameter of the constructor, by its name; a new value applies from the next step",
                               signature: "lr, ...")
        return [
            Entry(title: "optimizers", constructors: rules.map(\.name), members: [hyper] + Optimizer.table.infos),
            Entry(title: "averagers", constructors: ["ewa"], members: Averager.table.infos),
            Entry(title: "schedules", constructors: ["schedule"],
                  members: [MemberInfo(name: "lr, ...", kind: .field, doc: "every parameter given to schedule(KIND, ...), by its name", signature: "lr, ...")]
                      + Schedule.epochTable.infos),
            Entry(title: "plateau schedules", constructors: ["schedule(\"plateau\", ...)"], members: Schedule.plateauTable.infos),
            Entry(title: "cycling schedules", constructors: ["schedule(\"onecycle\", ...)", "schedule(\"cyclic\", ...)"],
                  members: Schedule.cyclingTable.infos),
            Entry(title: "grad scalers", constructors: ["grad_scaler"], members: GradScaler.table.infos),
            Entry(title: "steppers", constructors: ["stepper"], members: Stepper.table.infos),
        ]
    }()

    /// The members of the objects `constructor` makes (an optimizer's with its own parameters).
    public static func members(ofObjectsMadeBy constructor: String) -> [MemberInfo]? {
        let rules = CourseOptimizers.all + [Lion.rule] + TorchOptimizers.all
        if let rule = rules.first(where: { $0.name == constructor }) {
            return rule.parameters.map { p in
                MemberInfo(name: p.name, kind: .settableField,
                           doc: "hyper-parameter (default \(p.defaultValue.map(\.text) ?? "none")); a new value applies from the next step",
                           signature: p.name)
            } + Optimizer.table.infos
        }
        if constructor == "schedule" { return Schedule.cyclingTable.infos + Schedule.plateauTable.infos }
        return all.first { $0.constructors.contains(constructor) }?.members
    }
}

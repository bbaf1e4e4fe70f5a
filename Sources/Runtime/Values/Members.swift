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
        /// A method row's entry, which a member site binds through its cache (MemberCache.bind).
        var entry: MethodEntry? = nil
    }

    let rows: [Row]
    /// A class, so a member site can remember which table it found its name in (MemberCache).
    private let index: MemberIndex

    init(_ rows: [Row]) {
        self.rows = rows
        var index: [String: Int] = [:]
        // A later row of the same name wins (a plateau schedule's current lr over its start).
        for (k, r) in rows.enumerated() { index[r.info.name] = k }
        self.index = MemberIndex(index)
    }

    var infos: [MemberInfo] {
        var seen = Set<String>()
        return rows.reversed().filter { seen.insert($0.info.name).inserted }.reversed().map(\.info)
    }

    func read(_ o: Object, _ name: String) -> Value? {
        index.positions[name].map { rows[$0].read(o) }
    }

    /// `read` at a site that reads `name` every time: the row it found there last, when this is
    /// the table it found it in (`a.update` once per step hashed the name each time).
    @inline(__always)
    func read(_ o: Object, _ name: String, _ cache: MemberCache) -> Value? {
        if cache.table == ObjectIdentifier(index) { return read(o, row: cache.row, cache) }
        guard let k = index.positions[name] else { return nil }
        cache.table = ObjectIdentifier(index)
        cache.owner = index
        cache.row = k
        return read(o, row: k, cache)
    }

    /// Row k's value; a method bound through the site's cache.
    @inline(__always)
    private func read(_ o: Object, row k: Int, _ cache: MemberCache) -> Value {
        if let entry = rows[k].entry { return cache.bind(o, entry) }
        return rows[k].read(o)
    }

    /// False when there is no settable field of that name.
    func write(_ o: Object, _ name: String, _ value: Value) throws(RuntimeError) -> Bool {
        guard let k = index.positions[name], let write = rows[k].write else { return false }
        try write(o, value)
        return true
    }
}

/// A member table's names and their rows.
final class MemberIndex: Sendable {
    let positions: [String: Int]
    init(_ positions: [String: Int]) { self.positions = positions }
}

/// Where a member site's name was found last: the table (its index's identity) and the row.
/// The site's name never changes, so the same table gives the same row.
final class MemberCache {
    @exclusivity(unchecked) var table: ObjectIdentifier?
    @exclusivity(unchecked) var row = 0
    /// Holds the table's index alive, so its identifier is never reused while cached.
    @exclusivity(unchecked) var owner: MemberIndex?
    /// The method this site bound last. `opt.step(w, g)` once per step allocated a bound method
    /// per call, which the call then dropped: while the site's reference is the only one left,
    /// the next read rebinds it instead. Nothing else holds it then, so no value the program
    /// can see changes; the site keeps its last receiver alive until its next read.
    @exclusivity(unchecked) private var bound: BoundMethod?

    /// `o.method` as a value: the site's last bound method, rebound to `o`, when nothing else
    /// holds it; else a new one, kept for the next read.
    @inline(__always)
    func bind(_ o: RuntimeObject, _ entry: MethodEntry) -> Value {
        if isKnownUniquelyReferenced(&bound), let b = bound, b.entry === entry {
            if case .object(let r) = b.receiver, r === o {} else { b.receiver = .object(o) }
            return .function(b)
        }
        let b = BoundMethod(receiver: .object(o), entry: entry)
        bound = b
        return .function(b)
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
                   read: { .function(BoundMethod(receiver: .object($0), entry: entry)) }, write: nil, entry: entry)
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

// A namespace of built-ins (`torch.sgd`, `torch.adam`, ...): table entries named
// "PREFIX.name" are reached as members of the global PREFIX.

public final class Namespace: RuntimeObject {
    let name: String
    let entries: [String: Builtin]

    init(name: String, entries: [Builtin]) {
        self.name = name
        var byMember: [String: Builtin] = [:]
        for b in entries { byMember[String(b.name.dropFirst(name.count + 1))] = b }
        self.entries = byMember
    }

    public override var kindName: String { "namespace" }
    public override var summary: String { "<namespace \(name)>" }
    /// A namespace's members are the table's built-ins under its prefix.
    public override var members: [MemberInfo] {
        entries.keys.sorted().map { MemberInfo(name: $0, kind: .method, doc: entries[$0]!.doc, signature: entries[$0]!.signature) }
    }

    public override func member(_ member: String, interpreter: Interpreter) throws(RuntimeError) -> Value? {
        entries[member].map { .function(BuiltinFunction($0)) }
    }
}

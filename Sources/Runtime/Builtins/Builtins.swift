// The built-in table: every built-in name, assembled from one list per library area.

public enum Builtins {
    /// All entries, in the order `:help` lists them.
    public static let table: [Builtin] = core + checks + math + creation + shapes + reductions + selection + clipping + random + data + files + averages + optimizers + schedules + precision + scalers + comparing + objectives + derivatives + drivers + plots

    /// Named constants (spec §9.1); user code may shadow them.
    public static let constants: [(String, Double)] = [
        ("pi", Double.pi), ("e", 2.718281828459045), ("inf", Double.infinity), ("nan", Double.nan),
    ]

    public static let byName: [String: Builtin] = Dictionary(table.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// Every name the table and the constants define (completion, suggestions, docs).
    public static var allNames: [String] { table.map(\.name) + constants.map(\.0) }
}

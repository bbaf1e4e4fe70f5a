// The built-in table: every built-in name, assembled from one list per library area.

public enum Builtins {
    /// The entries by library area, as docs/reference.md presents them.
    public static let sections: [(title: String, entries: [Builtin])] = [
        ("Printing and values", core), ("Checks", checks), ("Element-wise math", math), ("Creating tensors", creation),
        ("Shapes and products", shapes), ("Reductions", reductions), ("Selecting", selection),
        ("Clipping and finite checks", clipping), ("Random numbers", random), ("Data sets", data), ("Files", files),
        ("Exponentially weighted averages", averages), ("Optimizers", optimizers), ("Learning-rate schedules", schedules),
        ("Mixed precision", precision + scalers), ("Comparing optimizers", comparing), ("Objectives", objectives),
        ("Derivatives", derivatives), ("Drivers", drivers), ("Plots", plots),
    ]

    /// All entries, in the order `:help` lists them.
    public static let table: [Builtin] = sections.flatMap(\.entries)

    /// Named constants (spec §9.1); user code may shadow them.
    public static let constants: [(String, Double)] = [
        ("pi", Double.pi), ("e", 2.718281828459045), ("inf", Double.infinity), ("nan", Double.nan),
    ]

    public static let byName: [String: Builtin] = Dictionary(table.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// Every name the table and the constants define (completion, suggestions, docs).
    public static var allNames: [String] { table.map(\.name) + constants.map(\.0) }
}

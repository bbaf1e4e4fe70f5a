// docs/reference.md, generated from the built-in table (`optrepl --reference`, `make docs`),
// so the reference, `:help` and completion can never disagree.

extension Builtins {
    public static func referenceMarkdown() -> String {
        var out = """
            # optrepl built-in reference

            Generated from the built-in table by `make docs` (`optrepl --reference`); the suite checks
            that this file is current. Every entry shows its signature with defaults (`name: value` may
            be given by label; `name...` collects the remaining arguments) and its one-line doc, as
            `:help NAME` does. Entries marked *differentiable* pass `grad` through (spec §9.7); a call to
            any other built-in on a traced value is an error naming it.

            Constants: \(constants.map { "`\($0.0)`" }.joined(separator: ", ")).


            """
        for (title, entries) in sections {
            out += "## \(title)\n\n"
            for b in entries {
                out += "- `\(shownSignature(b))`: \(b.doc)"
                switch b.differentiation {
                case .none: break
                case .inert: out += " *(reads values only under grad)*"
                case .unary, .sum, .mean, .extremum, .norm, .dot, .matmul, .transpose, .reshape, .clip, .select, .objective, .bowl, .operators:
                    out += " *differentiable*"
                }
                out += "\n"
                for form in forms(of: b.name) ?? [] { out += "  - `\(form.signature)`: \(form.doc)\n" }
            }
            out += "\n"
        }
        out += "## Objects\n\nFields and methods of the objects built-ins make (the member tables; `:help adam.step` shows one).\n\n"
        for e in ObjectClasses.all {
            out += "### \(e.title.prefix(1).uppercased() + e.title.dropFirst()) (\(e.constructors.map { "`\($0)`" }.joined(separator: ", ")))\n\n"
            for m in e.members {
                switch m.kind {
                case .field: out += "- `.\(m.signature)` (field): \(m.doc)\n"
                case .settableField: out += "- `.\(m.signature)` (field, settable): \(m.doc)\n"
                case .method: out += "- `.\(m.signature)`: \(m.doc)\n"
                }
            }
            out += "\n"
        }
        return out
    }
}

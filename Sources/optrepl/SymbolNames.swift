// Julia-style names for the symbols the course's formulas use: `\beta<TAB>` gives β,
// `\_1<TAB>` gives ₁, `m\hat<TAB>` gives m̂. The same names as Julia's REPL, so muscle
// memory carries over.

enum SymbolNames {
    static let table: [String: String] = {
        var t: [String: String] = [
            "\\alpha": "α", "\\beta": "β", "\\gamma": "γ", "\\delta": "δ", "\\epsilon": "ϵ",
            "\\varepsilon": "ε", "\\zeta": "ζ", "\\eta": "η", "\\theta": "θ", "\\iota": "ι",
            "\\kappa": "κ", "\\lambda": "λ", "\\mu": "μ", "\\nu": "ν", "\\xi": "ξ", "\\pi": "π",
            "\\rho": "ρ", "\\sigma": "σ", "\\tau": "τ", "\\upsilon": "υ", "\\phi": "ϕ", "\\varphi": "φ",
            "\\chi": "χ", "\\psi": "ψ", "\\omega": "ω",
            "\\Gamma": "Γ", "\\Delta": "Δ", "\\Theta": "Θ", "\\Lambda": "Λ", "\\Xi": "Ξ", "\\Pi": "Π",
            "\\Sigma": "Σ", "\\Upsilon": "Υ", "\\Phi": "Φ", "\\Psi": "Ψ", "\\Omega": "Ω",
            "\\hat": "\u{0302}", "\\bar": "\u{0304}", "\\tilde": "\u{0303}",
            "\\nabla": "∇", "\\partial": "∂", "\\sqrt": "√", "\\cdot": "⋅", "\\times": "×",
            "\\leftarrow": "←", "\\infty": "∞", "\\approx": "≈",
            "\\_t": "ₜ", "\\_i": "ᵢ", "\\_j": "ⱼ", "\\_k": "ₖ", "\\_n": "ₙ",
        ]
        let subscripts = Array("₀₁₂₃₄₅₆₇₈₉"), superscripts = Array("⁰¹²³⁴⁵⁶⁷⁸⁹")
        for d in 0...9 {
            t["\\_\(d)"] = String(subscripts[d])
            t["\\^\(d)"] = String(superscripts[d])
        }
        return t
    }()
}

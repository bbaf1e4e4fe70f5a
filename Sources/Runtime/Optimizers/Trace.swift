// `:trace on` (spec §11): after each `opt.step` the REPL shows what the step did, leaf by
// leaf: the gradient, every buffer, the bias-corrected averages m̂ and v̂ where the rule
// corrects them, the update Δw, and the effective step size −Δw/g (the learning rate plain
// SGD would have needed for the same move).

import RealModule

extension Optimizer {
    func traceText(before params: Value, grads: Value, after result: Value) -> String {
        guard let buffers,
              let w0 = try? Trees.leaves(params, function: "step", argument: "#1"),
              let g = try? Trees.leaves(grads, function: "step", argument: "#2"),
              let w1 = try? Trees.leaves(result, function: "step", argument: "#1") else { return "" }
        var out = "\(rule.name) step t=\(t)\n"
        for k in 0..<w0.count {
            let names = bufferNames(leaf: k, shape: w0[k].tensor.shape)
            var rows: [(String, [Double])] = []
            rows.append(("g", g[k].tensor.data))
            for (j, name) in names.enumerated() { rows.append((name, buffers[k][j])) }
            rows += corrected(names, buffers[k])
            let update = zip(w1[k].tensor.data, w0[k].tensor.data).map { $0 - $1 }
            rows.append(("Δw", update))
            rows.append(("−Δw/g", zip(update, g[k].tensor.data).map { $1 == 0 ? 0 : -$0 / $1 }))
            let indent = w0.count > 1 || !w0[k].path.isEmpty ? "  \(w0[k].path)\n    " : "  "
            let width = rows.map { Optimizer.columns($0.0) }.max() ?? 0
            out += indent + rows.map { name, values in
                name + String(repeating: " ", count: width - Optimizer.columns(name)) + "  " + Optimizer.compact(values, scalar: w0[k].isNumber)
            }.joined(separator: "\n" + String(indent.split(separator: "\n").last ?? ""))
            out += "\n"
        }
        return out
    }

    /// m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ) for the rules that correct their averages.
    private func corrected(_ names: [String], _ b: [[Double]]) -> [(String, [Double])] {
        let pairs: [(String, String, String)] = [("m", "v", ""), ("exp_avg", "exp_avg_sq", "")]
        for (first, second, _) in pairs {
            guard let i = names.firstIndex(of: first), let j = names.firstIndex(of: second) else { continue }
            let h = hyper
            if h.names.contains("bias_correction"), !h.flag("bias_correction") { return [] }
            let b1 = h.names.contains("beta1") ? h("beta1") : h("betas.0")
            let b2 = h.names.contains("beta2") ? h("beta2") : h("betas.1")
            let c1 = BiasCorrection.at(b1, t), c2 = BiasCorrection.at(b2, t)
            return [("m̂", b[i].map { $0 / c1 }), ("v̂", b[j].map { $0 / c2 })]
        }
        return []
    }

    /// Columns a name takes on screen: combining marks (the hat of m̂) take none.
    static func columns(_ s: String) -> Int {
        s.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }.count
    }

    static func compact(_ values: [Double], scalar: Bool) -> String {
        let parts = values.map { NumberFormat.cFormat("%.6g", $0) }
        return scalar && parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ", ") + "]"
    }
}

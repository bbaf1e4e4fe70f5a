// Lion (Chen et al., 2023), as the paper defines it: the sign of an interpolated momentum.

enum Lion {
    static let rule = OptimizerRule(
        name: "lion",
        parameters: [.optional("lr", .number(1e-4)), .optional("beta1", .number(0.9)), .optional("beta2", .number(0.99)),
                     .optional("weight_decay", .number(0))],
        doc: "Lion: c = β₁·m + (1−β₁)·g; w ← w − lr·(sign(c) + weight_decay·w); m ← β₂·m + (1−β₂)·g.",
        buffers: { _ in ["m"] },
        update: { h in
            let lr = h("lr"), b1 = h("beta1"), b2 = h("beta2"), wd = h("weight_decay")
            return { w, g, b, _ in
                for i in w.indices {
                    let c = b1 * b[0][i] + (1 - b1) * g[i]
                    let s: Double = c > 0 ? 1 : (c < 0 ? -1 : (c.isNaN ? .nan : 0))
                    w[i] = w[i] - lr * (s + wd * w[i])
                    b[0][i] = b2 * b[0][i] + (1 - b2) * g[i]
                }
            }
        },
        unitInterval: ["beta1", "beta2"])
}

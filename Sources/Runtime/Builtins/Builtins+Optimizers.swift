// Optimizer constructors (spec §9.3): one table entry per rule, so binding, `:help` and
// completion see each constructor's parameters with their defaults.

extension Builtins {
    static let optimizers: [Builtin] = (CourseOptimizers.all + [Lion.rule] + TorchOptimizers.all).map(constructor)

    static func constructor(_ rule: OptimizerRule) -> Builtin {
        Builtin(rule.name, rule.parameters, doc: rule.doc, labelHints: rule.foreignLabels) { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            var values: [Value] = []
            for (k, p) in rule.parameters.enumerated() {
                try ArgumentChecks.optimizerParameter(rule.name, p.name, args[k], position: args.position(k))
                values.append(try Optimizer.check(args[k], p, rule: rule, position: args.position(k)))
            }
            try ArgumentChecks.optimizer(rule.name, rule.parameters.map(\.name), values)
            return .object(Optimizer(rule: rule, settings: values))
        }
    }
}

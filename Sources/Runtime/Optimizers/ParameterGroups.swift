// Parameter groups (spec §15.2), as PyTorch's list of dicts:
// `torch.adam(lr: 0.01, groups: ((params: "W1", lr: 0.001), (params: ("layer1.W", "b1"), weight_decay: 0)))`.
// `params` names leaf paths (labels joined by `.`); the other labels override that group's
// hyper-parameters; leaves in no group take the constructor's. A schedule as lr runs its formula
// for each group with the group's own lr in place of the schedule's (PyTorch's initial_lr);
// onecycle and cyclic, whose rates are absolute, give every group the same lr.

/// One group: the leaf paths it names and its hyper-parameters (the constructor's, overridden).
struct ParameterGroup {
    let paths: [String]
    /// Index into the rule's parameters of each override, with its checked value.
    let overrides: [(index: Int, value: Value)]
    /// The constructor's settings with the overrides in place.
    let settings: [Value]
}

extension TorchOptimizers {
    /// The rule with a `groups:` parameter, checked against the rule's own parameters.
    static func withGroups(_ rule: OptimizerRule) -> OptimizerRule {
        var r = rule
        r.parameters.append(.optional("groups", .null))
        // A local function: a closure literal with typed throws capturing `rule` crashes SILGen (Swift 6.3.1).
        @Sendable func check(_ v: Value, _ position: String) throws(RuntimeError) -> Value {
            _ = try ParameterGroups.parse(v, rule: rule, position: position)
            return v
        }
        r.checks["groups"] = check
        return r
    }
}

enum ParameterGroups {
    static let example = "(params: \"W\", lr: 0.001)"

    /// Reads `groups:`: a tuple of labelled tuples, each with `params` (a path or a tuple of
    /// paths) and overrides of the rule's parameters. nil reads as no groups.
    static func parse(_ v: Value, rule: OptimizerRule, position: String, settings: [Value]? = nil) throws(RuntimeError) -> [ParameterGroup] {
        if case .null = v { return [] }
        func fail(_ why: String) -> RuntimeError {
            RuntimeError.badArgumentValue(position, to: rule.name, why + "; write groups: (\(example), ...), one labelled tuple per group")
        }
        guard case .tuple(let list) = v else { throw fail("groups must be a tuple of groups, not \(v.kindWithArticle)") }
        var seen: Set<String> = []
        var groups: [ParameterGroup] = []
        for (k, item) in list.items.enumerated() {
            guard case .tuple(let g) = item, g.labels != nil else {
                throw fail("group \(k) must be a labelled tuple such as \(example), not \(Interpreter.repr(item))")
            }
            var paths: [String]?
            var overrides: [(index: Int, value: Value)] = []
            var values = settings ?? rule.parameters.map { $0.defaultValue?.value ?? .null }
            for i in 0..<g.count {
                let label = g.label(at: i) ?? ""
                let value = g.items[i]
                if label == "params" {
                    switch value {
                    case .string(let s): paths = [s]
                    case .tuple(let t) where t.items.allSatisfy({ if case .string = $0 { return true } else { return false } }) && t.count > 0:
                        paths = t.items.map { if case .string(let s) = $0 { return s } else { return "" } }
                    case .tuple, .number, .bool, .tensor, .view, .function, .object, .null, .traced:
                        throw fail("group \(k)'s params must name leaves: a string such as \"W\" or a tuple of them, not \(Interpreter.repr(value))")
                    }
                    continue
                }
                guard let index = rule.parameters.firstIndex(where: { $0.name == label }) else {
                    let names = rule.parameters.map(\.name).joined(separator: ", ")
                    throw fail(label.isEmpty ? "group \(k) has an unlabelled item" : "group \(k): \(rule.name) has no parameter '\(label)' (it has \(names))")
                }
                let checked = try Optimizer.check(value, rule.parameters[index], rule: rule, position: "'groups'")
                overrides.append((index, checked))
                values[index] = checked
            }
            guard let paths else { throw fail("group \(k) has no params: name its leaves, as \(example)") }
            for p in paths {
                guard seen.insert(p).inserted else {
                    throw fail("some parameters appear in more than one parameter group ('\(p)')")
                }
            }
            groups.append(ParameterGroup(paths: paths, overrides: overrides, settings: values))
        }
        return groups
    }
}

extension Optimizer {
    /// The groups of this optimizer (none when `groups:` is nil or the rule has no such parameter).
    var parameterGroups: [ParameterGroup] {
        guard let k = groupsSlot else { return [] }
        return (try? ParameterGroups.parse(settings[k], rule: rule, position: "'groups'", settings: settings)) ?? []
    }

    var hasGroups: Bool {
        guard let k = groupsSlot else { return false }
        if case .null = settings[k] { return false }
        return true
    }

    /// Each leaf's group (nil: the constructor's values); every path a group names must be a leaf.
    func groupOfLeaves(_ leaves: [Leaf], _ groups: [ParameterGroup]) throws(RuntimeError) -> [Int?] {
        var byPath: [String: Int] = [:]
        for (k, g) in groups.enumerated() { for p in g.paths { byPath[p] = k } }
        let known = Set(leaves.map(\.path))
        for g in groups {
            for p in g.paths where !known.contains(p) {
                let names = leaves.map { $0.path.isEmpty ? "(the parameters themselves)" : $0.path }.joined(separator: ", ")
                throw RuntimeError("\(rule.name).step: groups name '\(p)', which is no leaf of the parameters (their leaves: \(names))",
                                   notes: ["hint: a leaf's path is its labels joined by '.', as in layer1.W"])
            }
        }
        return leaves.map { byPath[$0.path] }
    }

    /// A group's hyper-parameters at this step: the step's own (its schedule already applied,
    /// cycled momentum included) with the group's overrides. A group lr under a schedule runs
    /// that schedule's formula from the group's lr; onecycle and cyclic rates stay absolute.
    func groupHyper(_ group: ParameterGroup, stepHyper h: Hyper, step t: Int) throws(RuntimeError) -> Hyper {
        let own = Hyper(parameters: rule.parameters, values: group.settings)
        var out = h
        guard own.names == h.names else { return own }
        let lrIndex = rule.parameters.firstIndex { $0.name == "lr" }
        for (index, value) in group.overrides {
            let name = rule.parameters[index].name
            for (slot, n) in h.names.enumerated() where n == name || n.hasPrefix(name + ".") {
                out.values[slot] = own.values[slot]
            }
            guard index == lrIndex, let slot = h.names.firstIndex(of: "lr") else { continue }
            if case .object(let o) = value, let s = o as? Schedule {
                out.values[slot] = try s.rate(t)
            } else if case .number(let x) = value, let k = lrIndex, case .object(let o) = settings[k], let s = o as? Schedule {
                switch s.kind {
                case .onecycle, .cyclic: out.values[slot] = h.values[slot]
                case .constant, .inverse_time, .staircase, .step, .multistep, .exponential, .cosine, .cosine_restarts,
                     .linear, .warmup_cosine, .plateau, .lambda, .multiplicative, .polynomial, .sequential, .chained:
                    out.values[slot] = try groupSchedule(s, lr: x).rate(t)
                }
            }
        }
        // A cycling schedule sets every group's momentum (or beta1), over the group's own, as
        // PyTorch's OneCycleLR and CyclicLR do.
        if let k = lrIndex, case .object(let o) = settings[k], let s = o as? Schedule, s.flag("cycle_momentum"),
           let slot = Schedule.momentumSlot(h.names) {
            out.values[slot] = h.values[slot]
        }
        return out
    }

    /// The schedule with the group's lr as its base lr (PyTorch's initial_lr of that group); the
    /// same object each step, so it replays one step per step.
    private func groupSchedule(_ s: Schedule, lr: Double) -> Schedule { s.withBaseLR(lr) }

    /// `group 0 (W): lr: 0.001, betas: (0.5, 0.6)` per group, for explain() and the summary.
    var groupLines: [String] {
        parameterGroups.enumerated().map { k, g in
            "group \(k) (\(g.paths.joined(separator: ", "))): "
                + g.overrides.map { "\(rule.parameters[$0.index].name): \(Interpreter.repr($0.value))" }.joined(separator: ", ")
        }
    }

    /// PyTorch's list of dicts for opt.torch(): each group, then the leaves in none.
    func torchGroupsText(_ call: String) -> String {
        guard hasGroups, call.contains("(params, ") else { return call }
        let groups = parameterGroups
        func py(_ v: Value) -> String {
            switch v {
            case .bool(let b): return b ? "True" : "False"
            case .number(let x): return TorchOptimizers.py(x)
            case .tuple(let t): return "(" + t.items.map(py).joined(separator: ", ") + ")"
            case .null: return "None"
            case .string(let s): return Interpreter.quoted(s)
            case .object(let o): return (o as? Schedule).map { _ in "lr" } ?? "None"
            case .tensor, .view, .function, .traced: return Interpreter.repr(v)
            }
        }
        var dicts = groups.map { g in
            "{\"params\": [" + g.paths.joined(separator: ", ") + "]"
                + g.overrides.map { ", \"\(rule.parameters[$0.index].name)\": \(py($0.value))" }.joined() + "}"
        }
        let grouped = Set(groups.flatMap(\.paths))
        if let template, let leaves = try? Trees.leaves(template, function: "torch", argument: "#1") {
            let rest = leaves.map(\.path).filter { !grouped.contains($0) }
            if !rest.isEmpty { dicts.append("{\"params\": [" + rest.joined(separator: ", ") + "]}") }
        } else {
            dicts.append("{\"params\": rest}")
        }
        // Every torch call starts "torch.optim.Name(params, ": the list takes params' place.
        guard let open = call.firstIndex(of: "(") else { return call }
        let after = call.index(open, offsetBy: "(params, ".count)
        return String(call[..<open]) + "([" + dicts.joined(separator: ", ") + "], " + String(call[after...])
    }
}

extension Optimizer {
    /// Each leaf's hyper-parameters (its group's, without a schedule's rate) for reading the
    /// state's layout; nil without groups or before the first step.
    func leafHypers() -> [Hyper]? {
        guard hasGroups, let template, let leaves = try? Trees.leaves(template, function: "state", argument: "#1") else { return nil }
        let groups = parameterGroups
        guard let groupOf = try? groupOfLeaves(leaves, groups) else { return nil }
        let own = groups.map { Hyper(parameters: rule.parameters, values: $0.settings) }
        return groupOf.map { withCycledMomentum($0.map { own[$0] } ?? hyper) }
    }

    /// The buffer names of leaf k (they differ by shape for adafactor, by group for sgd's momentum).
    func bufferNames(leaf k: Int, shape: [Int]) -> [String] {
        rule.bufferLayout(leafHypers()?[k] ?? withCycledMomentum(hyper), shape: shape).map(\.name)
    }
}

extension Optimizer {
    /// What minimize and stepper refuse before running: groups (they name the leaves of a tree;
    /// the drivers run on one tensor) and a leaf the rule cannot take (muon on a vector).
    func checkDriven(shape: [Int], label: String) throws(RuntimeError) {
        if hasGroups {
            throw RuntimeError("\(rule.name): parameter groups name the leaves of a tree, and \(label) runs on one tensor",
                               notes: ["hint: leave groups: out, or step a tree yourself with p = opt.step(p, grad(loss, p))"])
        }
        if let requirement = rule.leafRequirement, let m = requirement(shape) { throw RuntimeError("\(rule.name): " + m) }
    }
}

// Habits: what a newcomer from Python, NumPy or PyTorch types, and the optrepl form of it, in
// one table. The parser reads its syntax rows (`def`, `lambda`, f-strings, `a, b`, `x++`, ...)
// where a statement or expression fails to parse; the evaluator's unknown-name and no-member
// errors carry a `Habits.Cue`, and `Habits.advice` turns the cue into a hint with the user's
// own code rewritten (`np.clip(x, 0, 1)` -> `clip(x, 0, 1)`, `x.reshape(4)` -> `reshape(x, 4)`).
// Operators from other languages (`&&`, `||`, `!`, `?:`, `->`) are the lexer's habits: it meets
// them first, and its table of them (Lexer.swift) gives the same kind of hint.
// A habit never replaces the error: it is the `hint:` line under it, and it takes the place of
// a "did you mean" that would point somewhere wrong (`None` is not a misspelt `ones`).

import Lexer

public enum Habits {
    // MARK: syntax the parser meets

    /// Python forms that do not parse as optrepl.
    public enum Syntax {
        case importStatement
        case def
        case lambda
        case fString
        case elif
        /// `a, b` outside parentheses (`return a, b`, `x = 1, 2`).
        case bareTuple
        /// `a, b = ...`
        case unpacking
        /// `for k, v in ...`
        case forPair
        /// `x++` / `x--`
        case increment(String)
        /// `for i in range(3):` and `if x > 0:`
        case colonBlock
        /// `[x ** 2 for x in xs]`
        case comprehension
        /// `a if c else b`
        case conditionalExpression

        /// The error line.
        public var message: String {
            switch self {
            case .importStatement: return "optrepl has nothing to import"
            case .def: return "functions are written with 'fn', not 'def'"
            case .lambda: return "anonymous functions are written with 'fn', not 'lambda'"
            case .fString: return "optrepl has no f-strings: values go into strings with \\(...)"
            case .elif: return "write 'else if', not 'elif'"
            case .bareTuple: return "a tuple is written in parentheses"
            case .unpacking: return "optrepl assigns one name at a time (no tuple unpacking)"
            case .forPair: return "a for loop has one loop variable"
            case .increment(let op): return "there is no '\(op)' operator"
            case .colonBlock: return "a block is written in braces, not after ':'"
            case .comprehension: return "optrepl has no list comprehensions"
            case .conditionalExpression: return "optrepl has no conditional expression (a if c else b)"
            }
        }
    }

    /// The hint of an `import` line.
    public static let importHint = "every built-in is always there, without a prefix: clip(x, 0, 1), zeros(3), isnan(x), torch.adam(lr: 0.01)"

    /// The hint of `for i in range(3):`.
    public static let colonBlockHint = "write for i in 0..<3 { print(i) }, if x > 0 { ... } else { ... }, while c { ... }, fn f(x) { ... }"

    /// The hint of `[x ** 2 for x in xs]`.
    public static let comprehensionHint = "element-wise expressions work on whole tensors: arange(4) ^ 2; map(fn(x) = x ^ 2, t) over a tuple or tree; or a loop with y = append(y, v)"

    /// The hint of `a if c else b`, the same as the lexer's for `c ? a : b`.
    public static let conditionalHint = Lexer.conditionalHint

    /// The hint of `"lr = %f" % lr`.
    public static let percentFormatting = "write \"lr = \\(format(lr, \".6f\"))\": values go into strings with \\(...), and format(x, spec) takes Python's format specs"

    /// The hint of `for k, v in t`.
    public static let forPairHint = "for the labels of a tuple: for k in keys(t) { v = t[k] ... }; for an index (enumerate): for i in 0..<len(x) { ... x[i] ... }"

    /// `"loss {loss:.3f}"` (the text between the quotes of an f-string) as an optrepl string:
    /// `{x}` becomes `\(x)`, `{x:spec}` becomes `\(format(x, "spec"))`, `{{` and `}}` one brace.
    public static func rewriteFString(_ body: String) -> (text: String, formats: Bool) {
        var out = ""
        var formats = false
        var chars = Array(body)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if (c == "{" || c == "}"), chars.first == c {
                out.append(c)
                chars = chars.dropFirst()
                continue
            }
            guard c == "{" else { out.append(c); continue }
            var inner = ""
            var depth = 0
            while let d = chars.first {
                chars = chars.dropFirst()
                if d == "}" && depth == 0 { break }
                if d == "(" || d == "[" || d == "{" { depth += 1 }
                if d == ")" || d == "]" || d == "}" { depth -= 1 }
                inner.append(d)
            }
            // The format spec follows the last ':' outside brackets (a slice `x[1:2]` keeps its colons).
            var split: String.Index?
            var level = 0
            for i in inner.indices {
                switch inner[i] {
                case "(", "[": level += 1
                case ")", "]": level -= 1
                case ":" where level == 0: split = i
                default: break
                }
            }
            if let split {
                let expr = inner[..<split].trimmingSpaces, spec = inner[inner.index(after: split)...]
                out += "\\(format(\(expr), \"\(spec)\"))"
                formats = true
            } else {
                out += "\\(\(inner.trimmingSpaces))"
            }
        }
        return (out, formats)
    }

    // MARK: names and members the evaluator meets

    /// What an unknown-name or no-member error knows when it is thrown.
    public enum Cue: Sendable {
        case unknownName(String)
        /// A member the receiver (a tensor, a number, an optimizer, the `torch` namespace, ...) lacks.
        case noMember(receiver: Receiver, name: String)
    }

    public enum Receiver: Sendable {
        case value
        /// An object of this kind (`optimizer`, `schedule`, ...).
        case object(String)
        case namespace(String)
    }

    /// Methods PyTorch's objects have, by the kind of optrepl object they are missed on.
    static let objectMembers: [String: [String: String]] = [
        "schedule": [
            "step": "a schedule is a function of the epoch: s(e) is its lr (s.table(0...9) for several); given as an optimizer's lr: it advances by itself at every opt.step (only plateau schedules take s.step(metric))",
            "get_last_lr": "s(e) is the lr at epoch e; as an optimizer's lr: the optimizer reads it at each step",
        ],
        "optimizer": [
            "param_groups": "per-leaf settings are groups given when the optimizer is made: torch.adam(lr: 0.01, groups: ((params: \"W1\", lr: 0.001),)); opt.lr = 0.001 changes the lr of the next steps",
        ],
    ]

    /// Python names with an optrepl spelling of their own.
    static let names: [String: String] = [
        "None": "write nil (optrepl's None)",
        "True": "write true",
        "False": "write false",
        "help": "help is a REPL command: :help lists everything, :help adam shows one name",
        "enumerate": "loop over an index: for i in 0..<len(x) { ... x[i] ... }",
        "int": "floor(x) rounds down to a whole number (numbers are float64 throughout)",
        "float": "numbers are already float64: write x",
        "list": "a list is a tensor [1, 2, 3] or a tuple (a, b, c); append(x, v) adds an element",
        "dict": "a dict is a labelled tuple: (lr: 0.1, steps: 100); keys(t) lists its labels",
        "import": importHint,
        "from": importHint,
        "elif": "write else if",
        "pass": "an empty block is {}",
        "self": "optrepl has no classes: objects are tuples, (W: w, b: b), and their fields t.W",
    ]

    /// Module prefixes a Python user puts before a built-in.
    static let modules: Set<String> = ["np", "numpy", "math", "torch", "F", "nn", "optim", "lr_scheduler", "scipy", "random"]

    /// PyTorch's scheduler classes and optrepl's schedule kinds.
    static let schedulerClasses: [String: String] = [
        "StepLR": "step", "MultiStepLR": "multistep", "ExponentialLR": "exponential",
        "CosineAnnealingLR": "cosine", "CosineAnnealingWarmRestarts": "cosine_restarts",
        "LinearLR": "linear", "OneCycleLR": "onecycle", "ReduceLROnPlateau": "plateau",
        "ConstantLR": "constant", "LambdaLR": "lambda", "MultiplicativeLR": "multiplicative",
        "PolynomialLR": "polynomial", "CyclicLR": "cyclic", "SequentialLR": "sequential",
        "ChainedScheduler": "chained",
    ]

    /// Names that differ from the built-in's: PyTorch's and NumPy's spelling, optrepl's.
    static let renamed: [String: String] = [
        "clamp": "clip", "clip_grad_norm_": "clip_grad_norm", "clip_grad_value_": "clip_grad_value",
        "amax": "max", "amin": "min", "concatenate": "concat", "cat": "concat",
    ]

    /// PyTorch's autograd on tensors and optimizers, which optrepl does as values.
    static let autograd: Set<String> = [
        "zero_grad", "grad", "backward", "param_groups", "state_dict", "load_state_dict",
        "requires_grad", "requires_grad_", "detach", "retain_grad", "grad_fn",
    ]

    /// Tensor methods whose optrepl form is not a call of the same name.
    static let methods: [String: String] = [
        "item": "x is a number already, or x[0] for a one-element tensor",
        "numpy": "a tensor is already an array: write x",
        "tolist": "a tensor is already an array: write x",
        "copy": "assignment copies: y = x (values are never shared)",
        "clone": "assignment copies: y = x (values are never shared)",
        "pow": "write x ^ p",
        "matmul": "write a @ b", "mm": "write a @ b", "dot": "write a @ b",
    ]

    /// matplotlib's options, and how optrepl's plot says them.
    public static let plotOptions: [String: String] = [
        "yscale": "write logy: true for a log y axis (matplotlib's yscale: \"log\")",
        "xscale": "only the y axis can be logarithmic: logy: true",
        "label": "a series is named by its label: plot(adam: losses, sgd: other)",
        "color": "colours are chosen per series; name the series to tell them apart: plot(adam: a, sgd: b)",
        "linestyle": "drawstyle: \"steps\" draws steps; lines that coincide are dashed by themselves",
        "savefig": "write file: \"name.svg\" (or .png, .pdf)",
        "fname": "write file: \"name.svg\" (or .png, .pdf)",
    ]

    public static let gradientsAreValues = "gradients are values here: g = grad(f, w), then w = opt.step(w, g)"

    /// Whether a name is one of the table's, so "did you mean" stays quiet about it.
    public static func knows(_ name: String) -> Bool {
        names[name] != nil || modules.contains(name) || schedulerClasses[name] != nil
    }

    /// Whether a member name is one of the table's (so "did you mean 'shape'" stays quiet).
    public static func knowsMember(_ name: String, of receiver: Receiver, isBuiltin: (String) -> Bool) -> Bool {
        if case .object(let kind) = receiver, objectMembers[kind]?[name] != nil { return true }
        return autograd.contains(name) || methods[name] != nil || renamed[name] != nil || isBuiltin(name)
    }

    /// The hint for an error with `cue` at `range` of `file`, with the user's code rewritten
    /// where the syntax tree around the error shows what was meant; nil when no habit applies.
    public static func advice(_ cue: Cue, file: SourceFile, range: SourceRange,
                              isBuiltin: (String) -> Bool) -> String? {
        let chain = file.exprChain(at: range)
        switch cue {
        case .unknownName(let name):
            if modules.contains(name) || schedulerClasses[name] != nil {
                return qualified(chain, file: file, isBuiltin: isBuiltin)
                    ?? "optrepl's built-ins need no module prefix; :help lists them"
            }
            // help(adam) -> :help adam
            if name == "help", chain.count > 1, case .call(_, let args) = chain[1].kind, args.count == 1 {
                return "help is a REPL command: write :help \(file.slice(args[0].value.range))"
            }
            return names[name]
        case .noMember(.namespace, _):
            return qualified(chain, file: file, isBuiltin: isBuiltin)
        case .noMember(let receiver, let name):
            if case .object(let kind) = receiver, let text = objectMembers[kind]?[name] { return text }
            if autograd.contains(name) { return gradientsAreValues }
            if case .object = receiver { return nil }
            if let text = methods[name] { return text }
            let function = renamed[name] ?? name
            guard isBuiltin(function) else { return nil }
            // x.name(args) -> name(x, args); x.append(v) returns a copy, so it is assigned.
            guard let (base, arguments) = methodCall(chain, file: file) else {
                return "optrepl's functions are not methods: write \(function)(x)"
            }
            let call = "\(function)(" + ([base] + arguments).joined(separator: ", ") + ")"
            if function == "append" { return "optrepl's functions are not methods, and append returns a copy: write \(base) = \(call)" }
            return "optrepl's functions are not methods: write \(call)"
        }
    }

    /// `np.clip(x, 0, 1)`, `torch.optim.Adam(params, lr: 0.1)`, `lr_scheduler.StepLR(opt, step_size: 30)`:
    /// the built-in meant, with the call's arguments.
    static func qualified(_ chain: [Expr], file: SourceFile, isBuiltin: (String) -> Bool) -> String? {
        // The outermost member chain that holds the error: `np.random.randn`.
        var top = 0
        while top + 1 < chain.count, case .member = chain[top + 1].kind { top += 1 }
        guard case .member(_, let last, _) = chain[top].kind else {
            if case .name(let n) = chain[top].kind, let kind = schedulerClasses[n] { return scheduleAdvice(kind, nil, file) }
            return nil
        }
        var arguments: [Argument]?
        if top + 1 < chain.count, case .call(_, let args) = chain[top + 1].kind { arguments = args }
        if let kind = schedulerClasses[last] { return scheduleAdvice(kind, arguments, file) }
        let lower = last.lowercased()
        if last.first?.isUppercase == true, isBuiltin("torch." + lower) {
            // PyTorch's optimizers take the parameters first; optrepl's take them at each step.
            let labelled = (arguments ?? []).filter { $0.label != nil }.map { file.argumentText($0) }
            let dropped = (arguments ?? []).contains { $0.label == nil }
            return "write torch.\(lower)(" + labelled.joined(separator: ", ") + ")"
                + (dropped ? "; the parameters go to each step: w = opt.step(w, g)" : "")
        }
        let name = renamed[last] ?? last
        guard isBuiltin(name) else { return nil }
        let call = arguments.map { "\(name)(" + $0.map { file.argumentText($0) }.joined(separator: ", ") + ")" } ?? name
        return "optrepl's built-ins need no module prefix: write \(call)"
    }

    static func scheduleAdvice(_ kind: String, _ arguments: [Argument]?, _ file: SourceFile) -> String {
        // The first positional argument of a PyTorch scheduler is the optimizer; optrepl's
        // schedule starts from the lr and is read at each step (opt.step(w, g, lr: s(t))).
        let labelled = (arguments ?? []).filter { $0.label != nil }.map { file.argumentText($0) }
        return "write s = schedule(\"\(kind)\", lr" + labelled.map { ", " + $0 }.joined()
            + ") and give it to the optimizer: adam(lr: s); :help schedule lists each kind's parameters"
    }

    /// For `x.name(args)` with the member at the end of `chain`: the receiver's text and the arguments'.
    static func methodCall(_ chain: [Expr], file: SourceFile) -> (String, [String])? {
        guard let member = chain.first, case .member(let base, _, _) = member.kind else { return nil }
        var arguments: [String] = []
        if chain.count > 1, case .call(let callee, let args) = chain[1].kind, callee.range == member.range {
            arguments = args.map { file.argumentText($0) }
        }
        return (file.slice(base.range), arguments)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

extension SourceFile {
    /// The source text of an argument, with its label.
    func argumentText(_ a: Argument) -> String {
        slice(a.labelRange.map { $0.through(a.value.range) } ?? a.value.range)
    }

    /// The expressions around `range`, innermost first: the one whose range or member name is
    /// `range`, then each enclosing expression. Empty when the file does not parse.
    func exprChain(at range: SourceRange) -> [Expr] {
        guard case .complete(let program) = Parser.parse(self) else { return [] }
        var path: [Expr] = []
        for s in program.statements where s.range.start <= range.start && range.end <= s.range.end {
            if ASTSearch.find(range, in: s, &path) { break }
        }
        return path.reversed()
    }
}

/// Finds the path of expressions from a statement down to the one at a range.
enum ASTSearch {
    static func find(_ r: SourceRange, in s: Stmt, _ path: inout [Expr]) -> Bool {
        switch s.kind {
        case .expression(let e): return find(r, in: e, &path)
        case .assign(let target, _, let value):
            for a in target.path where find(r, in: a, &path) { return true }
            return find(r, in: value, &path)
        case .function(let f): return find(r, in: f, &path)
        case .ifElse(let branches, let elseBody):
            for b in branches {
                if find(r, in: b.condition, &path) { return true }
                for s in b.body where find(r, in: s, &path) { return true }
            }
            for s in elseBody ?? [] where find(r, in: s, &path) { return true }
            return false
        case .forIn(_, _, let sequence, let body):
            if find(r, in: sequence, &path) { return true }
            for s in body where find(r, in: s, &path) { return true }
            return false
        case .whileLoop(let condition, let body):
            if find(r, in: condition, &path) { return true }
            for s in body where find(r, in: s, &path) { return true }
            return false
        case .returnValue(let e): return e.map { find(r, in: $0, &path) } ?? false
        case .breakLoop, .continueLoop: return false
        }
    }

    static func find(_ r: SourceRange, in f: FunctionDecl, _ path: inout [Expr]) -> Bool {
        for p in f.parameters { if let d = p.defaultValue, find(r, in: d, &path) { return true } }
        for s in f.body where find(r, in: s, &path) { return true }
        return false
    }

    static func find(_ r: SourceRange, in a: Accessor, _ path: inout [Expr]) -> Bool {
        switch a {
        case .index(let items, _): return find(r, in: items, &path)
        case .member: return false
        }
    }

    static func find(_ r: SourceRange, in items: [IndexItem], _ path: inout [Expr]) -> Bool {
        for item in items {
            switch item {
            case .single(let e): if find(r, in: e, &path) { return true }
            case .slice(let a, let b, let c, _):
                for e in [a, b, c].compactMap({ $0 }) where find(r, in: e, &path) { return true }
            }
        }
        return false
    }

    static func find(_ r: SourceRange, in e: Expr, _ path: inout [Expr]) -> Bool {
        guard e.range.start <= r.start && r.end <= e.range.end else { return false }
        path.append(e)
        if e.range == r { return true }
        let found: Bool
        switch e.kind {
        case .number, .bool, .nilLiteral, .name: found = false
        case .string(let segments):
            found = segments.contains { seg in
                if case .expr(let x) = seg { return find(r, in: x, &path) }
                return false
            }
        case .tensor(let xs): found = xs.contains { find(r, in: $0, &path) }
        case .tuple(let args): found = args.contains { find(r, in: $0.value, &path) }
        case .unary(_, let x), .not(let x): found = find(r, in: x, &path)
        case .binary(_, let a, let b), .comparison(_, let a, let b), .logical(_, let a, let b), .range(let a, let b, _):
            found = find(r, in: a, &path) || find(r, in: b, &path)
        case .call(let callee, let args):
            found = find(r, in: callee, &path) || args.contains { find(r, in: $0.value, &path) }
        case .index(let base, let items): found = find(r, in: base, &path) || find(r, in: items, &path)
        case .member(let base, _, let nameRange): found = nameRange == r || find(r, in: base, &path)
        case .function(let f): found = find(r, in: f, &path)
        }
        if !found { path.removeLast() }
        return found
    }
}

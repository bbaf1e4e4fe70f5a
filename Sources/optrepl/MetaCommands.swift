// The REPL's meta commands (spec §11), one table row each. `:help` reads the built-in table,
// the member tables of objects (Runtime/Values/Members.swift) and this table.

#if canImport(Glibc)
import Glibc
#endif
import Lexer
import Parser
import Runtime

struct MetaCommands {
    let session: Session

    /// What a meta command gives the REPL: text to show, or the end of the session.
    enum Result {
        case output(String)
        case end(ExitStatus)
    }

    /// One row per meta command: its usage and doc (for `:help` and `:help :NAME`), and what it
    /// does with the rest of the line. Completion of `:` reads the names from here.
    struct Command: Sendable {
        let name: String
        let usage: String
        let doc: String
        let run: @Sendable (MetaCommands, String) -> Result
    }

    static let table: [Command] = [
        Command(name: "help", usage: ":help [NAME]", doc: "what a built-in, a member (:help adam.step, :help opt.lr) or a command (:help :trace) does; ?NAME is the same") {
            .output($0.help($1))
        },
        Command(name: "explain", usage: ":explain NAME|object", doc: "an optimizer's update formulas with its hyper-parameters substituted") {
            .output($0.explain($1))
        },
        Command(name: "vars", usage: ":vars", doc: "the session's variables and their values") { m, _ in .output(m.vars()) },
        Command(name: "reset", usage: ":reset", doc: "forget every variable") { m, _ in
            m.session.interpreter.reset()
            return .output("all variables cleared\n")
        },
        Command(name: "precision", usage: ":precision N", doc: "significant digits of printed tensors (1 to 17)") { .output($0.precision($1)) },
        Command(name: "load", usage: ":load FILE", doc: "run a file in this session; its variables stay") { $0.load($1) },
        Command(name: "save", usage: ":save FILE", doc: "write the entries that ran in this session to FILE as a script") { $0.save($1) },
        Command(name: "time", usage: ":time CODE", doc: "the median time of running CODE, repeated for half a second") { $0.time($1) },
        Command(name: "trace", usage: ":trace on|off", doc: "show every opt.step's buffers, m̂, v̂ and the update") { m, argument in
            let I = m.session.interpreter
            switch argument {
            case "on": I.channel.trace = true; return .output("tracing optimizer steps\n")
            case "off": I.channel.trace = false; return .output("tracing off\n")
            case "": return .output("tracing is \(I.channel.trace ? "on" : "off") (:trace on|off)\n")
            default: return .output(":trace takes on or off\n")
            }
        },
        Command(name: "quit", usage: ":quit", doc: "leave the REPL (also Ctrl-D, or :q)") { _, _ in .end(.success) },
    ]

    static let names = table.map(\.name)

    /// Runs a `:command` or `?name` line.
    func run(_ line: String) -> Result {
        var text = line.trimmingCharactersSpaces
        if text.hasPrefix("?") { text = ":help " + text.dropFirst() }
        let words = text.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let name = words.first ?? ""
        let argument = words.count > 1 ? words[1].trimmingCharactersSpaces : ""
        if let command = MetaCommands.table.first(where: { $0.name == name || ($0.name == "quit" && name == "q") }) {
            return command.run(self, argument)
        }
        var message = "unknown command ':\(name)'"
        if let s = nearestName(name, in: MetaCommands.names) { message += "; did you mean ':\(s)'?" }
        return .output(message + " (:help lists the commands)\n")
    }

    func help(_ name: String) -> String {
        guard !name.isEmpty else {
            let width = MetaCommands.table.map(\.usage.count).max() ?? 0
            let commands = MetaCommands.table.map { c in
                c.usage + String(repeating: " ", count: width - c.usage.count) + "  " + c.doc
            }.joined(separator: "\n")
            let names = Builtins.table.map(\.name).sorted().joined(separator: " ")
            let objects = ObjectClasses.all.map { e in
                "  \(e.title): " + e.members.map(\.name).joined(separator: " ")
            }.joined(separator: "\n")
            return """
            \(commands)
            The language: :help syntax (and :help for, :help fn, :help ^, ... for each keyword and operator)
            Built-ins: \(names)
            Members of objects (:help adam.step):
            \(objects)

            """
        }
        if name.hasPrefix(":") {
            let command = String(name.dropFirst())
            if let c = MetaCommands.table.first(where: { $0.name == command }) { return c.usage + "\n  " + c.doc + "\n" }
            var message = "no command ':\(command)'"
            if let s = nearestName(command, in: MetaCommands.names) { message += "; did you mean ':\(s)'?" }
            return message + "\n"
        }
        if let text = LanguageHelp.entries[name] { return text + "\n" }
        if let b = Builtins.byName[name] {
            var text = Builtins.shownSignature(b) + "\n  " + b.doc + "\n"
            for form in Builtins.forms(of: name) ?? [] { text += "  \(form.signature)\n      \(form.doc)\n" }
            if let members = ObjectClasses.members(ofObjectsMadeBy: name) {
                text += "  members: " + members.map(\.name).joined(separator: " ") + " (:help \(name).NAME)\n"
            }
            return text
        }
        if let dot = name.lastIndex(of: "."), let members = members(of: String(name[..<dot])) {
            let base = String(name[..<dot]), member = String(name[name.index(after: dot)...])
            if let m = members.first(where: { $0.name == member }) {
                let kind: String
                switch m.kind {
                case .field: kind = "(field) "
                case .settableField: kind = "(field, settable) "
                case .method: kind = ""
                }
                return "\(base).\(m.signature)\n  \(kind)\(m.doc)\n"
            }
            var message = "no member '\(member)' of \(base)"
            if let s = nearestName(member, in: members.map(\.name)) { message += "; did you mean '\(s)'?" }
            return message + "\n  members: " + members.map(\.name).joined(separator: " ") + "\n"
        }
        if case .object(let o)? = session.interpreter.global(name) {
            return "\(name): \(o.summary)\n  members: " + o.members.map(\.name).joined(separator: " ") + "\n"
        }
        var message = "no built-in named '\(name)'"
        if let s = nearestName(name, in: Builtins.allNames) { message += "; did you mean '\(s)'?" }
        return message + "\n"
    }

    /// The members of a session variable's object, or of the objects a constructor makes.
    private func members(of base: String) -> [MemberInfo]? {
        if case .object(let o)? = session.interpreter.global(base), !(o is Namespace) { return o.members }
        return ObjectClasses.members(ofObjectsMadeBy: base)
    }

    /// The formulas of an optimizer variable, or of a constructor with its defaults.
    func explain(_ name: String) -> String {
        let I = session.interpreter
        if case .object(let o)? = I.global(name), let opt = o as? Optimizer { return opt.explanation }
        if let b = Builtins.byName[name] {
            var args = Arguments(function: name, positional: [])
            if (try? args.bind(b.parameters)) != nil, case .object(let o)? = try? b.impl(&args, I), let opt = o as? Optimizer {
                return opt.explanation
            }
        }
        // An expression that makes an optimizer: `:explain torch.adam(lr: 0.1)`.
        if !name.isEmpty, case (.completed, .object(let o)?) = session.catchingValue(of: name, name: "<:explain>"),
           let opt = o as? Optimizer {
            return opt.explanation
        }
        return ":explain takes an optimizer, an expression that makes one, or the name of a constructor (adam, torch.rmsprop, ...)\n"
    }

    func vars() -> String {
        let I = session.interpreter
        let vars = I.userVariables
        if vars.isEmpty { return "no variables yet\n" }
        return vars.map { name, value in
            var text = Interpreter.repr(value)
            if text.count > 70 { text = String(text.prefix(67)) + "..." }
            return "\(name) = \(text)"
        }.joined(separator: "\n") + "\n"
    }

    func precision(_ argument: String) -> String {
        guard let n = Int(argument), n >= 1, n <= 17 else { return ":precision takes a whole number from 1 to 17\n" }
        session.interpreter.host.precision = n
        return "tensors now print with \(n) significant digits\n"
    }
}

extension MetaCommands {
    /// Runs a file in this session (its definitions stay); nothing is displayed. `exit` in it
    /// ends the session, as it would end the file run as a script. `--sandbox` refuses it: it
    /// reads a file.
    func load(_ path: String) -> Result {
        guard !path.isEmpty else { return .output(":load takes a file name\n") }
        guard !session.interpreter.host.sandbox else { return .output(":load reads a file, which --sandbox does not allow\n") }
        switch SourceInput.readFile(path) {
        case .failure(.cannotOpen(let why)):
            return .output("cannot open '\(path)': \(why)\n")
        case .success(let text):
            let outcome = session.execute(SourceFile(name: path, text: text), mode: .script)
            if let status = session.reportInteractive(outcome) { return .end(status) }
            return .output("")
        }
    }

    /// Writes the session's entries that ran as a script (a temporary file renamed into place).
    func save(_ path: String) -> Result {
        guard !path.isEmpty else { return .output(":save takes a file name\n") }
        guard !session.interpreter.host.sandbox else { return .output(":save writes a file, which --sandbox does not allow\n") }
        let text = session.acceptedEntries.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
        do {
            try FileIO.write(path, Array(text.utf8))
        } catch {
            return .output(":save: \(error.message)\n")
        }
        let n = session.acceptedEntries.count
        return .output("wrote \(n) entr\(n == 1 ? "y" : "ies") to \(path)\n")
    }

    /// Like IPython's %timeit: repeats the code (more often when it is fast) and reports the
    /// median time per run and the spread between the fastest and slowest tenth. It is parsed
    /// once and run through the session's pipeline like any entry, values not shown.
    func time(_ code: String) -> Result {
        guard !code.isEmpty else { return .output(":time takes an expression\n") }
        let file = SourceFile(name: "<repl>", text: code)
        let parsed = Parser.parse(file)
        guard case .complete = parsed else {
            return .output(":time: \(code) does not parse as a complete statement\n")
        }
        var samples: [Double] = []
        let budget = 0.5
        let started = MetaCommands.now()
        repeat {
            let t0 = MetaCommands.now()
            let outcome = session.execute(file, mode: .script, parsed: parsed)
            guard case .completed = outcome else {
                if let status = session.reportInteractive(outcome) { return .end(status) }
                return .output("")
            }
            samples.append(MetaCommands.now() - t0)
        } while MetaCommands.now() - started < budget && samples.count < 100_000
        samples.sort()
        let median = samples[samples.count / 2]
        let low = samples[samples.count / 10], high = samples[samples.count * 9 / 10]
        return .output("median \(MetaCommands.duration(median)) (10%-90%: \(MetaCommands.duration(low)) to \(MetaCommands.duration(high))) over \(samples.count) run\(samples.count == 1 ? "" : "s")\n")
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    static func duration(_ s: Double) -> String {
        if s >= 1 { return NumberFormat.cFormat("%.3g s", s) }
        if s >= 1e-3 { return NumberFormat.cFormat("%.3g ms", s * 1e3) }
        if s >= 1e-6 { return NumberFormat.cFormat("%.3g µs", s * 1e6) }
        return NumberFormat.cFormat("%.3g ns", s * 1e9)
    }
}

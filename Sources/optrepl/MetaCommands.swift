// The REPL's meta commands (spec §11): `:help [name]` (also `?name`), `:explain NAME|object`,
// `:vars`, `:reset`, `:precision N`, `:quit`. Help text comes from the built-in table.

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

    static let names = ["help", "explain", "vars", "reset", "precision", "load", "time", "trace", "quit"]

    /// Runs a `:command` or `?name` line.
    func run(_ line: String) -> Result {
        var text = line.trimmingCharactersSpaces
        if text.hasPrefix("?") { text = ":help " + text.dropFirst() }
        let words = text.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let command = words.first ?? ""
        let argument = words.count > 1 ? words[1].trimmingCharactersSpaces : ""
        switch command {
        case "help": return .output(help(argument))
        case "explain": return .output(explain(argument))
        case "vars": return .output(vars())
        case "reset":
            session.interpreter.reset()
            return .output("all variables cleared\n")
        case "precision": return .output(precision(argument))
        case "load": return load(argument)
        case "time": return time(argument)
        case "trace":
            switch argument {
            case "on": session.interpreter.trace = true; return .output("tracing optimizer steps\n")
            case "off": session.interpreter.trace = false; return .output("tracing off\n")
            case "": return .output("tracing is \(session.interpreter.trace ? "on" : "off") (:trace on|off)\n")
            default: return .output(":trace takes on or off\n")
            }
        case "quit", "q": return .end(.success)
        default:
            var message = "unknown command ':\(command)'"
            if let s = nearestName(command, in: MetaCommands.names) { message += "; did you mean ':\(s)'?" }
            return .output(message + " (:help lists the commands)\n")
        }
    }

    func help(_ name: String) -> String {
        guard !name.isEmpty else {
            let names = Builtins.table.map(\.name).sorted().joined(separator: " ")
            return """
            :help NAME (or ?NAME)  what a built-in does      :explain NAME|object  an optimizer's formulas
            :vars                  the session's variables   :reset                forget every variable
            :precision N           digits of printed tensors :load FILE            run a file in this session
            :time EXPR             median time of EXPR       :trace on|off         show every opt.step's buffers
            :quit                  leave (also Ctrl-D)
            Built-ins: \(names)

            """
        }
        if let b = Builtins.byName[name] { return b.signature + "\n  " + b.doc + "\n" }
        var message = "no built-in named '\(name)'"
        if let s = nearestName(name, in: Builtins.allNames) { message += "; did you mean '\(s)'?" }
        return message + "\n"
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
        return ":explain takes an optimizer, or the name of an optimizer constructor (adam, torch.rmsprop, ...)\n"
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
        session.interpreter.precision = n
        return "tensors now print with \(n) significant digits\n"
    }
}

extension MetaCommands {
    /// Runs a file in this session (its definitions stay); nothing is displayed. `exit` in it
    /// ends the session, as it would end the file run as a script. `--sandbox` refuses it: it
    /// reads a file.
    func load(_ path: String) -> Result {
        guard !path.isEmpty else { return .output(":load takes a file name\n") }
        guard !session.interpreter.sandbox else { return .output(":load reads a file, which --sandbox does not allow\n") }
        switch SourceInput.readFile(path) {
        case .failure(.cannotOpen(let why)):
            return .output("cannot open '\(path)': \(why)\n")
        case .success(let text):
            let outcome = session.execute(SourceFile(name: path, text: text), mode: .script)
            if let status = session.reportInteractive(outcome) { return .end(status) }
            return .output("")
        }
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

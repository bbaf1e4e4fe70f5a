// The REPL's meta commands (spec §11): `:help [name]` (also `?name`), `:explain NAME|object`,
// `:vars`, `:reset`, `:precision N`, `:quit`. Help text comes from the built-in table.

import Lexer
import Parser
import Runtime

struct MetaCommands {
    let session: Session

    static let names = ["help", "explain", "vars", "reset", "precision", "quit"]

    /// Runs a `:command` or `?name` line; returns its output (nil for `:quit`).
    func run(_ line: String) -> String? {
        var text = line.trimmingCharactersSpaces
        if text.hasPrefix("?") { text = ":help " + text.dropFirst() }
        let words = text.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let command = words.first ?? ""
        let argument = words.count > 1 ? words[1].trimmingCharactersSpaces : ""
        switch command {
        case "help": return help(argument)
        case "explain": return explain(argument)
        case "vars": return vars()
        case "reset":
            session.interpreter.reset()
            return "all variables cleared\n"
        case "precision": return precision(argument)
        case "quit", "q": return nil
        default:
            var message = "unknown command ':\(command)'"
            if let s = nearestName(command, in: MetaCommands.names) { message += "; did you mean ':\(s)'?" }
            return message + " (:help lists the commands)\n"
        }
    }

    func help(_ name: String) -> String {
        guard !name.isEmpty else {
            let names = Builtins.table.map(\.name).sorted().joined(separator: " ")
            return """
            :help NAME (or ?NAME)  what a built-in does      :explain NAME|object  an optimizer's formulas
            :vars                  the session's variables   :reset                forget every variable
            :precision N           digits of printed tensors :quit                 leave (also Ctrl-D)
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

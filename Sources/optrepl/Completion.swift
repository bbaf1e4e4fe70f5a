// Tab completion (spec §11): built-ins and the session's names, fields and methods after `.`,
// argument labels inside a call, `:` commands, and `\name` symbols. It reads the session's
// values and never evaluates code: a path like `s.opt.` is followed through fields only.

import Lexer
import Runtime

struct Completion: Equatable {
    /// Characters before the cursor to replace (the `\beta` of a symbol name).
    var delete = 0
    var insert = ""
    /// Shown below the line when the completion is ambiguous.
    var candidates: [String] = []
}

struct Completer {
    let interpreter: Interpreter

    /// The lexer's keywords, so completion offers exactly what the language has.
    static let keywords = Keyword.allCases.map(\.rawValue)

    /// What Tab does with `before`, the line up to the cursor.
    func complete(_ before: [Unicode.Scalar]) -> Completion {
        if let symbol = symbolCompletion(before) { return symbol }
        let text = String(String.UnicodeScalarView(before))
        if text.hasPrefix(":") || text.hasPrefix("?") { return commandCompletion(text) }
        var start = before.count
        while start > 0, Completer.isNameScalar(before[start - 1]) { start -= 1 }
        let word = String(String.UnicodeScalarView(before[start...]))
        if start > 0, before[start - 1] == "." {
            guard let base = resolvePath(before, end: start - 1) else { return Completion() }
            return choose(word, from: interpreter.memberNames(of: base))
        }
        var names: [String] = []
        if let callee = enclosingCall(before, wordStart: start) {
            names += interpreter.parameterLabels(of: callee).map { $0 + ": " }
            if word.isEmpty { return choose(word, from: names) }
        }
        names += Builtins.table.map(\.name).filter { !$0.contains(".") }
        names += interpreter.boundGlobalNames + Completer.keywords
        return choose(word, from: names)
    }

    /// The unique completion, the common prefix of several, or the list to show.
    func choose(_ word: String, from names: [String]) -> Completion {
        let matches = Array(Set(names.filter { $0.hasPrefix(word) })).sorted()
        guard let first = matches.first else { return Completion() }
        if matches.count == 1 { return Completion(insert: String(first.dropFirst(word.count))) }
        var common = first
        for m in matches.dropFirst() {
            while !m.hasPrefix(common) { common.removeLast() }
        }
        return Completion(insert: String(common.dropFirst(word.count)), candidates: matches)
    }

    /// `\beta` → β when the name is complete; otherwise the names it can still become.
    func symbolCompletion(_ before: [Unicode.Scalar]) -> Completion? {
        var start = before.count
        while start > 0, before[start - 1] != "\\", Completer.isSymbolNameScalar(before[start - 1]) { start -= 1 }
        guard start > 0, before[start - 1] == "\\" else { return nil }
        let name = "\\" + String(String.UnicodeScalarView(before[start...]))
        if let symbol = SymbolNames.table[name] {
            return Completion(delete: name.unicodeScalars.count, insert: symbol)
        }
        let c = choose(name, from: Array(SymbolNames.table.keys))
        return c == Completion() ? nil : c
    }

    func commandCompletion(_ text: String) -> Completion {
        let isQuery = text.hasPrefix("?")
        let body = text.dropFirst()
        if isQuery || body.contains(" ") {
            let word = String(body.split(separator: " ", omittingEmptySubsequences: false).last ?? "")
            return choose(word, from: Builtins.allNames + interpreter.boundGlobalNames)
        }
        return choose(String(body), from: MetaCommands.names)
    }

    /// The value of `a.b.c` ending just before `end` (a `.`), through variables and fields.
    func resolvePath(_ s: [Unicode.Scalar], end: Int) -> Value? {
        var parts: [String] = []
        var i = end
        while true {
            var j = i
            while j > 0, Completer.isNameScalar(s[j - 1]) { j -= 1 }
            guard j < i else { return nil }
            parts.insert(String(String.UnicodeScalarView(s[j..<i])), at: 0)
            guard j > 0, s[j - 1] == "." else { break }
            i = j - 1
        }
        guard var value = interpreter.global(parts[0]) else { return nil }
        for name in parts.dropFirst() {
            guard let next = interpreter.memberForCompletion(of: value, name) else { return nil }
            value = next
        }
        return value
    }

    /// The callee of the innermost unclosed `(` when the word starts an argument.
    func enclosingCall(_ s: [Unicode.Scalar], wordStart: Int) -> Value? {
        var k = wordStart
        while k > 0, s[k - 1] == " " { k -= 1 }
        guard k > 0, s[k - 1] == "(" || s[k - 1] == "," else { return nil }
        var depth = 0
        var i = k
        while i > 0 {
            i -= 1
            switch s[i] {
            case ")", "]", "}": depth += 1
            case "[", "{": if depth == 0 { return nil } else { depth -= 1 }
            case "(":
                if depth > 0 { depth -= 1; continue }
                return i > 0 ? resolvePath(s, end: i) : nil
            default: continue
            }
        }
        return nil
    }

    static func isNameScalar(_ c: Unicode.Scalar) -> Bool {
        if c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c) { return true }
        // Subscript digits and combining marks (m̂) belong to names too.
        return ("\u{2080}"..."\u{209C}").contains(c) || c.properties.generalCategory == .nonspacingMark
    }

    static func isSymbolNameScalar(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "^")
    }
}

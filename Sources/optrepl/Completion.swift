// Tab completion (spec §11): built-ins and the session's names, fields and methods after `.`,
// argument labels inside a call, `:` commands, and `\name` symbols. It reads the session's
// values and never evaluates code: a path like `s.opt.` is followed through fields only.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lexer
import Parser
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
        let text = String(String.UnicodeScalarView(before))
        if text.hasPrefix(":") || text.hasPrefix("?") { return commandCompletion(text) }
        let context = Completer.context(before)
        if let symbol = symbolCompletion(before, inProse: context != .code) { return symbol }
        switch context {
        case .comment: return Completion()
        case .string(let quote): return formCompletion(before, quote: quote)
        case .code: break
        }
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

    /// `\beta` → β when the name is complete; otherwise the names it can still become. In code
    /// only symbols that may stand in a name are offered (β, m̂, ₁); `²` and the like only
    /// inside strings and comments (`inProse`), the one place they are valid.
    func symbolCompletion(_ before: [Unicode.Scalar], inProse: Bool) -> Completion? {
        var start = before.count
        while start > 0, before[start - 1] != "\\", Completer.isSymbolNameScalar(before[start - 1]) { start -= 1 }
        guard start > 0, before[start - 1] == "\\" else { return nil }
        let name = "\\" + String(String.UnicodeScalarView(before[start...]))
        let allowed = SymbolNames.table.filter { inProse || $0.value.unicodeScalars.allSatisfy(Completer.isNameScalar) }
        if let symbol = allowed[name] {
            return Completion(delete: name.unicodeScalars.count, insert: symbol)
        }
        let c = choose(name, from: Array(allowed.keys))
        return c == Completion() ? nil : c
    }

    /// Inside the first argument's string of a built-in with forms (`schedule("st`): the form
    /// names (the schedule kinds), with the closing quote.
    func formCompletion(_ before: [Unicode.Scalar], quote: Int) -> Completion {
        var k = quote
        while k > 0, before[k - 1] == " " { k -= 1 }
        guard k > 1, before[k - 1] == "(", case .function(let f)? = resolvePath(before, end: k - 1),
              let forms = Builtins.forms(of: f.name) else { return Completion() }
        let word = String(String.UnicodeScalarView(before[(quote + 1)...]))
        var c = choose(word, from: forms.map(\.key))
        if c.candidates.isEmpty, !c.insert.isEmpty || forms.contains(where: { $0.key == word }) { c.insert += "\"" }
        c.candidates = c.candidates.map { key in forms.first { $0.key == key }.map(\.signature) ?? key }
        return c
    }

    /// Where the cursor is: in code, in a string (opened at index `quote`) or in a comment.
    enum Context: Equatable {
        case code
        case string(quote: Int)
        case comment
    }

    /// Scans the line: strings with their escapes and `\( ... )` interpolations (code again,
    /// brackets counted), and `#` comments outside strings.
    static func context(_ s: [Unicode.Scalar]) -> Context {
        // Each open interpolation's bracket depth; the innermost string's opening quote.
        var interpolations: [Int] = []
        var quotes: [Int] = []
        var inString = false
        var i = 0
        while i < s.count {
            let c = s[i]
            if inString {
                if c == "\\", i + 1 < s.count {
                    if s[i + 1] == "(" { interpolations.append(0); inString = false; i += 2; continue }
                    i += 2
                    continue
                }
                if c == "\"" { inString = false; quotes.removeLast() }
            } else {
                switch c {
                case "\"": inString = true; quotes.append(i)
                case "#": return .comment
                case "(" where !interpolations.isEmpty: interpolations[interpolations.count - 1] += 1
                case ")" where !interpolations.isEmpty:
                    if interpolations[interpolations.count - 1] == 0 { interpolations.removeLast(); inString = true }
                    else { interpolations[interpolations.count - 1] -= 1 }
                default: break
                }
            }
            i += 1
        }
        return inString ? .string(quote: quotes.last ?? 0) : .code
    }

    func commandCompletion(_ text: String) -> Completion {
        let isQuery = text.hasPrefix("?")
        let body = text.dropFirst()
        if !isQuery, let space = body.firstIndex(of: " "), ["load", "save"].contains(body[..<space]) {
            return pathCompletion(String(body[body.index(after: space)...]).drop { $0 == " " })
        }
        if isQuery || body.contains(" ") {
            let word = String(body.split(separator: " ", omittingEmptySubsequences: false).last ?? "")
            return choose(word, from: Builtins.allNames + interpreter.boundGlobalNames + LanguageHelp.topics)
        }
        return choose(String(body), from: MetaCommands.names)
    }

    /// `:load` and `:save` complete file names as a shell does: the directory's entries that
    /// start with what is typed, directories with a '/', files only when they end in .opt
    /// (hidden entries only when the name typed starts with '.').
    func pathCompletion(_ typed: Substring) -> Completion {
        let slash = typed.lastIndex(of: "/")
        let directory = slash.map { String(typed[...$0]) } ?? ""
        let prefix = String(slash.map { typed[typed.index(after: $0)...] } ?? typed)
        let expanded = directory.hasPrefix("~/") ? (Terminal.environment("HOME") ?? "") + directory.dropFirst() : directory
        guard let dir = opendir(expanded.isEmpty ? "." : expanded) else { return Completion() }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name != ".", name != "..", name.hasPrefix(prefix), !name.hasPrefix(".") || prefix.hasPrefix(".") else { continue }
            var info = stat()
            let isDirectory = stat(expanded + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            if isDirectory { names.append(name + "/") } else if name.hasSuffix(".opt") { names.append(name) }
        }
        return choose(prefix, from: names)
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

// Python's format-spec mini-language for numbers (3.11): [[fill]align][sign][z][#][0][width][,|_][.precision][type].

public struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    /// `z`: a negative zero after rounding prints as a zero (PEP 682).
    var coerceZero = false
    var alternate = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    public static func parse(_ spec: String) throws(RuntimeError) -> FormatSpec {
        var f = FormatSpec()
        var chars = Array(spec)
        var i = 0
        func bad() -> RuntimeError { RuntimeError("invalid format spec \(Interpreter.quoted(spec))") }
        var explicitFill = false
        if chars.count >= 2, "<>=^".contains(chars[1]) {
            f.fill = chars[0]; f.align = chars[1]; i = 2
            explicitFill = true
        } else if let c = chars.first, "<>=^".contains(c) {
            f.align = c; i = 1
        }
        if i < chars.count, "+- ".contains(chars[i]) { f.sign = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "z" { f.coerceZero = true; i += 1 }
        if i < chars.count, chars[i] == "#" { f.alternate = true; i += 1 }
        if i < chars.count, chars[i] == "0" {
            // The 0 flag pads with zeros unless a fill is given, after the sign unless an
            // alignment is given (Python: format(12345.678, "<020,.2f") pads the right with zeros).
            if !explicitFill { f.fill = "0" }
            if f.align == nil { f.align = "=" }
            i += 1
        }
        var digits = ""
        while i < chars.count, chars[i].isASCII, chars[i].isNumber { digits.append(chars[i]); i += 1 }
        if !digits.isEmpty { f.width = Int(digits) ?? 0 }
        if i < chars.count, chars[i] == "," || chars[i] == "_" { f.grouping = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            var p = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { p.append(chars[i]); i += 1 }
            guard let n = Int(p), n <= 100 else { throw bad() }
            f.precision = n
        }
        if i < chars.count {
            guard "eEfFgG%n".contains(chars[i]) else { throw bad() }
            f.type = chars[i]; i += 1
        }
        guard i == chars.count, f.width <= 1000 else { throw bad() }
        chars.removeAll()
        return f
    }

    /// The formatted number, padded.
    public func format(_ x: Double) -> String {
        var body = digits(Swift.abs(x))
        // The default form is repr, which writes -0.0 with its ".0" (spec §7), as Python does.
        if type == nil, precision == nil, x == 0, x.sign == .minus { body = "0.0" }
        // Whether it rounds to zero is looked at only for `z`: walking the text's characters on
        // every call slowed format-heavy loops (a results table) by a fifth.
        let negative = x.sign == .minus && !x.isNaN
            && !(coerceZero && !body.prefix { $0 != "e" && $0 != "E" }.contains { $0 >= "1" && $0 <= "9" })
        let signText = negative ? "-" : (sign == "+" ? "+" : (sign == " " ? " " : ""))
        if let grouping, x.isFinite {
            // Zero padding with grouping pads the integer part with grouped zeros, as Python:
            // format(1234567.891, "020,.2f") is 0,000,001,234,567.89.
            let zeroPadded = fill == "0" && align == "="
            body = group(body, with: grouping, width: zeroPadded ? width - signText.count : 0)
        }
        return pad(body, numeric: true, signText: signText)
    }

    private func digits(_ a: Double) -> String {
        let upper = type == "E" || type == "F" || type == "G"
        if !a.isFinite {
            let t = a.isNaN ? "nan" : "inf"
            return (upper ? t.uppercased() : t) + (type == "%" ? "%" : "")
        }
        let alt = alternate ? "#" : ""
        switch type {
        case "e", "E": return NumberFormat.cFormat("%\(alt).\(precision ?? 6)\(type!)", a)
        case "f", "F": return NumberFormat.cFormat("%\(alt).\(precision ?? 6)f", a)
        case "g", "G", "n": return NumberFormat.cFormat("%\(alt).\(Swift.max(precision ?? 6, 1))\(type == "G" ? "G" : "g")", a)
        case "%": return NumberFormat.cFormat("%\(alt).\(precision ?? 6)f", a * 100) + "%"
        default:
            guard let p = precision else { return NumberFormat.repr(a) }
            let s = NumberFormat.cFormat("%\(alt).\(Swift.max(p, 1))g", a)
            return s.contains(".") || s.contains("e") ? s : s + ".0"
        }
    }

    /// Inserts the grouping character every three digits of the integer part, which is padded
    /// with zeros until the whole text is `width` long (CPython's InsertThousandsGrouping: a
    /// group is filled out with zeros, and a separator is never the first character).
    private func group(_ s: String, with g: Character, width: Int) -> String {
        let intEnd = s.firstIndex(where: { !$0.isNumber }) ?? s.endIndex
        var digits = Array(s[..<intEnd])
        var minWidth = width - s[intEnd...].count
        var groups: [String] = []
        while true {
            let l = Swift.min(3, Swift.max(digits.count, minWidth, 1))
            let n = Swift.min(digits.count, l)
            groups.append(String(repeating: "0", count: l - n) + String(digits.suffix(n)))
            digits.removeLast(n)
            minWidth -= l
            if digits.isEmpty && minWidth <= 0 { break }
            minWidth -= 1
        }
        return groups.reversed().joined(separator: String(g)) + s[intEnd...]
    }

    func pad(_ body: String, numeric: Bool, signText: String = "") -> String {
        let length = body.count + signText.count
        guard width > length else { return signText + body }
        let n = width - length
        let filler = String(repeating: fill, count: n)
        switch align ?? (numeric ? ">" : "<") {
        case "<": return signText + body + filler
        case "^":
            let left = String(repeating: fill, count: n / 2)
            return left + signText + body + String(repeating: fill, count: n - n / 2)
        case "=": return signText + filler + body
        default: return filler + signText + body
        }
    }
}

// Operators and the precedence table: one place says how tightly each operator binds.

import Lexer

public enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case matmul = "@", power = "^"
}

public enum ComparisonOperator: String, Sendable, CaseIterable {
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

public enum LogicalOperator: String, Sendable, CaseIterable {
    case and, or
}

public enum UnaryOperator: String, Sendable, CaseIterable {
    case negate = "-", plus = "+"
}

/// Binding powers, loosest first (spec §5). Left-associative operators bind their right
/// operand one level tighter; `^` binds its right operand at the prefix level, which makes it
/// right-associative and lets it take a unary expression (`2^-1`), while prefix minus parses
/// its operand at the prefix level too, so `-2^2 == -(2^2)`.
public enum Precedence {
    public static let or = 1
    public static let and = 2
    public static let not = 3
    public static let comparison = 4
    public static let range = 5
    public static let additive = 6
    public static let multiplicative = 7
    public static let prefix = 8
    public static let power = 9
    public static let postfix = 10
}

/// An infix operator as the parser sees it.
enum Infix {
    case binary(BinaryOperator)
    case comparison(ComparisonOperator)
    case logical(LogicalOperator)
    case range(inclusive: Bool)

    var precedence: Int {
        switch self {
        case .logical(.or): return Precedence.or
        case .logical(.and): return Precedence.and
        case .comparison: return Precedence.comparison
        case .range: return Precedence.range
        case .binary(.add), .binary(.subtract): return Precedence.additive
        case .binary(.multiply), .binary(.divide), .binary(.remainder), .binary(.matmul):
            return Precedence.multiplicative
        case .binary(.power): return Precedence.power
        }
    }

    /// The minimum precedence of the right operand.
    var rightPrecedence: Int {
        switch self {
        case .binary(.power): return Precedence.prefix
        case .binary, .comparison, .logical, .range: return precedence + 1
        }
    }

    /// Comparisons and ranges do not chain.
    var isNonAssociative: Bool {
        switch self {
        case .comparison, .range: return true
        case .binary, .logical: return false
        }
    }

    init?(_ kind: TokenKind) {
        switch kind {
        case .punct(let p):
            switch p {
            case .plus: self = .binary(.add)
            case .minus: self = .binary(.subtract)
            case .star: self = .binary(.multiply)
            case .slash: self = .binary(.divide)
            case .percent: self = .binary(.remainder)
            case .at: self = .binary(.matmul)
            case .caret, .starStar: self = .binary(.power)
            case .eqEq: self = .comparison(.equal)
            case .bangEq: self = .comparison(.notEqual)
            case .less: self = .comparison(.less)
            case .lessEq: self = .comparison(.lessEqual)
            case .greater: self = .comparison(.greater)
            case .greaterEq: self = .comparison(.greaterEqual)
            case .halfOpen: self = .range(inclusive: false)
            case .closed: self = .range(inclusive: true)
            case .assign, .plusAssign, .minusAssign, .starAssign, .slashAssign, .dot, .comma, .colon,
                 .semicolon, .lParen, .rParen, .lBracket, .rBracket, .lBrace, .rBrace:
                return nil
            }
        case .keyword(.and): self = .logical(.and)
        case .keyword(.or): self = .logical(.or)
        case .keyword, .number, .string, .identifier, .newline, .eof, .error:
            return nil
        }
    }
}

/// The compound assignment operators and what they apply.
func compoundOperator(_ p: Punct) -> BinaryOperator? {
    switch p {
    case .plusAssign: return .add
    case .minusAssign: return .subtract
    case .starAssign: return .multiply
    case .slashAssign: return .divide
    case .plus, .minus, .star, .slash, .percent, .at, .caret, .starStar, .eqEq, .bangEq, .less, .lessEq,
         .greater, .greaterEq, .assign, .halfOpen, .closed, .dot, .comma, .colon, .semicolon,
         .lParen, .rParen, .lBracket, .rBracket, .lBrace, .rBrace:
        return nil
    }
}

// AST: the syntax tree the parser builds. Every node carries the source range it came from,
// so the resolver and interpreter can point at it in diagnostics.

import Lexer

public struct Expr: Sendable {
    public var kind: ExprKind
    public var range: SourceRange

    public init(_ kind: ExprKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

public indirect enum ExprKind: Sendable {
    case number(Double)
    case string([StringSegment])
    case bool(Bool)
    case nilLiteral
    case name(String)
    /// `[a, b, c]`: a tensor literal (rows may be nested literals or any tensor-valued expression).
    case tensor([Expr])
    /// `(a, b)`, `(W: w, b: b)`, `()`, `(x,)`.
    case tuple([Argument])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case comparison(ComparisonOperator, Expr, Expr)
    case logical(LogicalOperator, Expr, Expr)
    case not(Expr)
    case range(Expr, Expr, inclusive: Bool)
    case call(Expr, [Argument])
    case index(Expr, [IndexItem])
    case member(Expr, String, nameRange: SourceRange)
    case function(FunctionDecl)
}

public enum StringSegment: Sendable {
    case text(String)
    case expr(Expr)
}

/// A call argument or tuple element: `value` or `label: value`.
public struct Argument: Sendable {
    public var label: String?
    public var labelRange: SourceRange?
    public var value: Expr

    public init(label: String?, labelRange: SourceRange?, value: Expr) {
        self.label = label
        self.labelRange = labelRange
        self.value = value
    }
}

/// One position inside `t[...]`: an index expression or a slice `lo:hi:step`.
public enum IndexItem: Sendable {
    case single(Expr)
    case slice(lower: Expr?, upper: Expr?, step: Expr?, range: SourceRange)
}

public struct Parameter: Sendable {
    public var name: String
    public var range: SourceRange
    /// Present for `name: default` parameters.
    public var defaultValue: Expr?
}

public struct FunctionDecl: Sendable {
    /// nil for an anonymous function.
    public var name: String?
    public var parameters: [Parameter]
    public var body: [Stmt]
    /// The `fn ... (...)` header, which diagnostics and call chains point at.
    public var headerRange: SourceRange
}

/// What `x`, `w[0]`, `p.W`, `p.W[0]` or `p["W1"]` assigns into: a variable and a path inside it.
public struct AssignTarget: Sendable {
    public var name: String
    public var nameRange: SourceRange
    public var path: [Accessor]
    public var range: SourceRange
}

public enum Accessor: Sendable {
    case index([IndexItem], SourceRange)
    case member(String, SourceRange)
}

public struct Stmt: Sendable {
    public var kind: StmtKind
    public var range: SourceRange

    public init(_ kind: StmtKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

public indirect enum StmtKind: Sendable {
    case expression(Expr)
    /// `target = value` when `op` is nil, else `target op= value`.
    case assign(AssignTarget, op: BinaryOperator?, value: Expr)
    case function(FunctionDecl)
    case ifElse(branches: [(condition: Expr, body: [Stmt])], elseBody: [Stmt]?)
    case forIn(variable: String, variableRange: SourceRange, sequence: Expr, body: [Stmt])
    case whileLoop(condition: Expr, body: [Stmt])
    case breakLoop
    case continueLoop
    case returnValue(Expr?)
}

/// A parsed unit: a file, `-e` code, stdin, or one REPL entry.
public struct Program: Sendable {
    public var file: SourceFile
    public var statements: [Stmt]
    /// Indices of top-level statements ended by ';' (the REPL does not show their values).
    public var silent: Set<Int>
}

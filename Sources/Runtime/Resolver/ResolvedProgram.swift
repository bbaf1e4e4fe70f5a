// The resolved program: what the resolver hands every evaluator. It is the AST with each name
// bound to where it lives (a stack slot, a cell, a captured cell or a global slot) and each
// operator a case of the rule tables' enums; immutable once made.
//
// Its readers switch over it exhaustively: the chunk compiler makes the code every program runs
// as from it (Interpreter/Compiled/ChunkCompiler.swift); the numeric compiler, the tape-free
// gradient compiler and the fusion planner compile from it too. A new construct is a compile
// error in each of them until each says what it does with it.

import Lexer
import Parser

/// Where an assigned variable lives (a captured variable is never assigned: it is local to
/// the function that assigns it).
enum VariableRef {
    case local(Int)
    case cell(Int)
    case global(Int)
}

/// Where a name read in an expression lives.
enum Place: Hashable {
    case local(Int)
    case cell(Int)
    case capture(Int)
    case global(Int)
}

struct ResolvedExpr {
    let kind: ResolvedExprKind
    let range: SourceRange

    init(_ kind: ResolvedExprKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// A read of a variable (its value, no effects).
    var isRead: Bool {
        if case .read = kind { return true }
        return false
    }

    /// A read of a global variable.
    var isGlobalRead: Bool {
        if case .read(.global, _) = kind { return true }
        return false
    }
}

indirect enum ResolvedExprKind {
    case constant(Value)
    case interpolation([ResolvedPiece])
    case read(Place, name: String)
    case tensor([ResolvedExpr])
    case tuple([ResolvedExpr], labels: TupleLabels?)
    case unary(UnaryOperator, ResolvedExpr)
    /// Every operator of the rule table, and `@`.
    case binary(BinaryOperator, ResolvedExpr, ResolvedExpr)
    case comparison(ComparisonOperator, ResolvedExpr, ResolvedExpr)
    case logical(LogicalOperator, ResolvedExpr, ResolvedExpr)
    case not(ResolvedExpr)
    case range(ResolvedExpr, ResolvedExpr, inclusive: Bool)
    case call(callee: ResolvedExpr, positional: [ResolvedExpr], labels: [String], labelled: [ResolvedExpr])
    case index(ResolvedExpr, [ResolvedIndexItem])
    case member(ResolvedExpr, name: String, nameRange: SourceRange)
    case function(ResolvedFunction)
}

enum ResolvedPiece {
    case text(String)
    case value(ResolvedExpr)
}

enum ResolvedIndexItem {
    case single(ResolvedExpr)
    case slice(ResolvedExpr?, ResolvedExpr?, ResolvedExpr?)
}

enum ResolvedPathStep {
    case index([ResolvedIndexItem], SourceRange)
    case member(String, SourceRange)
}

struct ResolvedStmt {
    let kind: ResolvedStmtKind
    let range: SourceRange

    init(_ kind: ResolvedStmtKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

indirect enum ResolvedStmtKind {
    case expression(ResolvedExpr)
    /// `x = value`, or `x op= value` with `read` the read of x.
    case assign(VariableRef, op: BinaryOperator?, read: ResolvedExpr?, value: ResolvedExpr)
    /// `x[...] = value`, `x.f = value` and their `op=` forms.
    case pathAssign(VariableRef, read: ResolvedExpr, path: [ResolvedPathStep], op: BinaryOperator?, value: ResolvedExpr)
    case function(VariableRef, ResolvedFunction)
    /// `if` with its `else` (a nested `if` for `else if`, or a block).
    case ifElse(condition: ResolvedExpr, body: ResolvedBlock, elseBody: ResolvedStmt?)
    case block(ResolvedBlock)
    case forIn(VariableRef, sequence: ResolvedExpr, body: ResolvedBlock)
    case whileLoop(condition: ResolvedExpr, body: ResolvedBlock)
    case breakLoop
    case continueLoop
    case returnValue(ResolvedExpr?)
}

struct ResolvedBlock {
    let statements: [ResolvedStmt]
    let range: SourceRange
}

/// A function with its frame laid out: parameters in the first slots, then the uncaptured
/// locals; captured locals in cells; free variables of enclosing functions as captures.
final class ResolvedFunction {
    let name: String
    let file: SourceFile
    let headerRange: SourceRange
    let parameterNames: [String]
    /// Default values, evaluated where the function is defined (in the enclosing scope).
    let defaults: [ResolvedExpr?]
    let frameSize: Int
    let cellCount: Int
    let capturedParameters: [(parameter: Int, cell: Int)]
    let captureSources: [CaptureSource]
    let body: ResolvedBlock

    init(name: String, file: SourceFile, headerRange: SourceRange, parameterNames: [String], defaults: [ResolvedExpr?],
         frameSize: Int, cellCount: Int, capturedParameters: [(parameter: Int, cell: Int)],
         captureSources: [CaptureSource], body: ResolvedBlock) {
        self.name = name
        self.file = file
        self.headerRange = headerRange
        self.parameterNames = parameterNames
        self.defaults = defaults
        self.frameSize = frameSize
        self.cellCount = cellCount
        self.capturedParameters = capturedParameters
        self.captureSources = captureSources
        self.body = body
    }
}

// The tree walker specializes operator nodes by the shape of their operands (two locals, a
// literal on the right, ...); the numeric compilers see through those shapes with these.

import Parser

extension ExprNode {
    /// `a op b` in any of its node shapes (a literal operand as a constant node), for the
    /// compilers that see through the shapes the tree walker specializes.
    var arithmetic: (BinaryOperator, ExprNode, ExprNode)? {
        switch self {
        case let n as BinaryNode: return (n.op, n.left, n.right)
        case let n as BinaryLocalsNode: return (n.op, n.left, n.right)
        case let n as BinaryConstantNode: return (n.op, n.left, ConstantNode(.number(n.constant), range: n.range))
        case let n as BinaryLocalConstantNode: return (n.op, n.left, ConstantNode(.number(n.constant), range: n.range))
        default: return nil
        }
    }

    /// `a < b` in any of its node shapes.
    var comparison: (ComparisonOperator, ExprNode, ExprNode)? {
        switch self {
        case let n as ComparisonNode: return (n.op, n.left, n.right)
        case let n as ComparisonLocalsNode: return (n.op, n.left, n.right)
        case let n as ComparisonConstantNode: return (n.op, n.left, ConstantNode(.number(n.constant), range: n.range))
        default: return nil
        }
    }
}

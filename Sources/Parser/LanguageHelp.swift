// Help for the language itself (`:help syntax`, `:help for`, `:help ^`): one row per keyword or
// operator, written next to the grammar it describes. `:help`, completion after `:help` and the
// notebook's inspect read this table.

import Lexer

public enum LanguageHelp {
    /// The overview `:help syntax` shows.
    public static let overview = """
        optrepl in one screen (:help for, :help fn, :help ^ ... for each):
          x = 1; x += 2              assignment, one name at a time (a ';' at the end keeps the REPL quiet)
          fn f(x, lr: 0.1) { ... }   a function with a default; fn f(x) = x ^ 2 for one expression
          fn(x) = x * 2              an anonymous function (Python's lambda)
          if c { ... } else if d { ... } else { ... }
          for i in 0..<n { ... }     0..<n excludes n, 0...n includes it; also a tensor's rows, a tuple
          while c { ... }            break, continue and return as in Python
          [1, 2, 3]  [[1, 2], [3, 4]]        tensors (float64); x[0], x[1:3], m[0, 1]
          (a, b)  (lr: 0.1, steps: 10)       tuples, labelled or not; t[0], t.lr, keys(t)
          + - * / %  ^  @            arithmetic, ^ is power (x ^ 2), @ the matrix product
          == != < <= > >=  and or not        comparisons and logic
          "loss \\(x)"                 a value in a string; format(x, ".3f") for a format spec
          nil  true  false  # comment
        """

    /// One line per keyword and operator.
    public static let entries: [String: String] = [
        "syntax": overview,
        "fn": "fn f(x, lr: 0.1) { ... return y }: a function with a default (labelled: f(x, lr: 0.2)); fn f(x) = expr for one expression; fn(x) = expr is an anonymous function, Python's lambda",
        "return": "return value ends a function; a function without one returns nil (fn f(x) = expr returns expr)",
        "if": "if cond { ... } else if other { ... } else { ... }: braces, no ':'; the condition is a bool, a number or a one-element tensor (any(x) / all(x) for more)",
        "else": "if cond { ... } else { ... }; else if for more branches (Python's elif)",
        "for": "for x in seq { ... }: seq is a range 0..<n or a...b, a tensor (its rows), a tuple or a string; one loop variable (keys(t) for labels, an index i for enumerate)",
        "while": "while cond { ... }: runs while cond is true; break and continue as in Python",
        "in": "for x in seq { ... } (see :help for)",
        "break": "break leaves the innermost loop",
        "continue": "continue goes on with the next turn of the innermost loop",
        "and": "a and b, a or b, not a: logic on bools (no && || !)",
        "or": "a and b, a or b, not a: logic on bools (no && || !)",
        "not": "not a: logic negation (no !)",
        "nil": "nil: no value (Python's None); a function without return gives nil",
        "true": "true and false: the bools (Python's True and False)",
        "false": "true and false: the bools (Python's True and False)",
        "^": "x ^ p: power, element-wise (Python's **, which also works); x ^ 2 is x * x",
        "**": "x ** p: power, the same as x ^ p",
        "@": "a @ b: the matrix product (np.matmul); dot(a, b) for vectors",
        "%": "a % b: the remainder with the sign of b, as Python's %",
        "..<": "a..<b: the numbers a, a+1, ... below b (Python's range(a, b)); a...b includes b",
        "...": "a...b: the numbers a, a+1, ..., b, b included; a..<b leaves b out",
        "\\(": "\"text \\(x) text\": the value of x in a string (an f-string's {x}); format(x, \".3f\") for a spec",
    ]

    /// The topics `:help` offers beside the built-ins.
    public static var topics: [String] { entries.keys.sorted() }

    /// Every keyword has a row (a new keyword without one is caught by the suite).
    public static var undocumentedKeywords: [String] {
        Keyword.allCases.map(\.rawValue).filter { entries[$0] == nil }
    }
}

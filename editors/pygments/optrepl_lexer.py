"""A Pygments lexer for optrepl (.opt): keywords, numbers, strings with `\\(...)`
interpolation, comments, labels. nbconvert highlights notebook cells with it (the kernel's
language_info names "optrepl" as its pygments_lexer); `pip install editors/pygments` registers
it. The keyword list is the lexer's (Sources/Lexer/Token.swift)."""

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

__all__ = ["OptreplLexer"]


class OptreplLexer(RegexLexer):
    name = "optrepl"
    aliases = ["optrepl", "opt"]
    filenames = ["*.opt"]
    mimetypes = ["text/x-optrepl"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"#.*$", Comment.Single),
            (r'"', String.Double, "string"),
            (words(("fn", "return", "if", "else", "for", "in", "while", "break", "continue", "and", "or", "not"),
                   suffix=r"\b"), Keyword),
            (words(("true", "false", "nil"), suffix=r"\b"), Keyword.Constant),
            (r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", Number.Float),
            (r"(fn)(\s+)([^\W\d]\w*)", bygroups(Keyword, Whitespace, Name.Function)),
            (r"([^\W\d]\w*)(\s*)(:)(?!=)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            (r"[^\W\d]\w*(?=\s*\()", Name.Function),
            (r"[^\W\d][\w\u0300-\u036f\u2080-\u209c]*", Name),
            (r"\.\.[<.]|\*\*|[-+*/%^@]=?|[=!<>]=?", Operator),
            (r"[()\[\]{},.;:]", Punctuation),
            (r".", Text),
        ],
        "string": [
            (r"\\\(", String.Interpol, "interpolation"),
            (r'\\[nt"\\]', String.Escape),
            (r'"', String.Double, "#pop"),
            (r'[^"\\]+', String.Double),
            (r"\\", String.Double),
        ],
        "interpolation": [
            (r"\)", String.Interpol, "#pop"),
            (r"\(", Punctuation, "#push"),
            include("root"),
        ],
    }

// The interpreter's state, split by concern. The evaluator's own state (globals, frames,
// limits) stays in Interpreter; what the host sets, what the host observes of a run, and the
// autodiff context each live in an object of their own, so each reader says which it uses.

/// What the host decides for a session: where output goes and how it looks, what may touch
/// files, and the random stream. Session (optrepl) sets it; built-ins read it.
public final class HostSettings {
    /// Where program output goes: stdout, a capture buffer, nothing (exercises).
    public var output: (String) -> Void
    /// Significant digits of printed tensor elements (`set_precision`, `:precision`).
    public var precision = 6
    /// Where printed tensor rows wrap: the terminal's width, NumPy's 75 off a terminal.
    public var lineWidth = Tensor.defaultLineWidth
    /// Text plots: columns and whether ANSI colours are allowed.
    public var plotWidth = 80
    public var plotColor = false
    /// The terminal's columns and rows, asked at every text plot (so a resized terminal gets a
    /// plot that fits); nil off a terminal, where `plotWidth` holds.
    public var terminalSize: (() -> (columns: Int, rows: Int)?)?
    /// A notebook (the Jupyter kernel) takes a figure drawn without `file:` as an SVG (moving
    /// under `animate: true`), a PNG of it when librsvg is there (what Jupyter shows of a saved
    /// notebook it does not trust), and the text plot; nil draws it as text on `output`.
    public var figureSink: ((_ svg: String, _ png: [UInt8]?, _ text: String) -> Void)?
    /// `--sandbox`: every built-in that touches files refuses.
    public var sandbox = false
    /// The global random stream (`seed`, `randn`, ...); private streams serve `moons` and friends.
    public var random = LegacyRandom.fromEntropy()
    /// A script run that an error ends (a file, `-e` or stdin, no REPL after it): nothing reads
    /// a variable after an error, so a top-level `xs = f(xs, i)` may lend xs's value to f
    /// (ChunkCompiler.Lending). The REPL, `-i`, `:load`, the kernel and exercises keep
    /// every variable after an error, and leave it off.
    public var errorsEndTheRun = false

    init(output: @escaping (String) -> Void) {
        self.output = output
    }
}

/// What the host observes of a run: the REPL's display forms, progress of long built-ins,
/// `:trace`, and what an interrupted driver had done.
public final class HostChannel {
    /// Long built-in loops report (what, done, total) here: first done = 0, last done = total.
    /// The host draws a progress bar when stderr is a terminal; nil means nobody listens.
    public var progress: ((String, Int, Int) -> Void)?
    /// `:trace on`: every `opt.step` shows its buffers, m̂ and v̂, and the update.
    // Read by every step of an optimizer in a compiled loop and set only between runs (by
    // `:trace`): exempt from run-time exclusivity checks (swift_beginAccess in each step).
    @exclusivity(unchecked) public var trace = false
    /// The REPL asks built-ins for display hints (see DisplayHint.swift); scripts never do.
    public var showsHints = false
    var displayHint: DisplayHint?
    /// What a long built-in (minimize) had computed when Ctrl-C stopped it; the REPL keeps it.
    public var partialResult: Value?
    /// A figure written with `file:`: the REPL confirms the path (a script stays quiet, as
    /// matplotlib's savefig does); nil means nobody listens.
    public var wroteFile: ((String) -> Void)?
}

/// The autodiff context: the tape of the running `grad` call, if any.
final class AutodiffContext {
    /// The recording of the running `grad` call, nil otherwise.
    @exclusivity(unchecked) var tape: Tape?
    /// The one recorder, reused by every grad call.
    let recorder = Tape()
}

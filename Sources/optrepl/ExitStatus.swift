// Exit codes (BSD sysexits, spec §2): the named ones, and any code a script passes to exit().

struct ExitStatus: Equatable {
    let code: Int32

    init(code: Int32) { self.code = code }

    static let success = ExitStatus(code: 0)
    /// `check`: some exercise failed.
    static let checkFailed = ExitStatus(code: 1)
    static let usage = ExitStatus(code: 64)
    static let syntaxError = ExitStatus(code: 65)
    static let noInput = ExitStatus(code: 66)
    static let runtimeError = ExitStatus(code: 70)
    static let ioError = ExitStatus(code: 74)
    static let interrupted = ExitStatus(code: 130)
}

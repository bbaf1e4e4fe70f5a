// Exit codes (BSD sysexits, spec §2): one named constant each.

enum ExitStatus: Int32 {
    case success = 0
    /// `check`: some exercise failed.
    case checkFailed = 1
    case usage = 64
    case syntaxError = 65
    case noInput = 66
    case runtimeError = 70
    case ioError = 74
    case interrupted = 130
}

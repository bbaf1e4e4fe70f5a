// Terminal facts: is a stream a terminal, may we colour, how wide is it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Terminal {
    static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Colour only on a terminal, never with NO_COLOR or --no-color (spec §2).
    static func colorAllowed(fd: Int32, noColorFlag: Bool) -> Bool {
        if noColorFlag { return false }
        if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
        if let t = getenv("TERM"), String(cString: t) == "dumb" { return false }
        return isTTY(fd)
    }

    /// Columns of the terminal on stdout ($COLUMNS, else 80, when it cannot be asked).
    static func width() -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let c = environment("COLUMNS"), let n = Int(c), n > 0 { return n }
        return 80
    }

    /// Columns and rows of the terminal on stdout, asked anew each time (TIOCGWINSZ holds the
    /// size the last SIGWINCH announced); nil when it cannot be asked.
    static func size() -> (columns: Int, rows: Int)? {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return (Int(size.ws_col), size.ws_row > 0 ? Int(size.ws_row) : 24)
    }

    /// Whether input is waiting on standard input now (a paste's next lines), without waiting.
    static func inputPending() -> Bool {
        var fd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, 0) > 0 && fd.revents & Int16(POLLIN) != 0
    }

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }
}

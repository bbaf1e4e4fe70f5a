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

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }
}

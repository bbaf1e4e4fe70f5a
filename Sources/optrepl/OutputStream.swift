// Buffered writes to stdout and stderr. A write to a closed pipe ends the program quietly
// with exit 74 (spec §13); SIGPIPE itself is ignored in main. Any other failed write (stdout
// closed with `>&-`, a full disk, /dev/full, an I/O error) also ends it with exit 74, after a
// message on stderr when the failed stream is stdout: output is never lost silently.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class OutputStream {
    let fd: Int32
    /// Written only by this object's own methods, which never re-enter one another: no run-time
    /// exclusivity checks (they were a tenth of a print).
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    /// Flush at every newline (the REPL, or a terminal) or only when the buffer fills.
    var lineBuffered: Bool

    init(fd: Int32, lineBuffered: Bool) {
        self.fd = fd
        self.lineBuffered = lineBuffered
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ s: String) {
        // The string's bytes copied at once (appending its UTF8View went byte by byte).
        var s = s
        let newline = s.withUTF8 { bytes in
            buffer.append(contentsOf: bytes)
            return lineBuffered && bytes.contains(10)
        }
        if buffer.count >= 1 << 16 || newline { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                fail(errno)
            }
            if n == 0 { fail(EIO) }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Ends the process with exit 74; says why on stderr unless stdout's reader went away
    /// (a closed pipe stops silently) or the failed stream is stderr itself.
    private func fail(_ error: Int32) -> Never {
        if error != EPIPE && fd != 2 {
            Streams.stderr.flush()
            let stream = fd == 1 ? "standard output" : "file descriptor \(fd)"
            let message = Array("optrepl: cannot write to \(stream): \(String(cString: strerror(error)))\n".utf8)
            _ = message.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        }
        _exit(ExitStatus.ioError.code)
    }
}

/// The process's two streams.
enum Streams {
    nonisolated(unsafe) static let stdout = OutputStream(fd: 1, lineBuffered: Terminal.isTTY(1))
    nonisolated(unsafe) static let stderr = OutputStream(fd: 2, lineBuffered: true)
}

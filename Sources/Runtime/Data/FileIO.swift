// File reads and writes through the C library (the runtime does not use Foundation).
//
// Reads are streamed in bounded chunks and poll the interrupt flag (Ctrl-C, --max-seconds)
// between chunks, so /dev/zero, /dev/urandom or a FIFO nobody writes can neither exhaust the
// memory nor hang the program: the decoders stop at their element limit, the clock at its own.
// A FIFO or device is opened non-blocking (opening a FIFO for reading would block until a
// writer comes) and waited on with poll() in short slices.
//
// Writes go to a temporary file in the destination's directory, which is renamed over the
// destination once every byte is written and flushed: a failure never leaves a truncated file
// nor destroys the old one. A destination that exists and is not a regular file (a FIFO,
// /dev/null, /dev/stdout) is written in place, since renaming over it would replace the node.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum FileIO {
    /// Bytes asked of the system per read.
    static let chunkSize = 1 << 16

    /// An open file read chunk by chunk.
    final class Reader {
        let path: String
        private let fd: Int32
        /// A FIFO, socket or device: data may come later, so reads wait through poll().
        private let waits: Bool
        private let poll: () throws(RuntimeError) -> Void
        private var atEnd = false

        /// Opens `path`; `poll` is called between chunks and while waiting (it throws to stop).
        init(_ path: String, poll: @escaping () throws(RuntimeError) -> Void) throws(RuntimeError) {
            self.path = path
            self.poll = poll
            let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { throw failure("cannot open", path) }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                let error = failure("cannot open", path)
                close(fd)
                throw error
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                close(fd)
                throw RuntimeError("cannot read '\(path)': it is a directory")
            }
            self.fd = fd
            waits = info.st_mode & S_IFMT != S_IFREG
            if !waits {
                // A regular file never blocks; plain reads from here on.
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            }
        }

        deinit { close(fd) }

        /// Up to `max` bytes (at most one chunk); empty at the end of the file.
        func read(max: Int = FileIO.chunkSize) throws(RuntimeError) -> [UInt8] {
            if atEnd || max <= 0 { return [] }
            try poll()
            let want = Swift.min(max, FileIO.chunkSize)
            var chunk = [UInt8](repeating: 0, count: want)
            while true {
                // A FIFO's reader sees the end at once while no writer has opened it yet; poll()
                // instead waits for data or for a writer's close (Linux reports no hang-up for a
                // FIFO that never had a writer), a tenth of a second at a time.
                if waits {
                    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    if Glibc.poll(&p, 1, 100) <= 0 {
                        try poll()
                        continue
                    }
                }
                let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
                if n > 0 { return Array(chunk[0..<n]) }
                if n == 0 {
                    atEnd = true
                    return []
                }
                switch errno {
                case EINTR:
                    try poll()
                case EAGAIN, EWOULDBLOCK:
                    try poll()
                default:
                    throw failure("cannot read", path)
                }
            }
        }

        /// Exactly `count` bytes, or fewer at the end of the file.
        func read(exactly count: Int) throws(RuntimeError) -> [UInt8] {
            var out: [UInt8] = []
            while out.count < count {
                let chunk = try read(max: count - out.count)
                if chunk.isEmpty { break }
                out += chunk
            }
            return out
        }
    }

    public static func write(_ path: String, _ bytes: [UInt8]) throws(RuntimeError) {
        var info = stat()
        if stat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { throw RuntimeError("cannot write '\(path)': it is a directory") }
            if info.st_mode & S_IFMT != S_IFREG { return try writeInPlace(path, bytes) }
        }
        // The temporary file: same directory (so rename is atomic), hidden, unique.
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array((directory + "." + base + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure("cannot write", path) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = writeAll(fd, bytes) && fsync(fd) == 0
        var savedErrno = errno
        if ok {
            // mkostemp makes the file 0600; give it the mode a new file would have had (or the
            // old file's mode when it is replaced).
            let mode: mode_t
            if stat(path, &info) == 0 {
                mode = info.st_mode & 0o7777
            } else {
                let mask = umask(0)
                umask(mask)
                mode = 0o666 & ~mask
            }
            _ = fchmod(fd, mode)
        }
        if close(fd) != 0, ok {
            ok = false
            savedErrno = errno
        }
        if ok, rename(temporary, path) != 0 {
            ok = false
            savedErrno = errno
        }
        if !ok {
            unlink(temporary)
            errno = savedErrno
            throw failure("cannot write", path)
        }
    }

    /// Writes to a FIFO or device as it is.
    private static func writeInPlace(_ path: String, _ bytes: [UInt8]) throws(RuntimeError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot write", path) }
        let ok = writeAll(fd, bytes)
        let savedErrno = errno
        let closed = close(fd) == 0
        guard ok, closed else {
            if !ok { errno = savedErrno }
            throw failure("cannot write", path)
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            if n == 0 {
                errno = EIO
                return false
            }
            offset += n
        }
        return true
    }

    static func failure(_ what: String, _ path: String) -> RuntimeError {
        RuntimeError("\(what) '\(path)': \(String(cString: strerror(errno)))")
    }
}

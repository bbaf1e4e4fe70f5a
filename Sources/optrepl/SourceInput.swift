// Reading program text from a file or stdin, without Foundation.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum SourceInput {
    enum Failure: Error { case cannotOpen(String) }

    /// The whole contents of a file, or why it could not be read.
    static func readFile(_ path: String) -> Result<String, Failure> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(.cannotOpen(String(cString: strerror(errno)))) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            return .failure(.cannotOpen("Is a directory"))
        }
        guard let bytes = readAll(fd) else { return .failure(.cannotOpen(String(cString: strerror(errno)))) }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// The names in a folder (nil when it cannot be opened).
    static func listDirectory(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        // d_name is declared as 256 bytes, but a record holds only its name and the NUL: the
        // name is read in place up to the NUL (copying the field read past the last record,
        // which AddressSanitizer reported).
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(dir) {
            let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func readStdin() -> String {
        String(decoding: readAll(0) ?? [], as: UTF8.self)
    }

    private static func readAll(_ fd: Int32) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }
}

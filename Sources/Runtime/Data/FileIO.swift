// Whole-file reads and writes through the C library (the runtime does not use Foundation).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum FileIO {
    static func read(_ path: String) throws(RuntimeError) -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw failure("cannot open", path) }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(f) != 0 { throw failure("cannot read", path) }
                return bytes
            }
        }
    }

    static func write(_ path: String, _ bytes: [UInt8]) throws(RuntimeError) {
        guard let f = fopen(path, "wb") else { throw failure("cannot write", path) }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        let closed = fclose(f)
        guard written == bytes.count, closed == 0 else { throw failure("cannot write", path) }
    }

    private static func failure(_ what: String, _ path: String) -> RuntimeError {
        RuntimeError("\(what) '\(path)': \(String(cString: strerror(errno)))")
    }
}

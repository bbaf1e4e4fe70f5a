// File and path helpers shared by the test targets (no Foundation needed).

#if canImport(Glibc)
import Glibc
#endif

public struct TestFileError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

public func readTextFile(_ path: String) throws -> String {
    guard let f = fopen(path, "rb") else { throw TestFileError(description: "cannot open \(path)") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The repository root, found from this file's path (Tests/TestSupport/Files.swift).
public let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// The shared reference data folder, beside the repository.
public let referenceRoot = repositoryRoot + "/../shared/reference"

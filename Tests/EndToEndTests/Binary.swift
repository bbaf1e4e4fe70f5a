// Runs the built optrepl binary and captures what it writes.

import Foundation
import TestSupport

struct Outcome {
    var stdout: String
    var stderr: String
    var status: Int32
}

enum Binary {
    /// The debug binary `swift build` makes (the suite runs against it), or $OPTREPL_BIN.
    static var path: String {
        ProcessInfo.processInfo.environment["OPTREPL_BIN"] ?? repositoryRoot + "/.build/debug/optrepl"
    }

    /// The release binary for heavy end-to-end checks, when the Makefile built one.
    static var releasePath: String? {
        ProcessInfo.processInfo.environment["OPTREPL_RELEASE_BIN"]
    }

    /// Runs the binary with `arguments`, feeding `stdin`, from `directory`.
    static func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:],
                    directory: String = repositoryRoot, executable: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        // Text plots take their width from $COLUMNS off a terminal: golden output needs one width.
        env["COLUMNS"] = "80"
        // Output goes to files, so a full pipe can never block the child.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("optrepl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A REPL run (`-i`, stdin) keeps its history and recovery journal here, not in $HOME: a
        // journal some earlier killed session left in $HOME would add its notice to stderr.
        env["OPTREPL_HISTORY"] = dir.appendingPathComponent("history").path
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        input.fileHandleForWriting.write(stdin.data(using: .utf8)!)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Outcome(stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self),
                       status: process.terminationStatus)
    }
}

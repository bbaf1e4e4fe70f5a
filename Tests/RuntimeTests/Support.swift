import XCTest
@_exported import TestSupport
import Lexer
import Parser
@testable import Runtime

/// Runs optrepl source through the runtime, capturing what it prints.
struct Run {
    var output = ""
    var error: RuntimeError?

    init(_ text: String, interpreter: Interpreter? = nil) {
        var out = ""
        let I = interpreter ?? Interpreter(output: { _ in })
        let saved = I.host.output
        I.host.output = { out += $0 }
        defer { I.host.output = saved }
        guard case .complete(let program) = Parser.parse(SourceFile(name: "t.opt", text: text)) else {
            XCTFail("does not parse: \(text)")
            return
        }
        do { try I.run(program) } catch { self.error = error }
        output = out
    }
}


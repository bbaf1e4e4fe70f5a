// `optrepl kernel install [--user] [--prefix P]`: writes the kernelspec (spec §15.5) where
// Jupyter looks for it, so `jupyter notebook`, JupyterLab and `jupyter kernelspec list` know
// "optrepl": kernel.json (this binary's absolute path), the logos, and kernel.js, which gives
// the classic notebook a CodeMirror mode for .opt, its keywords read from the lexer's table.

#if canImport(Glibc)
import Glibc
#endif
import Lexer
import Runtime

enum KernelInstall {
    static func main(_ arguments: [String]) -> ExitStatus {
        var user = false
        var prefix: String?
        var k = 0
        while k < arguments.count {
            switch arguments[k] {
            case "--user": user = true
            case "--prefix":
                guard k + 1 < arguments.count else { return usage("--prefix takes a folder") }
                k += 1
                prefix = arguments[k]
            case let other: return usage("unknown option '\(other)'")
            }
            k += 1
        }
        if user && prefix != nil { return usage("--user and --prefix cannot be used together") }
        let base: String
        if let prefix {
            base = prefix + "/share/jupyter"
        } else if user {
            if let data = Terminal.environment("JUPYTER_DATA_DIR"), !data.isEmpty {
                base = data
            } else if let xdg = Terminal.environment("XDG_DATA_HOME"), !xdg.isEmpty {
                base = xdg + "/jupyter"
            } else {
                base = (Terminal.environment("HOME") ?? ".") + "/.local/share/jupyter"
            }
        } else {
            base = "/usr/local/share/jupyter"
        }
        let dir = base + "/kernels/optrepl"
        guard makeDirectories(dir) else {
            Streams.stderr.write("optrepl kernel install: cannot create \(dir): \(String(cString: strerror(errno)))\(user ? "" : " (--user installs for you alone)")\n")
            return .ioError
        }
        let files: [(String, [UInt8])] = [
            ("kernel.json", Array(kernelJSON(binary: executablePath()).pretty().utf8)),
            ("logo-svg.svg", Array(KernelLogo.svg.utf8)),
            ("logo-32x32.png", base64(KernelLogo.png32Base64)),
            ("logo-64x64.png", base64(KernelLogo.png64Base64)),
            ("kernel.js", Array(codeMirrorMode.utf8)),
        ]
        for (name, bytes) in files {
            do {
                try FileIO.write(dir + "/" + name, bytes)
            } catch {
                Streams.stderr.write("optrepl kernel install: \(error.message)\n")
                return .ioError
            }
        }
        Streams.stdout.write("installed the optrepl kernel in \(dir)\n")
        return .success
    }

    private static func usage(_ why: String) -> ExitStatus {
        Streams.stderr.write("optrepl kernel install: \(why)\nusage: optrepl kernel install [--user] [--prefix P]\n")
        return .usage
    }

    static func kernelJSON(binary: String) -> JSON {
        .object([
            ("argv", .array([.string(binary), .string("kernel"), .string("{connection_file}")])),
            ("display_name", .string("optrepl")),
            ("language", .string("optrepl")),
            ("interrupt_mode", .string("signal")),
            ("metadata", .object([("debugger", .bool(false))])),
        ])
    }

    /// This binary's absolute path (the kernelspec must not depend on $PATH).
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return CommandLine.arguments.first ?? "optrepl" }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func makeDirectories(_ path: String) -> Bool {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST { return false }
        }
        return true
    }

    static func base64Encoded(_ bytes: [UInt8]) -> String {
        let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = Swift.min(3, bytes.count - i)
            let b0 = UInt32(bytes[i]), b1 = n > 1 ? UInt32(bytes[i + 1]) : 0, b2 = n > 2 ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(digits[Int(v >> 18 & 63)])
            out.append(digits[Int(v >> 12 & 63)])
            out.append(n > 1 ? digits[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(n > 2 ? digits[Int(v & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func base64(_ text: String) -> [UInt8] {
        var table = [UInt8](repeating: 255, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        var out: [UInt8] = []
        var acc: UInt32 = 0, bits = 0
        for c in text.utf8 where table[Int(c)] != 255 {
            acc = acc << 6 | UInt32(table[Int(c)])
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    /// A CodeMirror 5 simple mode (the classic notebook loads kernel.js from the kernelspec):
    /// keywords from the lexer, built-ins from the table, numbers, strings with `\(...)`,
    /// comments. The Pygments lexer for nbconvert is editors/pygments/optrepl_lexer.py.
    static var codeMirrorMode: String {
        let keywords = Keyword.allCases.map(\.rawValue).filter { !["true", "false", "nil"].contains($0) }.joined(separator: "|")
        let builtins = Builtins.table.map(\.name).filter { !$0.contains(".") }.sorted().joined(separator: "|")
        return #"""
        // The optrepl mode for CodeMirror 5, written by `optrepl kernel install`.
        define(["codemirror/lib/codemirror", "codemirror/addon/mode/simple"], function (CodeMirror) {
          "use strict";
          return {
            onload: function () {
              CodeMirror.defineSimpleMode("optrepl", {
                start: [
                  {regex: /#.*/, token: "comment"},
                  {regex: /"/, token: "string", push: "string"},
                  {regex: /\b(?:KEYWORDS)\b/, token: "keyword"},
                  {regex: /\b(?:true|false|nil)\b/, token: "atom"},
                  {regex: /\b(?:BUILTINS)\b(?=\s*\()/, token: "builtin"},
                  {regex: /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/, token: "number"},
                  {regex: /[-+*\/%^@<>=!]+|\.\.[<.]/, token: "operator"},
                  {regex: /[A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*(?=\s*:(?!=))/, token: "attribute"},
                  {regex: /[A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*/, token: "variable"}
                ],
                string: [
                  {regex: /\\\(/, token: "variable-2", push: "interpolation"},
                  {regex: /\\./, token: "string-2"},
                  {regex: /"/, token: "string", pop: true},
                  {regex: /[^"\\]+/, token: "string"}
                ],
                interpolation: [
                  {regex: /\)/, token: "variable-2", pop: true},
                  {regex: /"/, token: "string", push: "string"},
                  {regex: /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/, token: "number"},
                  {regex: /[^)"\d]+/, token: "variable"}
                ],
                meta: {lineComment: "#"}
              });
              CodeMirror.defineMIME("text/x-optrepl", "optrepl");
              // language_info names Python's mode (what JupyterLab has); here the cells take
              // optrepl's own, the ones there now and the ones made later.
              try {
                var CodeCell = require("notebook/js/codecell").CodeCell;
                CodeCell.options_default.cm_config.mode = "optrepl";
                Jupyter.notebook.get_cells().forEach(function (cell) {
                  if (cell.cell_type === "code") { cell.code_mirror.setOption("mode", "optrepl"); }
                });
              } catch (e) {}
            }
          };
        });

        """#.replacingOccurrences("KEYWORDS", keywords).replacingOccurrences("BUILTINS", builtins)
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation here).
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

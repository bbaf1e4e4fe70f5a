// Output and files (issue 18): output that cannot be written ends with exit 74 and a message;
// saves replace their file atomically; loads refuse malformed .npy headers and stop on the
// element limit, Ctrl-C and --max-seconds whatever the source (/dev/zero, a FIFO).

import Foundation
import XCTest
import TestSupport

final class OutputAndFileTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "optrepl-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Runs a bash script in the temporary directory with $B set to the binary.
    func shell(_ script: String) throws -> Outcome {
        try Binary.run(["-c", "B=\"\(Binary.path)\"\n" + script], directory: dir, executable: "/bin/bash")
    }

    func contents(_ name: String) -> String? {
        try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)
    }

    // MARK: stdout that cannot be written

    func testClosedStdoutExits74WithAMessage() throws {
        let out = try shell("\"$B\" -e 'print(1)' >&- ; echo \"status $?\"")
        XCTAssertEqual(out.stdout, "status 74\n")
        XCTAssertEqual(out.stderr, "optrepl: cannot write to standard output: Bad file descriptor\n")
    }

    func testFullStdoutExits74WithAMessage() throws {
        let small = try shell("\"$B\" -e 'print(1)' > /dev/full; echo \"status $?\"")
        XCTAssertEqual(small.stdout, "status 74\n")
        XCTAssertEqual(small.stderr, "optrepl: cannot write to standard output: No space left on device\n")
        // More than the buffer holds: the failure comes in the middle of the run, which stops there.
        let big = try shell("\"$B\" -e 'for i in 0..<100000 { print(i) }' > /dev/full; echo \"status $?\"")
        XCTAssertEqual(big.stdout, "status 74\n")
        XCTAssertEqual(big.stderr, "optrepl: cannot write to standard output: No space left on device\n")
    }

    func testRuntimeErrorWithFullStdoutStillExits74() throws {
        let out = try shell("\"$B\" -e 'print(1)\nx' > /dev/full; echo \"status $?\"")
        XCTAssertEqual(out.stdout, "status 74\n")
        XCTAssertEqual(out.stderr, "optrepl: cannot write to standard output: No space left on device\n")
    }

    // MARK: atomic saves

    /// A save that fails half way (the file-size limit, with SIGXFSZ ignored so the write
    /// returns EFBIG) leaves the old file whole and no temporary file behind.
    func testFailedSavesLeaveTheOldFileWhole() throws {
        try "1,2\n".write(toFile: dir + "/a.csv", atomically: false, encoding: .utf8)
        try "old npy".write(toFile: dir + "/a.npy", atomically: false, encoding: .utf8)
        try "<svg/>".write(toFile: dir + "/p.svg", atomically: false, encoding: .utf8)
        let out = try shell("""
        trap '' XFSZ
        ulimit -f 8
        "$B" -e 'save_csv("a.csv", range(100000))'; echo "csv $?"
        "$B" -e 'save_npy("a.npy", zeros(100000))'; echo "npy $?"
        "$B" -e 'plot(sin(linspace(0, 100, 20000)), file: "p.svg")'; echo "svg $?"
        """)
        XCTAssertEqual(out.stdout, "csv 70\nnpy 70\nsvg 70\n")
        XCTAssertEqual(out.stderr, """
        <-e>:1:1: error: cannot write 'a.csv': File too large
            save_csv("a.csv", range(100000))
            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        <-e>:1:1: error: cannot write 'a.npy': File too large
            save_npy("a.npy", zeros(100000))
            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        <-e>:1:1: error: cannot write 'p.svg': File too large
            plot(sin(linspace(0, 100, 20000)), file: "p.svg")
            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """)
        XCTAssertEqual(contents("a.csv"), "1,2\n")
        XCTAssertEqual(contents("a.npy"), "old npy")
        XCTAssertEqual(contents("p.svg"), "<svg/>")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["a.csv", "a.npy", "p.svg"])
    }

    /// A new file gets the mode fopen would give it (0666 less the umask); a replaced file
    /// keeps its mode; a save into a FIFO writes into it instead of replacing the node.
    func testSavesKeepModesAndWriteIntoFifos() throws {
        try "x".write(toFile: dir + "/private.csv", atomically: false, encoding: .utf8)
        chmod(dir + "/private.csv", 0o600)
        let out = try shell("""
        umask 027
        "$B" -e 'save_csv("new.csv", [1, 2]); save_csv("private.csv", [3])'
        stat -c '%n %a' new.csv private.csv
        mkfifo fifo
        cat fifo > from-fifo &
        "$B" -e 'save_csv("fifo", [[1, 2]])'
        wait
        stat -c '%F' fifo
        cat from-fifo private.csv
        """)
        XCTAssertEqual(out.stderr, "")
        XCTAssertEqual(out.stdout, "new.csv 640\nprivate.csv 600\nfifo\n1,2\n3\n")
    }

    // MARK: load_npy header checks

    func npy(_ header: String, _ data: [UInt8] = [], version: UInt8 = 1) -> Data {
        var h = Array(header.utf8)
        let pad = (64 - (10 + h.count + 1) % 64) % 64
        h += Array(repeating: 0x20, count: pad) + [0x0A]
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)]
        bytes += h + data
        return Data(bytes)
    }

    func testLoadNpyRefusesMalformedFiles() throws {
        let files: [(String, Data)] = [
            ("overflow.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }")),
            ("digits.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }")),
            ("negative.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }")),
            ("bare.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': 3, }", Array(repeating: 0, count: 8))),
            ("complex.npy", npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", Array(repeating: 0, count: 16))),
            ("object.npy", npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", Array(repeating: 0, count: 8))),
            ("unicode.npy", npy("{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }", Array(repeating: 0, count: 12))),
            ("order.npy", npy("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", Array(repeating: 0, count: 8))),
            ("noshape.npy", npy("{'descr': '<f8', 'fortran_order': False, }")),
            ("notadict.npy", npy("'descr': '<f8'")),
            ("short.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", Array(repeating: 0, count: 8))),
            ("truncated.npy", Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0xFF] + Array("{'descr'".utf8))),
            ("longheader.npy", Data([0x93] + Array("NUMPY".utf8) + [2, 0, 0xFF, 0xFF, 0xFF, 0x7F] + Array("{".utf8))),
            ("version.npy", Data([0x93] + Array("NUMPY".utf8) + [9, 0, 0, 0])),
        ]
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: dir + "/" + name)) }
        let expected = [
            "overflow.npy": "tensor of shape (4294967296, 4294967296) is too large (limit 1000 elements; see --max-elements)",
            "digits.npy": "'digits.npy' is not a valid .npy file: bad shape (99999999999999999999,)",
            "negative.npy": "'negative.npy' is not a valid .npy file: bad shape (-1,)",
            "bare.npy": "'bare.npy' is not a valid .npy file: bad shape 3",
            "complex.npy": "'complex.npy' is not a valid .npy file: unsupported dtype <c16 (numeric dtypes only)",
            "object.npy": "'object.npy' is not a valid .npy file: unsupported dtype |O (numeric dtypes only)",
            "unicode.npy": "'unicode.npy' is not a valid .npy file: unsupported dtype <U3 (numeric dtypes only)",
            "order.npy": "'order.npy' is not a valid .npy file: fortran_order is 0, not True or False",
            "noshape.npy": "'noshape.npy' is not a valid .npy file: header lacks descr, fortran_order or shape",
            "notadict.npy": "'notadict.npy' is not a valid .npy file: the header is not a dict",
            "short.npy": "'short.npy' is not a valid .npy file: data is shorter than the shape says",
            "truncated.npy": "'truncated.npy' is not a valid .npy file: truncated header",
            "longheader.npy": "'longheader.npy' is not a valid .npy file: a header of 2147483647 bytes is too long",
            "version.npy": "'version.npy' is not a valid .npy file: unsupported version 9",
        ]
        for (name, message) in expected.sorted(by: { $0.key < $1.key }) {
            let out = try Binary.run(["--max-elements", "1000", "-e", "load_npy(\"\(name)\")"], directory: dir)
            XCTAssertEqual(out.status, 70, name)
            XCTAssertEqual(out.stderr.split(separator: "\n").first.map(String.init), "<-e>:1:1: error: " + message, name)
        }
    }

    // MARK: endless sources

    func testDevZeroAndUrandomStopWithADiagnostic() throws {
        let zero = try Binary.run(["-e", "load_csv(\"/dev/zero\")"], directory: dir)
        XCTAssertEqual(zero.status, 70)
        XCTAssertTrue(zero.stderr.hasPrefix("<-e>:1:1: error: '/dev/zero' line 1: a NUL byte (not a text file)\n"), zero.stderr)
        let npy = try Binary.run(["-e", "load_npy(\"/dev/zero\")"], directory: dir)
        XCTAssertEqual(npy.status, 70)
        XCTAssertTrue(npy.stderr.hasPrefix("<-e>:1:1: error: '/dev/zero' is not a valid .npy file: no NUMPY magic\n"), npy.stderr)
        for name in ["load_csv", "load_npy"] {
            let random = try Binary.run(["-e", "\(name)(\"/dev/urandom\")"], directory: dir)
            XCTAssertEqual(random.status, 70, name)
            XCTAssertTrue(random.stderr.hasPrefix("<-e>:1:1: error: '/dev/urandom' "), random.stderr)
        }
    }

    func testEndlessValidCsvStopsAtTheElementLimit() throws {
        let out = try shell("""
        mkfifo fifo
        yes 1,2 > fifo 2>/dev/null &
        "$B" --max-elements 1000 -e 'load_csv("fifo")'; echo "status $?"
        wait
        """)
        XCTAssertEqual(out.stdout, "status 70\n")
        XCTAssertTrue(out.stderr.hasPrefix("<-e>:1:1: error: tensor of shape (501, 2) is too large (limit 1000 elements; see --max-elements)\n"), out.stderr)
    }

    func testFifoNobodyWritesObeysMaxSecondsAndCtrlC() throws {
        let start = Date()
        let out = try shell("""
        mkfifo fifo
        "$B" --max-seconds 0.5 -e 'load_csv("fifo")'; echo "csv $?"
        "$B" --max-seconds 0.5 -e 'load_npy("fifo")'; echo "npy $?"
        """)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(out.stdout, "csv 70\nnpy 70\n")
        XCTAssertEqual(out.stderr, """
        <-e>:1:1: error: time limit exceeded (--max-seconds)
            load_csv("fifo")
            ^~~~~~~~~~~~~~~~
        <-e>:1:1: error: time limit exceeded (--max-seconds)
            load_npy("fifo")
            ^~~~~~~~~~~~~~~~

        """)
        let interrupted = try shell("""
        mkfifo fifo2
        "$B" -e 'load_csv("fifo2")' &
        sleep 0.5; kill -INT $!; wait $!; echo "status $?"
        """)
        XCTAssertEqual(interrupted.stdout, "status 130\n")
        XCTAssertEqual(interrupted.stderr, "interrupted\n")
    }

    func testFifoReadsWhatAWriterSends() throws {
        let out = try shell("""
        mkfifo fifo
        (sleep 0.3; printf '1,2\\n3,4\\n' > fifo) &
        "$B" --max-seconds 5 -e 'print(load_csv("fifo"))'; echo "status $?"
        """)
        XCTAssertEqual(out.stdout, "[[1, 2],\n [3, 4]]\nstatus 0\n")
    }
}

// .npy and CSV against NumPy itself: files NumPy writes load in optrepl, files optrepl
// writes load in NumPy, every number bit for bit. Needs python3 with NumPy (make test installs it).

import Foundation
import XCTest
import TestSupport

final class NumpyFileTests: XCTestCase {
    private func runPython(_ code: String) throws -> Outcome {
        try Binary.run(["python3", "-c", code], executable: "/usr/bin/env")
    }

    func testFilesNumpyWritesLoadExactly() throws {
        let dir = NSTemporaryDirectory() + "optrepl-npy-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = try runPython("""
        import numpy as np
        np.random.seed(7)
        np.save('\(dir)/f8.npy', np.random.randn(3, 4))
        np.save('\(dir)/f4.npy', np.array([0.1, -2.5, 3e-8], dtype=np.float32))
        np.save('\(dir)/i8.npy', np.arange(-3, 3).reshape(2, 3))
        np.save('\(dir)/be.npy', np.array([1.5, -2.25], dtype='>f8'))
        np.save('\(dir)/fortran.npy', np.asfortranarray(np.arange(6.0).reshape(2, 3) / 7))
        np.savetxt('\(dir)/m.csv', np.random.randn(2, 3), delimiter=',')
        for name in ['f8', 'f4', 'i8', 'be', 'fortran']:
            a = np.load('\(dir)/' + name + '.npy').astype(np.float64)
            print(name, a.shape, ' '.join(repr(float(x)) for x in a.ravel()))
        m = np.loadtxt('\(dir)/m.csv', delimiter=',')
        print('m', m.shape, ' '.join(repr(float(x)) for x in m.ravel()))
        """)
        XCTAssertEqual(made.status, 0, made.stderr)
        let optrepl = try Binary.run(["-e", """
        fn line(name, t) {
            s = name + " " + repr(shape(t))
            for x in reshape(t, -1) { s = s + " " + repr(x) }
            return s
        }
        for name in ("f8", "f4", "i8", "be", "fortran") { print(line(name, load_npy("\(dir)/" + name + ".npy"))) }
        print(line("m", load_csv("\(dir)/m.csv")))
        """])
        XCTAssertEqual(optrepl.status, 0, optrepl.stderr)
        // NumPy prints whole numbers as "1.0" and shapes as "(2, 3)"; bring both to one form.
        let normalise = { (s: String) in s.replacingOccurrences(of: ".0 ", with: " ").replacingOccurrences(of: ".0\n", with: "\n") }
        XCTAssertEqual(normalise(optrepl.stdout), normalise(made.stdout))
    }

    func testFilesOptreplWritesLoadInNumpy() throws {
        let dir = NSTemporaryDirectory() + "optrepl-npy-out-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wrote = try Binary.run(["-e", """
        seed(3)
        t = randn(4, 5)
        save_npy("\(dir)/t.npy", t)
        save_npy("\(dir)/v.npy", [1, 2.5, -0.0])
        save_csv("\(dir)/t.csv", t)
        print(repr(t))
        """])
        XCTAssertEqual(wrote.status, 0, wrote.stderr)
        let check = try runPython("""
        import numpy as np
        np.random.seed(3)
        t = np.random.randn(4, 5)
        a = np.load('\(dir)/t.npy'); v = np.load('\(dir)/v.npy')
        c = np.loadtxt('\(dir)/t.csv', delimiter=',')
        print(a.dtype, a.shape, a.flags['C_CONTIGUOUS'], np.array_equal(a, t), np.array_equal(c, t))
        print(v.tolist(), np.signbit(v[2]))
        """)
        XCTAssertEqual(check.stdout, "float64 (4, 5) True True True\n[1.0, 2.5, -0.0] True\n", check.stderr)
    }

    func testSandboxRefusesEveryFileBuiltin() throws {
        for call in ["load_csv(\"x.csv\")", "save_csv(\"x.csv\", [1])", "load_npy(\"x.npy\")", "save_npy(\"x.npy\", [1])"] {
            let out = try Binary.run(["--sandbox", "-e", call])
            XCTAssertEqual(out.status, 70)
            let name = String(call.prefix { $0 != "(" })
            XCTAssertTrue(out.stderr.hasPrefix("<-e>:1:1: error: '\(name)' is disabled by --sandbox\n"), out.stderr)
        }
    }
}

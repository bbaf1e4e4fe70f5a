// A long session keeps its memory flat: a loop creating tensors, closures (one capturing
// itself, a cycle the CycleBreaker frees), optimizers and strings has the same peak resident
// memory at 10^5 and 10^6 iterations (on the release binary; 10^4 and 10^5 on the debug one).

import Foundation
import XCTest
import TestSupport

final class MemoryTests: XCTestCase {
    /// Peak resident memory (KB) of the binary running the loop `n` times, from wait4's rusage.
    private func peakKB(_ binary: String, _ n: Int) throws -> Int {
        let program = repositoryRoot + "/Tests/EndToEndTests/long_session.opt"
        let run = try Binary.run(["python3", "-c", """
            import os, subprocess, sys
            p = subprocess.Popen([sys.argv[1], sys.argv[2], sys.argv[3]], stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(p.pid, 0)
            print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
            """, binary, program, String(n)], executable: "/usr/bin/env")
        let fields = run.stdout.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(fields.first, "0", run.stderr)
        return Int(fields.last ?? "") ?? 0
    }

    func testLongLoopsKeepResidentMemoryFlat() throws {
        let binary = Binary.releasePath ?? Binary.path
        let small = Binary.releasePath == nil ? 10_000 : 100_000
        let a = try peakKB(binary, small), b = try peakKB(binary, small * 10)
        XCTAssertGreaterThan(a, 0)
        // Ten times the iterations, the same peak (within allocator noise).
        XCTAssertLessThan(b, a + a / 5 + 4096, "peak \(a) KB after \(small) iterations, \(b) KB after \(small * 10)")
    }
}

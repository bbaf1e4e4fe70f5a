import XCTest
@testable import Runtime
#if canImport(Glibc)
import Glibc
#endif

/// BiasCorrection against its rule, `1 - pow(β, t)`, bit for bit: around the step from which it
/// answers 1 without pow, and over a run of steps before it, for the course's βs, generated βs
/// across (0, 1), and the βs at the edges (0, the largest below 1, subnormals, 1, above 1,
/// negative, nan).
final class BiasCorrectionTests: XCTestCase {
    func testTheCorrectionIsOneMinusPowBitForBit() {
        var g = GradPropertyTests.Generator(state: 0xB1A5)
        var betas: [Double] = [0.9, 0.99, 0.999, 0.9999, 0.5, 0.1, 0.95, 0.98, 0, .leastNonzeroMagnitude, 1e-300, 0.1.nextDown,
                               1.0.nextDown, 1, 1.5, -0.5, -0.0, .nan, .infinity]
        for _ in 0..<200 {
            // Uniform in (0, 1), and close to 1 (1 − 10^−k), where the step is late.
            betas.append(Double(g.below(1_000_000) + 1) / 1_000_001)
            betas.append(1 - pow(10, -Double(g.below(9) + 1)) * Double(g.below(9) + 1))
        }
        var skipped = 0
        for beta in betas {
            let bc = BiasCorrection(beta)
            var steps = Array(1...2_000)
            if bc.oneFrom != .max {
                skipped += 1
                let from = bc.oneFrom
                steps += Array(max(1, from - 3_000)...(from + 3_000))
                steps += (0..<200).map { _ in from + g.below(1 << 30) }
                // The bound is tight enough to matter: pow is already 0 a little before it.
                if from > 1 { XCTAssertEqual(1 - pow(beta, Double(from - 1)), 1, "β = \(beta)") }
            }
            for t in steps {
                XCTAssertEqual(bc(t).bitPattern, (1 - pow(beta, Double(t))).bitPattern, "β = \(beta), t = \(t)")
            }
        }
        XCTAssertGreaterThan(skipped, 400, "most βs reach their step")
        XCTAssertEqual(BiasCorrection(0.9).oneFrom, 7_082)
        XCTAssertEqual(BiasCorrection(0.999).oneFrom, 745_628)
        XCTAssertEqual(BiasCorrection(1).oneFrom, .max)
        XCTAssertEqual(BiasCorrection(.nan).oneFrom, .max)
    }
}

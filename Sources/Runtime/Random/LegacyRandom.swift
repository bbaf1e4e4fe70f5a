// NumPy's legacy RandomState algorithms on top of MT19937: doubles from two draws, the polar
// Gaussian with its cached second value, and masked rejection for bounded integers.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct LegacyRandom {
    private var mt: MersenneTwister
    /// The second value of the last polar pair, returned by the next gauss() (NumPy's cache).
    private var cachedGauss: Double?

    public init(seed: UInt32) {
        mt = MersenneTwister(seed: seed)
    }

    /// Seeded from the system's entropy (no `seed` call).
    public static func fromEntropy() -> LegacyRandom {
        var g = SystemRandomNumberGenerator()
        return LegacyRandom(seed: UInt32.random(in: 0...UInt32.max, using: &g))
    }

    public mutating func nextUInt32() -> UInt32 { mt.next() }

    /// A double in [0, 1) with 53 random bits: ((a >> 5) * 2^26 + (b >> 6)) / 2^53.
    public mutating func double() -> Double {
        let a = Double(mt.next() >> 5), b = Double(mt.next() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// A standard normal value by the legacy polar Box-Muller method, with C's log.
    public mutating func gauss() -> Double {
        if let g = cachedGauss {
            cachedGauss = nil
            return g
        }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2 * double() - 1
            x2 = 2 * double() - 1
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1 || r2 == 0
        let f = (-2 * log(r2) / r2).squareRoot()
        cachedGauss = f * x1
        return f * x2
    }

    /// A value in 0...max by masked rejection (NumPy's random_interval / bounded masked draw).
    public mutating func interval(_ max: UInt64) -> UInt64 {
        if max == 0 { return 0 }
        var mask = max
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4
        mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32
        if max <= 0xFFFF_FFFF {
            while true {
                let v = UInt64(mt.next()) & mask
                if v <= max { return v }
            }
        }
        while true {
            let v = ((UInt64(mt.next()) << 32) | UInt64(mt.next())) & mask
            if v <= max { return v }
        }
    }
}

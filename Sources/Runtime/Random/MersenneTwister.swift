// MT19937, seeded as NumPy's legacy RandomState seeds it (init_genrand), so that
// `seed(n)` followed by any calls gives NumPy's numbers bit for bit.

public struct MersenneTwister {
    private static let n = 624
    private static let m = 397
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// init_genrand(seed): mt[0] = seed, mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >> 30)) + i.
    public init(seed: UInt32) {
        state[0] = seed
        for i in 1..<MersenneTwister.n {
            let prev = state[i - 1]
            state[i] = 1_812_433_253 &* (prev ^ (prev >> 30)) &+ UInt32(i)
        }
        index = MersenneTwister.n
    }

    /// The next 32-bit output, tempered.
    public mutating func next() -> UInt32 {
        if index >= MersenneTwister.n { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// Regenerates all 624 words (the reference algorithm, written without modulo on a raw buffer).
    private mutating func twist() {
        let n = MersenneTwister.n, m = MersenneTwister.m
        state.withUnsafeMutableBufferPointer { s in
            @inline(__always) func mix(_ i: Int, _ next: Int, _ far: Int) {
                let y = (s[i] & 0x8000_0000) | (s[next] & 0x7FFF_FFFF)
                s[i] = s[far] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
            }
            for i in 0..<(n - m) { mix(i, i + 1, i + m) }
            for i in (n - m)..<(n - 1) { mix(i, i + 1, i + m - n) }
            mix(n - 1, 0, m - 1)
        }
        index = 0
    }
}

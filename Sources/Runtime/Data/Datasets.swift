// Toy data sets with scikit-learn's exact algorithms and stream order (spec §9.9, §14.6):
// each draws from its own stream seeded by `seed:`, leaving the global one untouched.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Datasets {
    /// make_moons: outer half circle then inner one; FIRST the rows are shuffled, THEN the
    /// noise is drawn (row-major, even when noise is 0). cos and sin are the C library's.
    static func moons(n: Int, noise: Double, seed: UInt32) -> (Tensor, Tensor) {
        var rng = LegacyRandom(seed: seed)
        let nOut = n / 2, nIn = n - nOut
        var X: [Double] = [], y: [Double] = []
        X.reserveCapacity(2 * n)
        for t in halfCircle(nOut) {
            X += [cos(t), sin(t)]
            y.append(0)
        }
        for t in halfCircle(nIn) {
            X += [1 - cos(t), (1 - sin(t)) - 0.5]
            y.append(1)
        }
        var rows = Tensor(shape: [n, 2], data: X)
        var labels = Tensor(vector: y)
        (rows, labels) = shuffleTogether(rows, labels, &rng)
        for k in 0..<rows.count { rows.data[k] = rows.data[k] + (0 + noise * rng.gauss()) }
        return (rows, labels)
    }

    /// t[i] = i * (pi / (k - 1)) with the last value exactly pi (np.linspace(0, pi, k)).
    private static func halfCircle(_ k: Int) -> [Double] {
        guard k > 1 else { return k == 1 ? [0] : [] }
        let step = Double.pi / Double(k - 1)
        var t = (0..<k).map { Double($0) * step }
        t[k - 1] = .pi
        return t
    }

    /// make_blobs with 2 features: centers uniform in [-10, 10), cluster i gets n/c points
    /// (one more for the first n%c), each center + std*gauss; the rows are shuffled LAST.
    static func blobs(n: Int, centers c: Int, std: Double, seed: UInt32) -> (Tensor, Tensor) {
        var rng = LegacyRandom(seed: seed)
        let centers = (0..<(2 * c)).map { _ in -10 + 20 * rng.double() }
        var X: [Double] = [], y: [Double] = []
        for i in 0..<c {
            let count = n / c + (i < n % c ? 1 : 0)
            for _ in 0..<count {
                X.append(centers[2 * i] + std * rng.gauss())
                X.append(centers[2 * i + 1] + std * rng.gauss())
                y.append(Double(i))
            }
        }
        return shuffleTogether(Tensor(shape: [n, 2], data: X), Tensor(vector: y), &rng)
    }

    /// The cs231n spiral: `n` points per class on arms r = linspace(0, 1, n),
    /// angle linspace(4j, 4(j+1), n) + noise*randn(n), as (r sin t, r cos t).
    static func spiral(n: Int, classes: Int, noise: Double, seed: UInt32) -> (Tensor, Tensor) {
        var rng = LegacyRandom(seed: seed)
        var X: [Double] = [], y: [Double] = []
        let r = Builtins.linspace(0, 1, n)
        for j in 0..<classes {
            let base = Builtins.linspace(Double(4 * j), Double(4 * (j + 1)), n)
            for i in 0..<n {
                let t = base[i] + rng.gauss() * noise
                X += [r[i] * sin(t), r[i] * cos(t)]
                y.append(Double(j))
            }
        }
        return (Tensor(shape: [n * classes, 2], data: X), Tensor(vector: y))
    }

    /// One Fisher-Yates permutation (NumPy's order) applied to the rows of X and of y.
    static func shuffleTogether(_ X: Tensor, _ y: Tensor, _ rng: inout LegacyRandom) -> (Tensor, Tensor) {
        let n = X.shape.first ?? 0
        let perm = Builtins.shuffled(Tensor(vector: (0..<n).map(Double.init)), &rng).data.map { Int($0) }
        return (X.rows(perm), y.rows(perm))
    }
}

extension Tensor {
    /// The rows at `indices`, in that order.
    func rows(_ indices: [Int]) -> Tensor {
        let n = shape.first ?? 0
        let row = n == 0 ? 0 : count / n
        var data: [Double] = []
        data.reserveCapacity(indices.count * row)
        for i in indices { data.append(contentsOf: self.data[(i * row)..<((i + 1) * row)]) }
        var s = shape
        if !s.isEmpty { s[0] = indices.count }
        return Tensor(shape: s, data: data)
    }
}

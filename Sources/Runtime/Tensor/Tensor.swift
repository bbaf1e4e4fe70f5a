// Tensor: an n-dimensional, row-major array of doubles. `data` is a Swift array, so the
// tensor is copy-on-write: copies share one buffer until one of them is written.

public struct Tensor {
    public var shape: [Int]
    public var data: [Double]

    public init(shape: [Int], data: [Double]) {
        precondition(shape.reduce(1, *) == data.count, "tensor shape and data disagree")
        self.shape = shape
        self.data = data
    }

    public init(vector: [Double]) {
        self.shape = [vector.count]
        self.data = vector
    }

    public init(repeating value: Double, shape: [Int]) {
        self.shape = shape
        self.data = [Double](repeating: value, count: shape.reduce(1, *))
    }

    public var rank: Int { shape.count }
    public var count: Int { data.count }

    /// Row-major strides in elements.
    public var strides: [Int] { Tensor.strides(for: shape) }

    static func strides(for shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    /// The address of the element buffer: equal for two tensors exactly when they share storage.
    public var bufferIdentity: UnsafeRawPointer? {
        data.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    /// Whether no other tensor or array shares this one's elements, so writing them in place
    /// changes no other value (the numeric tier's writes into a lent parameter). Unsafe code:
    /// where there is no Objective-C bridging (the array's size says so), an array is one
    /// reference to a native Swift object, its storage; the check reads that reference as one
    /// to a native class (an existential's check asks the runtime about an unknown object and
    /// says no). False on other platforms and for an empty tensor (its storage is static).
    public mutating func holdsItsElementsAlone() -> Bool {
        #if canImport(ObjectiveC)
        return false
        #else
        guard MemoryLayout<[Double]>.size == MemoryLayout<ElementStorage>.size, !data.isEmpty else { return false }
        return withUnsafeMutablePointer(to: &data) { p in
            p.withMemoryRebound(to: ElementStorage.self, capacity: 1) { isKnownUniquelyReferenced(&$0.pointee) }
        }
        #endif
    }

    /// Stands for an array's storage object in holdsItsElementsAlone: never made.
    private final class ElementStorage {}

    /// Applies `f` to every element.
    @inline(__always)
    public func map(_ f: (Double) -> Double) -> Tensor {
        Tensor(shape: shape, data: data.map(f))
    }

    /// The tensor as a value of the language, which has no 0-d tensors: rank 0 is a number
    /// (a number given where a tensor goes is read as rank 0, as NumPy reads a scalar).
    public var value: Value {
        rank == 0 ? .number(data[0]) : .tensor(self)
    }

    /// Spec shape text: `(2, 3)`, `(4,)`, `()`.
    public static func shapeText(_ shape: [Int]) -> String {
        if shape.count == 1 { return "(\(shape[0]),)" }
        return "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}

/// Element counts are multiplied with overflow checks and held to the `--max-elements` limit
/// before anything is allocated (spec §13).
public enum TensorLimits {
    public static let defaultMaxElements = 1 << 28

    /// The element count of `shape`, or an error when it overflows or exceeds `limit`. The
    /// dimensions other than 0 are held to the limit too, as NumPy refuses a shape whose
    /// non-zero dimensions overflow: then every stride, and every loop over the dimensions of
    /// an empty tensor (reductions, transpose, shuffle), stays within the limit as well.
    public static func checkedCount(_ shape: [Int], limit: Int) throws(RuntimeError) -> Int {
        var spanned = 1
        var empty = false
        for d in shape {
            guard d >= 0 else { throw RuntimeError("negative dimension \(d) in shape \(Tensor.shapeText(shape))") }
            if d == 0 { empty = true; continue }
            let (p, overflow) = spanned.multipliedReportingOverflow(by: d)
            guard !overflow, p <= limit else { throw tooLarge(shape, limit: limit) }
            spanned = p
        }
        return empty ? 0 : spanned
    }

    static func tooLarge(_ shape: [Int], limit: Int) -> RuntimeError {
        let which = shape.contains(0) ? ", counting the dimensions other than 0" : ""
        return RuntimeError("tensor of shape \(Tensor.shapeText(shape)) is too large (limit \(limit) elements\(which); see --max-elements)")
    }

    /// A size given as a double (a count, `num:`, a range's length) beyond the limit.
    public static func tooLarge(size: Double, limit: Int) -> RuntimeError {
        RuntimeError("size \(NumberFormat.repr(size)) is too large (limit \(limit) elements; see --max-elements)")
    }

    /// `n` elements, or the too-large error, before anything of that size is allocated.
    public static func check(count n: Int, limit: Int) throws(RuntimeError) {
        guard n <= limit else { throw tooLarge(size: Double(n), limit: limit) }
    }
}

// Doubles that become Ints (sizes, strides, indices, axes, counts, epochs) and long loops that
// must notice Ctrl-C and --max-seconds: the one conversion and the one poll every built-in uses.

import Synchronization

/// The single checked conversion of a double to an Int (spec §13): finite, whole and of
/// magnitude at most 2^53, so that every Int it gives is the double exactly and the sum or
/// product of two such Ints cannot overflow. What to say when it fails is the caller's (a size
/// says "too large", an index "out of range"), so it reports why rather than a message.
public enum WholeNumber {
    /// 2^53: beyond it doubles are spaced more than 1 apart.
    public static let maxMagnitude = 9_007_199_254_740_992.0

    public enum Failure: Error {
        /// nan, ±inf or a fraction.
        case notWhole
        /// A whole number beyond ±2^53.
        case tooLarge
    }

    @inline(__always)
    public static func int(_ x: Double) throws(Failure) -> Int {
        guard x.isFinite, x == x.rounded() else { throw .notWhole }
        guard Swift.abs(x) <= maxMagnitude else { throw .tooLarge }
        return Int(x)
    }

    /// The Int, or nil for anything `int` refuses (when the caller has its own fallback).
    @inline(__always)
    public static func exactly(_ x: Double) -> Int? {
        try? int(x)
    }
}

/// Long loops inside built-ins (element-wise kernels, take-indexing, schedule replays, contour
/// samples) poll the interrupt flag every `stride` iterations, so Ctrl-C and --max-seconds end
/// them as they end a loop of the language.
public enum Interrupts {
    /// Iterations between polls: a relaxed atomic load is cheap, but not free per element.
    public static let stride = 1 << 16

    /// Throws when SIGINT or the time limit has raised the flag (and clears it), as the
    /// evaluator's own check does at loop back-edges.
    @inline(__always)
    public static func poll() throws(RuntimeError) {
        if interruptRequest.load(ordering: .relaxed) != 0 { try raise() }
    }

    /// Whether Ctrl-C or the time limit is waiting to be reported (not cleared): loops that
    /// cannot throw stop early on it and leave the report to their caller's next poll.
    public static var pending: Bool { interruptRequest.load(ordering: .relaxed) != 0 }

    /// Runs `body` over 0..<n in pieces of `stride`, polling before each: the shape of every
    /// long element loop (a quarter-billion elements take seconds in a debug build).
    @inline(__always)
    public static func inChunks(_ n: Int, _ body: (Range<Int>) -> Void) throws(RuntimeError) {
        var start = 0
        while start < n {
            try poll()
            let end = Swift.min(n, start + stride)
            body(start..<end)
            start = end
        }
    }

    /// `poll()` on every `stride`-th value of a loop counter.
    @inline(__always)
    public static func poll(every k: Int) throws(RuntimeError) {
        if k & (stride - 1) == 0 { try poll() }
    }

    @inline(never)
    public static func raise() throws(RuntimeError) {
        let why = interruptRequest.exchange(0, ordering: .relaxed)
        throw why == 2 ? RuntimeError.timedOut : RuntimeError.interrupted
    }
}

extension Tensor {
    /// `f(0), f(1), ..., f(n - 1)` for an `n` already held to the element limit, polling for
    /// interrupts on the way (a quarter-billion elements take seconds in a debug build).
    static func generated(_ n: Int, _ f: (Int) -> Double) throws(RuntimeError) -> [Double] {
        var out = [Double](repeating: 0, count: n)
        var start = 0
        while start < n {
            try Interrupts.poll()
            let end = Swift.min(n, start + Interrupts.stride)
            out.withUnsafeMutableBufferPointer { p in
                for i in start..<end { p[i] = f(i) }
            }
            start = end
        }
        return out
    }
}

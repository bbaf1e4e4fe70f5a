// A progress bar on stderr for long driver runs (spec §9.8): shown only when stderr is a
// terminal and only once a run has taken a second, redrawn at most ten times a second, and
// erased when the run ends, so short runs and pipes never see it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class ProgressBar {
    private var start = 0.0
    private var lastDraw = 0.0
    private var shown = false
    private let width = 30

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    func update(_ what: String, _ done: Int, _ total: Int) {
        let t = ProgressBar.now()
        if done == 0 {
            start = t
            lastDraw = t
            return
        }
        if done >= total {
            if shown { write("\r\u{1B}[K") }
            shown = false
            return
        }
        guard t - start >= 1, t - lastDraw >= 0.1 else { return }
        lastDraw = t
        shown = true
        let fraction = Double(done) / Double(Swift.max(total, 1))
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let eta = (t - start) / fraction * (1 - fraction)
        let percent = Int(fraction * 100)
        write("\r\(what) \(bar) \(percent)% \(done)/\(total) ~\(Int(eta.rounded(.up)))s left \u{1B}[K")
    }

    private func write(_ s: String) {
        Streams.stderr.write(s)
        Streams.stderr.flush()
    }
}

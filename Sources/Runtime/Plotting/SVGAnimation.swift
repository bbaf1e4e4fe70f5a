// Lines that draw themselves (`animate: true`, spec §15.4) with SMIL: each piece of a line is
// dashed with one dash as long as itself, and its offset runs from the whole length to 0 with
// one key time per data point, so every optimizer step takes the same time and runs of equal
// length move in step. The element's own state is the finished picture: a renderer without
// animation (librsvg, and so PNG and PDF) shows the whole path.

struct Animation {
    let duration: Double
    /// The data points of the longest line: point i is reached at i/(steps−1) of the duration.
    let steps: Int
    /// At most this many key frames per piece (a run of 10^5 steps stays small).
    static let maxKeys = 240

    private func f(_ v: Double) -> String { NumberFormat.cFormat("%.2f", v) }
    private func time(_ index: Int) -> Double { steps > 1 ? Double(index) / Double(steps - 1) : 1 }

    /// The dash attributes and <animate> child that reveal a piece (points in pixels).
    func reveal(_ piece: [DrawnPoint]) -> String {
        var walked = [0.0]
        for (a, b) in zip(piece, piece.dropFirst()) {
            walked.append(walked.last! + ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot())
        }
        let length = walked.last! + 1
        // Key frames: (time, offset), times increasing; the piece is hidden until its first
        // point's time and whole from its last.
        var keys: [(Double, Double)] = [(0, length)]
        let stride = Swift.max(1, piece.count / Animation.maxKeys)
        for (j, p) in piece.enumerated() where j % stride == 0 || j == piece.count - 1 {
            let t = time(p.index), offset = length - walked[j]
            if let last = keys.last, t <= last.0 {
                keys[keys.count - 1].1 = offset
            } else {
                keys.append((t, offset))
            }
        }
        if keys.last!.0 < 1 { keys.append((1, 0)) }
        keys[keys.count - 1].1 = 0
        let keyTimes = keys.map { NumberFormat.cFormat("%.4f", $0.0) }.joined(separator: ";")
        let values = keys.map { f($0.1) }.joined(separator: ";")
        return "<set attributeName=\"stroke-dasharray\" to=\"\(f(length)) \(f(length))\" begin=\"0s\"/>\n"
            + "<animate attributeName=\"stroke-dashoffset\" dur=\"\(f(duration))s\" fill=\"freeze\" calcMode=\"linear\" keyTimes=\"\(keyTimes)\" values=\"\(values)\"/>\n"
    }

    /// A child that keeps an element (a path's end marker) hidden until the end.
    func appearAtEnd() -> String {
        "<animate attributeName=\"opacity\" dur=\"\(f(duration))s\" fill=\"freeze\" calcMode=\"discrete\" keyTimes=\"0;1\" values=\"0;1\"/>"
    }
}

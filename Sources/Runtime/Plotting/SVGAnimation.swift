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

    /// Key frames of a piece (points in pixels): (time, length drawn), times increasing from 0
    /// to 1; nothing is drawn before its first point's time, all of it from its last; and the
    /// piece's whole length.
    func keyFrames(_ piece: [DrawnPoint]) -> (keys: [(Double, Double)], length: Double) {
        var walked = [0.0]
        for (a, b) in zip(piece, piece.dropFirst()) {
            walked.append(walked.last! + ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot())
        }
        let length = walked.last!
        var keys: [(Double, Double)] = [(0, 0)]
        let stride = Swift.max(1, piece.count / Animation.maxKeys)
        for (j, p) in piece.enumerated() where j % stride == 0 || j == piece.count - 1 {
            let t = time(p.index)
            if let last = keys.last, t <= last.0 {
                keys[keys.count - 1].1 = walked[j]
            } else {
                keys.append((t, walked[j]))
            }
        }
        if keys.last!.0 < 1 { keys.append((1, length)) }
        keys[keys.count - 1].1 = length
        return (keys, length)
    }

    private func keyTimes(_ keys: [(Double, Double)]) -> String {
        keys.map { NumberFormat.cFormat("%.4f", $0.0) }.joined(separator: ";")
    }

    /// The <set> and <animate> children that reveal a piece: one dash as long as the piece,
    /// its offset running from the whole length to 0.
    func reveal(_ piece: [DrawnPoint]) -> String {
        let (keys, length) = keyFrames(piece)
        let dash = length + 1
        let values = keys.map { f(dash - $0.1) }.joined(separator: ";")
        return "<set attributeName=\"stroke-dasharray\" to=\"\(f(dash)) \(f(dash))\" begin=\"0s\"/>\n"
            + "<animate attributeName=\"stroke-dashoffset\" dur=\"\(f(duration))s\" fill=\"freeze\" calcMode=\"linear\" keyTimes=\"\(keyTimes(keys))\" values=\"\(values)\"/>\n"
    }

    /// A dot at the head of a drawing path (`d` its path data), shown only while it moves: a
    /// renderer without animation leaves it hidden.
    func head(_ piece: [DrawnPoint], _ d: String, _ color: String) -> String {
        let (keys, length) = keyFrames(piece)
        guard length > 0 else { return "" }
        let points = keys.map { NumberFormat.cFormat("%.4f", Swift.min(1, $0.1 / length)) }.joined(separator: ";")
        return "<circle r=\"3.5\" fill=\"\(color)\" stroke=\"white\" stroke-width=\"1\" opacity=\"0\">"
            + "<set attributeName=\"opacity\" to=\"1\" begin=\"0s\" dur=\"\(f(duration))s\"/>"
            + "<animateMotion dur=\"\(f(duration))s\" fill=\"freeze\" calcMode=\"linear\" keyTimes=\"\(keyTimes(keys))\" keyPoints=\"\(points)\" path=\"\(d)\"/></circle>\n"
    }

    /// A child that keeps an element (a path's end marker) hidden until the end.
    func appearAtEnd() -> String {
        "<animate attributeName=\"opacity\" dur=\"\(f(duration))s\" fill=\"freeze\" calcMode=\"discrete\" keyTimes=\"0;1\" values=\"0;1\"/>"
    }
}

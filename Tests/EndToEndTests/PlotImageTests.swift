// Plots as pictures (issue 17): every figure of Tests/plots/figures.opt is rendered with
// rsvg-convert and compared pixel by pixel with its reference image (Tests/plots/reference,
// written by make_references.sh); PNG and PDF files match the SVG's rendering; an animated
// path is partly drawn early and whole at the end in headless Chromium; a text plot follows
// the terminal as it is resized.

import Foundation
import XCTest
import TestSupport

final class PlotImageTests: XCTestCase {
    static let compare = repositoryRoot + "/Tests/plots/compare_png.py"

    /// Runs a shell command; its status and what it printed (stdout and stderr).
    @discardableResult
    func shell(_ command: String) -> (status: Int32, output: String) {
        let out = NSTemporaryDirectory() + "optrepl-shell-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let status = system("(\(command)) > '\(out)' 2>&1 < /dev/null")
        return (status, (try? readTextFile(out)) ?? "")
    }

    /// Writes the figures into a fresh folder and returns it.
    func figures() throws -> String {
        let dir = NSTemporaryDirectory() + "optrepl-figures-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let outcome = try Binary.run(["Tests/plots/figures.opt", dir])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(outcome.stdout, "")
        return dir
    }

    func testFiguresMatchTheirReferenceImages() throws {
        let dir = try figures()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let references = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/Tests/plots/reference")
            .filter { $0.hasSuffix(".png") }.sorted()
        XCTAssertEqual(references.count, 9, "a reference image went missing: \(references)")
        for reference in references {
            let name = String(reference.dropLast(4))
            let rendered = "\(dir)/\(name).png"
            XCTAssertEqual(shell("rsvg-convert '\(dir)/\(name).svg' -o '\(rendered)'").status, 0, "rsvg-convert failed on \(name).svg")
            let result = shell("python3 '\(PlotImageTests.compare)' '\(rendered)' '\(repositoryRoot)/Tests/plots/reference/\(reference)' --max-differing 0.002")
            XCTAssertEqual(result.status, 0, "\(name).svg no longer looks like its reference: \(result.output)")
        }
    }

    func testPNGAndPDFAreTheSVGsPicture() throws {
        let dir = try figures()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // dpi 100 (the default): 7.5 × 5 inches at 100 dots per inch.
        XCTAssertEqual(shell("rsvg-convert -w 750 -h 500 '\(dir)/lines.svg' -o '\(dir)/lines.rsvg.png'").status, 0)
        var result = shell("python3 '\(PlotImageTests.compare)' '\(dir)/lines.png' '\(dir)/lines.rsvg.png' --max-differing 0.001")
        XCTAssertEqual(result.status, 0, "file: \"lines.png\" is not the SVG's picture: \(result.output)")
        XCTAssertTrue(result.output.hasPrefix("size 750x500 "), result.output)
        XCTAssertEqual(shell("rsvg-convert -w 1500 -h 1000 '\(dir)/lines.svg' -o '\(dir)/lines200.rsvg.png'").status, 0)
        result = shell("python3 '\(PlotImageTests.compare)' '\(dir)/lines_200dpi.png' '\(dir)/lines200.rsvg.png' --max-differing 0.001")
        XCTAssertEqual(result.status, 0, "dpi: 200: \(result.output)")
        XCTAssertTrue(result.output.hasPrefix("size 1500x1000 "), result.output)
        // The PDF is a page of 540 × 360 points; rasterised at 96 dpi it is the SVG's 720×480
        // (poppler draws the embedded glyphs a little differently: 1.5% of the pixels differ).
        let pdf = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/lines.pdf"))
        XCTAssertEqual(String(decoding: pdf.prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertEqual(shell("pdftoppm -r 96 -png -singlefile '\(dir)/lines.pdf' '\(dir)/lines.pdf'").status, 0, "pdftoppm (poppler-utils) failed")
        XCTAssertEqual(shell("rsvg-convert '\(dir)/lines.svg' -o '\(dir)/lines.svg.png'").status, 0)
        result = shell("python3 '\(PlotImageTests.compare)' '\(dir)/lines.pdf.png' '\(dir)/lines.svg.png' --max-differing 0.03")
        XCTAssertEqual(result.status, 0, "file: \"lines.pdf\" is not the SVG's picture: \(result.output)")
    }

    /// Chromium plays the SMIL animation: early on the paths are partly drawn (fewer of their
    /// pixels than at the end), at the end the picture is the static rendering's. The SVG is
    /// put inline in a page that stops its clock at a given second (SVG's setCurrentTime), so
    /// the moment does not depend on how fast the machine loads it.
    func testAnimatedPathsDrawThemselvesInChromium() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else { throw XCTSkip("chromium is not installed") }
        let dir = try figures()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let svg = try readTextFile("\(dir)/animated.svg")
        let root = String(svg[svg.range(of: "<svg")!.lowerBound...])
        func screenshot(_ name: String, at seconds: String) throws {
            let page = "<!DOCTYPE html><html><body style=\"margin:0\">\(root)<script>const s = document.querySelector(\"svg\"); s.pauseAnimations(); s.setCurrentTime(\(seconds));</script></body></html>"
            try page.write(toFile: "\(dir)/\(name).html", atomically: true, encoding: .utf8)
            let result = shell("timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=720,480 --virtual-time-budget=300 --screenshot='\(dir)/\(name).png' 'file://\(dir)/\(name).html'")
            XCTAssertEqual(result.status, 0, "chromium failed: \(result.output.suffix(500))")
        }
        // The animation lasts 2 seconds (figures.opt).
        try screenshot("early", at: "0.6")
        try screenshot("end", at: "2.5")
        // Pixels in the paths' colours (SGD red, Adam cyan), early and at the end.
        func pathPixels(_ name: String) -> Int {
            let result = shell("python3 -c \"import sys; sys.path.insert(0, '\(repositoryRoot)/Tests/plots'); import compare_png as c, numpy as n; a = c.load('\(dir)/\(name).png'); print(int(sum(n.sum(n.abs(a - n.array(rgb)).max(axis=2) < 40) for rgb in [(214, 39, 40), (23, 190, 207)])))\"")
            return Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        let early = pathPixels("early"), end = pathPixels("end")
        XCTAssertGreaterThan(end, 500, "no path at the end")
        XCTAssertGreaterThan(early, 0, "nothing of the paths early on")
        XCTAssertLessThan(Double(early), 0.8 * Double(end), "early on the paths should be partly drawn (\(early) of \(end) pixels)")
        XCTAssertEqual(shell("rsvg-convert '\(dir)/animated.svg' -o '\(dir)/static.png'").status, 0)
        let result = shell("python3 '\(PlotImageTests.compare)' '\(dir)/end.png' '\(dir)/static.png' --max-differing 0.02")
        XCTAssertEqual(result.status, 0, "the finished animation should be the static picture: \(result.output)")
    }

    /// An animated line plot is, without its animation (librsvg ignores SMIL), the plain plot.
    func testAnAnimatedPlotIsThePlainPictureWhereNothingMoves() throws {
        let dir = try figures()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let svg = try readTextFile("\(dir)/animated_lines.svg")
        XCTAssertEqual(svg.components(separatedBy: "attributeName=\"stroke-dashoffset\"").count - 1, 2, "one animation per line")
        XCTAssertEqual(shell("rsvg-convert '\(dir)/animated_lines.svg' -o '\(dir)/a.png' && rsvg-convert '\(dir)/lines.svg' -o '\(dir)/b.png'").status, 0)
        let result = shell("python3 '\(PlotImageTests.compare)' '\(dir)/a.png' '\(dir)/b.png' --max-differing 0")
        XCTAssertEqual(result.status, 0, result.output)
    }

    /// The REPL reads the terminal's size at every plot: after the pane shrinks, the next plot
    /// is narrower.
    func testATextPlotFollowsTheTerminalWhenItIsResized() throws {
        let history = NSTemporaryDirectory() + "optrepl-history-resize-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: history) }
        let repl = try TmuxSession(command: "env NO_COLOR=1 OPTREPL_HISTORY=\(history) \(Binary.path)")
        try repl.typeAll(["plot([1, 4, 9, 16])"])
        let wide = try repl.screen().map(\.count).max() ?? 0
        XCTAssertTrue(wide > 100 && wide <= 120, "the first plot should span the 120-column pane, widest line \(wide)")
        try TmuxSession.tmux(["resize-window", "-t", repl.name, "-x", "70", "-y", "60"])
        try TmuxSession.tmux(["send-keys", "-t", repl.name, "C-l"])
        usleep(200_000)
        try repl.type("plot([1, 4, 9, 16])")
        var narrow = 0
        for _ in 0..<100 {
            let lines = try repl.screen()
            if lines.filter({ $0.hasPrefix("opt>") }).count >= 2 { narrow = lines.map(\.count).max() ?? 0; break }
            usleep(50_000)
        }
        XCTAssertTrue(narrow > 50 && narrow <= 70, "after the resize the plot should fit 70 columns, widest line \(narrow)")
    }
}

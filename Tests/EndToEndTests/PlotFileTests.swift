// Plots written as SVG (issue 7): every kind is valid XML, renders with rsvg-convert
// (librsvg2-bin, installed by `make test`), and holds its title, legend and marks.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import TestSupport

final class PlotFileTests: XCTestCase {
    /// Element names and texts of an SVG file, through a real XML parser.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        /// The text of each <text> element (entities decoded).
        var texts: [String] = []
        private var current: String?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements[name, default: 0] += 1
            if name == "text" { current = "" }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text", let c = current { texts.append(c) }
            current = nil
        }
    }

    func testEveryKindIsValidSVGAndRenders() throws {
        let dir = NSTemporaryDirectory() + "optrepl-svg-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let program = """
            r1 = minimize(rosenbrock, [-1.5, 2], sgd(lr: 0.001), steps: 500)
            r2 = minimize(rosenbrock, [-1.5, 2], adam(lr: 0.05), steps: 500)
            plot(sgd: r1.loss, adam: r2.loss, title: "SGD & Adam <loss>", xlabel: "step", ylabel: "loss", logy: true, file: "\(dir)/lines.svg")
            d = moons(n: 100, noise: 0.1, seed: 0)
            scatter(d.X, d.y, title: "moons", file: "\(dir)/scatter.svg")
            contour(rosenbrock, x: (-2, 2), y: (-1, 3), paths: (sgd: r1.path, adam: r2.path), title: "paths", file: "\(dir)/contour.svg")
            contour(fn(w) = w[0]^2 + 10 * w[1]^2, x: (-1, 1), y: (-1, 1), title: "bowl", file: "\(dir)/bowl.svg")
            plot(schedule("cosine", 0.1, 50), 0..<100, title: "cosine", file: "\(dir)/schedule.svg")
            """
        let outcome = try Binary.run(["-e", program])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(outcome.stdout, "", "with file: nothing is drawn in the terminal")
        let expected: [(String, [String], String)] = [
            ("lines", ["path"], "SGD & Adam <loss>"),
            ("scatter", ["circle"], "moons"),
            ("contour", ["path", "circle"], "paths"),
            ("bowl", ["path"], "bowl"),
            ("schedule", ["path"], "cosine"),
        ]
        for (name, marks, title) in expected {
            let path = "\(dir)/\(name).svg"
            let parser = try XCTUnwrap(XMLParser(contentsOf: URL(fileURLWithPath: path)), name)
            let collector = Collector()
            parser.delegate = collector
            XCTAssertTrue(parser.parse(), "\(name).svg is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
            XCTAssertEqual(collector.elements["svg"], 1, name)
            for mark in marks { XCTAssertGreaterThan(collector.elements[mark] ?? 0, 0, "\(name).svg has no <\(mark)>") }
            XCTAssertTrue(collector.texts.contains(title), "\(name).svg lacks its title: \(collector.texts)")
            let png = "\(dir)/\(name).png"
            XCTAssertEqual(system("rsvg-convert '\(path)' -o '\(png)' 2>/dev/null"), 0, "rsvg-convert failed on \(name).svg")
            let size = (try? FileManager.default.attributesOfItem(atPath: png))?[.size] as? Int
            XCTAssertGreaterThan(size ?? 0, 1000, "\(name).png is empty")
        }
    }

    func testSandboxRefusesPlotFiles() throws {
        for call in ["plot([1, 2], file: \"p.svg\")", "scatter([[1, 2]], file: \"p.svg\")", "contour(booth, file: \"p.svg\")"] {
            let out = try Binary.run(["--sandbox", "-e", call])
            XCTAssertEqual(out.status, 70)
            let name = String(call.prefix { $0 != "(" })
            XCTAssertTrue(out.stderr.hasPrefix("<-e>:1:1: error: '\(name)' cannot write files under --sandbox\n"), out.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: repositoryRoot + "/p.svg"))
        }
    }
}

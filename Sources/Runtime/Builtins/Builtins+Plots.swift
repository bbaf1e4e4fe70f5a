// Plots (spec §9.10, §14.7): plot, scatter, contour. Without `file:` the figure is drawn as
// text (the terminal's width and colours when stdout is one; 80 columns or $COLUMNS and no
// escapes otherwise); with `file: "name.svg"` it is written as a standalone SVG. Both return nil.

extension Builtins {
    static let figureLabels: [BuiltinParameter] = [
        .label("title", .null), .label("xlabel", .null), .label("ylabel", .null), .label("logy", .bool(false)), .label("file", .null),
    ]

    static let plots: [Builtin] = [
        Builtin("plot", [.variadic("data"), .labelledRest("series")] + figureLabels,
                doc: "plot(y), plot(x, y), plot(name: y, ...), plot(schedule, range); title:, xlabel:, ylabel:, logy:, file: \"x.svg\".") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            var series: [PlotSeries] = []
            if !args.rest.isEmpty, !args.extraLabelled.isEmpty {
                throw RuntimeError("plot takes positional data or labelled series, not both")
            }
            if args.rest.isEmpty && args.extraLabelled.isEmpty { throw RuntimeError("plot needs something to draw: plot(y), plot(x, y) or plot(name: y, ...)") }
            for (label, v) in args.extraLabelled {
                series.append(PlotSeries(name: label, x: [], y: try numbers(v, "plot", "'\(label)'")))
            }
            if let first = args.rest.first {
                if case .object(let o) = first, let schedule = o as? Schedule {
                    guard args.rest.count == 2 else { throw RuntimeError("plot(schedule, range) needs the epochs to show, such as 0..<100") }
                    let epochs = try numbers(args.rest[1], "plot", "#2")
                    var values: [Double] = []
                    for e in epochs {
                        guard let k = WholeNumber.exactly(e), k >= 0 else {
                            throw RuntimeError.badArgumentValue("#2", to: "plot", "epochs must be whole numbers from 0 to 2^53")
                        }
                        values.append(try schedule.rate(k))
                    }
                    series = [PlotSeries(name: nil, x: epochs, y: values)]
                } else if args.rest.count == 1, case .tensor(let t) = first, t.rank == 2 {
                    // A matrix: one line per column, against the row number.
                    let td = t.data
                    for c in 0..<t.shape[1] {
                        series.append(PlotSeries(name: "\(c)", x: [], y: (0..<t.shape[0]).map { td[$0 * t.shape[1] + c] }))
                    }
                } else if args.rest.count == 1 {
                    series = [PlotSeries(name: nil, x: [], y: try numbers(first, "plot", "#1"))]
                } else if args.rest.count == 2 {
                    let x = try numbers(args.rest[0], "plot", "#1"), y = try numbers(args.rest[1], "plot", "#2")
                    guard x.count == y.count else { throw RuntimeError("plot: x and y have different lengths (\(x.count) and \(y.count))") }
                    series = [PlotSeries(name: nil, x: x, y: y)]
                } else {
                    throw RuntimeError("plot takes y, or x and y (got \(args.rest.count) positional arguments); label several series: plot(sgd: l1, adam: l2)")
                }
            }
            for k in series.indices where series[k].x.isEmpty { series[k].x = series[k].y.indices.map(Double.init) }
            guard series.contains(where: { !$0.y.isEmpty }) else { throw RuntimeError("plot: nothing to draw (no points)") }
            return try draw(Figure(content: .lines(series)), &args, 2, I)
        },
        Builtin("scatter", [.required("X"), .optional("y", .null)] + figureLabels,
                doc: "Points of X [n, 2], one colour or marker per class of y.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let X = try args.tensor(0)
            guard X.rank == 2, X.shape[1] == 2 else {
                throw RuntimeError.badArgumentValue("#1", to: "scatter", "X must have shape (n, 2), got \(Tensor.shapeText(X.shape))")
            }
            let n = X.shape[0]
            guard n > 0 else { throw RuntimeError("scatter: nothing to draw (no points)") }
            let classes: [Double] = args[1].isNull ? [Double](repeating: 0, count: n) : try numbers(args[1], "scatter", "#2")
            guard classes.count == n else { throw RuntimeError("scatter: X has \(n) rows but y has \(classes.count) labels") }
            var groups: [ScatterGroup] = []
            for c in Array(Set(classes.map { $0.isNaN ? Double.infinity : $0 })).sorted() {
                let rows = (0..<n).filter { (classes[$0].isNaN ? Double.infinity : classes[$0]) == c }
                let xd = X.data
                groups.append(ScatterGroup(name: NumberFormat.repr(c), x: rows.map { xd[2 * $0] }, y: rows.map { xd[2 * $0 + 1] }))
            }
            return try draw(Figure(content: .scatter(groups)), &args, 2, I)
        },
        Builtin("contour", [.required("f"), .label("x", .null), .label("y", .null), .label("paths", .null)] + figureLabels,
                doc: "Level sets of f(w) over x: (lo, hi), y: (lo, hi), with optimizer paths [N, 2] drawn on top (paths: (adam: p1, sgd: p2)).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let f = try args.callable(0)
            var paths: [PlotSeries] = []
            switch args[3] {
            case .null: break
            case .tuple(let t):
                for (k, item) in t.items.enumerated() { paths.append(try pathSeries(item, name: t.label(at: k) ?? "\(k + 1)")) }
            case let v: paths.append(try pathSeries(v, name: "path"))
            }
            let xRange = try range(args[1], "'x'", paths.flatMap(\.x))
            let yRange = try range(args[2], "'y'", paths.flatMap(\.y))
            let toFile = !args[8].isNull || I.host.figureSink != nil
            let nx = toFile ? 200 : Swift.max(20, I.host.plotWidth), ny = toFile ? 200 : 48
            let field = try sample(f, xRange, yRange, nx, ny, I)
            return try draw(Figure(content: .contour(field, paths: paths)), &args, 4, I)
        },
    ]

    /// Title, labels, logy and file from `args` (starting at `first`), then text or SVG.
    static func draw(_ figure: Figure, _ args: inout Arguments, _ first: Int, _ I: Interpreter) throws(RuntimeError) -> Value {
        var figure = figure
        func text(_ i: Int) throws(RuntimeError) -> String? { args[i].isNull ? nil : try args.string(i) }
        figure.title = try text(first)
        figure.xlabel = try text(first + 1)
        figure.ylabel = try text(first + 2)
        figure.logy = try args.bool(first + 3)
        figure.clean()
        guard !figure.isEmpty else { throw RuntimeError("\(args.function): nothing to draw (every point is nan or inf)") }
        if !args[first + 4].isNull {
            let path = try args.string(first + 4)
            guard !I.host.sandbox else { throw RuntimeError("'\(args.function)' cannot write files under --sandbox") }
            guard path.hasSuffix(".svg") else {
                throw RuntimeError.badArgumentValue("'file'", to: args.function, "only .svg files can be written, got \(Interpreter.quoted(path))")
            }
            try FileIO.write(path, Array(SVGPlot().render(figure).utf8))
            return .null
        }
        if let sink = I.host.figureSink {
            sink(SVGPlot().render(figure), TextPlot(width: I.host.plotWidth, color: false).render(figure))
            return .null
        }
        I.host.output(TextPlot(width: I.host.plotWidth, color: I.host.plotColor).render(figure))
        return .null
    }

    /// A 1-D tensor (or a number) as plain numbers.
    static func numbers(_ v: Value, _ function: String, _ position: String) throws(RuntimeError) -> [Double] {
        switch v {
        case .number(let x): return [x]
        case .tensor(let t) where t.rank <= 1: return t.data
        case .tensor(let t):
            throw RuntimeError.badArgumentValue(position, to: function, "a 1-D tensor expected, got shape \(Tensor.shapeText(t.shape))")
        default: throw RuntimeError.badArgument(position, to: function, expected: "tensor", got: v)
        }
    }

    static func pathSeries(_ v: Value, name: String) throws(RuntimeError) -> PlotSeries {
        guard case .tensor(let t) = v, t.rank == 2, t.shape[1] == 2 else {
            throw RuntimeError.badArgumentValue("'paths'", to: "contour", "each path must be a tensor [N, 2] (minimize(...).path)")
        }
        let td = t.data
        return PlotSeries(name: name, x: (0..<t.shape[0]).map { td[2 * $0] }, y: (0..<t.shape[0]).map { td[2 * $0 + 1] })
    }

    /// `(lo, hi)`, or the paths' extent with a margin, or (-2, 2).
    static func range(_ v: Value, _ position: String, _ data: [Double]) throws(RuntimeError) -> ClosedRange<Double> {
        if case .tuple(let t) = v, t.count == 2, case .number(let lo) = t.items[0], case .number(let hi) = t.items[1] {
            guard lo < hi, lo.isFinite, hi.isFinite else { throw RuntimeError.badArgumentValue(position, to: "contour", "the range must be (lo, hi) with lo < hi") }
            return lo...hi
        }
        guard v.isNull else { throw RuntimeError.badArgument(position, to: "contour", expected: "(lo, hi)", got: v) }
        let finite = data.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max(), lo < hi else { return -2...2 }
        return Figure.padded(finite, 0.1)
    }

    /// f on an nx × ny grid: a built-in objective natively, any other function through calls.
    static func sample(_ f: Value, _ xr: ClosedRange<Double>, _ yr: ClosedRange<Double>, _ nx: Int, _ ny: Int,
                       _ I: Interpreter) throws(RuntimeError) -> ContourField {
        let xs = (0..<nx).map { AxisMath.point(Double($0) / Double(nx - 1), xr) }
        let ys = (0..<ny).map { AxisMath.point(Double($0) / Double(ny - 1), yr) }
        var values = [Double](repeating: .nan, count: nx * ny)
        let native: Objective? = { if case .function(let fn) = f, fn.kind == .builtin { return Objectives.byName[fn.name] } else { return nil } }()
        for r in 0..<ny {
            try I.checkInterrupt()
            for c in 0..<nx {
                if let native {
                    values[r * nx + c] = native.f(xs[c], ys[r])
                    continue
                }
                switch try I.call(f, [.tensor(Tensor(vector: [xs[c], ys[r]]))]) {
                case .number(let v): values[r * nx + c] = v
                case .tensor(let t) where t.count == 1: values[r * nx + c] = t.data[0]
                case let v: throw RuntimeError("contour: f must return a number, not a \(v.kindName)")
                }
            }
        }
        return ContourField(xs: xs, ys: ys, values: values)
    }
}

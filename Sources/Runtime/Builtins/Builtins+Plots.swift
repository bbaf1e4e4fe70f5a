// Plots (spec §9.10, §14.7, §15.4): plot, scatter, contour. Without `file:` the figure is
// drawn as text (the terminal's size, read at every plot, and colours when stdout is one; 80
// columns or $COLUMNS and no escapes otherwise); with `file:` it is written as SVG, PNG or PDF
// (by its extension). All return nil.

import Parser

extension Builtins {
    static let figureLabels: [BuiltinParameter] = [
        .label("title", .null), .label("xlabel", .null), .label("ylabel", .null), .label("logy", .bool(false)),
        .label("file", .null), .label("dpi", .number(100)),
    ]
    static let animationLabels: [BuiltinParameter] = [.label("animate", .bool(false)), .label("duration", .number(5))]

    static let plots: [Builtin] = [
        Builtin("plot", [.variadic("data"), .labelledRest("series"), .label("drawstyle", .null)] + figureLabels + animationLabels,
                doc: "plot(y), plot(x, y), plot(name: y, ...), plot(schedule, range); drawstyle: \"steps\", title:, xlabel:, ylabel:, logy:, file: \"x.svg\"/\".png\"/\".pdf\", dpi:, animate:, duration:.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            var series: [PlotSeries] = []
            var isSchedule = false
            // A labelled string, bool or nil is an option, not a series: one plot does not have.
            for (label, v) in args.extraLabelled {
                switch v {
                case .string, .bool, .null:
                    var e = RuntimeError("plot has no option '\(label)'")
                    let options = ["drawstyle"] + figureLabels.map(\.name) + animationLabels.map(\.name)
                    if let advice = Habits.plotOptions[label] {
                        e.notes = ["hint: " + advice]
                    } else if let s = nearestName(label, in: options) {
                        e.message += "; did you mean '\(s)'?"
                    }
                    throw e
                case .number, .tensor, .view, .tuple, .function, .object, .traced: continue
                }
            }
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
                    isSchedule = true
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
            // A schedule that holds its rate for several epochs (step, multistep, staircase) is
            // drawn as steps unless drawstyle says otherwise.
            let style = try drawStyle(args, auto: isSchedule && series[0].isPiecewiseConstant)
            for k in series.indices { series[k].steps = style }
            var figure = Figure(content: .lines(series))
            if isSchedule { (figure.xlabel, figure.ylabel) = ("epoch", "lr") }
            return try draw(figure, &args, I)
        },
        Builtin("scatter", [.required("X"), .optional("y", .null)] + figureLabels,
                doc: "Points of X [n, 2], one colour or marker per class of y.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let groups = try scatterGroups(args[0], args[1], "scatter", "#1")
            return try draw(Figure(content: .scatter(groups)), &args, I)
        },
        Builtin("contour", [.required("f"), .label("x", .null), .label("y", .null), .label("paths", .null),
                            .label("levels", .null), .label("filled", .bool(false)), .label("points", .null)] + figureLabels + animationLabels,
                doc: "Level sets of f(w) over x: (lo, hi), y: (lo, hi); levels: a count or values ([0.5]), filled: bands with a colour bar, paths: (adam: p1, sgd: p2) of shape [N, 2] drawn on top, points: (X:, y:) as a scatter (a decision boundary: levels: [0.5], points: data).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let f = try args.callable(0)
            var paths: [PlotSeries] = []
            switch args.named("paths") {
            case .null: break
            case .tuple(let t):
                for (k, item) in t.items.enumerated() { paths.append(try pathSeries(item, name: t.label(at: k) ?? "\(k + 1)")) }
            case let v: paths.append(try pathSeries(v, name: "path"))
            }
            let points = try contourPoints(args.named("points"))
            let xRange = try range(args.named("x"), "'x'", paths.flatMap(\.x) + points.flatMap(\.x))
            let yRange = try range(args.named("y"), "'y'", paths.flatMap(\.y) + points.flatMap(\.y))
            let asText = args.named("file").isNull && I.host.figureSink == nil
            let width = I.host.terminalSize?()?.columns ?? I.host.plotWidth
            let nx = asText ? Swift.max(20, width) : 200, ny = asText ? 48 : 200
            let field = try sample(f, xRange, yRange, nx, ny, I)
            let levels = try contourLevels(args.named("levels"), field, defaultCount: asText ? 8 : 10)
            let plot = ContourPlot(field: field, levels: levels, filled: try args.bool(args.index("filled")), paths: paths, points: points)
            if try args.bool(args.index("animate")), paths.isEmpty {
                throw RuntimeError.badArgumentValue("'animate'", to: "contour", "animate: true draws the paths: give paths: (name: r.path, ...)")
            }
            return try draw(Figure(content: .contour(plot)), &args, I)
        },
    ]

    /// Title, labels, logy, animation and file from `args`, then text, or a file whose format
    /// is its extension (.svg, .png, .pdf), or the notebook's figure sink.
    static func draw(_ figure: Figure, _ args: inout Arguments, _ I: Interpreter) throws(RuntimeError) -> Value {
        var figure = figure
        func text(_ name: String) throws(RuntimeError) -> String? {
            let i = args.index(name)
            return args[i].isNull ? nil : try args.string(i)
        }
        figure.title = try text("title")
        figure.xlabel = try text("xlabel") ?? figure.xlabel
        figure.ylabel = try text("ylabel") ?? figure.ylabel
        figure.logy = try args.bool(args.index("logy"))
        if args.parameters.contains(where: { $0.name == "animate" }) {
            figure.animate = try args.bool(args.index("animate"))
            let duration = try args.number(args.index("duration"))
            guard duration > 0, duration <= 3600 else {
                throw RuntimeError.badArgumentValue("'duration'", to: args.function, "the duration is in seconds, above 0 and at most 3600")
            }
            figure.duration = duration
        }
        figure.clean()
        guard !figure.isEmpty else { throw RuntimeError("\(args.function): nothing to draw (every point is nan or inf)") }
        if let path = try text("file") {
            guard !I.host.sandbox else { throw RuntimeError("'\(args.function)' cannot write files under --sandbox") }
            let format = try fileFormat(path, args.function)
            if figure.animate, format != .svg {
                throw RuntimeError.badArgumentValue("'animate'", to: args.function, "only an SVG file can move: give file: \"name.svg\"")
            }
            let svg = Plotting.svg(figure)
            switch format {
            case .svg: try FileIO.write(path, Array(svg.utf8))
            case .png:
                let dpi = try args.number(args.index("dpi"))
                guard dpi >= 10, dpi <= 1200 else { throw RuntimeError.badArgumentValue("'dpi'", to: args.function, "dpi must be between 10 and 1200") }
                try FileIO.write(path, try RasterExport.png(svg, dpi: dpi))
            case .pdf: try FileIO.write(path, try RasterExport.pdf(svg))
            }
            I.channel.wroteFile?(path)
            return .null
        }
        let size = I.host.terminalSize?()
        if let sink = I.host.figureSink {
            let svg = Plotting.svg(figure)
            sink(svg, try? RasterExport.png(svg, dpi: 100), TextPlot(width: size?.columns ?? I.host.plotWidth, color: false).render(figure))
            return .null
        }
        if figure.animate {
            throw RuntimeError.badArgumentValue("'animate'", to: args.function, "an animation is written to a file: give file: \"name.svg\"")
        }
        I.host.output(TextPlot(width: size?.columns ?? I.host.plotWidth, height: size?.rows, color: I.host.plotColor).render(figure))
        return .null
    }

    enum FileFormat { case svg, png, pdf }

    static func fileFormat(_ path: String, _ function: String) throws(RuntimeError) -> FileFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".svg") { return .svg }
        if lower.hasSuffix(".png") { return .png }
        if lower.hasSuffix(".pdf") { return .pdf }
        throw RuntimeError.badArgumentValue("'file'", to: function, "a plot is written as .svg, .png or .pdf, got \(Interpreter.quoted(path))")
    }

    /// drawstyle: nil (steps when `auto`), "default", "steps" or "steps-post" (each value holds
    /// until the next x).
    static func drawStyle(_ args: Arguments, auto: Bool) throws(RuntimeError) -> Bool {
        let v = args.named("drawstyle")
        if v.isNull { return auto }
        let style = try args.string(args.index("drawstyle"))
        switch style {
        case "default": return false
        case "steps", "steps-post": return true
        default:
            throw RuntimeError.badArgumentValue("'drawstyle'", to: "plot", "drawstyle is \"default\" or \"steps\" (\"steps-post\"), got \(Interpreter.quoted(style))")
        }
    }

    /// Points X [n, 2] split by the classes of y (one group without y).
    static func scatterGroups(_ xValue: Value, _ yValue: Value, _ function: String, _ position: String) throws(RuntimeError) -> [ScatterGroup] {
        guard case .tensor(let X) = xValue else { throw RuntimeError.badArgument(position, to: function, expected: "tensor", got: xValue) }
        guard X.rank == 2, X.shape[1] == 2 else {
            throw RuntimeError.badArgumentValue(position, to: function, "X must have shape (n, 2), got \(Tensor.shapeText(X.shape))")
        }
        let n = X.shape[0]
        guard n > 0 else { throw RuntimeError("\(function): nothing to draw (no points)") }
        let classes: [Double] = yValue.isNull ? [Double](repeating: 0, count: n) : try numbers(yValue, function, position == "#1" ? "#2" : "'points'")
        guard classes.count == n else { throw RuntimeError("\(function): X has \(n) rows but y has \(classes.count) labels") }
        var groups: [ScatterGroup] = []
        let xd = X.data
        for c in Array(Set(classes.map { $0.isNaN ? Double.infinity : $0 })).sorted() {
            let rows = (0..<n).filter { (classes[$0].isNaN ? Double.infinity : classes[$0]) == c }
            groups.append(ScatterGroup(name: NumberFormat.repr(c), x: rows.map { xd[2 * $0] }, y: rows.map { xd[2 * $0 + 1] }))
        }
        return groups
    }

    /// `points:` of contour: a tuple (X: [n, 2], y: [n]) such as a data set from `moons`.
    static func contourPoints(_ v: Value) throws(RuntimeError) -> [ScatterGroup] {
        guard !v.isNull else { return [] }
        guard case .tuple(let t) = v, let xi = t.items.indices.first(where: { t.label(at: $0) == "X" }) else {
            throw RuntimeError.badArgument("'points'", to: "contour", expected: "(X: [n, 2], y: [n])", got: v)
        }
        let yValue = t.items.indices.first(where: { t.label(at: $0) == "y" }).map { t.items[$0] } ?? .null
        return try scatterGroups(t.items[xi], yValue, "contour", "'points'")
    }

    /// `levels:`: nil (`defaultCount` levels at quantiles), a count, or the values themselves.
    static func contourLevels(_ v: Value, _ field: ContourField, defaultCount: Int) throws(RuntimeError) -> [Double] {
        switch v {
        case .null: return field.levels(defaultCount)
        case .number(let x):
            guard let n = WholeNumber.exactly(x), n >= 1, n <= 100 else {
                throw RuntimeError.badArgumentValue("'levels'", to: "contour", "a count of levels is a whole number from 1 to 100, got \(NumberFormat.repr(x))")
            }
            return field.levels(n)
        case .bool, .string, .tensor, .view, .tuple, .function, .object, .traced:
            let values = try numbers(v, "contour", "'levels'")
            guard !values.isEmpty, values.count <= 100, values.allSatisfy(\.isFinite) else {
                throw RuntimeError.badArgumentValue("'levels'", to: "contour", "levels are 1 to 100 finite values")
            }
            return Array(Set(values)).sorted()
        }
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

    /// `(lo, hi)`, or the data's extent with a margin, or (-2, 2).
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
                case let v: throw RuntimeError("contour: f must return a number, not \(v.kindWithArticle)")
                }
            }
        }
        return ContourField(xs: xs, ys: ys, values: values)
    }
}

extension Arguments {
    /// The index of the parameter called `name` (the plot built-ins share their labels).
    func index(_ name: String) -> Int { parameters.firstIndex { $0.name == name } ?? -1 }

    /// The value bound to the parameter called `name`, nil when there is none.
    func named(_ name: String) -> Value {
        let i = index(name)
        return i >= 0 ? self[i] : .null
    }
}

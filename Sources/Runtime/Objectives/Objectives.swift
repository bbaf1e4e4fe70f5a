// The built-in objectives (spec §9.8) with their values and hand-written gradients. Called
// from code they are ordinary built-ins; a driver given one directly uses its native gradient.

struct Objective: Sendable {
    let name: String
    let formula: String
    /// f(x, y) and its gradient, on scalars so the drivers' loop allocates nothing.
    let f: @Sendable (Double, Double) -> Double
    let df: @Sendable (Double, Double) -> (Double, Double)

    func value(_ w: [Double]) -> Double { f(w[0], w[1]) }

    func gradient(_ w: [Double]) -> [Double] {
        let (gx, gy) = df(w[0], w[1])
        return [gx, gy]
    }

    func valueAt(_ w: UnsafePointer<Double>) -> Double { f(w[0], w[1]) }

    func gradientInto(_ w: UnsafePointer<Double>, _ g: UnsafeMutablePointer<Double>) {
        (g[0], g[1]) = df(w[0], w[1])
    }
}

enum Objectives {
    static let all: [Objective] = [
        Objective(name: "rosenbrock", formula: "(1−x)² + 100(y−x²)²",
                  f: { x, y in (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) },
                  df: { x, y in (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)) }),
        Objective(name: "beale", formula: "(1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²",
                  f: { x, y in
                      let (a, b, c) = bealeTerms(x, y)
                      return a * a + b * b + c * c
                  },
                  df: { x, y in
                      let (a, b, c) = bealeTerms(x, y)
                      return (2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1),
                              2 * a * x + 2 * b * (2 * x * y) + 2 * c * (3 * x * y * y))
                  }),
        Objective(name: "himmelblau", formula: "(x²+y−11)² + (x+y²−7)²",
                  f: { x, y in
                      let a = x * x + y - 11, b = x + y * y - 7
                      return a * a + b * b
                  },
                  df: { x, y in
                      let a = x * x + y - 11, b = x + y * y - 7
                      return (4 * x * a + 2 * b, 2 * a + 4 * y * b)
                  }),
        Objective(name: "booth", formula: "(x+2y−7)² + (2x+y−5)²",
                  f: { x, y in
                      let a = x + 2 * y - 7, b = 2 * x + y - 5
                      return a * a + b * b
                  },
                  df: { x, y in
                      let a = x + 2 * y - 7, b = 2 * x + y - 5
                      return (2 * a + 4 * b, 4 * a + 2 * b)
                  }),
        Objective(name: "saddle", formula: "x² − y²",
                  f: { x, y in x * x - y * y },
                  df: { x, y in (2 * x, -2 * y) }),
        Objective(name: "monkey_saddle", formula: "x³ − 3xy²",
                  f: { x, y in x * x * x - 3 * x * y * y },
                  df: { x, y in (3 * x * x - 3 * y * y, -6 * x * y) }),
    ]

    static func bealeTerms(_ x: Double, _ y: Double) -> (Double, Double, Double) {
        (1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y)
    }

    static let byName: [String: Objective] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}

extension Builtins {
    static let objectives: [Builtin] = Objectives.all.map { o in
        Builtin(o.name, [.required("w")], doc: "The \(o.name) function \(o.formula) of a 2-vector w.",
                differentiation: .objective) { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            .number(o.value(try twoVector(args, 0)))
        }
    } + [
        Builtin("bowl", [.required("w"), .required("scales")],
                doc: "½·Σ scalesᵢ·wᵢ²: an ill-conditioned bowl when the scales differ.", differentiation: .bowl) { (args: inout Arguments, _: Interpreter) throws(RuntimeError) -> Value in
            let w = try args.tensor(0), s = try args.tensor(1)
            guard w.shape == s.shape else {
                throw RuntimeError("bowl: w and scales must have one shape, got \(Tensor.shapeText(w.shape)) and \(Tensor.shapeText(s.shape))")
            }
            var total = 0.0
            let sd = s.data, wd = w.data
            for i in 0..<w.count { total += sd[i] * wd[i] * wd[i] }
            return .number(0.5 * total)
        },
    ]

    static func twoVector(_ args: Arguments, _ i: Int) throws(RuntimeError) -> [Double] {
        guard case .tensor(let t) = args[i], t.shape == [2] else {
            throw RuntimeError.badArgument(args.position(i), to: args.function, expected: "2-vector",
                                           got: args[i])
        }
        return t.data
    }
}

import XCTest
@testable import Runtime

/// Tensors with no elements where the worst inputs meet the built-ins (the spec's "an empty
/// tensor with huge other dimensions").
final class EmptyTensorTests: XCTestCase {
    /// min, max, argmin, argmax of zeros(shape) along each axis, keepdims or not: NumPy's result
    /// shape, or an error where NumPy raises (Tests/reference/extrema.json, from
    /// generate_extrema.py). Session 20: `min(zeros(0, 3), axis: 1)` was refused.
    func testExtremaOfEmptyTensorsAreNumPys() throws {
        let data = try JSON.load(repositoryRoot + "/Tests/reference/extrema.json")
        guard let cases = data["empty"]?.array else { return XCTFail("no cases") }
        XCTAssertEqual(cases.count, 336)
        var shapes = 0
        for c in cases {
            let function = c["function"]!.string!
            let dims = c["shape"]!.array!.map { NumberFormat.repr($0.double!) }
            var call = "\(function)(zeros(\(dims.joined(separator: ", ")))"
            if let axis = c["axis"]?.double { call += ", axis: \(NumberFormat.repr(axis))" }
            if c["keepdims"]?.bool == true { call += ", keepdims: true" }
            call += ")"
            let run = Run("print(shape(\(call)))")
            guard let expected = c["result"]?.array else {
                XCTAssertNotNil(run.error, "\(call) has no value in NumPy; printed \(run.output)")
                continue
            }
            shapes += 1
            let dimsOut = expected.map { NumberFormat.repr($0.double!) }
            let text = dimsOut.count == 1 ? "(\(dimsOut[0]),)" : "(\(dimsOut.joined(separator: ", ")))"
            XCTAssertNil(run.error, "\(call): \(run.error?.message ?? "")")
            XCTAssertEqual(run.output, text + "\n", call)
        }
        XCTAssertEqual(shapes, 78)
        // An axis that is not a whole number: the argument's error, empty tensor or not.
        for f in ["min", "max", "argmin", "argmax"] {
            for axis in ["0.5", "nan", "inf", "\"a\""] {
                let empty = Run("\(f)(zeros(0, 3), axis: \(axis))").error?.message
                XCTAssertNotNil(empty)
                XCTAssertEqual(empty, Run("\(f)(ones(2, 3), axis: \(axis))").error?.message, "\(f) axis \(axis)")
            }
        }
    }

    /// min and max of two of ±0, ±1, ±inf, nan are np.minimum and np.maximum (spec: element-wise,
    /// as NumPy): NaN wins, and of two equal numbers the second, so `min(0, -0.0)` is -0.0 (it was
    /// 0, Python's builtin min, while the spec says np.minimum). The same bits on every path: two
    /// numbers, tensors, a tensor and a number, and a function the numeric tier compiles, run
    /// with the tier on and off. Reductions fold the same rule: np.min, np.max, np.argmin,
    /// np.argmax of short vectors, whole and along an axis.
    func testExtremaOfSignedZerosAndNaNAreNumPys() throws {
        let data = try JSON.load(repositoryRoot + "/Tests/reference/extrema.json")
        guard let pairs = data["pairs"]?.array, let reductions = data["reductions"]?.array else { return XCTFail("no cases") }
        XCTAssertEqual(pairs.count, 98)
        var program = "fn pickMax(a, b) = max(a, b)\nfn pickMin(a, b) = min(a, b)\n"
        var expected = ""
        for c in pairs {
            let f = c["function"]!.string!
            let a = NumberFormat.repr(c["a"]!.double!), b = NumberFormat.repr(c["b"]!.double!)
            let r = NumberFormat.repr(c["result"]!.double!)
            let fn = f == "min" ? "pickMin" : "pickMax"
            // The function called 30 times: the tier compiles it after its first calls.
            program += "for k in 0..<30 { v = \(fn)(\(a), \(b)) }\n"
            program += "print(repr(\(f)(\(a), \(b))), repr(\(f)([\(a)], [\(b)])[0]), repr(\(f)([\(a)], \(b))[0]), repr(\(f)(\(a), [\(b)])[0]), repr(v))\n"
            expected += Array(repeating: r, count: 5).joined(separator: " ") + "\n"
        }
        XCTAssertEqual(reductions.count, 40)
        for c in reductions {
            let f = c["function"]!.string!
            let x = c["x"]!.array!.map { NumberFormat.repr($0.double!) }.joined(separator: ", ")
            let r = NumberFormat.repr(c["result"]!.double!)
            program += "print(repr(\(f)([\(x)])), repr(\(f)([[\(x)]], axis: 1)[0]), repr(\(f)(reshape([\(x)], -1, 1), axis: 0)[0]))\n"
            expected += "\(r) \(r) \(r)\n"
        }
        for tier in [true, false] {
            let (text, _) = outputWithTier(program, tier: tier)
            XCTAssertEqual(text, expected, "tier \(tier)")
        }
    }

    /// The one rule of min and max (nanMin, nanMax) against np.minimum and np.maximum to the
    /// bit, -nan included: a NaN operand is the result itself, its sign kept (it was the
    /// canonical NaN: a fresh-eyes run saw the sign lost through save_npy).
    func testExtremaKeepANaNsBits() throws {
        let data = try JSON.load(repositoryRoot + "/Tests/reference/extrema.json")
        guard let cases = data["bits"]?.array else { return XCTFail("no cases") }
        XCTAssertEqual(cases.count, 128)
        func double(_ j: JSON?) -> Double { Double(bitPattern: UInt64(j!.string!, radix: 16)!) }
        for c in cases {
            let a = double(c["a"]), b = double(c["b"]), want = double(c["result"]).bitPattern
            let got = c["function"]!.string! == "min" ? nanMin(a, b) : nanMax(a, b)
            XCTAssertEqual(String(got.bitPattern, radix: 16), String(want, radix: 16),
                           "\(c["function"]!.string!)(\(c["a"]!.string!), \(c["b"]!.string!))")
        }
    }

    static let shapes = ["[]", "zeros(0, 0)", "zeros(2, 0)", "zeros(0, 3)"]

    /// Every optimizer, through every driver, on parameters with no elements (session 20: a
    /// fresh-eyes fuzzer found `minimize(f, [], torch.nadam())` trapping with SIGILL, and the
    /// REPL with it: the drivers copied each state buffer into w's length, and nadam's and
    /// asgd's running scalars and adafactor's row and column factors are longer than an empty
    /// w). A driver and the optimizer's own `step` are two paths to the same update: on empty
    /// parameters both leave w as it was.
    func testEveryOptimizerThroughEveryDriverOnEmptyParameters() {
        let rules = CourseOptimizers.all + TorchOptimizers.all
        XCTAssertEqual(rules.count, 18)
        for rule in rules {
            for w in EmptyTensorTests.shapes {
                // L-BFGS re-evaluates f: it has no `step(w, g)` of its own to compare with.
                let direct = rule.needsClosure ? "print(true)" : "print(shape(\(rule.name)().step(w0, grad(f, w0))) == shape(w0))"
                let run = Run("""
                    f = fn(w) = sum(w * w)
                    w0 = \(w)
                    r = minimize(f, w0, \(rule.name)(), steps: 3)
                    print(shape(r.w) == shape(w0))
                    s = stepper(f, w0, \(rule.name)())
                    s.step()
                    print(shape(s.w) == shape(w0))
                    \(direct)
                    print(compare(\(rule.name)(), sgd(), f, w0, steps: 2).first_diff)
                    """)
                if rule.name == "torch.muon" && w == "[]" {
                    // As PyTorch: Muon takes matrices only, a diagnostic at the first driver.
                    XCTAssertEqual(run.output, "")
                    XCTAssertEqual(run.error?.message, "torch.muon: Muon only supports 2D parameters whereas we found a parameter with size: [0]")
                    continue
                }
                XCTAssertNil(run.error, "\(rule.name) on \(w)")
                XCTAssertEqual(run.output, "true\ntrue\ntrue\nnil\n", "\(rule.name) on \(w)")
            }
        }
    }
}

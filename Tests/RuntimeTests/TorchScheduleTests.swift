import XCTest
import Lexer
import Parser
@testable import Runtime
#if canImport(Glibc)
import Glibc
#endif

/// Tests/reference/torch_sched.json (Tests/reference/generate_torch_sched.py): issue 14's
/// schedulers, optimizers driven by them, PyTorch's and NumPy's argument checks, and the
/// discrepancy cases (format, clip, load_csv, the grad scaler's float32 scale).
final class TorchScheduleTests: XCTestCase {
    func section(_ name: String) throws -> [JSON] {
        let data = try JSON.load(repositoryRoot + "/Tests/reference/torch_sched.json")
        guard let cases = data[name]?.array else { throw TestFileError(description: "no section \(name) in torch_sched.json") }
        return cases
    }

    /// Every scheduler: s(e) and s.table at each epoch; the momentum of the cycling kinds.
    func testSchedules() throws {
        var checked = 0
        for c in try section("schedules") {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            let made = Run("s = " + c["optrepl"]!.string!, interpreter: I)
            XCTAssertNil(made.error, "\(name): \(made.error?.message ?? "")")
            let lrs = c["lr"]!.array!.map { referenceValue($0) }
            for (i, e) in c["epochs"]!.array!.enumerated() {
                let r = Run("r = s(\(Int(e.double!)))", interpreter: I)
                XCTAssertNil(r.error, "\(name) at \(e): \(r.error?.message ?? "")")
                assertClose(I.global("r"), lrs[i], "\(name) lr at epoch \(i)")
                checked += 1
            }
            let n = lrs.count - 1
            XCTAssertNil(Run("t = s.table(0...\(n))", interpreter: I).error, name)
            assertClose(I.global("t"), .tensor(Tensor(vector: lrs.map { $0.asDouble })), "\(name) table")
            if let moms = c["momentum"]?.array {
                XCTAssertNil(Run("m = s.momentum(0...\(n))", interpreter: I).error, name)
                assertClose(I.global("m"), .tensor(Tensor(vector: moms.map { $0.double! })), "\(name) momentum")
            }
        }
        XCTAssertGreaterThan(checked, 250)
    }

    /// An optimizer with a schedule as lr, as PyTorch steps optimizer then scheduler.
    func testDrivenOptimizers() throws {
        for c in try section("driven") + section("driven_groups") {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            I.defineGlobal("w", referenceValue(c["w0"]!))
            let made = Run("S = \(c["schedule"]!.string!)\nopt = \(c["optimizer"]!.string!)", interpreter: I)
            XCTAssertNil(made.error, "\(name): \(made.error?.message ?? "")")
            for (i, g) in c["grads"]!.array!.enumerated() {
                I.defineGlobal("g", referenceValue(g))
                let r = Run("w = opt.step(w, g)", interpreter: I)
                XCTAssertNil(r.error, "\(name) step \(i): \(r.error?.message ?? "")")
                assertClose(I.global("w"), referenceValue(c["params"]![i]!), "\(name) after step \(i + 1)")
            }
        }
    }

    /// A cycled momentum switches SGD's momentum buffer on: opt.state shows it.
    func testCycledMomentumState() {
        let r = Run("opt = torch.sgd(lr: schedule(\"onecycle\", 0.1, 10))\nw = opt.step([1.0, 2], [0.5, 0.5])\nprint(keys(opt.state))")
        XCTAssertNil(r.error)
        XCTAssertEqual(r.output, "(\"momentum_buffer\",)\n")
    }

    /// What PyTorch or NumPy rejects is an error whose message gives their reason.
    func testArgumentChecks() throws {
        for c in try section("checks") {
            let expr = c["optrepl"]!.string!
            let r = Run("x = " + expr)
            guard let message = r.error?.message else {
                XCTFail("\(expr) was accepted; PyTorch/NumPy says: \(c["error"]!.string!)")
                continue
            }
            XCTAssertTrue(message.contains(c["error"]!.string!), "\(expr): \(message)")
        }
        // Setting a field goes through the same checks.
        XCTAssertEqual(Run("o = torch.sgd(momentum: 0.9, nesterov: true)\no.momentum = 0").error?.message,
                       "'torch.sgd': Nesterov momentum requires a momentum and zero dampening (PyTorch's rule: nesterov: true needs momentum > 0 and dampening: 0)")
        XCTAssertEqual(Run("o = torch.adam()\no.lr = -1").error?.message,
                       "bad argument 'lr' to 'torch.adam' (Invalid learning rate: -1.0)")
        XCTAssertNil(Run("o = torch.sgd(lr: schedule(\"onecycle\", 0.1, 10, cycle_momentum: false))").error)
    }

    /// Python's format, character for character.
    func testFormat() throws {
        for c in try section("format") {
            let I = Interpreter(output: { _ in })
            I.defineGlobal("x", .number(c["x"]!.double!))
            I.defineGlobal("spec", .string(c["spec"]!.string!))
            let r = Run("r = format(x, spec)", interpreter: I)
            XCTAssertNil(r.error, c["name"]!.string!)
            XCTAssertEqual(I.global("r").map { if case .string(let s) = $0 { return s } else { return "" } }, c["expected"]!.string!, c["name"]!.string!)
        }
    }

    func testFormatZOnStrings() {
        XCTAssertEqual(Run("s = format(\"abc\", \"z\")").error?.message,
                       "bad argument #2 to 'format' (z is for numbers (Python: Negative zero coercion (z) not allowed in string format specifier))")
    }

    /// np.clip with number bounds, bit for bit (NaN from any operand, the sign of zero).
    func testClip() throws {
        for c in try section("clip") {
            let I = Interpreter(output: { _ in })
            I.defineGlobal("x", .tensor(Tensor(vector: c["x"]!.array!.map { $0.double! })))
            I.defineGlobal("lo", .number(c["lo"]!.double!))
            I.defineGlobal("hi", .number(c["hi"]!.double!))
            XCTAssertNil(Run("r = clip(x, lo, hi)", interpreter: I).error)
            guard case .tensor(let r)? = I.global("r") else { XCTFail(c["name"]!.string!); continue }
            for (k, e) in c["expected"]!.array!.enumerated() {
                let want = e.double!
                XCTAssertTrue(want.isNaN ? r.data[k].isNaN : r.data[k] == want, "\(c["name"]!.string!)[\(k)]: \(r.data[k])")
                XCTAssertEqual(r.data[k].sign == .minus && !r.data[k].isNaN, c["signbit"]![k]!.bool! && !want.isNaN, "\(c["name"]!.string!)[\(k)] sign")
            }
        }
        XCTAssertEqual(Run("print(repr(clip(-0.0, 0, 0)))").output, "-0.0\n")
    }

    /// load_csv as np.loadtxt: CRLF, CR-only, NaN/Infinity in any case.
    func testLoadCSV() throws {
        for (k, c) in try section("csv").enumerated() {
            let path = "/tmp/optrepl-torch-sched-\(getpid())-\(k).csv"
            let f = fopen(path, "wb")!
            let bytes = Array(c["text"]!.string!.utf8)
            fwrite(bytes, 1, bytes.count, f)
            fclose(f)
            defer { unlink(path) }
            let I = Interpreter(output: { _ in })
            let r = Run("r = load_csv(\"\(path)\")", interpreter: I)
            XCTAssertNil(r.error, "\(c["name"]!.string!): \(r.error?.message ?? "")")
            assertClose(I.global("r"), referenceValue(c["expected"]!), rtol: 0, c["name"]!.string!)
        }
    }

    /// GradScaler's scale is a float32: rounded after each update, and growth stops at 2^127.
    func testGradScalerFloat32() throws {
        for c in try section("scaler") {
            let name = c["name"]!.string!
            let I = Interpreter(output: { _ in })
            I.defineGlobal("params", referenceValue(c["params0"]!))
            XCTAssertNil(Run("sc = \(c["optrepl"]!.string!)\nopt = sgd(lr: 0.1)", interpreter: I).error, name)
            for (i, g) in c["grads"]!.array!.enumerated() {
                I.defineGlobal("g", referenceValue(g))
                let r = Run("params = sc.step(opt, params, g)\nsc.update()\nscale = sc.get_scale()", interpreter: I)
                XCTAssertNil(r.error, "\(name) step \(i): \(r.error?.message ?? "")")
                XCTAssertEqual(I.global("scale")?.asDouble, c["scale"]![i]!.double!, "\(name) scale after step \(i + 1)")
                assertClose(I.global("params"), referenceValue(c["params"]![i]!), "\(name) params after step \(i + 1)")
            }
        }
    }

    /// The rules of composing schedules, and messages of the new kinds.
    func testScheduleErrors() {
        XCTAssertEqual(Run("s = schedule(\"sequential\", (schedule(\"step\", 0.1, 2), schedule(\"exponential\", 0.2, 0.9)), [2])").error?.message,
                       "schedule \"sequential\": every schedule must have the same lr (PyTorch's schedulers of one optimizer share its initial_lr): schedules[0] has 0.1, schedules[1] has 0.2")
        XCTAssertEqual(Run("s = schedule(\"chained\", (schedule(\"step\", 0.1, 2), schedule(\"plateau\", 0.1)))").error?.message,
                       "schedule \"chained\": schedules[1] is \"plateau\", which cannot be part of it (PyTorch: it requires the metric when calling step)")
        XCTAssertEqual(Run("s = schedule(\"lambda\", 0.1, 2)").error?.message,
                       "schedule \"lambda\": f must be a function of the epoch, got a number")
        XCTAssertEqual(Run("s = schedule(\"lambda\", 0.1, fn(e) { return \"a\" })\ns(1)").error?.message,
                       "schedule \"lambda\": f(1) must return a number, got string")
        XCTAssertEqual(Run("s = schedule(\"cyclic\", 0.1, 1, mode: \"sine\")").error?.message,
                       "schedule \"cyclic\": mode must be \"triangular\", \"triangular2\" or \"exp_range\"")
        XCTAssertEqual(Run("s = schedule(\"constant\", 0.1)\nprint(s)").output, "schedule(\"constant\", lr: 0.1)\n")
        XCTAssertEqual(Run("s = schedule(\"constant\", 0.1, total_iters: 2)\nprint(s)").output,
                       "schedule(\"constant\", lr: 0.1, factor: 0.3333333333333333, total_iters: 2)\n")
        XCTAssertEqual(Run("s = schedule(\"step\", 0.1, 2)\nm = s.momentum(0)").error?.message, "schedule has no member 'momentum'")
    }

    /// The table `:help schedule`, completion and the reference read: every kind, its own
    /// parameters and defaults.
    func testEveryKindHasItsParameters() {
        XCTAssertEqual(Builtins.scheduleKinds.map(\.kind), Schedule.Kind.allCases.map(\.rawValue))
        let cyclic = Builtins.scheduleKinds.first { $0.kind == "cyclic" }!.spec
        XCTAssertEqual(cyclic.positional, ["base_lr", "max_lr"])
        XCTAssertEqual(cyclic.labelled.map { "\($0.0): \($0.1.text)" },
                       ["step_size_up: 2000", "step_size_down: nil", "mode: \"triangular\"", "gamma: 1", "base_momentum: 0.8",
                        "max_momentum: 0.9", "cycle_momentum: true"])
        XCTAssertEqual(cyclic.torch, "CyclicLR")
        XCTAssertEqual(Builtins.forms(of: "schedule")?.first { $0.key == "polynomial" }?.signature,
                       "schedule(\"polynomial\", lr, total_iters: 5, power: 1)")
    }
}

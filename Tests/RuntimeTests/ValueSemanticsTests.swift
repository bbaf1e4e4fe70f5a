import XCTest
import Lexer
import Parser
@testable import Runtime

final class ValueSemanticsTests: XCTestCase {
    private func tensorGlobal(_ I: Interpreter, _ name: String) -> Tensor {
        guard case .tensor(let t)? = I.global(name) else {
            XCTFail("\(name) is not a tensor")
            return Tensor(vector: [])
        }
        return t
    }

    private func viewGlobal(_ I: Interpreter, _ name: String) -> TensorView? {
        guard case .view(let v)? = I.global(name) else {
            XCTFail("\(name) is not a view")
            return nil
        }
        return v
    }

    /// transpose, .T, basic slices and reshape of a contiguous view share the buffer of the
    /// tensor they come from; a write gives the writer a buffer of its own and leaves the
    /// other side as it was.
    func testViewsShareTheBufferUntilWritten() {
        let I = Interpreter(output: { _ in })
        _ = Run("""
            m = reshape(range(12), 3, 4) * 1
            t = m.T
            row = m[1]
            cols = m[:, 1:3]
            back = transpose(t)
            rows = reshape(m[1:], 2, 2, 2)
            gathered = reshape(cols.T, 6)
            """, interpreter: I)
        let m = tensorGlobal(I, "m").bufferIdentity
        for name in ["t", "row", "cols", "back", "rows"] {
            XCTAssertEqual(viewGlobal(I, name)?.base.bufferIdentity, m, name)
        }
        XCTAssertEqual(viewGlobal(I, "t")?.strides, [1, 4])
        XCTAssertEqual(viewGlobal(I, "cols")?.offset, 1)
        XCTAssertEqual(viewGlobal(I, "rows")?.offset, 4)
        // A transposed slice is not one run of the buffer: reshape gathers it, as NumPy copies.
        XCTAssertEqual(tensorGlobal(I, "gathered").data, [1, 5, 9, 2, 6, 10])

        _ = Run("t[0, 1] = -5", interpreter: I)
        XCTAssertEqual(tensorGlobal(I, "t").data, [0, -5, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        XCTAssertEqual(tensorGlobal(I, "m").bufferIdentity, m)
        XCTAssertEqual(tensorGlobal(I, "m").data, (0..<12).map(Double.init))

        _ = Run("m[1, 1] = 50", interpreter: I)
        XCTAssertNotEqual(tensorGlobal(I, "m").bufferIdentity, m)
        XCTAssertEqual(viewGlobal(I, "row")?.base.bufferIdentity, m)
        XCTAssertEqual(viewGlobal(I, "row")?.tensor().data, [4, 5, 6, 7])
    }

    /// A view of a large tensor is made without touching its elements.
    func testTransposeOfALargeTensorIsAView() {
        let I = Interpreter(output: { _ in })
        _ = Run("big = zeros(4000, 2500)\nbt = big.T\nsub = bt[10:, ::5]", interpreter: I)
        XCTAssertEqual(viewGlobal(I, "bt")?.base.bufferIdentity, tensorGlobal(I, "big").bufferIdentity)
        XCTAssertEqual(viewGlobal(I, "sub")?.shape, [2490, 800])
        XCTAssertEqual(viewGlobal(I, "sub")?.strides, [1, 12500])
        XCTAssertEqual(viewGlobal(I, "sub")?.offset, 10)
    }

    /// Assignment shares the buffer; only a write copies, and only the written side.
    func testNoCopyUnlessWritten() {
        let I = Interpreter(output: { _ in })
        _ = Run("a = [1, 2, 3]\nb = a", interpreter: I)
        XCTAssertEqual(tensorGlobal(I, "a").bufferIdentity, tensorGlobal(I, "b").bufferIdentity)
        _ = Run("b[0] = 9", interpreter: I)
        XCTAssertNotEqual(tensorGlobal(I, "a").bufferIdentity, tensorGlobal(I, "b").bufferIdentity)
        XCTAssertEqual(tensorGlobal(I, "a").data, [1, 2, 3])
        XCTAssertEqual(tensorGlobal(I, "b").data, [9, 2, 3])
    }

    /// Writing through a uniquely held variable updates the buffer in place.
    func testInPlaceUpdateOfUniqueTensor() {
        let I = Interpreter(output: { _ in })
        _ = Run("w = [1, 2, 3] * 1", interpreter: I)
        let before = tensorGlobal(I, "w").bufferIdentity
        _ = Run("w[1] = 7\nw[0] += 1", interpreter: I)
        XCTAssertEqual(tensorGlobal(I, "w").bufferIdentity, before)
        XCTAssertEqual(tensorGlobal(I, "w").data, [2, 7, 3])
    }

    /// `w = opt.step(w, g)` writes into w's buffer (after the first step made the state), while
    /// a copy held elsewhere keeps its values; a failing step leaves w as it was.
    func testOptimizerStepUpdatesInPlaceWhenTheVariableIsTheArgument() {
        let I = Interpreter(output: { _ in })
        _ = Run("opt = adam(lr: 0.1)\ng = [0.5, -1]\nw = [1, 2] * 1\nw = opt.step(w, g)", interpreter: I)
        let before = tensorGlobal(I, "w").bufferIdentity
        _ = Run("w = opt.step(w, g)", interpreter: I)
        XCTAssertEqual(tensorGlobal(I, "w").bufferIdentity, before)
        _ = Run("keep = w\nw = opt.step(w, g)\nother = opt.step(w, g)", interpreter: I)
        XCTAssertNotEqual(tensorGlobal(I, "w").bufferIdentity, tensorGlobal(I, "keep").bufferIdentity)
        XCTAssertNotEqual(tensorGlobal(I, "other").bufferIdentity, tensorGlobal(I, "w").bufferIdentity)
        // The same steps through a temporary (never in place) give the same numbers.
        let R = Interpreter(output: { _ in })
        _ = Run("""
            opt = adam(lr: 0.1)
            g = [0.5, -1]
            w = [1, 2] * 1
            for k in 0..<3 {
                tmp = opt.step(w, g)
                if k == 1 { keep = tmp }
                w = tmp
            }
            other = opt.step(w, g)
            """, interpreter: R)
        for name in ["w", "keep", "other"] { XCTAssertEqual(tensorGlobal(I, name).data, tensorGlobal(R, name).data, name) }
        let failed = Run("w = opt.step(w, [1, 2, 3])", interpreter: I)
        XCTAssertNotNil(failed.error)
        XCTAssertEqual(tensorGlobal(I, "w").data, tensorGlobal(R, "w").data)
    }

    /// Operators write into temporaries (`b * m + c * g` allocates twice, not three times), but
    /// never into a tensor a variable holds, even when a function hands one out.
    func testTemporariesAreReusedButVariablesNeverChange() {
        let I = Interpreter(output: { _ in })
        let run = Run("""
            a = [1, 4, 9]
            fn get() = a
            b = get() + 1
            c = -get()
            d = sqrt(get())
            e = 2 * a + 3 * a
            f = sqrt(a * 1) * 2 - a / 1
            g = (a + 0) ^ 2
            """, interpreter: I)
        XCTAssertNil(run.error)
        XCTAssertEqual(tensorGlobal(I, "a").data, [1, 4, 9])
        XCTAssertEqual(tensorGlobal(I, "b").data, [2, 5, 10])
        XCTAssertEqual(tensorGlobal(I, "c").data, [-1, -4, -9])
        XCTAssertEqual(tensorGlobal(I, "d").data, [1, 2, 3])
        XCTAssertEqual(tensorGlobal(I, "e").data, [5, 20, 45])
        XCTAssertEqual(tensorGlobal(I, "f").data, [1, 0, -3])
        XCTAssertEqual(tensorGlobal(I, "g").data, [1, 16, 81])
        for name in ["b", "c", "d"] { XCTAssertNotEqual(tensorGlobal(I, name).bufferIdentity, tensorGlobal(I, "a").bufferIdentity) }
    }

    /// A fused expression on large tensors gives the same bits as the operators one by one, and
    /// falls back to them (errors included) when its operands stop fitting.
    func testFusedExpressionsMatchOperatorByOperator() {
        let I = Interpreter(output: { _ in })
        let run = Run("""
            seed(1)
            m = randn(20000)
            g = randn(20000)
            v = rand(20000)
            results = ()
            for k in 0..<3 {
                r = 0.9 * m + (1 - 0.9) * g ^ 2 - sqrt(v / 0.7) / (-g + 1e-8) % 3
                results = append(results, r)
            }
            a = 0.9 * m
            b = g ^ 2
            b = (1 - 0.9) * b
            c = v / 0.7
            c = sqrt(c)
            d = -g
            d = d + 1e-8
            c = c / d
            c = c % 3
            expected = a + b
            expected = expected - c
            same = expect_eq(results[1], expected)
            same = expect_eq(results[2], expected)
            small = 0.9 * [1, 2] + (1 - 0.9) * [3, 4] ^ 2
            """, interpreter: I)
        XCTAssertNil(run.error, run.error?.message ?? "")
        XCTAssertEqual(tensorGlobal(I, "small").data, [0.9 * 1 + (1 - 0.9) * 9, 0.9 * 2 + (1 - 0.9) * 16])
        let mismatch = Run("for k in 0..<3 { q = 2 * m + 3 * g }\nq = 2 * m + 3 * [1, 2]", interpreter: I)
        XCTAssertEqual(mismatch.error?.message, "cannot broadcast shapes (20000,) and (2,)")
    }

    /// `w += g` and friends write into the buffer a variable holds alone.
    func testCompoundAssignmentUpdatesInPlace() {
        let I = Interpreter(output: { _ in })
        _ = Run("w = [1, 2, 3] * 1\ng = [1, 1, 1]", interpreter: I)
        let before = tensorGlobal(I, "w").bufferIdentity
        _ = Run("w += g\nw *= 2\nw -= 1\nw /= [1, 1, 1]", interpreter: I)
        XCTAssertEqual(tensorGlobal(I, "w").bufferIdentity, before)
        XCTAssertEqual(tensorGlobal(I, "w").data, [3, 5, 7])
        // A shared buffer is copied, and the other name keeps its value.
        _ = Run("v = w\nw += 1", interpreter: I)
        XCTAssertEqual(tensorGlobal(I, "v").data, [3, 5, 7])
        XCTAssertEqual(tensorGlobal(I, "w").data, [4, 6, 8])
        // A right side that would grow the tensor takes the general path.
        let r = Run("a = [1, 2]\na += [[1], [2]]\nprint(a)")
        XCTAssertEqual(r.output, "[[2, 3],\n [3, 4]]\n")
    }

    func testArgumentsAreValuesNotReferences() {
        let r = Run("""
        fn f(t) { t[0] = 100; return t }
        a = [1, 2]
        b = f(a)
        print(a, b)
        p = (W: [1, 2], b: 0)
        q = p
        q.W[0] = 5
        print(p, q)
        """)
        XCTAssertNil(r.error)
        XCTAssertEqual(r.output, "[1, 2] [100,   2]\n(W: [1, 2], b: 0) (W: [5, 2], b: 0)\n")
    }
}

/// The matrix product (OpenBLAS's dgemm when present) against the definition.
final class MatmulTests: XCTestCase {
    func testMatchesTheDefinition() {
        let I = Interpreter(output: { _ in })
        let r = Run("seed(4)\na = randn(7, 5)\nb = randn(5, 3)\nc = a @ b\nv = a @ b[:, 0]", interpreter: I)
        XCTAssertNil(r.error)
        guard case .tensor(let a)? = I.global("a"), case .tensor(let b)? = I.global("b"),
              case .tensor(let c)? = I.global("c"), case .tensor(let v)? = I.global("v") else { return XCTFail("tensors") }
        XCTAssertEqual(c.shape, [7, 3])
        XCTAssertEqual(v.shape, [7])
        for i in 0..<7 {
            for j in 0..<3 {
                var s = 0.0
                for p in 0..<5 { s += a.data[i * 5 + p] * b.data[p * 3 + j] }
                XCTAssertEqual(c.data[i * 3 + j], s, accuracy: 1e-13 * max(1, abs(s)))
                if j == 0 { XCTAssertEqual(v.data[i], s, accuracy: 1e-13 * max(1, abs(s))) }
            }
        }
    }
}

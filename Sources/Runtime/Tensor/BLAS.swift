// OpenBLAS, loaded on the first matrix product rather than linked: loading it starts its
// thread pool, which would cost every `optrepl` start about 2 ms (the start-up budget is 5).

#if canImport(Glibc)
import Glibc
#endif
import CKernels

enum BLAS {
    typealias Dgemm = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
                                      UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32) -> Void

    // CBLAS_ORDER and CBLAS_TRANSPOSE values from <cblas.h>.
    static let rowMajor: Int32 = 101
    static let noTranspose: Int32 = 111
    static let transpose: Int32 = 112

    /// Products of at most this many multiply-adds (m·n·k) skip OpenBLAS (see Tensor.matmul).
    static let smallProduct = 1 << 18

    /// cblas_dgemm from Debian's libopenblas0, or nil when it is not installed.
    static let dgemm: Dgemm? = {
        #if canImport(Glibc)
        // OpenBLAS reads the core type once, as it loads; a user's own setting wins.
        if getenv("OPENBLAS_CORETYPE") == nil, let core = optrepl_blas_coretype() {
            setenv("OPENBLAS_CORETYPE", core, 0)
        }
        for name in ["libopenblas.so.0", "libopenblas.so"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL), let symbol = dlsym(handle, "cblas_dgemm") else { continue }
            return unsafeBitCast(symbol, to: Dgemm.self)
        }
        #endif
        return nil
    }()
}

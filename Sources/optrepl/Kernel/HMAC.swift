// HMAC-SHA256 for the signatures of the kernel's messages, from OpenSSL's libcrypto (Debian's
// libssl3, on every system that has git or curl), loaded with dlopen the first time
// `optrepl kernel` needs it, as libzmq is. apple/swift-crypto, linked in, cost every start of
// optrepl about 90 page faults and 1.5 to 2 ms of CPU (`optrepl -e 1`: 702 against 612 minor
// faults, median CPU 6.5 against 4.5 ms), a third of the 5 ms start-up budget; writing SHA-256
// by hand is not a thing to do when a maintained library is one dlsym away. Every message of
// the suite's kernel test is checked by jupyter_client's own HMAC (Python's hmac module).

import Runtime

enum LibCrypto {
    typealias Digest = @convention(c) () -> OpaquePointer?
    typealias HMACFunction = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int32, UnsafePointer<UInt8>?, Int,
                                             UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?) -> UnsafeMutablePointer<UInt8>?

    /// Set once by `load`, before any other thread exists; read-only afterwards.
    nonisolated(unsafe) private(set) static var functions: (sha256: Digest, hmac: HMACFunction)?

    /// Loads libcrypto; the reason when it cannot.
    static func load() -> String? {
        if functions != nil { return nil }
        let library: DynamicLibrary
        switch DynamicLibrary.open(["libcrypto.so.3", "libcrypto.so"]) {
        case .success(let l): library = l
        case .failure(let f): return "cannot load libcrypto for message signatures (Debian: apt-get install libssl3): \(f.reason)"
        }
        guard let sha256 = library.function("EVP_sha256", as: Digest.self), let hmac = library.function("HMAC", as: HMACFunction.self) else {
            return "libcrypto lacks EVP_sha256 or HMAC"
        }
        functions = (sha256, hmac)
        return nil
    }

    /// HMAC-SHA256 of `data` under `key` (load() must have succeeded).
    static func hmacSHA256(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        guard let f = functions else { return [] }
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        key.withUnsafeBytes { k in
            data.withUnsafeBufferPointer { d in
                _ = f.hmac(f.sha256(), k.baseAddress, Int32(key.count), d.baseAddress, data.count, &out, &length)
            }
        }
        return Array(out.prefix(Int(length)))
    }
}

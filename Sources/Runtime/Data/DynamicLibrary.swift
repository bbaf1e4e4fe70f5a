// Shared libraries loaded on first use: libzmq and libcrypto (the Jupyter kernel), librsvg and
// cairo (PNG and PDF). Linked, each would be mapped at every start of optrepl, for the few runs
// that need it (docs/performance.md measures libzmq at 1.9 ms a start). This is the one place
// that calls dlopen and turns symbols into Swift function types.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct DynamicLibrary: @unchecked Sendable {
    // The handle is never closed: dlopen keeps one copy loaded, shared by every caller.
    let handle: UnsafeMutableRawPointer

    /// The first of `names` that loads (`libzmq.so.5`, then `libzmq.so`), or the loader's
    /// reason for the last one.
    public static func open(_ names: [String]) -> Result<DynamicLibrary, LoadFailure> {
        var reason = "not found"
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return .success(DynamicLibrary(handle: handle)) }
            reason = dlerror().map { String(cString: $0) } ?? name
        }
        return .failure(LoadFailure(reason: reason))
    }

    /// The function `name` as `type` (a `@convention(c)` function type the caller gets right
    /// from the library's header), nil when the library lacks it.
    public func function<T>(_ name: String, as type: T.Type) -> T? {
        guard let p = dlsym(handle, name) else { return nil }
        return unsafeBitCast(p, to: type)
    }

    public struct LoadFailure: Error {
        public let reason: String
    }
}

/// Text for XML and HTML (SVG labels, a notebook's tables): the markup characters escaped,
/// control characters other than tab, newline and return dropped (XML 1.0 cannot hold them).
public func escapeMarkup(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: if c.value >= 0x20 || c == "\t" || c == "\n" || c == "\r" { out.unicodeScalars.append(c) }
        }
    }
    return out
}

// The Jupyter wire protocol (messaging 5.3): a message is the routing identities, the
// delimiter `<IDS|MSG>`, the HMAC-SHA256 signature (hex) of the four JSON frames that follow
// (header, parent header, metadata, content), and optional binary buffers.

#if canImport(Glibc)
import Glibc
#endif

struct KernelMessage {
    var identities: [[UInt8]] = []
    var header: JSON
    var parentHeader: JSON = .object([])
    var metadata: JSON = .object([])
    var content: JSON

    var type: String { header["msg_type"]?.string ?? "" }

    static let delimiter = Array("<IDS|MSG>".utf8)
    static let protocolVersion = "5.3"
}

/// Signs outgoing messages and checks incoming ones with the connection file's key.
struct Signer {
    let key: [UInt8]?

    init(key: String) {
        self.key = key.isEmpty ? nil : Array(key.utf8)
    }

    func signature(_ frames: [[UInt8]]) -> [UInt8] {
        guard let key else { return [] }
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in LibCrypto.hmacSHA256(key: key, frames.flatMap { $0 }) { hex.append(digits[Int(byte >> 4)]); hex.append(digits[Int(byte & 15)]) }
        return hex
    }

    /// The message in `frames`, or nil when it is malformed or its signature is wrong.
    func decode(_ frames: [[UInt8]]) -> KernelMessage? {
        guard let d = frames.firstIndex(of: KernelMessage.delimiter), frames.count >= d + 6 else { return nil }
        let body = Array(frames[(d + 2)..<(d + 6)])
        guard key == nil || constantTimeEqual(signature(body), frames[d + 1]) else { return nil }
        guard let header = JSON.parse(body[0]), let parent = JSON.parse(body[1]),
              let metadata = JSON.parse(body[2]), let content = JSON.parse(body[3]) else { return nil }
        return KernelMessage(identities: Array(frames[..<d]), header: header, parentHeader: parent, metadata: metadata, content: content)
    }

    func encode(_ m: KernelMessage) -> [[UInt8]] {
        let body = [m.header, m.parentHeader, m.metadata, m.content].map { Array($0.text.utf8) }
        return m.identities + [KernelMessage.delimiter, signature(body)] + body
    }

    private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

enum KernelClock {
    /// ISO 8601 in UTC with microseconds, as Jupyter dates its messages.
    static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ n: Int32, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: Swift.max(0, w - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1000), 6))Z"
    }

    /// A random (version 4) UUID.
    static func uuid() -> String {
        var g = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef")
        var s = ""
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { s += "-" }
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 15)])
        }
        return s
    }
}

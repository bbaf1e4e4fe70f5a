// libzmq, loaded with dlopen the first time `optrepl kernel` needs it. Linked into the
// executable, libzmq and what it pulls in (libstdc++, libsodium, libpgm, libnorm, gssapi, ...:
// 19 more shared objects) are loaded at every start of optrepl: measured on a C program that
// does nothing, that costs 1.9 ms a start (0.7 ms → 2.7 ms, median of 300), a third of the
// 5 ms start-up budget (docs/performance.md). The types and constants come from the header
// (the CZMQ system-library target); the functions are looked up with dlsym.

#if canImport(Glibc)
import Glibc
#endif
import CZMQ
import Runtime

enum ZMQ {
    typealias CtxNew = @convention(c) () -> UnsafeMutableRawPointer?
    typealias SocketNew = @convention(c) (UnsafeMutableRawPointer?, Int32) -> UnsafeMutableRawPointer?
    typealias Bind = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    typealias SetSockOpt = @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafeRawPointer?, Int) -> Int32
    typealias MsgInit = @convention(c) (UnsafeMutablePointer<zmq_msg_t>?) -> Int32
    typealias MsgRecv = @convention(c) (UnsafeMutablePointer<zmq_msg_t>?, UnsafeMutableRawPointer?, Int32) -> Int32
    typealias MsgData = @convention(c) (UnsafeMutablePointer<zmq_msg_t>?) -> UnsafeMutableRawPointer?
    typealias MsgSize = @convention(c) (UnsafePointer<zmq_msg_t>?) -> Int
    typealias MsgMore = @convention(c) (UnsafePointer<zmq_msg_t>?) -> Int32
    typealias Send = @convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer?, Int, Int32) -> Int32
    typealias Poll = @convention(c) (UnsafeMutablePointer<zmq_pollitem_t>?, Int32, Int) -> Int32
    typealias Errno = @convention(c) () -> Int32
    typealias StrError = @convention(c) (Int32) -> UnsafePointer<CChar>?
    typealias Proxy = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32

    struct Functions {
        let ctxNew: CtxNew
        let socket: SocketNew
        let bind: Bind
        let setsockopt: SetSockOpt
        let msgInit: MsgInit
        let msgRecv: MsgRecv
        let msgData: MsgData
        let msgSize: MsgSize
        let msgClose: MsgInit
        let msgMore: MsgMore
        let send: Send
        let poll: Poll
        let errno: Errno
        let strerror: StrError
        let proxy: Proxy
    }

    /// Set once by `load`, before any other thread exists; read-only afterwards.
    nonisolated(unsafe) private(set) static var f: Functions!

    /// Loads libzmq; the reason when it cannot.
    static func load() -> String? {
        if f != nil { return nil }
        let library: DynamicLibrary
        switch DynamicLibrary.open(["libzmq.so.5", "libzmq.so"]) {
        case .success(let l): library = l
        case .failure(let f): return "cannot load libzmq (Debian: apt-get install libzmq5): \(f.reason)"
        }
        var missing: [String] = []
        func sym<T>(_ name: String, _ type: T.Type) -> T? {
            guard let f = library.function(name, as: type) else { missing.append(name); return nil }
            return f
        }
        let ctxNew = sym("zmq_ctx_new", CtxNew.self), socket = sym("zmq_socket", SocketNew.self)
        let bind = sym("zmq_bind", Bind.self), setsockopt = sym("zmq_setsockopt", SetSockOpt.self)
        let msgInit = sym("zmq_msg_init", MsgInit.self), msgRecv = sym("zmq_msg_recv", MsgRecv.self)
        let msgData = sym("zmq_msg_data", MsgData.self), msgSize = sym("zmq_msg_size", MsgSize.self)
        let msgClose = sym("zmq_msg_close", MsgInit.self), msgMore = sym("zmq_msg_more", MsgMore.self)
        let send = sym("zmq_send", Send.self), poll = sym("zmq_poll", Poll.self)
        let errno = sym("zmq_errno", Errno.self), strerror = sym("zmq_strerror", StrError.self)
        let proxy = sym("zmq_proxy", Proxy.self)
        guard missing.isEmpty, let ctxNew, let socket, let bind, let setsockopt, let msgInit, let msgRecv, let msgData,
              let msgSize, let msgClose, let msgMore, let send, let poll, let errno, let strerror, let proxy else {
            return "libzmq lacks " + missing.joined(separator: ", ")
        }
        f = Functions(ctxNew: ctxNew, socket: socket, bind: bind, setsockopt: setsockopt, msgInit: msgInit,
                      msgRecv: msgRecv, msgData: msgData, msgSize: msgSize, msgClose: msgClose, msgMore: msgMore,
                      send: send, poll: poll, errno: errno, strerror: strerror, proxy: proxy)
        return nil
    }

    static var lastError: String {
        f.strerror(f.errno()).map { String(cString: $0) } ?? "error \(f.errno())"
    }
}

/// One ZeroMQ socket. Each is used by one thread only, except iopub, which the kernel guards
/// with a lock.
final class ZSocket: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer

    init?(context: UnsafeMutableRawPointer, type: Int32) {
        guard let s = ZMQ.f.socket(context, type) else { return nil }
        raw = s
        var linger: Int32 = 1000
        _ = ZMQ.f.setsockopt(raw, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
    }

    /// Binds to `address`; the reason when it cannot.
    func bind(_ address: String) -> String? {
        ZMQ.f.bind(raw, address) == 0 ? nil : "cannot bind \(address): \(ZMQ.lastError)"
    }

    /// The frames of the next message (blocking), or nil when the call was interrupted.
    func receive() -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        var msg = zmq_msg_t()
        while true {
            _ = ZMQ.f.msgInit(&msg)
            if ZMQ.f.msgRecv(&msg, raw, 0) < 0 {
                _ = ZMQ.f.msgClose(&msg)
                if ZMQ.f.errno() == EINTR, !frames.isEmpty { continue }
                return nil
            }
            let n = ZMQ.f.msgSize(&msg)
            if n > 0, let p = ZMQ.f.msgData(&msg) {
                frames.append(Array(UnsafeRawBufferPointer(start: p, count: n)))
            } else {
                frames.append([])
            }
            let more = ZMQ.f.msgMore(&msg) != 0
            _ = ZMQ.f.msgClose(&msg)
            if !more { return frames }
        }
    }

    func send(_ frames: [[UInt8]]) {
        for (k, frame) in frames.enumerated() {
            let flags: Int32 = k + 1 < frames.count ? ZMQ_SNDMORE : 0
            while true {
                let r = frame.withUnsafeBytes { ZMQ.f.send(raw, $0.baseAddress, $0.count, flags) }
                if r >= 0 || ZMQ.f.errno() != EINTR { break }
            }
        }
    }

    /// Whether a message is waiting (waits up to `milliseconds`, -1 for ever).
    func poll(milliseconds: Int) -> Bool {
        var item = zmq_pollitem_t(socket: raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let r = ZMQ.f.poll(&item, 1, milliseconds)
        return r > 0 && (item.revents & Int16(ZMQ_POLLIN)) != 0
    }
}

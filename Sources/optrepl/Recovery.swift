// The REPL's seat belt: nothing a user typed is lost even if the process dies. Every entry that
// ran to completion is appended to a recovery script next to the history file
// (`HISTORY.recovery-PID.opt`) as it finishes; a normal end of the session deletes it. On a
// fatal signal a handler says where the script is (write(2) of a message made in advance: no
// allocation in the handler) and hands the signal on. The next REPL start mentions the scripts
// of sessions that are gone, renamed to `HISTORY.recovered-PID.opt`, and how to replay them.
// The goal is that this never fires: bad input gets a diagnostic, never a trap.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The crash message, made when the journal opens; read by the signal handler.
nonisolated(unsafe) private var crashMessage: UnsafeMutablePointer<CChar>?
nonisolated(unsafe) private var crashMessageLength = 0
/// The handlers that were there before ours (Swift's backtracer), called after the message.
nonisolated(unsafe) private var previousActions: UnsafeMutablePointer<sigaction>?
private let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE, SIGTRAP]

final class RecoveryJournal {
    let path: String
    private var fd: Int32 = -1

    /// The journal for this session, or nil without a history path.
    init?(historyPath: String?) {
        guard let historyPath else { return nil }
        path = "\(historyPath).recovery-\(getpid()).opt"
        let message = "\noptrepl: stopped by a fatal signal; this session's entries are in \(path)\n"
            + "optrepl: replay them in a new session with :load \(path)\n"
        let bytes = Array(message.utf8CString)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        crashMessage = buffer
        crashMessageLength = bytes.count - 1
        RecoveryJournal.installHandlers()
    }

    /// Appends an entry that ran; the file is made at the first one.
    func record(_ entry: String) {
        if fd < 0 {
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            let header = "# optrepl session \(getpid()): the entries that ran, in order\n"
            _ = header.withCString { write(fd, $0, strlen($0)) }
        }
        let text = entry.hasSuffix("\n") ? entry : entry + "\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }

    /// The session ended normally: nothing to recover.
    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
        unlink(path)
    }

    /// Scripts that sessions which are gone left next to `historyPath`, renamed so each is
    /// mentioned once; the lines to show.
    static func leftBehind(historyPath: String?) -> [String] {
        guard let historyPath else { return [] }
        let slash = historyPath.lastIndex(of: "/")
        let dir = slash.map { String(historyPath[..<$0]) } ?? "."
        let base = slash.map { String(historyPath[historyPath.index(after: $0)...]) } ?? historyPath
        guard let names = SourceInput.listDirectory(dir.isEmpty ? "/" : dir) else { return [] }
        var lines: [String] = []
        for name in names.sorted() where name.hasPrefix(base + ".recovery-") && name.hasSuffix(".opt") {
            let pidText = name.dropFirst(base.count + ".recovery-".count).dropLast(".opt".count)
            guard let pid = Int32(pidText), pid != getpid() else { continue }
            // A session still running keeps its journal.
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            let from = dir + "/" + name, to = dir + "/" + base + ".recovered-\(pid).opt"
            guard rename(from, to) == 0 else { continue }
            lines.append("optrepl: a session that stopped abnormally left its entries in \(to)")
            lines.append("optrepl: :load \(to) replays them")
        }
        return lines
    }

    private static func installHandlers() {
        guard previousActions == nil else { return }
        let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: Int(NSIG))
        previous.initialize(repeating: sigaction(), count: Int(NSIG))
        previousActions = previous
        for sig in fatalSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { sig, info, context in
                if let message = crashMessage { _ = write(2, message, crashMessageLength) }
                // Hand the signal on: Swift's backtracer, if it was there, prints its report.
                let old = previousActions![Int(sig)]
                if old.sa_flags & SA_SIGINFO != 0, let handler = old.__sigaction_handler.sa_sigaction {
                    handler(sig, info, context)
                }
                // Whatever it did, the process ends with the signal's default action: a fatal
                // signal never resumes a session whose state may be broken.
                var fallback = sigaction()
                fallback.__sigaction_handler.sa_handler = SIG_DFL
                sigaction(sig, &fallback, nil)
                raise(sig)
            }
            action.sa_flags = SA_SIGINFO | SA_ONSTACK
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, previous + Int(sig))
        }
    }
}

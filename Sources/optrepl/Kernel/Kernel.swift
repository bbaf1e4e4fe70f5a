// `optrepl kernel CONNECTION_FILE`: a Jupyter kernel (messaging protocol 5.3, spec §15.5).
// It is one more front end of the one pipeline: a cell runs through `Session.execute` as a
// REPL entry does, its Outcome is mapped to Jupyter messages in one switch, completion is
// the REPL's Completer, inspection the `:help` text, and interruption the REPL's Ctrl-C
// (SIGINT sets the flag the evaluator polls; Jupyter's default interrupt_mode "signal").
//
// Threads: the shell loop runs cells on the large-stack thread; the heartbeat echoes on a
// thread of its own (zmq_proxy), and the control socket is served on another so that
// shutdown and interrupt_request work while a cell runs. Only the shell thread touches the
// interpreter. iopub is shared, behind a lock.

#if canImport(Glibc)
import Glibc
#endif
import CZMQ
import Synchronization
import Lexer
import Parser
import Runtime

final class Kernel: @unchecked Sendable {
    struct Connection {
        var transport = "tcp"
        var ip = "127.0.0.1"
        var key = ""
        var ports: [String: Int] = [:]

        static func read(_ path: String) -> Result<Connection, KernelFailure> {
            guard case .success(let text) = SourceInput.readFile(path) else {
                return .failure(KernelFailure("cannot open the connection file '\(path)'"))
            }
            guard let json = JSON.parse(text) else { return .failure(KernelFailure("the connection file '\(path)' is not JSON")) }
            var c = Connection()
            c.transport = json["transport"]?.string ?? "tcp"
            c.ip = json["ip"]?.string ?? "127.0.0.1"
            c.key = json["key"]?.string ?? ""
            if let scheme = json["signature_scheme"]?.string, !scheme.isEmpty, scheme != "hmac-sha256" {
                return .failure(KernelFailure("signature scheme '\(scheme)' is not supported (hmac-sha256 is)"))
            }
            for name in ["shell", "iopub", "stdin", "control", "hb"] {
                guard let port = json[name + "_port"]?.int else {
                    return .failure(KernelFailure("the connection file has no \(name)_port"))
                }
                c.ports[name] = port
            }
            return .success(c)
        }

        func address(_ channel: String) -> String {
            transport == "ipc" ? "ipc://\(ip)-\(ports[channel]!)" : "tcp://\(ip):\(ports[channel]!)"
        }
    }

    struct KernelFailure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    let signer: Signer
    let sessionID = KernelClock.uuid()
    let shell: ZSocket, control: ZSocket, iopub: ZSocket, stdin: ZSocket, heartbeat: ZSocket
    /// On the heap: a mutex must not move, which a stored property's inout address may.
    private let iopubLock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    /// The interpreter's session; program output is collected into `pending` and sent as stream
    /// messages (at most every 50 ms while a cell runs, and before anything else is shown).
    private(set) var session: Session!
    private var pending = ""
    private var lastFlush = 0.0
    /// The request whose outputs are being sent (the parent of every iopub message).
    private var parent: KernelMessage?
    private var executionCount = 0
    /// The cells run with store_history, for history_request (a console's Up arrow).
    private var history: [(Int, String)] = []
    /// Whether a shell request is being handled: the control thread then leaves the kernel's
    /// status alone (a busy/idle pair for an interrupt_request would show a running cell idle).
    private let shellBusy = Atomic<Bool>(false)

    static let banner = "optrepl 0.1.0 — a language for exploring the optimizers of deep learning (:help for help)"

    /// Starts a kernel from a connection file; never returns unless it cannot start.
    static func main(_ arguments: [String], options: RunOptions) -> ExitStatus {
        guard arguments.count == 1, let path = arguments.first else {
            Streams.stderr.write("usage: optrepl kernel CONNECTION_FILE | optrepl kernel install [--user] [--prefix P]\n")
            return .usage
        }
        let connection: Connection
        switch Connection.read(path) {
        case .success(let c): connection = c
        case .failure(let f):
            Streams.stderr.write("optrepl kernel: \(f.message)\n")
            return .noInput
        }
        if let why = ZMQ.load() ?? LibCrypto.load() {
            Streams.stderr.write("optrepl kernel: \(why)\n")
            return .runtimeError
        }
        switch Kernel.start(connection) {
        case .success(let kernel):
            kernel.serve(options)
        case .failure(let f):
            Streams.stderr.write("optrepl kernel: \(f.message)\n")
            return .runtimeError
        }
    }

    private init(context: UnsafeMutableRawPointer, connection: Connection) throws(KernelFailure) {
        signer = Signer(key: connection.key)
        func socket(_ type: Int32, _ channel: String) throws(KernelFailure) -> ZSocket {
            guard let s = ZSocket(context: context, type: type) else { throw KernelFailure("cannot make a socket: \(ZMQ.lastError)") }
            if let why = s.bind(connection.address(channel)) { throw KernelFailure(why) }
            return s
        }
        shell = try socket(ZMQ_ROUTER, "shell")
        control = try socket(ZMQ_ROUTER, "control")
        iopub = try socket(ZMQ_PUB, "iopub")
        stdin = try socket(ZMQ_ROUTER, "stdin")
        heartbeat = try socket(ZMQ_ROUTER, "hb")
        pthread_mutex_init(iopubLock, nil)
    }

    static func start(_ connection: Connection) -> Result<Kernel, KernelFailure> {
        guard let context = ZMQ.f.ctxNew() else { return .failure(KernelFailure("cannot make a ZeroMQ context: \(ZMQ.lastError)")) }
        do {
            return .success(try Kernel(context: context, connection: connection))
        } catch {
            return .failure(error)
        }
    }

    // MARK: the loops

    private func serve(_ options: RunOptions) -> Never {
        // The heartbeat echoes every ping back to its sender, for as long as the process lives.
        spawn { k in while true { _ = ZMQ.f.proxy(k.heartbeat.raw, k.heartbeat.raw, nil) } }
        spawn { k in k.serveControl() }
        session = Session(options: options, output: { [unowned self] in self.write($0) })
        session.show = { [unowned self] in self.showResult($0) }
        session.errorSink = { [unowned self] in self.writeError($0) }
        session.interpreter.host.figureSink = { [unowned self] svg, png, text in self.showFigure(svg: svg, png: png, text: text) }
        session.interpreter.channel.showsHints = true
        // Long built-ins (the drivers) report progress: the output printed before them goes
        // out, and a run past a second shows a bar that updates in place.
        session.interpreter.channel.progress = { [unowned self] what, done, total in self.progress(what, done, total) }
        publish("status", content: .object([("execution_state", .string("starting"))]), parent: nil)
        while true {
            guard let frames = shell.receive() else { continue }
            guard let request = signer.decode(frames) else { continue }
            handleShell(request)
        }
    }

    /// Runs `body` with this kernel on a new thread.
    private func spawn(_ body: @escaping @Sendable (Kernel) -> Void) {
        final class Box { let kernel: Kernel; let body: @Sendable (Kernel) -> Void; init(_ k: Kernel, _ b: @escaping @Sendable (Kernel) -> Void) { kernel = k; body = b } }
        let box = Unmanaged.passRetained(Box(self, body)).toOpaque()
        var thread = pthread_t()
        pthread_create(&thread, nil, { arg in
            // SIGINT (Jupyter's interrupt) is for the thread that runs cells; blocked here, it
            // never interrupts this thread's wait on its socket.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            pthread_sigmask(SIG_BLOCK, &set, nil)
            let box = Unmanaged<AnyObject>.fromOpaque(arg!).takeRetainedValue() as! Box
            box.body(box.kernel)
            return nil
        }, box)
        pthread_detach(thread)
    }

    /// The control channel: answered while a cell runs (it never touches the interpreter).
    private func serveControl() {
        while true {
            guard let frames = control.receive(), let request = signer.decode(frames) else { continue }
            let showStatus = !shellBusy.load(ordering: .acquiring)
            if showStatus { publish("status", content: .object([("execution_state", .string("busy"))]), parent: request) }
            switch request.type {
            case "kernel_info_request":
                reply(request, on: control, "kernel_info_reply", Kernel.kernelInfo)
            case "interrupt_request":
                interruptRequest.store(1, ordering: .relaxed)
                reply(request, on: control, "interrupt_reply", .object([("status", .string("ok"))]))
            case "shutdown_request":
                shutdown(request, on: control)
            default:
                break
            }
            if showStatus { publish("status", content: .object([("execution_state", .string("idle"))]), parent: request) }
        }
    }

    private func handleShell(_ request: KernelMessage) {
        shellBusy.store(true, ordering: .releasing)
        publish("status", content: .object([("execution_state", .string("busy"))]), parent: request)
        defer {
            publish("status", content: .object([("execution_state", .string("idle"))]), parent: request)
            shellBusy.store(false, ordering: .releasing)
        }
        let content = request.content
        switch request.type {
        case "kernel_info_request":
            reply(request, "kernel_info_reply", Kernel.kernelInfo)
        case "execute_request":
            execute(request)
        case "is_complete_request":
            reply(request, "is_complete_reply", isComplete(content["code"]?.string ?? ""))
        case "complete_request":
            reply(request, "complete_reply", complete(content["code"]?.string ?? "", cursor: content["cursor_pos"]?.int))
        case "inspect_request":
            reply(request, "inspect_reply", inspect(content["code"]?.string ?? "", cursor: content["cursor_pos"]?.int))
        case "history_request":
            reply(request, "history_reply", historyReply(content))
        case "comm_info_request":
            reply(request, "comm_info_reply", .object([("status", .string("ok")), ("comms", .object([]))]))
        case "shutdown_request":
            shutdown(request, on: shell)
        default:
            break
        }
    }

    static let kernelInfo: JSON = .object([
        ("status", .string("ok")),
        ("protocol_version", .string(KernelMessage.protocolVersion)),
        ("implementation", .string("optrepl")),
        ("implementation_version", .string("0.1.0")),
        ("language_info", .object([
            ("name", .string("optrepl")),
            ("version", .string("0.1.0")),
            ("mimetype", .string("text/x-optrepl")),
            ("file_extension", .string(".opt")),
            ("pygments_lexer", .string("optrepl")),
            // JupyterLab and Notebook 7 highlight only the languages they ship, and Python's
            // mode gets optrepl's comments, strings, numbers and most keywords right; the
            // classic notebook gets the exact mode from the kernelspec's kernel.js.
            ("codemirror_mode", .string("python")),
        ])),
        ("banner", .string(banner)),
        ("help_links", .array([])),
    ])

    /// Replies, and ends the process (a restart is a new process, started by the client).
    private func shutdown(_ request: KernelMessage, on socket: ZSocket) -> Never {
        let restart = request.content["restart"]?.bool ?? false
        reply(request, on: socket, "shutdown_reply", .object([("status", .string("ok")), ("restart", .bool(restart))]))
        publish("status", content: .object([("execution_state", .string("idle"))]), parent: request)
        // The sends are queued for ZeroMQ's I/O thread; give it time to write them out.
        usleep(100_000)
        exitProcess(0)
    }

    // MARK: sending

    private func message(_ type: String, _ content: JSON, parent: KernelMessage?) -> KernelMessage {
        KernelMessage(
            header: .object([
                ("msg_id", .string(KernelClock.uuid())),
                ("session", .string(sessionID)),
                ("username", .string("optrepl")),
                ("date", .string(KernelClock.now())),
                ("msg_type", .string(type)),
                ("version", .string(KernelMessage.protocolVersion)),
            ]),
            parentHeader: parent?.header ?? .object([]),
            content: content)
    }

    func reply(_ request: KernelMessage, on socket: ZSocket? = nil, _ type: String, _ content: JSON) {
        var m = message(type, content, parent: request)
        m.identities = request.identities
        (socket ?? shell).send(signer.encode(m))
    }

    func publish(_ type: String, content: JSON, parent: KernelMessage?) {
        var m = message(type, content, parent: parent)
        m.identities = [Array("kernel.\(sessionID).\(type)".utf8)]
        let frames = signer.encode(m)
        pthread_mutex_lock(iopubLock)
        iopub.send(frames)
        pthread_mutex_unlock(iopubLock)
    }

    /// Program output: kept until 50 ms have passed since the last stream message, or
    /// something else is shown.
    private func write(_ text: String) {
        if session?.interpreter.channel.trace == true, let html = RichOutput.traceTable(text) {
            // A `:trace` row of an opt.step: a table.
            flushOutput()
            publish("display_data", content: .object([
                ("data", .object([("text/plain", .string(text)), ("text/html", .string(html))])),
                ("metadata", .object([])), ("transient", .object([])),
            ]), parent: parent)
            return
        }
        pending += text
        let now = MetaCommands.now()
        if now - lastFlush > 0.05 || pending.utf8.count > 1 << 16 { flushOutput() }
    }

    /// What `:load` and `:time` report: a stderr stream, after the output before it.
    private func writeError(_ text: String) {
        flushOutput()
        publish("stream", content: .object([("name", .string("stderr")), ("text", .string(text))]), parent: parent)
    }

    func flushOutput() {
        lastFlush = MetaCommands.now()
        guard !pending.isEmpty else { return }
        publish("stream", content: .object([("name", .string("stdout")), ("text", .string(pending))]), parent: parent)
        pending = ""
    }

    private var progressStart = 0.0, progressDrawn = 0.0
    private var progressID: String?

    /// The REPL's progress bar as a display that updates in place (display_id), shown once a
    /// run has taken a second, redrawn at most ten times a second, and emptied when the run
    /// ends (finished or interrupted: the drivers report both as done), as the REPL erases it.
    private func progress(_ what: String, _ done: Int, _ total: Int) {
        let t = MetaCommands.now()
        if t - lastFlush > 0.05 { flushOutput() }
        if done == 0 {
            progressStart = t
            progressDrawn = t
            progressID = nil
            return
        }
        let finished = done >= total
        guard t - progressStart >= 1, finished ? progressID != nil : t - progressDrawn >= 0.1 else { return }
        progressDrawn = t
        let fraction = Double(done) / Double(Swift.max(total, 1))
        let filled = Int(fraction * 30)
        let text = finished ? "" : "\(what) " + String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
            + " \(Int(fraction * 100))% \(done)/\(total) ~\(Int(((t - progressStart) / fraction * (1 - fraction)).rounded(.up)))s left"
        let first = progressID == nil
        if first { progressID = KernelClock.uuid() }
        publish(first ? "display_data" : "update_display_data", content: .object([
            ("data", .object([("text/plain", .string(text))])),
            ("metadata", .object([])),
            ("transient", .object([("display_id", .string(progressID!))])),
        ]), parent: parent)
    }

    private func showFigure(svg: String, png: [UInt8]?, text: String) {
        flushOutput()
        var data: [(String, JSON)] = [("image/svg+xml", .string(svg))]
        if let png { data.append(("image/png", .string(KernelInstall.base64Encoded(png)))) }
        data.append(("text/plain", .string(text)))
        publish("display_data", content: .object([
            ("data", .object(data)),
            ("metadata", .object([])),
            ("transient", .object([])),
        ]), parent: parent)
    }

    private var silent = false

    private func showResult(_ v: Value) {
        flushOutput()
        guard !silent else { return }
        publish("execute_result", content: .object([
            ("execution_count", .number(Double(executionCount))),
            ("data", .object(RichOutput.data(v, session.interpreter))),
            ("metadata", .object([])),
        ]), parent: parent)
    }
}

// MARK: execute, is_complete, complete, inspect

extension Kernel {
    /// A cell's pieces, in order: code (with the line it starts on) and meta command lines.
    enum Piece {
        case code(String, line: Int)
        case meta(String)
    }

    /// A line starting with `:` or `?` outside an open construct is a meta command, as at the
    /// REPL's prompt; the code between them runs as one entry each.
    static func pieces(_ cell: String) -> [Piece] {
        var pieces: [Piece] = []
        var code: [Substring] = []
        var start = 0
        let lines = cell.split(separator: "\n", omittingEmptySubsequences: false)
        func flush(_ next: Int) {
            if code.contains(where: { !$0.allSatisfy { $0 == " " || $0 == "\t" } }) {
                pieces.append(.code(code.joined(separator: "\n"), line: start))
            }
            code = []
            start = next
        }
        for (k, line) in lines.enumerated() {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix(":") || trimmed.hasPrefix("?"), openEnded(code) == false {
                flush(k + 1)
                pieces.append(.meta(String(trimmed)))
            } else {
                code.append(line)
            }
        }
        flush(lines.count)
        return pieces
    }

    /// Whether the code so far is inside an open construct (a `:` line there is not a command).
    private static func openEnded(_ code: [Substring]) -> Bool {
        guard !code.isEmpty else { return false }
        if case .incomplete = Parser.parse(SourceFile(name: "<cell>", text: code.joined(separator: "\n"))) { return true }
        return false
    }

    func execute(_ request: KernelMessage) {
        let code = request.content["code"]?.string ?? ""
        silent = request.content["silent"]?.bool ?? false
        let storeHistory = !silent && (request.content["store_history"]?.bool ?? true)
        // An interrupt that came while the kernel was idle is not meant for this cell.
        interruptRequest.store(0, ordering: .relaxed)
        if storeHistory {
            executionCount += 1
            history.append((executionCount, code))
        }
        parent = request
        defer { parent = nil }
        if !silent {
            publish("execute_input", content: .object([("code", .string(code)), ("execution_count", .number(Double(executionCount)))]), parent: request)
        }
        lastFlush = MetaCommands.now()
        var failure: (ename: String, evalue: String, traceback: [String])?
        var exitCode: Int32?
        // Later pieces of a cell do not run after an error, as the rest of a script would not.
        pieceLoop: for piece in Kernel.pieces(code) {
            switch piece {
            case .meta(let line):
                switch MetaCommands(session: session).run(line) {
                // Wrapped as the REPL wraps it (the terminal's width; 80 or $COLUMNS here).
                case .output(let text): write(TextWrap.wrap(text, width: Swift.max(20, Terminal.width())))
                case .end(let status): exitCode = status.code; break pieceLoop
                }
            case .code(let text, let line):
                // Blank lines in front keep the cell's line numbers in diagnostics.
                let file = SourceFile(name: "In[\(executionCount)]", text: String(repeating: "\n", count: line) + text)
                let outcome: Outcome
                switch Parser.parse(file) {
                case .complete(var program):
                    // A cell shows the value of its last statement, as IPython does (the
                    // REPL shows each entry's): the others run as if ended by `;`.
                    program.silent.formUnion(0..<Swift.max(0, program.statements.count - 1))
                    outcome = session.execute(program, mode: .entry)
                case .incomplete(let d): outcome = .incomplete(d)
                case .failed(let ds): outcome = .syntax(ds)
                }
                if case .completed = outcome {
                    // What `:save FILE` writes: the code that ran to completion, as at the REPL.
                    session.acceptedEntries.append(text)
                    continue
                }
                if case .exit(let code) = outcome { exitCode = code; break pieceLoop }
                failure = describe(outcome)
                break pieceLoop
            }
        }
        flushOutput()
        let count = JSON.number(Double(executionCount))
        if let failure {
            let error: [(String, JSON)] = [
                ("ename", .string(failure.ename)), ("evalue", .string(failure.evalue)),
                ("traceback", .array(failure.traceback.map(JSON.string))),
            ]
            publish("error", content: .object(error), parent: request)
            reply(request, "execute_reply", .object([("status", .string("error")), ("execution_count", count)] + error))
            return
        }
        var payload: [JSON] = []
        if exitCode != nil { payload.append(.object([("source", .string("ask_exit")), ("keepkernel", .bool(false))])) }
        reply(request, "execute_reply", .object([
            ("status", .string("ok")), ("execution_count", count),
            ("user_expressions", userExpressions(request.content["user_expressions"])), ("payload", .array(payload)),
        ]))
        if let exitCode {
            publish("status", content: .object([("execution_state", .string("idle"))]), parent: request)
            usleep(100_000)
            exitProcess(exitCode)
        }
    }

    /// execute_request's user_expressions, each evaluated after the cell as an entry whose
    /// value is caught rather than shown; `ans` and the count stay as the cell left them.
    private func userExpressions(_ expressions: JSON?) -> JSON {
        guard case .object(let pairs)? = expressions, !pairs.isEmpty else { return .object([]) }
        let I = session.interpreter
        var results: [(String, JSON)] = []
        for (name, expression) in pairs {
            let (outcome, caught) = session.catchingValue(of: expression.string ?? "", name: "<\(name)>")
            if case .completed = outcome {
                let data = caught.map { RichOutput.data($0, I) } ?? [("text/plain", .string("nil"))]
                results.append((name, .object([("status", .string("ok")), ("data", .object(data)), ("metadata", .object([]))])))
            } else {
                let e = describe(outcome)
                results.append((name, .object([("status", .string("error")), ("ename", .string(e.ename)), ("evalue", .string(e.evalue)),
                                               ("traceback", .array(e.traceback.map(JSON.string)))])))
            }
        }
        return .object(results)
    }

    /// An Outcome that is not a success, as a Jupyter error: the diagnostic's text is the
    /// traceback, its message the value.
    private func describe(_ outcome: Outcome) -> (ename: String, evalue: String, traceback: [String]) {
        func lines(_ ds: [Diagnostic]) -> [String] {
            var text = ds.map { session.renderer.render($0) }.joined()
            if text.hasSuffix("\n") { text.removeLast() }
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        switch outcome {
        case .syntax(let ds):
            return ("SyntaxError", ds.first?.message ?? "", lines(ds))
        case .incomplete(let d):
            return ("SyntaxError", d.message, lines([d]))
        case .runtime(let d):
            return ("RuntimeError", d.message, lines([d]))
        case .timeout(let d):
            return ("TimeoutError", d.message, lines([d]))
        case .interrupted(let partial):
            if let partial {
                session.interpreter.defineGlobal("ans", partial)
                return ("Interrupted", "interrupted (the run so far is in ans)", ["interrupted (the run so far is in ans)"])
            }
            return ("Interrupted", "interrupted", ["interrupted"])
        case .completed, .exit:
            return ("", "", [])
        }
    }

    /// The session's cells as [session, line, input] (the session is 0: this kernel keeps no
    /// history across restarts): the last n for "tail", start..<stop for "range", and those
    /// matching a glob's text (`*` anywhere) for "search".
    func historyReply(_ content: JSON) -> JSON {
        var entries = history
        switch content["hist_access_type"]?.string ?? "tail" {
        case "range":
            let start = content["start"]?.int ?? 0, stop = content["stop"]?.int ?? Int.max
            entries = entries.filter { $0.0 >= start && $0.0 < stop }
        case "search":
            let parts = (content["pattern"]?.string ?? "*").split(separator: "*").map(String.init)
            entries = entries.filter { entry in parts.allSatisfy { entry.1.contains($0) } }
            if let n = content["n"]?.int, n >= 0 { entries = Array(entries.suffix(n)) }
        default:
            if let n = content["n"]?.int, n >= 0 { entries = Array(entries.suffix(n)) }
        }
        return .object([
            ("status", .string("ok")),
            ("history", .array(entries.map { .array([.number(0), .number(Double($0.0)), .string($0.1)]) })),
        ])
    }

    /// complete / incomplete / invalid, as the REPL decides whether to read another line.
    func isComplete(_ code: String) -> JSON {
        var status = "complete"
        for piece in Kernel.pieces(code) {
            guard case .code(let text, _) = piece else { continue }
            switch Parser.parse(SourceFile(name: "<cell>", text: text)) {
            case .complete: continue
            case .incomplete: status = "incomplete"
            case .failed: status = "invalid"
            }
        }
        var reply: [(String, JSON)] = [("status", .string(status))]
        if status == "incomplete" { reply.append(("indent", .string(""))) }
        return .object(reply)
    }

    /// The REPL's completer on the line up to the cursor (positions count Unicode scalars).
    func complete(_ code: String, cursor: Int?) -> JSON {
        let scalars = Array(code.unicodeScalars)
        let cursor = Swift.min(Swift.max(cursor ?? scalars.count, 0), scalars.count)
        var lineStart = cursor
        while lineStart > 0, scalars[lineStart - 1] != "\n" { lineStart -= 1 }
        let before = Array(scalars[lineStart..<cursor])
        let c = Completer(interpreter: session.interpreter).complete(before)
        // Where the word being completed starts: a `\name`, a command's last word, or a name.
        var start = before.count
        if c.delete > 0 {
            start -= c.delete
        } else if let slash = before.lastIndex(of: "\\"), c.candidates.first?.hasPrefix("\\") == true {
            start = slash
        } else if before.first == ":" || before.first == "?" {
            while start > 1, before[start - 1] != " " { start -= 1 }
            if start == 1, before.first == "?" { start = 1 }
        } else {
            while start > 0, Completer.isNameScalar(before[start - 1]) { start -= 1 }
        }
        let word = String(String.UnicodeScalarView(before[start...]))
        let matches: [String]
        if !c.candidates.isEmpty {
            matches = c.candidates
        } else if c.delete > 0 {
            matches = [c.insert]
        } else if !c.insert.isEmpty {
            matches = [word + c.insert]
        } else {
            matches = []
        }
        return .object([
            ("status", .string("ok")),
            ("matches", .array(matches.map(JSON.string))),
            ("cursor_start", .number(Double(lineStart + start))),
            ("cursor_end", .number(Double(cursor))),
            ("metadata", .object([])),
        ])
    }

    /// The `:help` text of the name (or `a.member`) under the cursor.
    func inspect(_ code: String, cursor: Int?) -> JSON {
        let scalars = Array(code.unicodeScalars)
        let cursor = Swift.min(Swift.max(cursor ?? scalars.count, 0), scalars.count)
        func part(_ c: Unicode.Scalar) -> Bool { Completer.isNameScalar(c) || c == "." }
        var lo = cursor, hi = cursor
        while lo > 0, part(scalars[lo - 1]) { lo -= 1 }
        while hi < scalars.count, Completer.isNameScalar(scalars[hi]) { hi += 1 }
        if lo == hi {
            // Right after `adam(` or `opt.step(x, `: the function being called.
            var k = lo
            var depth = 0
            while k > 0 {
                k -= 1
                let c = scalars[k]
                if c == ")" || c == "]" { depth += 1 } else if c == "[" { depth -= 1 } else if c == "(" {
                    if depth == 0 { break }
                    depth -= 1
                } else if c == "\n" { k = 0; break }
            }
            if k > 0, scalars[k] == "(" {
                hi = k
                lo = k
                while lo > 0, part(scalars[lo - 1]) { lo -= 1 }
            }
        }
        var name = String(String.UnicodeScalarView(scalars[lo..<hi]))
        while name.hasPrefix(".") { name.removeFirst() }
        while name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else {
            return .object([("status", .string("ok")), ("found", .bool(false)), ("data", .object([])), ("metadata", .object([]))])
        }
        let text = TextWrap.wrap(MetaCommands(session: session).help(name), width: Swift.max(20, Terminal.width()))
        let found = !(text.hasPrefix("no built-in named") || text.hasPrefix("no member") || text.hasPrefix("no command"))
        return .object([
            ("status", .string("ok")), ("found", .bool(found)),
            ("data", found ? .object([("text/plain", .string(text))]) : .object([])),
            ("metadata", .object([])),
        ])
    }
}

// Decides what an invocation runs (a file, -e code, stdin or the REPL) and runs it.

import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lexer
import Runtime

struct Launcher {
    let options: RunOptions

    func launch(code: String?, arguments: [String], interactive: Bool = false) -> ExitStatus {
        let session = Session(options: options)
        if let seconds = options.maxSeconds { Watchdog.start(seconds: seconds) }
        if interactive { return launchInteractive(session, code: code, arguments: arguments) }
        if let code {
            session.interpreter.argv = arguments
            return session.runScript(SourceFile(name: "<-e>", text: code))
        }
        guard let path = arguments.first else {
            if Terminal.isTTY(0) { return REPL(session: session).run() }
            return session.runScript(SourceFile(name: "<stdin>", text: SourceInput.readStdin()))
        }
        session.interpreter.argv = Array(arguments.dropFirst())
        if path == "-" {
            return session.runScript(SourceFile(name: "<stdin>", text: SourceInput.readStdin()))
        }
        switch SourceInput.readFile(path) {
        case .success(let text):
            return session.runScript(SourceFile(name: path, text: text))
        case .failure(.cannotOpen(let why)):
            Streams.stderr.write("optrepl: cannot open '\(path)': \(why)\n")
            return .noInput
        }
    }
}

extension Launcher {
    /// `-i`: the file (or `-e` code) runs as a script, errors reported as a script reports
    /// them, and then the REPL starts in the same session with its variables, as `python -i`
    /// does. `exit(n)` in the file ends there with n.
    func launchInteractive(_ session: Session, code: String?, arguments: [String]) -> ExitStatus {
        let source: SourceFile
        if let code {
            session.interpreter.argv = arguments
            source = SourceFile(name: "<-e>", text: code)
        } else if let path = arguments.first {
            session.interpreter.argv = Array(arguments.dropFirst())
            switch SourceInput.readFile(path) {
            case .success(let text): source = SourceFile(name: path, text: text)
            case .failure(.cannotOpen(let why)):
                Streams.stderr.write("optrepl: cannot open '\(path)': \(why)\n")
                return .noInput
            }
        } else {
            return REPL(session: session).run()
        }
        let outcome = session.execute(source, mode: .script)
        // The script's own exit() ends it; anything else (success, an error) goes on to the REPL.
        if case .exit(let code) = outcome { return ExitStatus(code: code) }
        _ = session.scriptStatus(outcome)
        interruptRequest.store(0, ordering: .relaxed)
        return REPL(session: session).run()
    }
}

/// SIGINT only raises a flag; the evaluator notices it at the next loop back-edge or call.
enum Signals {
    static func install() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT) { _ in interruptRequest.store(1, ordering: .relaxed) }
        // A parent may have started us with SIGINT blocked; Ctrl-C must still reach us.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}

/// `--max-seconds` (and each exercise's time limit): a thread that raises the time-limit flag
/// when the time is up, unless `cancel` came first.
/// Bumped by `Watchdog.cancel`: a timer thread whose generation is stale does nothing.
let generationAtomic = Atomic<Int>(0)

enum Watchdog {

    static func start(seconds: Double) {
        let micros = UInt64(Swift.min(seconds * 1e6, 1e15))
        let box = UnsafeMutablePointer<(UInt64, Int)>.allocate(capacity: 1)
        box.pointee = (micros, current)
        var thread = pthread_t()
        pthread_create(&thread, nil, { arg in
            let p = arg!.assumingMemoryBound(to: (UInt64, Int).self)
            var remaining = p.pointee.0
            let mine = p.pointee.1
            p.deallocate()
            while remaining > 0 {
                let step = UInt32(Swift.min(remaining, 100_000))
                usleep(step)
                remaining -= UInt64(step)
                if Watchdog.current != mine { return nil }
            }
            interruptRequest.store(2, ordering: .relaxed)
            return nil
        }, box)
        pthread_detach(thread)
    }

    static var current: Int { generationAtomic.load(ordering: .relaxed) }

    static func cancel() {
        generationAtomic.add(1, ordering: .relaxed)
        interruptRequest.store(0, ordering: .relaxed)
    }
}

// The interpreter recurses on the native stack, so the whole command line runs on a
// thread with a 1 GiB stack: 10,000 nested calls must work in a debug build too.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func exitProcess(_ code: Int32) -> Never {
    Streams.stdout.flush()
    Streams.stderr.flush()
    exit(code)
}

/// The command line: a plain one (Optrepl.plainRun) straight away, any other through the parser.
private func commandLine() -> Never {
    if let status = Optrepl.plainRun(Array(CommandLine.arguments.dropFirst())) { exitProcess(status.code) }
    Optrepl.main()
    exitProcess(0)
}

enum LargeStack {
    static let size = 1 << 30

    /// Runs the command line on the large thread and never returns.
    static func run() -> Never {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, size)
        var thread = pthread_t()
        let created = pthread_create(&thread, &attributes, { _ in
            commandLine()
        }, nil)
        if created != 0 { commandLine() }
        pthread_join(thread, nil)
        exitProcess(0)
    }
}

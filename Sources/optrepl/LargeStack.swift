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

enum LargeStack {
    static let size = 1 << 30

    /// Runs the command line on the large thread and never returns.
    static func run() -> Never {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, size)
        var thread = pthread_t()
        let created = pthread_create(&thread, &attributes, { _ in
            Optrepl.main()
            exitProcess(0)
        }, nil)
        if created != 0 {
            Optrepl.main()
            exitProcess(0)
        }
        pthread_join(thread, nil)
        exitProcess(0)
    }
}

// libFuzzer's entry point: one input is one program, lexed, parsed and (when it parses) run by
// a fresh interpreter with small limits: --sandbox, 2^16 elements, one second. Errors of the
// program are its business; only a trap, a sanitizer report or a hang is the fuzzer's.
//
// The interpreter recurses on the native stack (10,000 calls deep in a debug build), so each
// input runs on a thread with a 1 GiB stack, as the command line does. A watchdog thread
// raises the time-limit flag when an input has run for a second, as --max-seconds does.

import Lexer
import Parser
import Runtime
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Microseconds since some start of the current input's run, 0 when none runs.
let runningSince = Atomic<Int>(0)
let limitMicros = 1_000_000

func nowMicros() -> Int {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return t.tv_sec * 1_000_000 + t.tv_nsec / 1000
}

func startWatchdog() {
    var thread = pthread_t()
    pthread_create(&thread, nil, { _ in
        while true {
            usleep(50_000)
            let since = runningSince.load(ordering: .relaxed)
            if since != 0 && nowMicros() - since > limitMicros { interruptRequest.store(2, ordering: .relaxed) }
        }
    }, nil)
    pthread_detach(thread)
}

/// Runs one program to its end or its first error.
func runProgram(_ text: String) {
    let file = SourceFile(name: "fuzz.opt", text: text)
    guard case .complete(let program) = Parser.parse(file) else { return }
    let interpreter = Interpreter(output: { _ in })
    interpreter.host.sandbox = true
    interpreter.maxElements = 1 << 16
    interruptRequest.store(0, ordering: .relaxed)
    runningSince.store(nowMicros(), ordering: .relaxed)
    defer {
        runningSince.store(0, ordering: .relaxed)
        interruptRequest.store(0, ordering: .relaxed)
    }
    do { try interpreter.run(program) } catch {}
}

final class Input {
    let text: String
    init(_ text: String) { self.text = text }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    signal(SIGPIPE, SIG_IGN)
    startWatchdog()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Invalid UTF-8 is the lexer's to report; the bytes go in as they are.
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let box = Unmanaged.passRetained(Input(text)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setstacksize(&attributes, 1 << 30)
    var thread = pthread_t()
    let created = pthread_create(&thread, &attributes, { arg in
        let input = Unmanaged<Input>.fromOpaque(arg!).takeRetainedValue()
        runProgram(input.text)
        return nil
    }, box)
    pthread_attr_destroy(&attributes)
    if created != 0 {
        let input = Unmanaged<Input>.fromOpaque(box).takeRetainedValue()
        runProgram(input.text)
    } else {
        pthread_join(thread, nil)
    }
    return 0
}

// SwiftPM links an executable with `main` defined as `<module>_main`; with -parse-as-library
// and libFuzzer providing the driver, that symbol hands over to libFuzzer's own driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("optrepl_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return runDriver(&count, &vector, fuzzTestOneInput)
}

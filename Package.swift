// swift-tools-version:6.0
// optrepl: a small language and REPL for exploring deep-learning optimizers.
import PackageDescription

let package = Package(
    name: "optrepl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "optrepl", targets: ["optrepl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // Phases, each a module with one entry point; none of them imports Foundation.
        .target(name: "Lexer"),
        .target(name: "Parser", dependencies: ["Lexer"]),
        // Optimizer kernels in C, cloned for AVX-512 / AVX2 / baseline and picked at load time;
        // floating-point contraction off, so every result is the same bit for bit.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off", "-fno-math-errno"])]),
        .target(name: "Runtime", dependencies: [
            "Lexer", "Parser", "CKernels",
            .product(name: "RealModule", package: "swift-numerics"),
        ], swiftSettings: [
            // The evaluator runs on one thread and never shares its objects, so reference
            // counting need not be atomic; this halves the cost of ARC in the evaluator.
            .unsafeFlags(["-assume-single-threaded"]),
        ]),
        // libedit (Debian's libedit-dev) behind a few C functions: its set-up calls are variadic.
        .target(name: "CEditLine", linkerSettings: [.linkedLibrary("edit")]),
        // libzmq's header (Debian's libzmq3-dev) for the Jupyter kernel. No pkgConfig and no link
        // line on purpose: the library is loaded with dlopen by `optrepl kernel` only, since
        // linking it costs every start about 2 ms (Sources/optrepl/Kernel/ZMQ.swift).
        .systemLibrary(name: "CZMQ", path: "Sources/CZMQ", providers: [.apt(["libzmq3-dev"])]),
        // The executable: CLI, script runner, diagnostic renderer, REPL, Jupyter kernel.
        .executableTarget(name: "optrepl", dependencies: [
            "Lexer", "Parser", "Runtime", "CEditLine", "CKernels", "CZMQ",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Helpers the test targets share (a JSON reader that keeps numbers exact, paths).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LexerTests", dependencies: ["Lexer"]),
        .testTarget(name: "ParserTests", dependencies: ["Lexer", "Parser"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Lexer", "Parser", "Runtime", "CKernels", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], exclude: ["help.txt", "long_session.opt"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.0
// A libFuzzer target over optrepl's lexer, parser and evaluator, in one process (`make fuzz`).
// Its own package, so the main manifest, `swift build` and `swift test` are untouched: the
// modules' sources are reached through the symlinks in Sources/ and built here again with
// the same settings as in ../Package.swift, plus -sanitize=fuzzer,address from the command line:
//
//     swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// A Swift trap (an Int conversion out of range, an index out of bounds, an allocation that
// fails) kills the fuzzer, which writes the program that caused it to artifacts/.
import PackageDescription

let package = Package(
    name: "optrepl-fuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .target(name: "Lexer"),
        .target(name: "Parser", dependencies: ["Lexer"]),
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off", "-fno-math-errno"])]),
        .target(name: "Runtime", dependencies: [
            "Lexer", "Parser", "CKernels",
            .product(name: "RealModule", package: "swift-numerics"),
        ], swiftSettings: [.unsafeFlags(["-assume-single-threaded"])]),
        .executableTarget(name: "optrepl-fuzz", dependencies: ["Lexer", "Parser", "Runtime"], path: "Sources/OptreplFuzz"),
    ],
    swiftLanguageModes: [.v6]
)

// Files (spec §9.9, §13, §14.6): load_csv save_csv load_npy save_npy. Under --sandbox each
// raises an error naming the option. Loads stream (FileIO.Reader), so the element limit, Ctrl-C
// and --max-seconds hold for endless sources; saves replace the file atomically (FileIO.write).

extension Builtins {
    static let files: [Builtin] = [
        Builtin("load_csv", [.required("path")], doc: "Reads a comma-separated file of numbers as a 2-D tensor.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let reader = try fileReader(&args, I)
            return .tensor(try CSV.decode(reader, limit: I.maxElements))
        },
        Builtin("save_csv", [.required("path"), .required("t")], doc: "Writes a 1-D or 2-D tensor as comma-separated numbers.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let path = try filePath(&args, I)
            try FileIO.write(path, try CSV.encode(try args.tensor(1)))
            return .null
        },
        Builtin("load_npy", [.required("path")], doc: "Reads a NumPy .npy file (any numeric dtype) as float64.") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let reader = try fileReader(&args, I)
            let t = try NPY.decode(reader, limit: I.maxElements)
            return t.rank == 0 ? .number(t.data[0]) : .tensor(t)
        },
        Builtin("save_npy", [.required("path"), .required("t")], doc: "Writes a tensor as a NumPy .npy file (version 1.0, <f8, C order).") { (args: inout Arguments, I: Interpreter) throws(RuntimeError) -> Value in
            let path = try filePath(&args, I)
            try FileIO.write(path, NPY.encode(try args.tensor(1)))
            return .null
        },
    ]

    /// The path argument opened for streaming reads that stop on Ctrl-C and --max-seconds.
    static func fileReader(_ args: inout Arguments, _ I: Interpreter) throws(RuntimeError) -> FileIO.Reader {
        let path = try filePath(&args, I)
        return try FileIO.Reader(path) { () throws(RuntimeError) in try I.checkInterrupt() }
    }

    /// The path argument, after the sandbox check.
    static func filePath(_ args: inout Arguments, _ I: Interpreter) throws(RuntimeError) -> String {
        guard !I.host.sandbox else { throw RuntimeError("'\(args.function)' is disabled by --sandbox") }
        return try args.string(0)
    }
}

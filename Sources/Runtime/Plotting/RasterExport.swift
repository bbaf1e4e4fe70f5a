// PNG and PDF from a figure's SVG through librsvg and cairo, loaded with dlopen on the first
// plot that asks (Debian's librsvg2-2 and libcairo2, which librsvg2-bin brings): linking them
// would load GLib, Pango and their friends at every start of optrepl, for the few runs that
// write a PNG.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum RasterExport {
    /// The SVG's size in CSS pixels (96 per inch).
    static let width = SVGPlot.width, height = SVGPlot.height

    /// A PNG of the SVG at `dpi` dots per inch (100: 750×500 pixels).
    static func png(_ svg: String, dpi: Double) throws(RuntimeError) -> [UInt8] {
        let lib = try Library.load()
        let scale = dpi / 96
        let (w, h) = (Int32((width * scale).rounded()), Int32((height * scale).rounded()))
        guard let surface = lib.imageSurfaceCreate(0 /* CAIRO_FORMAT_ARGB32 */, w, h) else { throw failure("cairo made no image") }
        defer { lib.surfaceDestroy(surface) }
        try render(svg, lib, surface, scale: scale)
        let sink = ByteSink()
        let status = lib.writeToPNGStream(surface, ByteSink.write, Unmanaged.passUnretained(sink).toOpaque())
        guard status == 0 else { throw failure("cairo could not encode the PNG (status \(status))") }
        return sink.bytes
    }

    /// A one-page PDF of the SVG, 7.5 × 5 inches (the SVG's pixels at 96 per inch).
    static func pdf(_ svg: String) throws(RuntimeError) -> [UInt8] {
        let lib = try Library.load()
        let sink = ByteSink()
        guard let surface = lib.pdfSurfaceCreateForStream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                          width * 72 / 96, height * 72 / 96) else { throw failure("cairo made no PDF") }
        try render(svg, lib, surface, scale: 72.0 / 96)
        lib.surfaceFinish(surface)
        let status = lib.surfaceStatus(surface)
        lib.surfaceDestroy(surface)
        guard status == 0 else { throw failure("cairo could not write the PDF (status \(status))") }
        return sink.bytes
    }

    /// Draws the SVG on the surface, scaled from CSS pixels.
    private static func render(_ svg: String, _ lib: Library, _ surface: OpaquePointer, scale: Double) throws(RuntimeError) {
        var error: UnsafeMutableRawPointer?
        let bytes = Array(svg.utf8)
        guard let handle = bytes.withUnsafeBufferPointer({ lib.handleNewFromData($0.baseAddress, $0.count, &error) }) else {
            throw failure("librsvg could not read the SVG: " + message(error))
        }
        defer { lib.objectUnref(UnsafeMutableRawPointer(handle)) }
        guard let cr = lib.create(surface) else { throw failure("cairo made no context") }
        defer { lib.destroy(cr) }
        lib.scale(cr, scale, scale)
        var viewport = (0.0, 0.0, width, height)
        let ok = withUnsafePointer(to: &viewport) { lib.renderDocument(handle, cr, UnsafeRawPointer($0), &error) }
        guard ok != 0 else { throw failure("librsvg could not draw the SVG: " + message(error)) }
    }

    /// A GError's message (its third field, after the domain and the code).
    private static func message(_ error: UnsafeMutableRawPointer?) -> String {
        guard let error, let text = error.load(fromByteOffset: 8, as: UnsafePointer<CChar>?.self) else { return "unknown error" }
        return String(cString: text)
    }

    private static func failure(_ text: String) -> RuntimeError { RuntimeError("cannot write the plot: " + text) }

    /// Collects what cairo writes (cairo_write_func_t).
    final class ByteSink {
        var bytes: [UInt8] = []
        static let write: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, UInt32) -> Int32 = { closure, data, length in
            guard let closure, let data else { return 11 /* CAIRO_STATUS_WRITE_ERROR */ }
            Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return 0
        }
    }

    /// The functions used, looked up in the shared libraries (dlopen keeps one copy loaded).
    struct Library {
        typealias WriteFunction = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, UInt32) -> Int32
        let handleNewFromData: @convention(c) (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> OpaquePointer?
        let renderDocument: @convention(c) (OpaquePointer?, OpaquePointer?, UnsafeRawPointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32
        let objectUnref: @convention(c) (UnsafeMutableRawPointer?) -> Void
        let imageSurfaceCreate: @convention(c) (Int32, Int32, Int32) -> OpaquePointer?
        let pdfSurfaceCreateForStream: @convention(c) (WriteFunction?, UnsafeMutableRawPointer?, Double, Double) -> OpaquePointer?
        let writeToPNGStream: @convention(c) (OpaquePointer?, WriteFunction?, UnsafeMutableRawPointer?) -> Int32
        let surfaceFinish: @convention(c) (OpaquePointer?) -> Void
        let surfaceStatus: @convention(c) (OpaquePointer?) -> Int32
        let surfaceDestroy: @convention(c) (OpaquePointer?) -> Void
        let create: @convention(c) (OpaquePointer?) -> OpaquePointer?
        let destroy: @convention(c) (OpaquePointer?) -> Void
        let scale: @convention(c) (OpaquePointer?, Double, Double) -> Void

        static func load() throws(RuntimeError) -> Library {
            let rsvg = try open("librsvg-2.so.2"), cairo = try open("libcairo.so.2"), gobject = try open("libgobject-2.0.so.0")
            func symbol<T>(_ lib: DynamicLibrary, _ name: String, as type: T.Type) throws(RuntimeError) -> T {
                guard let f = lib.function(name, as: type) else { throw failure("\(name) is missing from the installed library") }
                return f
            }
            return Library(
                handleNewFromData: try symbol(rsvg, "rsvg_handle_new_from_data", as: (@convention(c) (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> OpaquePointer?).self),
                renderDocument: try symbol(rsvg, "rsvg_handle_render_document", as: (@convention(c) (OpaquePointer?, OpaquePointer?, UnsafeRawPointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32).self),
                objectUnref: try symbol(gobject, "g_object_unref", as: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self),
                imageSurfaceCreate: try symbol(cairo, "cairo_image_surface_create", as: (@convention(c) (Int32, Int32, Int32) -> OpaquePointer?).self),
                pdfSurfaceCreateForStream: try symbol(cairo, "cairo_pdf_surface_create_for_stream", as: (@convention(c) (WriteFunction?, UnsafeMutableRawPointer?, Double, Double) -> OpaquePointer?).self),
                writeToPNGStream: try symbol(cairo, "cairo_surface_write_to_png_stream", as: (@convention(c) (OpaquePointer?, WriteFunction?, UnsafeMutableRawPointer?) -> Int32).self),
                surfaceFinish: try symbol(cairo, "cairo_surface_finish", as: (@convention(c) (OpaquePointer?) -> Void).self),
                surfaceStatus: try symbol(cairo, "cairo_surface_status", as: (@convention(c) (OpaquePointer?) -> Int32).self),
                surfaceDestroy: try symbol(cairo, "cairo_surface_destroy", as: (@convention(c) (OpaquePointer?) -> Void).self),
                create: try symbol(cairo, "cairo_create", as: (@convention(c) (OpaquePointer?) -> OpaquePointer?).self),
                destroy: try symbol(cairo, "cairo_destroy", as: (@convention(c) (OpaquePointer?) -> Void).self),
                scale: try symbol(cairo, "cairo_scale", as: (@convention(c) (OpaquePointer?, Double, Double) -> Void).self))
        }

        private static func open(_ name: String) throws(RuntimeError) -> DynamicLibrary {
            switch DynamicLibrary.open([name]) {
            case .success(let lib): return lib
            case .failure(let f): throw failure("PNG and PDF need librsvg and cairo (Debian: librsvg2-2, libcairo2): \(f.reason)")
            }
        }
    }
}

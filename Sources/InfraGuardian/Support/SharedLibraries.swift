import CLazyLibraries

/// libpq, hiredis and cmark-gfm are opened when first needed (`Sources/CLazyLibraries`): a `lint`
/// run, which needs none of them, starts in half the time. Code about to use one asks here first,
/// so a missing library is a clear error in the report instead of the end of the program.
enum SharedLibraries {
    /// Nil when libpq is loaded, else why it cannot be.
    static func libpqProblem() -> String? { problem(ig_load_libpq) }
    static func hiredisProblem() -> String? { problem(ig_load_hiredis) }
    static func cmarkProblem() -> String? { problem(ig_load_cmark) }

    private static func problem(_ load: (UnsafeMutablePointer<CChar>?, Int) -> Int32) -> String? {
        var error = [CChar](repeating: 0, count: 512)
        let loaded = error.withUnsafeMutableBufferPointer { load($0.baseAddress, $0.count) }
        guard loaded != 1 else { return nil }
        let bytes = error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

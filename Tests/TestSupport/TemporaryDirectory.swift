import Foundation

/// A scratch directory for a test (files to lint, a working directory for the CLI), removed when the
/// value goes away. Shared by both test targets.
public final class TemporaryDirectory {
    public let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "infra-guardian-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func write(_ relative: String, _ text: String) throws { try write(relative, Data(text.utf8)) }

    /// Writes `data` at `relative` (below `path`), creating the folders on the way.
    public func write(_ relative: String, _ data: Data) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
    }
}

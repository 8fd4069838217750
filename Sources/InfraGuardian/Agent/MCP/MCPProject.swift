import Foundation

/// The project a tool call works on, and the check that keeps every path argument inside it: a
/// client (a model) chooses the paths, so `..` and symbolic links are resolved as the kernel would
/// before anything is read or written.
struct MCPProject: Sendable {
    /// The project folder, links resolved.
    let root: String

    /// `directory` (absolute, or relative to `serverDirectory`), else `serverDirectory` itself.
    init(_ directory: String?, serverDirectory: String) throws {
        let given = directory ?? serverDirectory
        let absolute = given.hasPrefix("/") ? given : (serverDirectory as NSString).appendingPathComponent(given)
        var isFolder: ObjCBool = false
        guard let real = Self.realPath(absolute),
              FileManager.default.fileExists(atPath: real, isDirectory: &isFolder), isFolder.boolValue else {
            throw MCPToolError("directory \(SecretMasking.quotable(given)) is not a folder")
        }
        root = real
    }

    /// `given` (relative to the project, or absolute) as a path relative to the project, refused
    /// when it leads outside. Parts that do not exist yet, and glob patterns (`db/migrations/2024*.sql`),
    /// are taken as written after the last existing folder, but may not climb with `..`.
    func inside(_ given: String, argument: String) throws -> String {
        var current = given.hasPrefix("/") ? "/" : root
        var tail: [String] = []
        for part in given.split(separator: "/").map(String.init) where part != "." {
            if tail.isEmpty && !part.contains(where: { "*?[".contains($0) }) {
                if part == ".." {
                    current = (current as NSString).deletingLastPathComponent
                    continue
                }
                let next = (current as NSString).appendingPathComponent(part)
                if let real = Self.realPath(next) {
                    current = real
                    continue
                }
                if (try? FileManager.default.destinationOfSymbolicLink(atPath: next)) != nil {
                    throw refusal(argument, given, "is a symbolic link that leads nowhere")
                }
            }
            if part == ".." { throw refusal(argument, given, "climbs with .. past a part that does not exist") }
            tail.append(part)
        }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard current == root || current.hasPrefix(prefix) else { throw refusal(argument, given, "is outside the project \(root)") }
        let head = current == root ? [] : [String(current.dropFirst(prefix.count))]
        let relative = (head + tail).joined(separator: "/")
        return relative.isEmpty ? "." : relative
    }

    private func refusal(_ argument: String, _ given: String, _ why: String) -> MCPToolError {
        MCPToolError("argument \"\(argument)\": \(SecretMasking.quotable(given)) \(why): refused")
    }

    /// The path with every link and `..` resolved, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

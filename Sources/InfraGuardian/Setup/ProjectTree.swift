import Foundation

/// The project's folders as `init` may look at them: by `lstat`, so a link is never followed (a link
/// to `/` or to a sibling checkout would make the walk endless or read another project), and with
/// hidden and generated folders left out.
enum ProjectTree {
    static let skipped: Set<String> = ["node_modules", "dist", "build", "coverage", "vendor", "target", "out"]

    /// What `relative` is below `root`, without following a link.
    static func kind(_ root: String, _ relative: String) -> mode_t? {
        var status = stat()
        guard lstat(join(root, relative), &status) == 0 else { return nil }
        return status.st_mode & S_IFMT
    }

    static func isFolder(_ root: String, _ relative: String) -> Bool { kind(root, relative) == S_IFDIR }

    /// The folders directly in `relative` (relative paths, sorted), links and skipped names left out.
    static func subfolders(_ root: String, _ relative: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: join(root, relative)) else { return [] }
        return names.filter { !$0.hasPrefix(".") && !skipped.contains($0) }.sorted()
            .map { relative.isEmpty ? $0 : "\(relative)/\($0)" }
            .filter { isFolder(root, $0) }
    }

    /// Every folder below `root` down to `depth`, breadth first, at most `limit` of them.
    static func folders(below root: String, depth: Int, limit: Int) -> [String] {
        var found: [String] = []
        var level = [""]
        for _ in 0..<depth {
            var next: [String] = []
            for folder in level {
                for child in subfolders(root, folder) {
                    guard found.count < limit else { return found }
                    found.append(child)
                    next.append(child)
                }
            }
            level = next
        }
        return found
    }

    /// Whether a `.ts` or `.tsx` file (declaration files aside) lies within a few levels of `relative`.
    static func holdsTypeScript(_ root: String, _ relative: String, depth: Int = 5, limit: Int = 2_000) -> Bool {
        var level = [relative]
        var looked = 0
        for _ in 0..<depth {
            var next: [String] = []
            for folder in level {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: join(root, folder)) else { continue }
                for name in names.sorted() where !name.hasPrefix(".") {
                    looked += 1
                    if looked > limit { return false }
                    let path = "\(folder)/\(name)"
                    switch kind(root, path) {
                    case S_IFREG where (name.hasSuffix(".ts") && !name.hasSuffix(".d.ts")) || name.hasSuffix(".tsx"):
                        return true
                    case S_IFDIR where !skipped.contains(name):
                        next.append(path)
                    default:
                        continue
                    }
                }
            }
            level = next
        }
        return false
    }

    /// A regular file's text (not a link, at most a megabyte), or nil.
    static func text(_ root: String, _ relative: String) -> String? {
        guard kind(root, relative) == S_IFREG else { return nil }
        return try? RegularFile.text(join(root, relative), limit: RegularFile.configurationLimit).get()
    }

    static func join(_ root: String, _ relative: String) -> String {
        relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
    }
}

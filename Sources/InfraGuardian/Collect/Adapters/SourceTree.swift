import Foundation

/// The TypeScript files and workspace packages under a source root, read without following
/// symbolic links (no loops), skipping dependency and build folders, each file read at most once and
/// up to a size limit. What could not be read is a note with its path, never an error.
struct SourceTree: Sendable {
    struct File: Sendable {
        /// Relative to the root, `/`-separated.
        var path: String
        var text: String
    }

    /// A workspace package: its `package.json` name and folder (relative to the root; "" for the root).
    struct Package: Sendable, Equatable {
        var name: String
        var folder: String
        /// `exports` subpaths (`.`, `./ports`, `./*`) and the file each names (the `types` or
        /// `import` condition first), as written: usually build output, mapped back to sources on lookup.
        var exports: [String: String] = [:]
    }

    /// A `compilerOptions.paths` entry of a tsconfig: `@app/*` → `packages/app/src/*` (root-relative).
    struct PathMapping: Sendable, Equatable {
        var pattern: String
        var targets: [String]
    }

    var files: [File] = []
    var packages: [Package] = []
    var pathMappings: [PathMapping] = []
    var notes: [String] = []

    static let skippedFolders: Set<String> = ["node_modules", "dist", "build", "coverage", "out", ".git", ".next", ".turbo", ".cache"]
    static let extensions = [".ts", ".tsx", ".mts", ".cts"]
    /// Larger files (generated clients, bundles) are noted and left out.
    static let sizeLimit = 5 << 20
    /// A tree with more files than this is cut short, with a note.
    static let fileLimit = 50_000

    static func read(root: String) -> SourceTree {
        var tree = SourceTree()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            tree.notes.append("source root \(root) is not a folder")
            return tree
        }
        var paths: [String] = []
        tree.walk(root: root, relative: "", into: &paths)
        let root = root.hasSuffix("/") ? root : root + "/"
        let found = paths
        tree.files = Parallel.map(found.count) { index -> File? in
            switch RegularFile.text(root + found[index], limit: sizeLimit) {
            case .success(let text): return File(path: found[index], text: text)
            case .failure: return nil
            }
        }.compactMap { $0 }
        let read = Set(tree.files.map(\.path))
        for path in paths where !read.contains(path) {
            tree.notes.append("\(path): not read (larger than \(sizeLimit >> 20) MB, not UTF-8 or unreadable)")
        }
        return tree
    }

    private mutating func walk(root: String, relative: String, into paths: inout [String]) {
        let folder = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            notes.append("\(relative.isEmpty ? "." : relative): folder not readable")
            return
        }
        for name in names {
            let path = relative.isEmpty ? name : relative + "/" + name
            let absolute = (folder as NSString).appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute),
                  let type = attributes[.type] as? FileAttributeType else { continue }
            // Symbolic links are not followed: a link loop cannot trap the walk.
            if type == .typeDirectory {
                guard !Self.skippedFolders.contains(name), !name.hasPrefix(".") else { continue }
                walk(root: root, relative: path, into: &paths)
            } else if type == .typeRegular {
                if name == "package.json", let package = Self.package(absolute, folder: relative) {
                    packages.append(package)
                } else if name.hasPrefix("tsconfig"), name.hasSuffix(".json") {
                    pathMappings += Self.pathMappings(absolute, folder: relative)
                } else if Self.extensions.contains(where: name.hasSuffix), !name.hasSuffix(".d.ts") {
                    guard paths.count < Self.fileLimit else {
                        if paths.count == Self.fileLimit { notes.append("more than \(Self.fileLimit) TypeScript files: the rest were not read") }
                        continue
                    }
                    paths.append(path)
                }
            }
        }
    }

    /// A `package.json` with a `name`: the package, its folder and its `exports`.
    private static func package(_ path: String, folder: String) -> Package? {
        guard case .success(let text) = RegularFile.text(path, limit: 1 << 20),
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let name = object["name"] as? String else { return nil }
        var exports: [String: String] = [:]
        if let single = target(object["exports"]) {
            exports["."] = single
        } else if let map = object["exports"] as? [String: Any] {
            for (key, value) in map where key.hasPrefix(".") {
                if let file = target(value) { exports[key] = file }
            }
        }
        return Package(name: name, folder: folder, exports: exports)
    }

    /// The file an `exports` value names: a string, or the first of its conditions that is one.
    private static func target(_ value: Any?, depth: Int = 0) -> String? {
        if let text = value as? String { return text }
        guard depth < 4, let conditions = value as? [String: Any] else { return nil }
        for condition in ["types", "import", "default", "require", "node"] {
            if let found = target(conditions[condition], depth: depth + 1) { return found }
        }
        return nil
    }

    /// The `compilerOptions.paths` of a tsconfig (JSON with comments and trailing commas), made
    /// relative to the tree's root through its `baseUrl` (or its own folder).
    static func pathMappings(_ path: String, folder: String) -> [PathMapping] {
        guard case .success(let text) = RegularFile.text(path, limit: 1 << 20),
              let object = try? JSONSerialization.jsonObject(with: Data(strictJSON(text).utf8)) as? [String: Any],
              let options = object["compilerOptions"] as? [String: Any],
              let paths = options["paths"] as? [String: [String]] else { return [] }
        let base = ModuleResolver.joined(folder, (options["baseUrl"] as? String) ?? ".")
        return paths.keys.sorted().map { pattern in
            PathMapping(pattern: pattern, targets: (paths[pattern] ?? []).map { ModuleResolver.joined(base, $0) })
        }
    }

    /// tsconfig's JSON dialect as plain JSON: comments dropped (outside strings), trailing commas removed.
    static func strictJSON(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
                output += bytes[index..<min(end + 1, bytes.count)]
                index = end + 1
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                index += 2
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                // `,` then only blanks before a closing bracket: drop the comma.
                var last = output.count - 1
                while last >= 0, [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(output[last]) { last -= 1 }
                if last >= 0, output[last] == UInt8(ascii: ",") { output.remove(at: last) }
                output.append(byte)
                index += 1
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

import Foundation

/// Resolves an import specifier to a file of the tree, as TypeScript's NodeNext resolution would
/// for a workspace: relative paths (`'../X.js'` means `X.ts`), workspace packages by their
/// `package.json` name (`@scope/application`, `@scope/application/ports/X`), folders by `index.ts`.
/// Package `exports` maps and `tsconfig` `paths` are not read.
struct ModuleResolver: Sendable {
    let files: Set<String>
    /// Longest name first, so `@scope/app-core` is not taken for `@scope/app`.
    let packages: [SourceTree.Package]
    /// tsconfig `paths`, the longest pattern prefix first (as TypeScript picks the most specific).
    let pathMappings: [SourceTree.PathMapping]

    init(files: Set<String>, packages: [SourceTree.Package], pathMappings: [SourceTree.PathMapping] = []) {
        self.files = files
        self.packages = packages.sorted { $0.name.count > $1.name.count }
        self.pathMappings = pathMappings.sorted { $0.pattern.count > $1.pattern.count }
    }

    func resolve(_ specifier: String, from importer: String) -> String? {
        if specifier.hasPrefix("./") || specifier.hasPrefix("../") {
            let folder = importer.split(separator: "/").dropLast().joined(separator: "/")
            return file(at: Self.joined(folder, specifier))
        }
        for mapping in pathMappings {
            let parts = mapping.pattern.split(separator: "*", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let matched: String?
            if parts.count == 2 {
                matched = specifier.hasPrefix(parts[0]) && specifier.hasSuffix(parts[1]) && specifier.count >= parts[0].count + parts[1].count
                    ? String(specifier.dropFirst(parts[0].count).dropLast(parts[1].count)) : nil
            } else {
                matched = specifier == mapping.pattern ? "" : nil
            }
            guard let wildcard = matched else { continue }
            for target in mapping.targets {
                if let found = file(at: target.replacingOccurrences(of: "*", with: wildcard)) { return found }
            }
        }
        for package in packages where specifier == package.name || specifier.hasPrefix(package.name + "/") {
            let sub = String(specifier.dropFirst(package.name.count)).drop { $0 == "/" }
            let base = package.folder.isEmpty ? "" : package.folder + "/"
            if let found = viaExports(package, subpath: sub.isEmpty ? "." : "./" + sub, base: base) { return found }
            if sub.isEmpty { return file(at: base + "src/index") ?? file(at: base + "index") }
            return file(at: base + "src/" + sub) ?? file(at: base + sub)
        }
        return nil
    }

    /// The package's `exports` entry for the subpath (exact, or a `*` pattern), mapped from build
    /// output back to the source it is built from (`./dist/ports/index.d.ts` → `src/ports/index.ts`).
    private func viaExports(_ package: SourceTree.Package, subpath: String, base: String) -> String? {
        var target = package.exports[subpath]
        if target == nil {
            for (key, value) in package.exports where key.contains("*") {
                let parts = key.split(separator: "*", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, subpath.hasPrefix(parts[0]), subpath.hasSuffix(parts[1]),
                      subpath.count >= parts[0].count + parts[1].count else { continue }
                let wildcard = String(subpath.dropFirst(parts[0].count).dropLast(parts[1].count))
                target = value.replacingOccurrences(of: "*", with: wildcard)
                break
            }
        }
        guard var path = target else { return nil }
        while path.hasPrefix("./") { path.removeFirst(2) }
        for suffix in [".d.ts", ".d.mts", ".d.cts"] where path.hasSuffix(suffix) { path = String(path.dropLast(suffix.count)) + ".js" }
        var candidates = [path]
        for output in ["dist/", "lib/", "build/", "out/"] where path.hasPrefix(output) {
            candidates.append("src/" + path.dropFirst(output.count))
        }
        for candidate in candidates {
            if let found = file(at: base + candidate) { return found }
        }
        return nil
    }

    /// `path` as a module: itself, with a TypeScript extension instead of a JavaScript one, or its `index`.
    private func file(at path: String) -> String? {
        var stem = path
        for javascript in [".js", ".mjs", ".cjs", ".jsx"] where stem.hasSuffix(javascript) { stem = String(stem.dropLast(javascript.count)) }
        if files.contains(path), SourceTree.extensions.contains(where: path.hasSuffix) { return path }
        for candidate in SourceTree.extensions.map({ stem + $0 }) + SourceTree.extensions.map({ stem + "/index" + $0 })
        where files.contains(candidate) {
            return candidate
        }
        return nil
    }

    /// `a/b` + `../c/d.js` → `a/c/d.js`.
    static func joined(_ folder: String, _ relative: String) -> String {
        var parts = folder.split(separator: "/").map(String.init)
        for part in relative.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }
}

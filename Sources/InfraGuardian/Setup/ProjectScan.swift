import Foundation

/// What `init` finds in a project: its migration folders, its TypeScript source tree and the
/// names (never the values) of the variables that hold the database and Redis URLs. Read-only and
/// bounded: no link is followed, hidden and generated folders are left out, and the walk stops at
/// a fixed depth and folder count, so a huge repository costs no more than a small one.
public struct ProjectScan: Sendable, Equatable {
    /// An environment variable name and the project file that names it.
    public struct Variable: Sendable, Equatable {
        public var name: String
        public var file: String
    }

    /// Migration folders, relative to the project: the root's first, then nested ones (monorepos).
    public var migrationFolders: [String] = []
    /// Migration folders under examples or tests: shown in a comment, not configured.
    public var otherMigrationFolders: [String] = []
    /// The TypeScript source tree (`src`, else the first `apps/*/src` or `packages/*/src`).
    public var source: String?
    public var otherSources: [String] = []
    /// Candidates for the database URL variable, best first.
    public var databaseURL: [Variable] = []
    /// Candidates for the Redis URL variable, best first.
    public var redisURL: [Variable] = []

    public init() {}

    /// Folders this deep at most (`apps/api/db/migrations` is 4).
    static let depthLimit = 4
    /// Folders looked at in all, whatever the size of the tree.
    static let folderLimit = 4_000
    static let environmentFiles = [".env.example", ".env.sample", ".env.template",
                                   "docker-compose.yml", "docker-compose.yaml", "compose.yaml", "compose.yml"]

    public static func scan(_ root: String) -> ProjectScan {
        var scan = ProjectScan()
        let folders = ProjectTree.folders(below: root, depth: depthLimit, limit: folderLimit)
        let migrations = folders.filter(isMigrationFolder).sorted(by: shallowFirst)
        scan.migrationFolders = migrations.filter { !isExampleOrTest($0) }
        scan.otherMigrationFolders = migrations.filter(isExampleOrTest)
        let sources = sourceCandidates(root)
        scan.source = sources.first
        scan.otherSources = Array(sources.dropFirst())
        var names: [Variable] = []
        for folder in environmentFolders(scan) {
            for file in environmentFiles {
                let relative = folder.isEmpty ? file : "\(folder)/\(file)"
                guard let text = ProjectTree.text(root, relative) else { continue }
                names += EnvironmentNames.declared(in: text).map { Variable(name: $0, file: relative) }
            }
        }
        scan.databaseURL = EnvironmentNames.ranked(names, exact: "DATABASE_URL", matches: EnvironmentNames.isDatabaseURL)
        scan.redisURL = EnvironmentNames.ranked(names, exact: "REDIS_URL", matches: { $0.uppercased().contains("REDIS_URL") })
        return scan
    }

    static func isMigrationFolder(_ relative: String) -> Bool {
        let parts = relative.split(separator: "/")
        return parts.count >= 2 && parts.last == "migrations" && ["db", "supabase"].contains(parts[parts.count - 2])
    }

    private static let exampleOrTestNames: Set<String> = ["example", "examples", "test", "tests", "__tests__", "fixtures",
                                                          "e2e", "samples", "demo"]

    static func isExampleOrTest(_ relative: String) -> Bool {
        relative.split(separator: "/").contains { exampleOrTestNames.contains($0.lowercased()) }
    }

    private static func shallowFirst(_ left: String, _ right: String) -> Bool {
        let (a, b) = (left.split(separator: "/").count, right.split(separator: "/").count)
        return a != b ? a < b : left < right
    }

    /// `src` when it holds TypeScript, else every `apps/*/src` and `packages/*/src` that does, sorted.
    private static func sourceCandidates(_ root: String) -> [String] {
        if ProjectTree.isFolder(root, "src"), ProjectTree.holdsTypeScript(root, "src") { return ["src"] }
        var found: [String] = []
        for base in ["apps", "packages"] where ProjectTree.isFolder(root, base) {
            for package in ProjectTree.subfolders(root, base) {
                let source = "\(package)/src"
                if ProjectTree.isFolder(root, source), ProjectTree.holdsTypeScript(root, source) { found.append(source) }
            }
        }
        return found.sorted()
    }

    /// The root, then the package folders of what was found (`apps/api` for `apps/api/src`).
    private static func environmentFolders(_ scan: ProjectScan) -> [String] {
        var folders = [""]
        let packages = (scan.source.map { [$0] } ?? []) + scan.migrationFolders
        for path in packages {
            var parts = path.split(separator: "/").map(String.init)
            parts.removeLast(isMigrationFolder(path) ? 2 : 1)
            let folder = parts.joined(separator: "/")
            if !folders.contains(folder) { folders.append(folder) }
        }
        return folders
    }
}

/// Variable names declared or referenced in `.env.*` and compose files, and how they rank.
enum EnvironmentNames {
    /// `NAME=` and `export NAME=` (env files), `NAME:` and `- NAME=` (compose), `${NAME}` (both).
    /// Only names are taken: whatever follows the `=` or `:` is never kept.
    static func declared(in text: String) -> [String] {
        var names: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            var rest = Substring(line.drop { $0 == " " || $0 == "\t" })
            if rest.hasPrefix("#") { continue }
            for prefix in ["export ", "- ", "\"", "'"] where rest.hasPrefix(prefix) {
                rest = rest.dropFirst(prefix.count).drop { $0 == " " }
            }
            let name = identifier(at: rest)
            let after = rest.dropFirst(name.count).drop { $0 == " " || $0 == "\"" || $0 == "'" }
            if !name.isEmpty, after.first == "=" || after.first == ":" { names.append(name) }
            var search = line[...]
            while let start = search.range(of: "${") {
                let reference = identifier(at: search[start.upperBound...])
                if !reference.isEmpty { names.append(reference) }
                search = search[start.upperBound...]
            }
        }
        return names
    }

    private static func identifier(at text: Substring) -> String {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" else { return "" }
        return String(text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }.prefix(128))
    }

    static func isDatabaseURL(_ name: String) -> Bool {
        let upper = name.uppercased()
        return upper.contains("DATABASE_URL") || ["POSTGRES_URL", "PG_URL", "SUPABASE_DB_URL"].contains(upper)
    }

    /// The exact default first, then names that are not for tests or shadow databases, each in the
    /// order met; every name once.
    static func ranked(_ names: [ProjectScan.Variable], exact: String,
                       matches: (String) -> Bool) -> [ProjectScan.Variable] {
        var seen = Set<String>()
        let unique = names.filter { matches($0.name) && seen.insert($0.name).inserted }
        func rank(_ name: String) -> Int {
            if name == exact { return 0 }
            let upper = name.uppercased()
            return ["TEST", "SHADOW", "E2E"].contains(where: upper.contains) ? 2 : 1
        }
        return unique.enumerated().sorted { (rank($0.element.name), $0.offset) < (rank($1.element.name), $1.offset) }
            .map(\.element)
    }
}

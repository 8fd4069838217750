import Foundation

/// What `infra-guardian init` is asked to do.
public struct InitOptions: Sendable, Equatable {
    /// The project folder (`--dir`, else the working directory).
    public var directory: String
    /// Also wire Claude Code: the hook in `.claude/settings.json`, the MCP server in `.mcp.json`.
    public var claude: Bool
    /// Replace an existing `.infra-guardian.yml`.
    public var force: Bool
    /// The program the hook and the MCP server run (`--command`, e.g. an absolute path).
    public var command: String

    public init(directory: String = FileManager.default.currentDirectoryPath, claude: Bool = false, force: Bool = false,
                command: String = "infra-guardian") {
        self.directory = directory
        self.claude = claude
        self.force = force
        self.command = command
    }
}

/// What `init` wrote and what it left alone, one action a file.
public struct InitResult: Sendable, Equatable {
    public struct Action: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable { case created, replaced, updated, unchanged }
        /// Relative to the project.
        public var path: String
        public var kind: Kind
        /// What happened, as printed.
        public var line: String
    }

    /// The project folder, resolved.
    public var directory: String
    public var scan: ProjectScan
    public var actions: [Action]

    /// The files written (created, replaced or updated).
    public var written: [String] { actions.filter { $0.kind != .unchanged }.map(\.path) }
}

/// `infra-guardian init`: a starter `.infra-guardian.yml` from what the project holds, and with
/// `claude` the Claude Code wiring. Everything is read and checked before anything is written, so a
/// refusal (a file that exists, JSON that does not parse) leaves the project as it was.
public enum ProjectInitializer {
    public static func run(_ options: InitOptions) throws -> InitResult {
        let root = try projectRoot(options.directory)
        try checkProgram(options.command)
        let scan = ProjectScan.scan(root)
        var planned: [(action: InitResult.Action, text: String?)] = [try configuration(scan, root: root, options: options)]
        if options.claude {
            for change in [try ClaudeSettings.settings(root, program: options.command),
                           try ClaudeSettings.mcp(root, program: options.command)] {
                let kind: InitResult.Action.Kind = change.text == nil ? .unchanged : change.existed ? .updated : .created
                planned.append((InitResult.Action(path: change.path, kind: kind, line: change.line), change.text))
            }
        }
        for (action, text) in planned {
            guard let text else { continue }
            let path = ProjectTree.join(root, action.path)
            if action.path == ClaudeSettings.settingsPath { try makeClaudeFolder(root) }
            if action.kind == .created {
                try Session.writeNew(text, to: path, shown: action.path)
            } else {
                try replace(text, at: path, shown: action.path)
            }
        }
        return InitResult(directory: root, scan: scan, actions: planned.map(\.action))
    }

    private static func configuration(_ scan: ProjectScan, root: String,
                                      options: InitOptions) throws -> (action: InitResult.Action, text: String?) {
        let name = ConfigurationLoader.defaultFileName
        let existing = ProjectTree.kind(root, name)
        if existing != nil && !options.force {
            guard options.claude else {
                throw SessionError("\(name) already exists: not overwritten (--force replaces it)")
            }
            return (InitResult.Action(path: name, kind: .unchanged,
                                      line: "left \(name) unchanged: it exists (--force replaces it)"), nil)
        }
        if let existing, existing != S_IFREG, existing != S_IFLNK {
            throw SessionError("\(name) exists and is not a file: not replaced")
        }
        let text = StarterConfiguration.render(scan)
        do { _ = try ConfigurationLoader.parse(text, file: name) } catch {
            throw SessionError("the starter \(name) does not load (\(error)); nothing was written: please report this")
        }
        let kind: InitResult.Action.Kind = existing == nil ? .created : .replaced
        return (InitResult.Action(path: name, kind: kind, line: "\(kind == .created ? "wrote" : "replaced") \(name): \(summary(scan))"),
                text)
    }

    private static func summary(_ scan: ProjectScan) -> String {
        let migrations = scan.migrationFolders.isEmpty ? "none found (the defaults are read)"
            : scan.migrationFolders.map(StarterConfiguration.yamlScalar).joined(separator: ", ")
        let source = scan.source.map(StarterConfiguration.yamlScalar) ?? "none found"
        let database = scan.databaseURL.first?.name ?? "DATABASE_URL"
        let redis = scan.redisURL.first?.name ?? "REDIS_URL"
        return "migrations \(migrations); source \(source); database URL from \(database), Redis URL from \(redis)"
    }

    private static func projectRoot(_ directory: String) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue,
              let resolved = realpath(directory, nil) else {
            throw SessionError("--dir \(SecretMasking.quotable(directory, limit: 200)): no such folder")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The program goes into a shell command and a JSON string: one line, something to run.
    private static func checkProgram(_ program: String) throws {
        guard !program.trimmingCharacters(in: .whitespaces).isEmpty, program.count <= 1024,
              !program.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw SessionError("--command must name the program to run, on one line (e.g. /usr/local/bin/infra-guardian)")
        }
    }

    private static func makeClaudeFolder(_ root: String) throws {
        guard ProjectTree.kind(root, ".claude") == nil else { return }
        guard mkdir(ProjectTree.join(root, ".claude"), 0o755) == 0 || errno == EEXIST else {
            throw SessionError("cannot create .claude: \(String(cString: strerror(errno)))")
        }
    }

    /// A new file renamed over the old one: a link there is replaced, never written through, and no
    /// reader ever sees half a file. The old file's permissions are kept.
    private static func replace(_ text: String, at path: String, shown: String) throws {
        var status = stat()
        let mode = lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG ? status.st_mode & 0o7777 : 0o644
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".\(PathName.last(of: path)).\(UUID().uuidString).tmp")
        try Session.writeNew(text, to: temporary, shown: shown)
        _ = chmod(temporary, mode)
        guard rename(temporary, path) == 0 else {
            let problem = String(cString: strerror(errno))
            _ = unlink(temporary)
            throw SessionError("cannot replace \(shown): \(problem)")
        }
    }
}

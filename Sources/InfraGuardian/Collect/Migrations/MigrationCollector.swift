import Foundation

/// Reads migration folders from disk. Never fails as a whole: unreadable folders and files are
/// recorded so that rules can report them and the report still renders.
public enum MigrationCollector {
    /// - Parameters:
    ///   - folders: folders named by the user, or nil for the defaults (used only where they exist).
    ///   - root: the directory relative paths are resolved against.
    ///   - settings: which tool runs each folder (`migrations:` in the configuration).
    public static func collect(folders: [String]?, root: String, settings: MigrationSettings = MigrationSettings()) -> MigrationSet {
        let explicit = folders != nil
        let paths = folders ?? Paths.defaultMigrationFolders
        var set = MigrationSet(supabaseCLI: settings.supabaseCLI)
        for path in paths {
            let kind = settings.runner(for: path)
            let absolute = path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory)
            if !exists {
                if explicit {
                    set.folders.append(MigrationFolder(path: path, kind: kind, exists: false, explicit: true,
                                                       error: "migration folder \(path) does not exist"))
                }
                continue
            }
            guard isDirectory.boolValue else {
                set.folders.append(MigrationFolder(path: path, kind: kind, exists: true, explicit: explicit,
                                                   error: "\(path) is not a folder"))
                continue
            }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: absolute)
            } catch {
                set.folders.append(MigrationFolder(path: path, kind: kind, exists: true, explicit: explicit,
                                                   error: "cannot list \(path): permission denied or unreadable"))
                continue
            }
            set.folders.append(MigrationFolder(path: path, kind: kind, exists: true, explicit: explicit))
            let sqlNames = names.sorted().filter { $0.hasSuffix(".sql") }
            // Joined as NSString.appendingPathComponent would (a file name never starts with `/`).
            let folder = path.hasSuffix("/") ? path : path + "/", absoluteFolder = absolute.hasSuffix("/") ? absolute : absolute + "/"
            set.files += readFiles(sqlNames.map { name in (folder + name, absoluteFolder + name) }, kind: kind)
        }
        return set
    }

    /// Explicit paths for `lint`: folders, single files, or glob patterns (`db/migrations/2024*.sql`).
    /// A path that matches nothing is recorded as an error, so a typo never lints zero files silently.
    public static func collect(paths: [String], root: String, settings: MigrationSettings = MigrationSettings()) -> MigrationSet {
        var set = MigrationSet(supabaseCLI: settings.supabaseCLI)
        let kind = settings.runner(for:)
        for path in paths {
            let absolute = path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
            if path.contains(where: { "*?[".contains($0) }) {
                let matches = Glob.expand(absolute).filter { $0.hasSuffix(".sql") }
                if matches.isEmpty {
                    set.folders.append(MigrationFolder(path: path, kind: kind(path), exists: false, explicit: true,
                                                       error: "no migration file matches \(path)"))
                }
                for match in matches {
                    let display = path.hasPrefix("/") ? match : String(match.dropFirst(root.count + (root.hasSuffix("/") ? 0 : 1)))
                    set.files.append(readFile(display: display, absolute: match, kind: kind(display)))
                }
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), !isDirectory.boolValue {
                set.files.append(readFile(display: path, absolute: absolute, kind: kind(path)))
                continue
            }
            let folder = collect(folders: [path], root: root, settings: settings)
            set.folders += folder.folders
            set.files += folder.files
        }
        return set
    }

    /// Without a configured runner, folders with `supabase` in their path hold Supabase migrations
    /// and all others dbmate's.
    public static func kind(of path: String) -> MigrationKind { MigrationSettings.defaultRunner(for: path) }

    /// Reads and splits the files on every core (each file is independent); results keep the input order.
    static func readFiles(_ paths: [(display: String, absolute: String)], kind: MigrationKind) -> [MigrationFile] {
        guard paths.count > 8 else { return paths.map { readFile(display: $0.display, absolute: $0.absolute, kind: kind) } }
        return Parallel.map(paths.count) { index in
            readFile(display: paths[index].display, absolute: paths[index].absolute, kind: kind)
        }
    }

    static func readFile(display: String, absolute: String, kind: MigrationKind) -> MigrationFile {
        let version = MigrationFileParser.leadingDigits(of: PathName.last(of: display))
        switch RegularFile.text(absolute, limit: migrationLimit) {
        case .failure(let refusal):
            return MigrationFile(path: display, kind: kind, version: version, contents: nil,
                                 readError: "cannot read the file: \(refusal.reason)")
        case .success(let text):
            return MigrationFileParser.parse(path: display, kind: kind, text: text)
        }
    }

    /// A migration larger than this is not read (data seeds of hundreds of megabytes belong in COPY files).
    static let migrationLimit = 512 << 20
}

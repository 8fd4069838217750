import Foundation

/// A migration file compared with a git base revision (`lint --base REF`).
public enum BaseState: String, Codable, Sendable {
    /// Identical at the base.
    case unchanged
    /// Existed at the base and differs now: an edit to a migration that may already be applied.
    case modified
    /// New since the base.
    case added
}

public enum MigrationKind: String, Codable, Sendable, CaseIterable {
    case dbmate
    case supabase
    /// Plain SQL files run with `psql -f` (no `--single-transaction`): each statement in autocommit
    /// unless the file opens a block with BEGIN; no up/down markers, no history table.
    case psql
}

/// A folder of migration files and whether it could be read.
public struct MigrationFolder: Codable, Sendable, Equatable {
    public var path: String
    public var kind: MigrationKind
    public var exists: Bool
    /// True when the user named the folder (config or flag): then its absence is an error.
    public var explicit: Bool
    public var error: String?

    public init(path: String, kind: MigrationKind, exists: Bool, explicit: Bool, error: String? = nil) {
        self.path = path
        self.kind = kind
        self.exists = exists
        self.explicit = explicit
        self.error = error
    }
}

/// One section of a dbmate file (`-- migrate:up` or `-- migrate:down`).
public struct MigrationSection: Codable, Sendable, Equatable {
    public var text: String
    /// 1-based line in the file where the section's text starts (the line after the marker).
    public var startLine: Int
    /// False for `-- migrate:up transaction:false`.
    public var transaction: Bool

    public init(text: String, startLine: Int, transaction: Bool = true) {
        self.text = text
        self.startLine = startLine
        self.transaction = transaction
    }

    /// True when the section holds something other than blank lines and comments.
    public var hasStatements: Bool {
        text.split(separator: "\n", omittingEmptySubsequences: true).contains { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return !trimmed.isEmpty && !trimmed.hasPrefix("--")
        }
    }
}

/// One migration file on disk.
public struct MigrationFile: Codable, Sendable, Equatable {
    /// Path as given to the tool (relative to the working directory when it was relative).
    public var path: String
    public var kind: MigrationKind
    /// The leading digits of the file name (dbmate and Supabase use them as the version).
    public var version: String?
    /// The file's whole text; nil when it could not be read.
    public var contents: String?
    public var readError: String?
    /// dbmate: the up section; Supabase: the whole file.
    public var up: MigrationSection?
    /// dbmate: the down section, when the marker exists.
    public var down: MigrationSection?
    /// How the file compares with `--base GIT_REF`; nil when no base was given.
    public var baseState: BaseState?

    public init(path: String, kind: MigrationKind, version: String?, contents: String?,
                readError: String? = nil, up: MigrationSection? = nil, down: MigrationSection? = nil) {
        self.path = path
        self.kind = kind
        self.version = version
        self.contents = contents
        self.readError = readError
        self.up = up
        self.down = down
    }

    public var fileName: String { PathName.last(of: path) }

    /// Content checksum (hex), for detecting edits to applied migrations; computed when asked
    /// (a lint run never needs it, and hashing every file cost a sixth of reading them).
    public var checksum: String? { contents.map(StableHash.hex) }

    /// The file name without `.sql`.
    public var name: String {
        fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
    }
}

/// The migration files found on disk.
public struct MigrationSet: Codable, Sendable {
    public var folders: [MigrationFolder]
    public var files: [MigrationFile]
    /// The git revision files were compared with, when one was given.
    public var base: String?
    /// Why the comparison with the base failed (not a git repository, unknown revision...).
    public var baseError: String?
    /// Migration files that existed at the base and are gone now.
    public var deletedSinceBase: [String]
    /// The Supabase CLI release Supabase files are read under (`migrations.supabase_cli`).
    public var supabaseCLI: SupabaseCLIVersion

    public init(folders: [MigrationFolder] = [], files: [MigrationFile] = [], base: String? = nil,
                baseError: String? = nil, deletedSinceBase: [String] = [], supabaseCLI: SupabaseCLIVersion = .latest) {
        self.folders = folders
        self.files = files
        self.base = base
        self.baseError = baseError
        self.deletedSinceBase = deletedSinceBase
        self.supabaseCLI = supabaseCLI
    }

    enum CodingKeys: String, CodingKey {
        case folders, files, base, baseError, deletedSinceBase, supabaseCLI
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        folders = try container.decode([MigrationFolder].self, forKey: .folders)
        files = try container.decode([MigrationFile].self, forKey: .files)
        base = try container.decodeIfPresent(String.self, forKey: .base)
        baseError = try container.decodeIfPresent(String.self, forKey: .baseError)
        deletedSinceBase = try container.decodeIfPresent([String].self, forKey: .deletedSinceBase) ?? []
        supabaseCLI = try container.decodeIfPresent(SupabaseCLIVersion.self, forKey: .supabaseCLI) ?? .latest
    }
}

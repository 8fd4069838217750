import Foundation

/// The Supabase CLI release whose migration runner the linter models (`migrations.supabase_cli`).
///
/// Until v2.109.0 the CLI sends a whole migration file as one batch in one transaction, so
/// PostgreSQL rejects `CREATE INDEX CONCURRENTLY` and friends in it. From v2.109.0 (supabase/cli
/// #5671) it runs the pipeline-incompatible statements (`CREATE [UNIQUE] INDEX CONCURRENTLY`,
/// `REINDEX … CONCURRENTLY`, `VACUUM`, `ALTER SYSTEM`, `CLUSTER`) standalone: the batch before
/// them is committed first, they run on their own, then the rest of the file. `DROP INDEX
/// CONCURRENTLY` joined that list in the first release after v2.111 (supabase/cli #6276).
public struct SupabaseCLIVersion: Sendable, Codable, Equatable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    public init(major: Int, minor: Int, patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// The current CLI's behaviour (the default).
    public static let latest = SupabaseCLIVersion(major: Int.max, minor: 0)
    /// The first release that runs pipeline-incompatible statements outside the file's transaction.
    public static let standaloneStatements = SupabaseCLIVersion(major: 2, minor: 109)
    /// The first release that also runs `DROP INDEX CONCURRENTLY` standalone.
    public static let standaloneDropIndex = SupabaseCLIVersion(major: 2, minor: 112)

    /// `latest`, `2.109`, `2.109.0` or `v2.109.0`; nil for anything else.
    public init?(parsing text: String) {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        if word == "latest" {
            self = .latest
            return
        }
        let digits = word.hasPrefix("v") ? word.dropFirst() : Substring(word)
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 6 && $0.allSatisfy(\.isASCII) }),
              let major = Int(parts[0]), let minor = Int(parts[1]), let patch = parts.count == 3 ? Int(parts[2]) : 0,
              major >= 0, minor >= 0, patch >= 0 else { return nil }
        self.init(major: major, minor: minor, patch: patch)
    }

    public var isLatest: Bool { major == Int.max }

    public var description: String { isLatest ? "latest" : "\(major).\(minor).\(patch)" }

    /// Written as its text (`"latest"`, `"2.109.0"`) in snapshots.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let version = SupabaseCLIVersion(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a Supabase CLI version"))
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (lhs: SupabaseCLIVersion, rhs: SupabaseCLIVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    /// True when this release runs `statement` on its own, outside the file's transaction.
    public func runsStandalone(_ statement: PipelineIncompatibleStatement) -> Bool {
        self >= Self.firstRelease(runningStandalone: statement)
    }

    /// The first release that runs `statement` outside the file's transaction.
    public static func firstRelease(runningStandalone statement: PipelineIncompatibleStatement) -> SupabaseCLIVersion {
        statement == .dropIndexConcurrently ? .standaloneDropIndex : .standaloneStatements
    }
}

/// A statement PostgreSQL refuses inside a transaction block that the Supabase CLI recognises and
/// runs standalone (see `SupabaseCLIVersion`).
public enum PipelineIncompatibleStatement: String, Sendable, Equatable {
    case createIndexConcurrently = "CREATE INDEX CONCURRENTLY"
    case reindexConcurrently = "REINDEX CONCURRENTLY"
    case vacuum = "VACUUM"
    case alterSystem = "ALTER SYSTEM"
    case cluster = "CLUSTER"
    case dropIndexConcurrently = "DROP INDEX CONCURRENTLY"
}

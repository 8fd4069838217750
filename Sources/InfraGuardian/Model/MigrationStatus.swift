import Foundation

/// A migration's state, joining the files on disk with what the database recorded.
public struct MigrationStatusEntry: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case applied
        case pending
        case appliedMissingFile = "applied_missing_file"
        /// No database to compare with.
        case unknown
        /// The file could not be read.
        case unreadable
    }

    public var name: String
    public var version: String?
    public var kind: MigrationKind
    public var state: State
    public var appliedAt: Date?
    /// The file, when there is one.
    public var path: String?

    public init(name: String, version: String?, kind: MigrationKind, state: State, appliedAt: Date? = nil,
                path: String? = nil) {
        self.name = name
        self.version = version
        self.kind = kind
        self.state = state
        self.appliedAt = appliedAt
        self.path = path
    }
}

public enum MigrationStatusResolver {
    /// One entry per file, plus one per recorded version that has no file, in version order.
    /// `history` nil means no database was read: file states are `unknown`.
    public static func resolve(_ set: MigrationSet, history: MigrationHistory?) -> [MigrationStatusEntry] {
        var entries: [MigrationStatusEntry] = []
        for kind in MigrationKind.allCases {
            let files = set.files.filter { $0.kind == kind }
            let hasFolder = set.folders.contains { $0.kind == kind && $0.exists }
            let applied: [AppliedMigration]? = switch kind {
            case .dbmate: history?.dbmate
            case .supabase: history?.supabase
            case .psql: nil  // psql keeps no history table
            }
            let byVersion = Dictionary((applied ?? []).map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
            var seen = Set<String>()
            for file in files {
                let record = file.version.flatMap { byVersion[$0] }
                if let version = file.version { seen.insert(version) }
                let state: MigrationStatusEntry.State
                if file.readError != nil {
                    state = .unreadable
                } else if history == nil || kind == .psql {
                    state = .unknown
                } else {
                    state = record != nil ? .applied : .pending
                }
                entries.append(MigrationStatusEntry(name: file.name, version: file.version, kind: kind, state: state,
                                                    appliedAt: record?.appliedAt, path: file.path))
            }
            // A recorded version without a file matters only where this kind's folder was read.
            guard hasFolder || !files.isEmpty else { continue }
            for record in applied ?? [] where !seen.contains(record.version) {
                entries.append(MigrationStatusEntry(name: record.name.map { "\(record.version)_\($0)" } ?? record.version,
                                                    version: record.version, kind: kind, state: .appliedMissingFile,
                                                    appliedAt: record.appliedAt))
            }
        }
        return entries.sorted { ($0.version ?? $0.name, $0.name) < ($1.version ?? $1.name, $1.name) }
    }
}

import Foundation

/// What `verify` observed running migrations on a scratch database: for each target migration,
/// its steps (up, up again, down, up once more), the locks its up section took on tables that
/// existed before it, the relations it rewrote and what its down section left behind. The six
/// verification rules read it (`AuditInput.verification`); the step table is rendered from it.
public struct MigrationVerification: Codable, Sendable, Equatable {
    /// "throwaway PostgreSQL 15.13 started by verify", or the masked `--scratch-url` and its version.
    public var server: String
    public var migrations: [VerifiedMigration]
    /// Why verification could not run at all (no server, the scratch database could not be created).
    public var error: String?
    /// Files applied before the targets, as dbmate or Supabase would (up sections only, untraced).
    public var applied: Int
    /// The scratch database it created (and dropped): `infra_guardian_verify_<pid>_<random>`.
    public var scratchDatabase: String?

    public init(server: String, migrations: [VerifiedMigration] = [], error: String? = nil, applied: Int = 0) {
        self.server = server
        self.migrations = migrations
        self.error = error
        self.applied = applied
    }

    /// True when every step of every target passed or was skipped for a documented reason.
    public var passed: Bool {
        error == nil && migrations.allSatisfy { $0.incomplete == nil && $0.steps.allSatisfy { $0.outcome != .failed } }
    }
}

public struct VerifiedMigration: Codable, Sendable, Equatable {
    /// The file path, as the migration set gives it.
    public var file: String
    public var steps: [VerificationStep]
    /// Locks the up section's statements held on tables that existed before the migration.
    public var locks: [ObservedLock]
    /// Tables and indexes that existed before the migration and got a new file (`relfilenode`).
    public var rewrites: [ObservedRewrite]
    /// How the catalog after the down section differs from the one before up ("index
    /// public.leads_score_idx left behind", "column public.leads.score missing").
    public var leftovers: [String]
    /// Table → synthetic rows inserted before up (`--seed-rows`), or why seeding it failed.
    public var seeded: [SeededTable]
    /// Why locks were not traced statement by statement (a `transaction:false` section is sent
    /// as one query), nil when they were.
    public var untracedLocks: String?
    /// Why `verify` could not finish this file (the scratch catalog could not be read, the server
    /// went away): the verification is incomplete, which fails the gate without blaming the file.
    public var incomplete: String?

    public init(file: String, steps: [VerificationStep] = [], locks: [ObservedLock] = [], rewrites: [ObservedRewrite] = [],
                leftovers: [String] = [], seeded: [SeededTable] = [], untracedLocks: String? = nil) {
        self.file = file
        self.steps = steps
        self.locks = locks
        self.rewrites = rewrites
        self.leftovers = leftovers
        self.seeded = seeded
        self.untracedLocks = untracedLocks
    }

    public func step(_ name: VerificationStep.Name) -> VerificationStep? { steps.first { $0.name == name } }
}

public struct VerificationStep: Codable, Sendable, Equatable {
    public enum Name: String, Codable, Sendable, CaseIterable {
        case up, upAgain = "up-again", down, compare, upOnceMore = "up-once-more"

        /// How the step table names it.
        public var label: String {
            switch self {
            case .up: return "up"
            case .upAgain: return "up again (idempotency)"
            case .down: return "down"
            case .compare: return "catalog after down = before up"
            case .upOnceMore: return "up once more"
            }
        }
    }

    public enum Outcome: String, Codable, Sendable {
        case passed, failed, skipped
    }

    /// The down step's detail when there is nothing to run.
    public static let noDownSection = "it has no `-- migrate:down` section"
    public static let emptyDownSection = "its `-- migrate:down` section holds no statement"
    static let missingDownDetails: Set<String> = [noDownSection, emptyDownSection]

    public var name: Name
    public var outcome: Outcome
    public var milliseconds: Double
    /// Failed: PostgreSQL's message and the statement's line; skipped: why.
    public var detail: String?
    /// The file line of the statement that failed.
    public var line: Int?

    public init(_ name: Name, _ outcome: Outcome, milliseconds: Double = 0, detail: String? = nil, line: Int? = nil) {
        self.name = name
        self.outcome = outcome
        self.milliseconds = milliseconds
        self.detail = detail
        self.line = line
    }
}

public struct ObservedLock: Codable, Sendable, Equatable {
    /// `schema.table`.
    public var table: String
    /// PostgreSQL's name of the mode (`AccessExclusiveLock`).
    public var mode: String
    public var line: Int
    /// The statement's first line, shortened.
    public var statement: String
    /// The linter's `LockFootprint` named this lock (same table, same or stronger mode).
    public var predicted: Bool

    public init(table: String, mode: String, line: Int, statement: String, predicted: Bool) {
        self.table = table
        self.mode = mode
        self.line = line
        self.statement = statement
        self.predicted = predicted
    }

    /// SHARE ROW EXCLUSIVE and above: the modes that block writes (the ones the linter models).
    public var isStrong: Bool { ["ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"].contains(mode) }
}

public struct ObservedRewrite: Codable, Sendable, Equatable {
    public var relation: String
    /// `table` or `index`.
    public var kind: String
    public var line: Int
    public var statement: String
    /// Rows in the table when it was rewritten (seeded or earlier migrations' data).
    public var rows: Int?
    /// The linter predicted a lock held while the statement scans or rewrites this table.
    public var predicted: Bool

    public init(relation: String, kind: String, line: Int, statement: String, rows: Int?, predicted: Bool) {
        self.relation = relation
        self.kind = kind
        self.line = line
        self.statement = statement
        self.rows = rows
        self.predicted = predicted
    }
}

public struct SeededTable: Codable, Sendable, Equatable {
    public var table: String
    public var rows: Int
    /// Why no rows could be inserted (a CHECK constraint, a type without a generator...).
    public var failure: String?

    public init(table: String, rows: Int, failure: String? = nil) {
        self.table = table
        self.rows = rows
        self.failure = failure
    }
}

import Foundation

/// The settings of one run: `.infra-guardian.yml` merged over the defaults, then command-line flags.
public struct Configuration: Sendable, Equatable {
    public var rules: [String: RuleSetting] = [:]
    public var thresholds = Thresholds()
    public var gate = GatePolicy()
    public var paths = Paths()
    public var postgres = PostgresSettings()
    public var redis = RedisSettings()
    /// The file this came from, if any.
    public var sourceFile: String?

    public init() {}

    public func setting(for ruleID: String) -> RuleSetting { rules[ruleID] ?? RuleSetting() }
}

public struct RuleSetting: Sendable, Equatable {
    public var enabled: Bool = true
    public var severity: Severity?
    /// Where the setting was written, for errors about unknown rule ids.
    public var line: Int?

    public init(enabled: Bool = true, severity: Severity? = nil) {
        self.enabled = enabled
        self.severity = severity
    }
}

public struct Thresholds: Sendable, Equatable {
    /// `SELECT 1` slower than this makes PostgreSQL degraded (the seed: < 100 ms is healthy).
    public var postgresPingMillis: Double = 100
    /// `PING` slower than this makes Redis degraded (the seed: < 50 ms is healthy).
    public var redisPingMillis: Double = 50
    /// Connections in use above this share of `max_connections` raise a finding.
    public var connectionUsagePercent: Double = 80
    public var minimumPostgresMajor: Int = 15
    public var minimumRedisMajor: Int = 7

    public init() {}
}

public struct GatePolicy: Sendable, Equatable {
    /// Unwaived findings of these severities fail the gate.
    public var failOn: Set<Severity> = [.critical, .high]
    /// An unhealthy component (unreachable server, unreadable migrations) fails the gate.
    public var failOnUnhealthy: Bool = true
    /// A degraded component fails the gate too (off by default).
    public var failOnDegraded: Bool = false

    public init() {}
}

public struct Paths: Sendable, Equatable {
    /// Migration folders; nil means the defaults `db/migrations` and `supabase/migrations`,
    /// each used only when it exists. Folders with `supabase` in their path are read as Supabase's.
    public var migrations: [String]?
    /// Root of the TypeScript source tree.
    public var source: String?

    public init(migrations: [String]? = nil, source: String? = nil) {
        self.migrations = migrations
        self.source = source
    }

    public static let defaultMigrationFolders = ["db/migrations", "supabase/migrations"]
}

public struct PostgresSettings: Sendable, Equatable {
    /// A connection URL or libpq keyword string; prefer `DATABASE_URL` or `PG*` variables to keep
    /// secrets out of the file.
    public var url: String?
    public var connectTimeoutSeconds: Int = 5
    public var statementTimeoutMillis: Int = 5000
    public var lockTimeoutMillis: Int = 1000
    /// How many `SELECT 1` round trips to time.
    public var pingSamples: Int = 5

    public init() {}
}

public struct RedisSettings: Sendable, Equatable {
    public var url: String?
    public var connectTimeoutMillis: Int = 2000
    public var commandTimeoutMillis: Int = 2000
    public var pingSamples: Int = 5

    public init() {}
}

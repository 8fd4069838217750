import Foundation

/// The settings of one run: `.infra-guardian.yml` merged over the defaults, then command-line flags.
public struct Configuration: Sendable, Equatable {
    public var rules: [String: RuleSetting] = [:]
    public var thresholds = Thresholds()
    public var gate = GatePolicy()
    public var paths = Paths()
    /// How the migration files are run (`migrations:`).
    public var migrations = MigrationSettings()
    /// Where the adapter analysis looks for ports, adapters and tests (`adapters:`).
    public var adapters = AdapterSettings()
    public var postgres = PostgresSettings()
    public var redis = RedisSettings()
    public var vector = VectorSettings()
    /// Schemas the live audit leaves out (`schemas:` in the configuration).
    public var schemas = SchemaSettings()
    /// Named queries measured into the Performance Metrics table.
    public var probes: [ProbeDefinition] = []
    public var indexAdvice = IndexAdviceSettings()
    public var report = ReportSettings()
    /// The keyword-triggered agent (`agent:`).
    public var agent = AgentSettings()
    /// Extra SQL rule-pack files (YAML) besides the built-in `rules/` folder.
    public var rulePacks: [String] = []
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
    /// Unused indexes smaller than this are not worth a finding (PgHero: 10 MB).
    public var unusedIndexMinBytes: Int64 = 10 * 1024 * 1024
    /// Tables with at least this many rows are checked for sequential-scan-heavy reads (PgHero: 10,000).
    public var seqScanMinRows: Double = 10_000
    /// ... and flagged when index scans are below this share of all scans (PgHero: 95 %).
    public var seqScanMinIndexPercent: Double = 95
    /// Sequences and int4 keys above this share of their type's maximum (PgHero: 90 %).
    public var sequenceUsagePercent: Double = 90
    /// Transaction-ID age that raises a wraparound finding (autovacuum_freeze_max_age is 200 M by default).
    public var transactionIDAge: Int64 = 500_000_000
    /// Dead tuples above this share of live + dead, on tables with at least `deadTupleMinRows` dead rows.
    public var deadTuplePercent: Double = 20
    public var deadTupleMinRows: Int64 = 10_000
    /// Estimated bloat above this share, on relations with at least `bloatMinBytes` of bloat.
    public var bloatPercent: Double = 50
    public var bloatMinBytes: Int64 = 100 * 1024 * 1024
    public var idleInTransactionSeconds: Double = 60
    public var longRunningQuerySeconds: Double = 60
    /// pg_stat_statements: slow when the mean is at least this and calls at least `slowQueryMinCalls` (PgHero: 20 ms, 100).
    public var slowQueryMeanMillis: Double = 20
    public var slowQueryMinCalls: Int64 = 100
    /// A range-partitioned table whose last partition ends within this many days (or already ended)
    /// and has no DEFAULT partition raises `partition-horizon`.
    public var partitionHorizonDays: Int = 30
    /// Redis memory in use above this share of `maxmemory` (`redis_memory_percent`).
    public var redisMemoryPercent: Double = 90
    /// `mem_fragmentation_ratio` above this, on an instance using at least 100 MB (`redis_fragmentation_ratio`).
    public var redisFragmentationRatio: Double = 1.5
    /// Cache hits below this share of lookups, over at least 10,000 lookups (`redis_hit_ratio_percent`).
    public var redisHitRatioPercent: Double = 80
    /// SLOWLOG entries slower than this (`redis_slowlog_ms`).
    public var redisSlowlogMillis: Double = 100
    /// Connected clients above this share of `maxclients` (`redis_clients_percent`).
    public var redisClientsPercent: Double = 80
    /// Cached Lua scripts above this count (`redis_cached_scripts`; BullMQ alone loads about 50).
    public var redisCachedScripts: Int = 500
    /// Big keys (RedisInsight's thresholds): strings over this many bytes, hashes over this many
    /// fields, sets, sorted sets and lists over this many members, streams over this many entries.
    public var redisBigStringBytes: Int64 = 100 * 1024
    public var redisBigHashFields: Int64 = 5_000
    public var redisBigCollectionMembers: Int64 = 1_000
    public var redisBigStreamEntries: Int64 = 100_000

    public init() {}
}

/// What pgvector columns should look like (`vector:` in the configuration).
public struct VectorSettings: Sendable, Equatable {
    public enum Distance: String, Sendable, CaseIterable {
        case cosine, l2, innerProduct = "inner_product", l1

        /// The HNSW / IVFFlat operator class that serves this distance.
        public var operatorClass: String {
            switch self {
            case .cosine: "vector_cosine_ops"
            case .l2: "vector_l2_ops"
            case .innerProduct: "vector_ip_ops"
            case .l1: "vector_l1_ops"
            }
        }

        /// The query operator.
        public var queryOperator: String {
            switch self {
            case .cosine: "<=>"
            case .l2: "<->"
            case .innerProduct: "<#>"
            case .l1: "<+>"
            }
        }
    }

    public var dimensions: Int = 1536
    public var distance: Distance = .cosine
    /// Vector columns the application searches (`vector.columns`: `table.column` or
    /// `schema.table.column`), besides those pg_stat_statements shows searched.
    public var columns: [String] = []

    public init() {}

    /// True when `vector.columns` names this column (a bare `table.column` matches any schema).
    public func names(schema: String, table: String, column: String) -> Bool {
        columns.contains { entry in
            let parts = entry.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            switch parts.count {
            case 2: return parts[0] == table && parts[1] == column
            case 3: return parts[0] == schema && parts[1] == table && parts[2] == column
            default: return false
            }
        }
    }
}

/// Which schemas the live audit reads (`schemas:` in the configuration). Schemas that Supabase and
/// extensions manage are left out by default: their tables, indexes and functions are not the team's
/// to change. `pg_catalog`, `information_schema`, `pg_toast*` and temporary schemas are always left out.
public struct SchemaSettings: Sendable, Equatable {
    /// The default of `schemas.exclude`; `*` matches any run of characters.
    public static let managed = [
        "auth", "storage", "realtime", "graphql", "graphql_public", "extensions", "pgsodium", "pgsodium_masks",
        "vault", "supabase_functions", "supabase_migrations", "supabase_*", "net", "cron", "pgbouncer",
        "pg_catalog", "information_schema", "pg_toast",
    ]

    /// Names or `*` patterns. A list in the configuration replaces the default; the entry `default`
    /// stands for the default list (`exclude: [default, archive]` adds one).
    public var exclude: [String] = managed

    public init(exclude: [String] = managed) {
        self.exclude = exclude
    }

    /// `exclude` with `default` expanded.
    public var patterns: [String] {
        exclude.flatMap { $0 == "default" ? Self.managed : [$0] }
    }

    /// The patterns as SQL `LIKE` patterns (`_` and `%` escaped, `*` → `%`), for the catalog query.
    public var likePatterns: [String] {
        patterns.map { pattern in
            pattern.map { character -> String in
                switch character {
                case "*": "%"
                case "_", "%", "\\": "\\" + String(character)
                default: String(character)
                }
            }.joined()
        }
    }

    public func excludes(_ schema: String) -> Bool {
        patterns.contains { Self.matches(schema, $0) }
    }

    private static func matches(_ name: String, _ pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return name == pattern }
        var rest = Substring(name)
        guard let first = parts.first, rest.hasPrefix(first) else { return false }
        rest = rest.dropFirst(first.count)
        for part in parts.dropFirst().dropLast() {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        guard let last = parts.last else { return true }
        return rest.hasSuffix(last)
    }
}

/// A named query to measure: `probes:` in the configuration.
public struct ProbeDefinition: Sendable, Equatable {
    public var name: String
    /// The statement, with $1, $2... placeholders.
    public var sql: String
    /// Fixed parameter values, in placeholder order.
    public var parameters: [String]
    /// A read-only query whose first row supplies the parameters instead (e.g. a random lead id).
    public var parametersQuery: String?
    public var runs: Int
    /// Above this P95 the probe becomes a slow-query finding.
    public var budgetMillis: Double?
    /// Where it was written, for errors.
    public var line: Int?

    public init(name: String, sql: String, parameters: [String] = [], parametersQuery: String? = nil, runs: Int = 20,
                budgetMillis: Double? = nil, line: Int? = nil) {
        self.name = name
        self.sql = sql
        self.parameters = parameters
        self.parametersQuery = parametersQuery
        self.runs = runs
        self.budgetMillis = budgetMillis
        self.line = line
    }
}

/// Index advice proven with hypopg (`index_advice:` in the configuration).
public struct IndexAdviceSettings: Sendable, Equatable {
    public var enabled: Bool = true
    /// Suggest an index only when it cuts the plan cost by at least this share (Dexter: 50 %).
    public var minimumCostReductionPercent: Double = 50

    public init() {}
}

/// How the Markdown and HTML report lays out its findings (`report:` in the configuration).
public struct ReportSettings: Sendable, Equatable {
    /// A rule with more findings than this shows one summary row in Issues Found; every finding stays
    /// in JSON, SARIF, JUnit and the `--details` appendix. 0: no limit.
    public var maxRowsPerRule: Int = ReportSettings.defaultMaxRowsPerRule

    public static let defaultMaxRowsPerRule = 10

    public init(maxRowsPerRule: Int = ReportSettings.defaultMaxRowsPerRule) {
        self.maxRowsPerRule = maxRowsPerRule
    }
}

public struct GatePolicy: Sendable, Equatable {
    /// Unwaived findings of these severities fail the gate.
    public var failOn: Set<Severity> = [.critical, .high]
    /// An unhealthy component (unreachable server, unreadable migrations) fails the gate.
    public var failOnUnhealthy: Bool = true
    /// A degraded component fails the gate too (off by default).
    public var failOnDegraded: Bool = false
    /// What findings of migrations already applied do (`gate.history`).
    public var history: HistoryPolicy = .report
    /// A baseline file (`gate.baseline`, or `--baseline`): its findings do not gate.
    public var baseline: String?

    public init() {}
}

/// `gate.history`: findings of migrations already applied to the audited database.
public enum HistoryPolicy: String, Sendable, Equatable, CaseIterable {
    /// Listed in their own group with counts per rule; they never fail the gate (default).
    case report
    /// Gate like any other finding.
    case fail
    /// Left out of the report; the gate's reasons say how many.
    case hide
}

public struct Paths: Sendable, Equatable {
    /// Migration folders; nil means the defaults `db/migrations` and `supabase/migrations`,
    /// each used only when it exists. Folders with `supabase` in their path are read as Supabase's
    /// unless `migrations.runner` names their runner.
    public var migrations: [String]?
    /// Root of the TypeScript source tree.
    public var source: String?

    public init(migrations: [String]? = nil, source: String? = nil) {
        self.migrations = migrations
        self.source = source
    }

    public static let defaultMigrationFolders = ["db/migrations", "supabase/migrations"]
}

/// `migrations:`: which tool runs each migration folder, and which Supabase CLI release.
public struct MigrationSettings: Sendable, Equatable {
    /// The Supabase CLI release modelled for Supabase folders (`supabase_cli`, default `latest`).
    public var supabaseCLI: SupabaseCLIVersion = .latest
    /// The runner of every folder (`runner: psql`), when the configuration names one for all.
    public var runner: MigrationKind?
    /// Runners per folder (`runner: {db/migrations: dbmate, sql: psql}`); the longest folder that
    /// holds a path decides.
    public var runners: [String: MigrationKind] = [:]

    public init() {}

    /// The runner of the folder or file at `path`: the configured one, else Supabase for a path
    /// with a `supabase` component and dbmate for any other.
    public func runner(for path: String) -> MigrationKind {
        let normalized = Self.normalized(path)
        let folder = runners.keys.map { ($0, Self.normalized($0)) }
            .filter { normalized == $0.1 || normalized.hasPrefix($0.1 + "/") }
            .max { $0.1.count < $1.1.count }
        if let folder, let kind = runners[folder.0] { return kind }
        return runner ?? Self.defaultRunner(for: path)
    }

    public static func defaultRunner(for path: String) -> MigrationKind {
        path.split(separator: "/").contains { $0 == "supabase" } ? .supabase : .dbmate
    }

    /// `./db/migrations/` → `db/migrations`.
    static func normalized(_ path: String) -> String {
        var text = Substring(path)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}

/// `adapters:`: globs (relative to the source root) that add to, or with `replace: true` replace,
/// the built-in ways of finding ports, adapters and tests.
public struct AdapterSettings: Sendable, Equatable {
    /// Files whose exported interfaces are ports.
    public var ports: [String] = []
    /// Files whose classes are adapters, whatever they do.
    public var adapters: [String] = []
    /// Test files.
    public var tests: [String] = []
    /// The globs replace the defaults instead of adding to them.
    public var replace = false

    public init() {}
}

public struct PostgresSettings: Sendable, Equatable {
    /// A connection URL or libpq keyword string; prefer `DATABASE_URL` or `PG*` variables to keep
    /// secrets out of the file.
    public var url: String?
    /// The environment variable holding the URL when neither `--database-url` nor `url` gives one
    /// (`postgres.url_env`; default `DATABASE_URL`).
    public var urlEnv: String?
    public var connectTimeoutSeconds: Int = 5
    public var statementTimeoutMillis: Int = 5000
    public var lockTimeoutMillis: Int = 1000
    /// How many `SELECT 1` round trips to time.
    public var pingSamples: Int = 5
    /// All probes together stop measuring after this many seconds (`postgres.probe_budget_s`).
    public var probeBudgetSeconds: Int = 30

    public init() {}
}

public struct RedisSettings: Sendable, Equatable {
    public var url: String?
    /// The environment variable holding the URL (`redis.url_env`; default `REDIS_URL`).
    public var urlEnv: String?
    public var connectTimeoutMillis: Int = 2000
    public var commandTimeoutMillis: Int = 2000
    public var pingSamples: Int = 5
    /// `redis.roles`: what each keyspace is for (defaults: the prefixes common libraries write).
    public var roles: [RedisRole: RedisRoleSettings] = RedisRoleSettings.defaults
    /// `redis.sample`: the budgets of key sampling.
    public var sample = RedisSampleSettings()

    public init() {}

    /// The roles configured to another instance than the main one (`url`, else the variable named
    /// by `url_env`), grouped by that URL, in role order.
    public func instancesByURL(environment: [String: String], main: String?) -> [(url: String, roles: [RedisRole])] {
        var order: [String] = []
        var roles: [String: [RedisRole]] = [:]
        for role in RedisRole.allCases {
            guard let settings = self.roles[role],
                  let url = [settings.url, settings.urlEnv.flatMap { environment[$0] }].lazy
                      .compactMap({ $0?.trimmingCharacters(in: .whitespacesAndNewlines) }).first(where: { !$0.isEmpty }),
                  url != main else { continue }
            if roles[url] == nil { order.append(url) }
            roles[url, default: []].append(role)
        }
        return order.map { ($0, roles[$0] ?? []) }
    }
}

/// `agent:` — when the keyword-triggered agent answers, and how long it may take.
public struct AgentSettings: Sendable, Equatable {
    /// The seed's activation keywords; `agent.keywords` replaces them.
    public static let defaultKeywords = ["infrastructure", "database", "PostgreSQL", "Postgres", "migration", "adapter",
                                         "repository", "Redis", "cache", "vector store", "pgvector", "connection pool",
                                         "persistence", "schema", "index"]
    public var keywords: [String] = AgentSettings.defaultKeywords
    /// Seconds the hook answer may take in all (`agent.budget_s`): live checks that would exceed it are skipped.
    public var budgetSeconds: Double = 10

    public init() {}
}

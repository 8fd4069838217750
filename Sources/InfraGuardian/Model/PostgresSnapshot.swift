import Foundation

/// Everything the audit knows about one PostgreSQL database, collected in a fixed number of queries.
public struct PostgresSnapshot: Codable, Sendable {
    /// `server_version`, e.g. "15.4" or "18.6 (Debian ...)".
    public var serverVersion: String
    /// `server_version_num`, e.g. 150004.
    public var serverVersionNum: Int
    public var database: String
    public var currentUser: String
    /// Key settings by name (`max_connections`, `shared_buffers`, `statement_timeout`...).
    public var settings: [String: String]
    public var connections: ConnectionStats
    public var extensions: [Extension]
    public var tables: [Table]
    public var columns: [Column]
    public var indexes: [Index]
    public var constraints: [Constraint]
    /// Functions and procedures of the audited schemas (not an extension's); nil in snapshots saved
    /// before they were collected.
    public var functions: [DatabaseFunction]?
    /// The `schemas.exclude` patterns collection left out; nil in older snapshots.
    public var excludedSchemas: [String]?
    /// `pg_stat_database.stats_reset` of this database: scan counters count from then. NULL (nil) until
    /// someone resets them, so "since the statistics were last reset" is often all that can be said.
    public var statsResetAt: Date?
    /// Indexes a `CREATE INDEX CONCURRENTLY` / `REINDEX CONCURRENTLY` is building right now
    /// (`pg_stat_progress_create_index`), as `schema.table.index`: invalid until the build ends, but
    /// not broken. Builds by other roles are invisible without `pg_read_all_stats`.
    public var indexesBeingBuilt: [String]
    /// Round-trip times of `SELECT 1`, in milliseconds, in the order measured.
    public var pingMillis: [Double]
    /// Versions recorded by dbmate and Supabase, when their tables exist.
    public var migrationHistory: MigrationHistory
    /// Rows returned by rule-pack queries, by rule id; nil when no pack ran.
    public var packResults: [String: PackResult]?
    /// Transaction-ID age, sequences, vacuum, bloat and long sessions; nil in snapshots saved before
    /// these facts were collected.
    public var maintenance: MaintenanceStats?
    /// How many catalog queries collection sent: constant whatever the schema size. Measurements are
    /// counted apart, in `measurementQueryCount`: pings, pg_stat_statements, probe runs and index
    /// advice depend on the configuration (probe runs, candidate queries), not on the schema.
    public var queryCount: Int
    public var collectedAt: Date
    /// Top statements of pg_stat_statements; nil in snapshots collected before this existed.
    public var statementStats: StatementStats?
    /// Configured probes (`probes:`), measured in the audit session.
    public var probes: [ProbeResult]?
    /// Index suggestions proven with hypopg, or why there are none.
    public var indexAdvice: IndexAdvice?
    /// Statements sent for measurement (pg_stat_statements, probes with warm-up and parameter queries,
    /// EXPLAIN and hypopg calls); bounded by the configuration, not by the schema. Pings are apart.
    public var measurementQueryCount: Int?
    /// The role the audit connected as and what it could write; nil in older snapshots.
    public var auditRole: AuditRole?
    /// Parts that could not be read (a lock held by another session, a timeout, the deadline); nil
    /// or empty when the collection is complete.
    public var missingParts: [MissingPart]?

    mutating func addMissing(_ part: String, _ reason: String) {
        missingParts = (missingParts ?? []) + [MissingPart(part: part, reason: reason)]
    }

    public init(serverVersion: String = "15.4", serverVersionNum: Int = 150004, database: String = "postgres",
                currentUser: String = "postgres", settings: [String: String] = ["max_connections": "100"],
                connections: ConnectionStats = ConnectionStats(), extensions: [Extension] = [],
                tables: [Table] = [], columns: [Column] = [], indexes: [Index] = [],
                constraints: [Constraint] = [], functions: [DatabaseFunction]? = nil, statsResetAt: Date? = nil,
                indexesBeingBuilt: [String] = [],
                pingMillis: [Double] = [1],
                migrationHistory: MigrationHistory = MigrationHistory(), maintenance: MaintenanceStats? = nil,
                queryCount: Int = 0, collectedAt: Date = Date(timeIntervalSince1970: 0),
                statementStats: StatementStats? = nil, probes: [ProbeResult]? = nil, indexAdvice: IndexAdvice? = nil,
                measurementQueryCount: Int? = nil) {
        self.serverVersion = serverVersion
        self.serverVersionNum = serverVersionNum
        self.database = database
        self.currentUser = currentUser
        self.settings = settings
        self.connections = connections
        self.extensions = extensions
        self.tables = tables
        self.columns = columns
        self.indexes = indexes
        self.constraints = constraints
        self.functions = functions
        self.statsResetAt = statsResetAt
        self.indexesBeingBuilt = indexesBeingBuilt
        self.pingMillis = pingMillis
        self.migrationHistory = migrationHistory
        self.maintenance = maintenance
        self.queryCount = queryCount
        self.collectedAt = collectedAt
        self.statementStats = statementStats
        self.probes = probes
        self.indexAdvice = indexAdvice
        self.measurementQueryCount = measurementQueryCount
    }

    /// Major version (15, 16, ... 18) from `server_version_num`.
    public var majorVersion: Int { serverVersionNum / 10000 }

    /// "15.4" without distribution suffixes.
    public var shortVersion: String {
        String(serverVersion.prefix { $0 == "." || $0.isNumber })
    }

    public var maxConnections: Int? { settings["max_connections"].flatMap { Int($0) } }

    public func extensionVersion(_ name: String) -> String? {
        extensions.first { $0.name == name }?.version
    }
}

public struct ConnectionStats: Codable, Sendable, Equatable {
    /// All backends of client type (`pg_stat_activity` where `backend_type = 'client backend'`).
    public var total: Int
    /// Count per `state` (active, idle, idle in transaction, ...).
    public var byState: [String: Int]

    public init(total: Int = 1, byState: [String: Int] = ["active": 1]) {
        self.total = total
        self.byState = byState
    }
}

public struct Extension: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    public var schema: String

    public init(name: String, version: String, schema: String = "public") {
        self.name = name
        self.version = version
        self.schema = schema
    }
}

public struct Table: Codable, Sendable, Equatable {
    public var schema: String
    public var name: String
    /// `pg_class.relkind`: r (table), p (partitioned table).
    public var kind: String
    /// `pg_class.reltuples`: -1 while the table was never vacuumed or analyzed (unknown).
    public var rowEstimate: Double
    public var sizeBytes: Int64
    public var seqScan: Int64
    public var idxScan: Int64
    public var liveTuples: Int64
    public var deadTuples: Int64
    public var lastVacuum: Date?
    public var lastAutovacuum: Date?
    public var lastAnalyze: Date?
    public var lastAutoanalyze: Date?
    /// For a partition: its partitioned parent as `schema.table` (`pg_inherits` with `relispartition`).
    public var partitionOf: String?

    public init(schema: String = "public", name: String, kind: String = "r", rowEstimate: Double = 0,
                sizeBytes: Int64 = 0, seqScan: Int64 = 0, idxScan: Int64 = 0, liveTuples: Int64 = 0,
                deadTuples: Int64 = 0, lastVacuum: Date? = nil, lastAutovacuum: Date? = nil,
                lastAnalyze: Date? = nil, lastAutoanalyze: Date? = nil, partitionOf: String? = nil) {
        self.schema = schema
        self.name = name
        self.kind = kind
        self.rowEstimate = rowEstimate
        self.sizeBytes = sizeBytes
        self.seqScan = seqScan
        self.idxScan = idxScan
        self.liveTuples = liveTuples
        self.deadTuples = deadTuples
        self.lastVacuum = lastVacuum
        self.lastAutovacuum = lastAutovacuum
        self.lastAnalyze = lastAnalyze
        self.lastAutoanalyze = lastAutoanalyze
        self.partitionOf = partitionOf
    }

    public var qualifiedName: String { "\(schema).\(name)" }
}

public struct Column: Codable, Sendable, Equatable {
    public var schema: String
    public var table: String
    public var name: String
    public var position: Int
    /// `format_type(atttypid, atttypmod)`, e.g. `vector(1536)`, `timestamp with time zone`.
    public var type: String
    public var notNull: Bool
    public var defaultExpression: String?
    /// `attidentity`: "" none, "a" always, "d" by default.
    public var identity: String
    /// `attgenerated`: "" none, "s" stored.
    public var generated: String

    public init(schema: String = "public", table: String, name: String, position: Int = 1, type: String,
                notNull: Bool = false, defaultExpression: String? = nil, identity: String = "",
                generated: String = "") {
        self.schema = schema
        self.table = table
        self.name = name
        self.position = position
        self.type = type
        self.notNull = notNull
        self.defaultExpression = defaultExpression
        self.identity = identity
        self.generated = generated
    }
}

public struct Index: Codable, Sendable, Equatable {
    public var schema: String
    public var table: String
    public var name: String
    /// `pg_get_indexdef`, e.g. `CREATE INDEX idx ON public.t USING btree (a)`.
    public var definition: String
    /// Access method: btree, hash, gin, gist, hnsw, ivfflat...
    public var method: String
    public var isUnique: Bool
    public var isPrimary: Bool
    public var isValid: Bool
    /// `indisready`: false while a concurrent build is still in its first phase.
    public var isReady: Bool
    public var sizeBytes: Int64
    public var scans: Int64
    /// Key column names in order; an expression column is given as its expression text.
    public var columns: [String]
    /// Operator class names per key column (e.g. `vector_cosine_ops`).
    public var operatorClasses: [String]
    /// The partial-index predicate, when there is one.
    public var predicate: String?
    /// Storage options (`m=16`, `ef_construction=64`).
    public var options: [String]

    public init(schema: String = "public", table: String, name: String, definition: String = "",
                method: String = "btree", isUnique: Bool = false, isPrimary: Bool = false,
                isValid: Bool = true, isReady: Bool = true, sizeBytes: Int64 = 8192, scans: Int64 = 0,
                columns: [String] = [], operatorClasses: [String] = [], predicate: String? = nil,
                options: [String] = []) {
        self.schema = schema
        self.table = table
        self.name = name
        self.definition = definition
        self.method = method
        self.isUnique = isUnique
        self.isPrimary = isPrimary
        self.isValid = isValid
        self.isReady = isReady
        self.sizeBytes = sizeBytes
        self.scans = scans
        self.columns = columns
        self.operatorClasses = operatorClasses
        self.predicate = predicate
        self.options = options
    }

    public var qualifiedName: String { "\(schema).\(table).\(name)" }
}

public struct Constraint: Codable, Sendable, Equatable {
    public var schema: String
    public var table: String
    public var name: String
    /// `pg_constraint.contype`: p, f, u, c, x.
    public var type: String
    /// `pg_get_constraintdef`.
    public var definition: String
    public var isValidated: Bool
    public var columns: [String]
    /// For foreign keys: `schema.table` referenced.
    public var referencedTable: String?

    public init(schema: String = "public", table: String, name: String, type: String,
                definition: String = "", isValidated: Bool = true, columns: [String] = [],
                referencedTable: String? = nil) {
        self.schema = schema
        self.table = table
        self.name = name
        self.type = type
        self.definition = definition
        self.isValidated = isValidated
        self.columns = columns
        self.referencedTable = referencedTable
    }
}

/// A function or procedure: its signature and settings, never its body.
public struct DatabaseFunction: Codable, Sendable, Equatable {
    public var schema: String
    public var name: String
    /// `pg_get_function_identity_arguments`: `p_id uuid, p_limit integer` (what ALTER FUNCTION needs).
    public var arguments: String
    /// `pg_proc.prokind`: f (function), p (procedure).
    public var kind: String
    /// `plpgsql`, `sql`, `c`...
    public var language: String
    public var securityDefiner: Bool
    /// The `search_path` its `proconfig` pins (`SET search_path = ...`); nil when it pins none.
    public var searchPath: String?

    public init(schema: String = "public", name: String, arguments: String = "", kind: String = "f",
                language: String = "plpgsql", securityDefiner: Bool = false, searchPath: String? = nil) {
        self.schema = schema
        self.name = name
        self.arguments = arguments
        self.kind = kind
        self.language = language
        self.securityDefiner = securityDefiner
        self.searchPath = searchPath
    }
}

/// What the migration tools recorded in the database.
public struct MigrationHistory: Codable, Sendable, Equatable {
    /// `public.schema_migrations` (dbmate); nil when the table does not exist.
    public var dbmate: [AppliedMigration]?
    /// `supabase_migrations.schema_migrations`; nil when the table does not exist.
    public var supabase: [AppliedMigration]?

    public init(dbmate: [AppliedMigration]? = nil, supabase: [AppliedMigration]? = nil) {
        self.dbmate = dbmate
        self.supabase = supabase
    }

    public var isKnown: Bool { dbmate != nil || supabase != nil }
}

public struct AppliedMigration: Codable, Sendable, Equatable {
    public var version: String
    /// dbmate records no time; Supabase records none either in older CLIs.
    public var appliedAt: Date?
    public var name: String?

    public init(version: String, appliedAt: Date? = nil, name: String? = nil) {
        self.version = version
        self.appliedAt = appliedAt
        self.name = name
    }
}

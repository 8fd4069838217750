import Foundation

/// The top statements of `pg_stat_statements` for the audited database, or why they could not be read.
public struct StatementStats: Codable, Sendable, Equatable {
    /// Top `limit` by mean execution time, united with the top `limit` by total execution time.
    public var statements: [StatementStat]
    /// How many of each ranking were asked for.
    public var limit: Int
    /// Set when the statements could not be read: extension missing, not preloaded, access denied.
    public var unavailableReason: String?
    /// Statements left out because this role may not read their text (needs `pg_read_all_stats`).
    public var hiddenStatements: Int
    /// Every statement (not only the top ones) that applies a pgvector distance operator to a column,
    /// as names: which vector columns the application searches. nil in older snapshots.
    public var vectorSearches: [VectorSearch]?

    public init(statements: [StatementStat] = [], limit: Int = 20, unavailableReason: String? = nil,
                hiddenStatements: Int = 0) {
        self.statements = statements
        self.limit = limit
        self.unavailableReason = unavailableReason
        self.hiddenStatements = hiddenStatements
    }

    public static func unavailable(_ reason: String, limit: Int = 20) -> StatementStats {
        StatementStats(limit: limit, unavailableReason: reason)
    }

    public var isAvailable: Bool { unavailableReason == nil }
}

/// A statement that orders or filters by a pgvector distance: the relations it reads and the column
/// references the operator compares, as written (`d.embedding` with `d` an alias of `app.docs`).
public struct VectorSearch: Codable, Sendable, Equatable {
    public struct Relation: Codable, Sendable, Equatable {
        public var schema: String?
        public var name: String
        public var alias: String?

        public init(schema: String? = nil, name: String, alias: String? = nil) {
            self.schema = schema
            self.name = name
            self.alias = alias
        }
    }

    public struct Operand: Codable, Sendable, Equatable {
        /// Set for `schema.table.column` only.
        public var schema: String?
        /// The table or alias before the column, when written.
        public var qualifier: String?
        public var column: String

        public init(schema: String? = nil, qualifier: String? = nil, column: String) {
            self.schema = schema
            self.qualifier = qualifier
            self.column = column
        }
    }

    public var calls: Int64
    public var relations: [Relation]
    public var operands: [Operand]

    public init(calls: Int64 = 1, relations: [Relation], operands: [Operand]) {
        self.calls = calls
        self.relations = relations
        self.operands = operands
    }
}

/// One `pg_stat_statements` entry. The text is normalized (constants replaced by `$n`) and shortened:
/// it describes the statement's shape, never the values it ran with.
public struct StatementStat: Codable, Sendable, Equatable {
    public var queryID: String?
    public var calls: Int64
    public var totalMillis: Double
    public var meanMillis: Double
    public var rows: Int64
    /// Normalized text, at most `StatementStat.maxQueryLength` characters (an ellipsis marks a cut).
    public var query: String

    public static let maxQueryLength = 500

    public init(queryID: String? = nil, calls: Int64, totalMillis: Double, meanMillis: Double, rows: Int64 = 0,
                query: String) {
        self.queryID = queryID
        self.calls = calls
        self.totalMillis = totalMillis
        self.meanMillis = meanMillis
        self.rows = rows
        self.query = query
    }
}

/// The measured latencies of one configured probe (`probes:`). Parameters are never recorded:
/// they may be patient ids.
public struct ProbeResult: Codable, Sendable, Equatable {
    public var name: String
    /// Runs asked for (the warm-up run is not counted).
    public var runs: Int
    public var latency: LatencySummary?
    /// Arithmetic mean of the samples, for benchmarks (percentiles are what the report shows).
    public var meanMillis: Double?
    public var budgetMillis: Double?
    /// Why the probe could not be measured (syntax error, timeout, missing table...).
    public var error: String?
    /// Why the probe was not sent at all: not one plain read, or it calls a volatile function.
    public var refusal: String?
    /// Said beside the numbers (fewer runs than asked when the probes' time budget ran out).
    public var note: String?

    public init(name: String, runs: Int, latency: LatencySummary? = nil, meanMillis: Double? = nil,
                budgetMillis: Double? = nil, error: String? = nil, refusal: String? = nil, note: String? = nil) {
        self.name = name
        self.runs = runs
        self.latency = latency
        self.meanMillis = meanMillis
        self.budgetMillis = budgetMillis
        self.error = error
        self.refusal = refusal
        self.note = note
    }
}

/// Index suggestions proven with hypopg's hypothetical indexes, or why none were looked for.
public struct IndexAdvice: Codable, Sendable, Equatable {
    public var suggestions: [IndexSuggestion]
    /// Set when advice was not attempted (disabled, hypopg not installed...).
    public var skippedReason: String?
    /// Queries examined (probes and slow statements), bounded by `IndexAdvisor.maxCandidates`.
    public var examinedQueries: Int
    /// Candidate queries that could not be planned, with the reason (label: reason).
    public var notes: [String]

    public init(suggestions: [IndexSuggestion] = [], skippedReason: String? = nil, examinedQueries: Int = 0,
                notes: [String] = []) {
        self.suggestions = suggestions
        self.skippedReason = skippedReason
        self.examinedQueries = examinedQueries
        self.notes = notes
    }

    public static func skipped(_ reason: String) -> IndexAdvice { IndexAdvice(skippedReason: reason) }

    /// The reason recorded when the configuration turns advice off (not worth a finding).
    public static let disabledReason = "index advice disabled (index_advice.enabled: false)"
}

/// One index that made a query's plan cheaper by the configured share.
public struct IndexSuggestion: Codable, Sendable, Equatable {
    /// Which query: `probe <name>` or `pg_stat_statements <queryid>`.
    public var query: String
    public var schema: String
    public var table: String
    public var columns: [String]
    /// `CREATE INDEX CONCURRENTLY IF NOT EXISTS ...;`
    public var statement: String
    /// Planner total cost of the generic plan without and with the hypothetical index.
    public var costBefore: Double
    public var costAfter: Double

    public init(query: String, schema: String = "public", table: String, columns: [String], statement: String,
                costBefore: Double, costAfter: Double) {
        self.query = query
        self.schema = schema
        self.table = table
        self.columns = columns
        self.statement = statement
        self.costBefore = costBefore
        self.costAfter = costAfter
    }

    public var qualifiedTable: String { "\(schema).\(table)" }
}

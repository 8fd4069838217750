import Foundation

/// Maintenance, capacity and activity facts of one database: transaction-ID age, sequences, vacuum
/// activity, bloat estimates and long sessions. Metadata only: never query text, never row values.
public struct MaintenanceStats: Codable, Sendable, Equatable {
    public var transactionIDs: TransactionIDStats
    public var sequences: [SequenceUsage]
    /// Vacuum facts of user tables that `Table` does not carry.
    public var tables: [TableMaintenance]
    /// The worst estimated table bloat (at most 20, largest first).
    public var tableBloat: [BloatEstimate]
    /// The worst estimated B-tree index bloat (at most 20, largest first).
    public var indexBloat: [BloatEstimate]
    /// Client sessions of the audited database idle in a transaction (at most 50, longest first).
    public var idleInTransaction: [SessionActivity]
    /// Client sessions of the audited database running a statement (at most 50, longest first).
    public var longRunning: [SessionActivity]
    /// `idle_in_transaction_session_timeout` set on roles or databases (`ALTER ROLE/DATABASE ... SET`).
    /// The server-wide value is not visible: the audit session sets its own.
    public var idleInTransactionTimeouts: [ScopedSetting]
    /// Why these facts are missing when their query failed (the rest of the audit still runs).
    public var unavailable: String?

    public init(transactionIDs: TransactionIDStats = TransactionIDStats(), sequences: [SequenceUsage] = [],
                tables: [TableMaintenance] = [], tableBloat: [BloatEstimate] = [], indexBloat: [BloatEstimate] = [],
                idleInTransaction: [SessionActivity] = [], longRunning: [SessionActivity] = [],
                idleInTransactionTimeouts: [ScopedSetting] = [], unavailable: String? = nil) {
        self.transactionIDs = transactionIDs
        self.sequences = sequences
        self.tables = tables
        self.tableBloat = tableBloat
        self.indexBloat = indexBloat
        self.idleInTransaction = idleInTransaction
        self.longRunning = longRunning
        self.idleInTransactionTimeouts = idleInTransactionTimeouts
        self.unavailable = unavailable
    }

    public func table(_ schema: String, _ name: String) -> TableMaintenance? {
        tables.first { $0.schema == schema && $0.name == name }
    }
}

public struct TransactionIDStats: Codable, Sendable, Equatable {
    /// `age(datfrozenxid)` of the audited database.
    public var databaseAge: Int64
    /// `mxid_age(datminmxid)` of the audited database.
    public var databaseMultixactAge: Int64
    public var freezeMaxAge: Int64
    public var multixactFreezeMaxAge: Int64
    /// Tables (system ones included: they wrap around too) with the oldest `relfrozenxid`, at most 10.
    public var oldestTables: [TableXIDAge]
    /// What holds the xmin horizon back, so VACUUM cannot freeze: sessions, slots, prepared transactions.
    public var oldestSessionXminAge: Int64?
    public var replicationSlots: [ReplicationSlotAge]
    public var preparedTransactions: Int
    public var oldestPreparedAge: Int64?

    public init(databaseAge: Int64 = 0, databaseMultixactAge: Int64 = 0, freezeMaxAge: Int64 = 200_000_000,
                multixactFreezeMaxAge: Int64 = 400_000_000, oldestTables: [TableXIDAge] = [],
                oldestSessionXminAge: Int64? = nil, replicationSlots: [ReplicationSlotAge] = [],
                preparedTransactions: Int = 0, oldestPreparedAge: Int64? = nil) {
        self.databaseAge = databaseAge
        self.databaseMultixactAge = databaseMultixactAge
        self.freezeMaxAge = freezeMaxAge
        self.multixactFreezeMaxAge = multixactFreezeMaxAge
        self.oldestTables = oldestTables
        self.oldestSessionXminAge = oldestSessionXminAge
        self.replicationSlots = replicationSlots
        self.preparedTransactions = preparedTransactions
        self.oldestPreparedAge = oldestPreparedAge
    }
}

public struct TableXIDAge: Codable, Sendable, Equatable {
    public var schema: String
    public var table: String
    /// `greatest(age(relfrozenxid), age(toast.relfrozenxid))`.
    public var age: Int64

    public init(schema: String = "public", table: String, age: Int64) {
        self.schema = schema
        self.table = table
        self.age = age
    }
}

public struct ReplicationSlotAge: Codable, Sendable, Equatable {
    public var name: String
    public var active: Bool
    public var xminAge: Int64?
    public var catalogXminAge: Int64?

    public init(name: String, active: Bool, xminAge: Int64? = nil, catalogXminAge: Int64? = nil) {
        self.name = name
        self.active = active
        self.xminAge = xminAge
        self.catalogXminAge = catalogXminAge
    }
}

/// One sequence and the columns it feeds (OWNED BY, identity, or a `nextval` default).
public struct SequenceUsage: Codable, Sendable, Equatable {
    public var schema: String
    public var name: String
    /// smallint, integer or bigint.
    public var dataType: String
    /// nil when never called or not readable by the audit role.
    public var lastValue: Int64?
    public var minValue: Int64
    public var maxValue: Int64
    public var increment: Int64
    public var cycles: Bool
    public var columns: [SequenceColumn]

    public init(schema: String = "public", name: String, dataType: String = "bigint", lastValue: Int64?,
                minValue: Int64 = 1, maxValue: Int64 = Int64.max, increment: Int64 = 1, cycles: Bool = false,
                columns: [SequenceColumn] = []) {
        self.schema = schema
        self.name = name
        self.dataType = dataType
        self.lastValue = lastValue
        self.minValue = minValue
        self.maxValue = maxValue
        self.increment = increment
        self.cycles = cycles
        self.columns = columns
    }

    public var qualifiedName: String { "\(schema).\(name)" }
}

public struct SequenceColumn: Codable, Sendable, Equatable {
    public var schema: String
    public var table: String
    public var column: String
    /// `format_type`: smallint, integer, bigint, numeric...
    public var type: String

    public init(schema: String = "public", table: String, column: String, type: String) {
        self.schema = schema
        self.table = table
        self.column = column
        self.type = type
    }

    public var qualifiedName: String { "\(schema).\(table).\(column)" }
}

/// Vacuum facts of one table beyond those of `Table` (`pg_stat_user_tables`, `reloptions`).
public struct TableMaintenance: Codable, Sendable, Equatable {
    public var schema: String
    public var name: String
    public var modsSinceAnalyze: Int64
    public var autovacuumCount: Int64
    public var autoanalyzeCount: Int64
    /// `autovacuum_*` and `toast.autovacuum_*` storage options, e.g. `autovacuum_enabled=off`.
    public var autovacuumOptions: [String]

    public init(schema: String = "public", name: String, modsSinceAnalyze: Int64 = 0, autovacuumCount: Int64 = 0,
                autoanalyzeCount: Int64 = 0, autovacuumOptions: [String] = []) {
        self.schema = schema
        self.name = name
        self.modsSinceAnalyze = modsSinceAnalyze
        self.autovacuumCount = autovacuumCount
        self.autoanalyzeCount = autoanalyzeCount
        self.autovacuumOptions = autovacuumOptions
    }

    /// The value of a storage option (`autovacuum_vacuum_scale_factor`), when set on the table.
    public func option(_ name: String) -> String? {
        autovacuumOptions.first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }

    public var autovacuumDisabled: Bool {
        option("autovacuum_enabled").map { ["off", "false", "no", "0"].contains($0.lowercased()) } ?? false
    }
}

/// A statistical bloat estimate (see `MaintenanceQuery`): how much of a relation's size is not needed.
public struct BloatEstimate: Codable, Sendable, Equatable {
    public var schema: String
    public var table: String
    /// The index name, for index bloat.
    public var index: String?
    public var sizeBytes: Int64
    public var bloatBytes: Int64

    public init(schema: String = "public", table: String, index: String? = nil, sizeBytes: Int64, bloatBytes: Int64) {
        self.schema = schema
        self.table = table
        self.index = index
        self.sizeBytes = sizeBytes
        self.bloatBytes = bloatBytes
    }

    public var percent: Double { sizeBytes > 0 ? Double(bloatBytes) * 100 / Double(sizeBytes) : 0 }

    public var qualifiedName: String { index.map { "\(schema).\(table).\($0)" } ?? "\(schema).\(table)" }
}

/// A client session from `pg_stat_activity`, without its query text (which may hold patient data).
public struct SessionActivity: Codable, Sendable, Equatable {
    public var pid: Int
    public var user: String?
    public var application: String?
    public var state: String
    public var waitEventType: String?
    /// Seconds in the current state: idle in transaction since, or running the current statement since.
    public var stateSeconds: Double
    public var transactionSeconds: Double?
    /// `age(backend_xmin)`: how far this session holds back vacuum.
    public var xminAge: Int64?

    public init(pid: Int, user: String? = "app", application: String? = "api", state: String = "active",
                waitEventType: String? = nil, stateSeconds: Double, transactionSeconds: Double? = nil,
                xminAge: Int64? = nil) {
        self.pid = pid
        self.user = user
        self.application = application
        self.state = state
        self.waitEventType = waitEventType
        self.stateSeconds = stateSeconds
        self.transactionSeconds = transactionSeconds
        self.xminAge = xminAge
    }
}

/// A setting written with `ALTER ROLE ... [IN DATABASE ...] SET` or `ALTER DATABASE ... SET`.
public struct ScopedSetting: Codable, Sendable, Equatable {
    /// nil: every role.
    public var role: String?
    /// nil: every database.
    public var database: String?
    public var value: String

    public init(role: String? = nil, database: String? = nil, value: String) {
        self.role = role
        self.database = database
        self.value = value
    }
}

import Foundation

/// The JSON document of `MaintenanceQuery`. Aggregates over empty sets are NULL, statistics of a
/// relation never vacuumed are NULL, and bloat estimates are numeric (sent with a fraction), hence the
/// optionals and the Double-typed byte counts.
struct MaintenanceRows: Decodable {
    struct TransactionIDs: Decodable {
        struct OldTable: Decodable { var schema: String; var table: String; var age: Int64? }
        struct Slot: Decodable { var name: String; var active: Bool?; var xminAge: Int64?; var catalogXminAge: Int64? }

        var databaseAge: Int64?
        var databaseMultixactAge: Int64?
        var freezeMaxAge: Int64?
        var multixactFreezeMaxAge: Int64?
        var oldestTables: [OldTable]?
        var oldestSessionXminAge: Int64?
        var replicationSlots: [Slot]?
        var preparedTransactions: Int?
        var oldestPreparedAge: Int64?
    }

    struct Sequence: Decodable {
        var schema: String; var name: String; var dataType: String?; var lastValue: Int64?
        var minValue: Int64?; var maxValue: Int64?; var increment: Int64?; var cycles: Bool?
        var columns: [SequenceColumn]?
    }

    struct Table: Decodable {
        var schema: String; var name: String; var modsSinceAnalyze: Int64?; var autovacuumCount: Int64?
        var autoanalyzeCount: Int64?; var autovacuumOptions: [String]?
    }

    struct Bloat: Decodable {
        var schema: String; var table: String; var index: String?; var sizeBytes: Double?; var bloatBytes: Double?
    }

    struct Session: Decodable {
        var pid: Int; var user: String?; var application: String?; var state: String?; var waitEventType: String?
        var stateSeconds: Double?; var transactionSeconds: Double?; var xminAge: Int64?
    }

    struct Timeout: Decodable { var role: String?; var database: String?; var value: String? }

    var transactionIDs: TransactionIDs
    var sequences: [Sequence]?
    var tables: [Table]?
    var tableBloat: [Bloat]?
    var indexBloat: [Bloat]?
    var idleInTransaction: [Session]?
    var longRunning: [Session]?
    var idleInTransactionTimeouts: [Timeout]?

    var stats: MaintenanceStats {
        MaintenanceStats(
            transactionIDs: transactionIDs.model,
            sequences: (sequences ?? []).map(\.model),
            tables: (tables ?? []).map {
                TableMaintenance(schema: $0.schema, name: $0.name, modsSinceAnalyze: $0.modsSinceAnalyze ?? 0,
                                 autovacuumCount: $0.autovacuumCount ?? 0, autoanalyzeCount: $0.autoanalyzeCount ?? 0,
                                 autovacuumOptions: $0.autovacuumOptions ?? [])
            },
            tableBloat: (tableBloat ?? []).map(\.model), indexBloat: (indexBloat ?? []).map(\.model),
            idleInTransaction: (idleInTransaction ?? []).map(\.model), longRunning: (longRunning ?? []).map(\.model),
            idleInTransactionTimeouts: (idleInTransactionTimeouts ?? []).map {
                ScopedSetting(role: $0.role, database: $0.database, value: $0.value ?? "")
            })
    }
}

extension MaintenanceRows.TransactionIDs {
    var model: TransactionIDStats {
        TransactionIDStats(
            databaseAge: databaseAge ?? 0, databaseMultixactAge: databaseMultixactAge ?? 0,
            freezeMaxAge: freezeMaxAge ?? 200_000_000, multixactFreezeMaxAge: multixactFreezeMaxAge ?? 400_000_000,
            oldestTables: (oldestTables ?? []).map { TableXIDAge(schema: $0.schema, table: $0.table, age: $0.age ?? 0) },
            oldestSessionXminAge: oldestSessionXminAge,
            replicationSlots: (replicationSlots ?? []).map {
                ReplicationSlotAge(name: $0.name, active: $0.active ?? false, xminAge: $0.xminAge,
                                   catalogXminAge: $0.catalogXminAge)
            },
            preparedTransactions: preparedTransactions ?? 0, oldestPreparedAge: oldestPreparedAge)
    }
}

extension MaintenanceRows.Sequence {
    var model: SequenceUsage {
        SequenceUsage(schema: schema, name: name, dataType: dataType ?? "bigint", lastValue: lastValue,
                      minValue: minValue ?? 1, maxValue: maxValue ?? Int64.max, increment: increment ?? 1,
                      cycles: cycles ?? false, columns: columns ?? [])
    }
}

extension MaintenanceRows.Bloat {
    var model: BloatEstimate {
        BloatEstimate(schema: schema, table: table, index: index, sizeBytes: Int64(sizeBytes ?? 0),
                      bloatBytes: Int64(bloatBytes ?? 0))
    }
}

extension MaintenanceRows.Session {
    var model: SessionActivity {
        SessionActivity(pid: pid, user: user, application: application, state: state ?? "unknown",
                        waitEventType: waitEventType, stateSeconds: stateSeconds ?? 0,
                        transactionSeconds: transactionSeconds, xminAge: xminAge)
    }
}

import Foundation

/// The JSON documents of `CatalogQuery`, as sent by the server. Almost everything is optional:
/// statistics are NULL for tables never scanned, aggregates are NULL over empty sets, and a relation
/// dropped while we read it yields NULL definitions instead of failing the audit.
struct CatalogRows: Decodable {
    struct Extension: Decodable { var name: String; var version: String?; var schema: String? }

    struct Table: Decodable {
        var schema: String; var name: String; var kind: String?; var rowEstimate: Double?
        var sizeBytes: Int64?; var seqScan: Int64?; var idxScan: Int64?
        var liveTuples: Int64?; var deadTuples: Int64?
        var lastVacuum: Double?; var lastAutovacuum: Double?; var lastAnalyze: Double?; var lastAutoanalyze: Double?
        var partitionOf: String?
    }

    struct Column: Decodable {
        var schema: String; var table: String; var name: String; var position: Int; var type: String?
        var notNull: Bool?; var defaultExpression: String?; var identity: String?; var generated: String?
    }

    struct Index: Decodable {
        var schema: String; var table: String; var name: String; var definition: String?; var method: String?
        var isUnique: Bool?; var isPrimary: Bool?; var isValid: Bool?; var isReady: Bool?
        var sizeBytes: Int64?; var scans: Int64?; var columns: [String?]?; var operatorClasses: [String]?
        var predicate: String?; var options: [String]?
    }

    struct Constraint: Decodable {
        var schema: String; var table: String; var name: String; var type: String; var definition: String?
        var isValidated: Bool?; var columns: [String]?; var referencedTable: String?
    }

    struct Function: Decodable {
        var schema: String; var name: String; var arguments: String?; var kind: String?; var language: String?
        var securityDefiner: Bool?; var searchPath: String?
    }

    /// A relation another session holds or waits for in ACCESS EXCLUSIVE mode: left out of the read.
    struct LockedRelation: Decodable {
        var schema: String; var name: String; var modes: String?
        /// False when the lock is only requested (a migration waiting behind readers): any new reader
        /// queues behind that request, so it blocks just the same.
        var granted: Bool?
    }

    struct MigrationTables: Decodable {
        var dbmate: Bool
        var supabase: Bool
        var supabaseName: Bool
    }

    var serverVersion: String
    var serverVersionNum: Int
    var database: String
    var currentUser: String
    var settings: [String: String]?
    var connections: [String: Int]?
    var extensions: [Extension]?
    var tables: [Table]?
    var columns: [Column]?
    var indexes: [Index]?
    var constraints: [Constraint]?
    var functions: [Function]?
    var statsResetAt: Double?
    var indexesBeingBuilt: [String]?
    var lockedRelations: [LockedRelation]?
    var migrationTables: MigrationTables
}

struct MigrationRows: Decodable {
    struct Supabase: Decodable { var version: String; var name: String? }

    var dbmate: [String]?
    var supabase: [Supabase]?

    var history: MigrationHistory {
        MigrationHistory(dbmate: dbmate.map { $0.map { AppliedMigration(version: $0) } },
                         supabase: supabase.map { $0.map { AppliedMigration(version: $0.version, name: $0.name) } })
    }
}

extension CatalogRows {
    /// The snapshot these rows describe; pings, history and counts are filled in by the collector.
    func snapshot(collectedAt: Date) -> PostgresSnapshot {
        let byState = connections ?? [:]
        var snapshot = PostgresSnapshot(
            serverVersion: serverVersion, serverVersionNum: serverVersionNum, database: database,
            currentUser: currentUser, settings: settings ?? [:],
            connections: ConnectionStats(total: byState.values.reduce(0, +), byState: byState),
            extensions: (extensions ?? []).map {
                InfraGuardian.Extension(name: $0.name, version: $0.version ?? "", schema: $0.schema ?? "")
            },
            tables: (tables ?? []).map(\.model), columns: (columns ?? []).map(\.model),
            indexes: (indexes ?? []).map(\.model), constraints: (constraints ?? []).map(\.model),
            statsResetAt: date(statsResetAt), indexesBeingBuilt: indexesBeingBuilt ?? [],
            pingMillis: [], migrationHistory: MigrationHistory(), queryCount: 0, collectedAt: collectedAt)
        snapshot.functions = (functions ?? []).map {
            DatabaseFunction(schema: $0.schema, name: $0.name, arguments: $0.arguments ?? "", kind: $0.kind ?? "f",
                             language: $0.language ?? "", securityDefiner: $0.securityDefiner ?? false,
                             searchPath: $0.searchPath)
        }
        return snapshot
    }
}

private func date(_ epoch: Double?) -> Date? { epoch.map { Date(timeIntervalSince1970: $0) } }

extension CatalogRows.Table {
    var model: InfraGuardian.Table {
        InfraGuardian.Table(
            schema: schema, name: name, kind: kind ?? "r", rowEstimate: rowEstimate ?? -1,
            sizeBytes: sizeBytes ?? 0, seqScan: seqScan ?? 0, idxScan: idxScan ?? 0,
            liveTuples: liveTuples ?? 0, deadTuples: deadTuples ?? 0,
            lastVacuum: date(lastVacuum), lastAutovacuum: date(lastAutovacuum),
            lastAnalyze: date(lastAnalyze), lastAutoanalyze: date(lastAutoanalyze), partitionOf: partitionOf)
    }
}

extension CatalogRows.Column {
    var model: InfraGuardian.Column {
        InfraGuardian.Column(
            schema: schema, table: table, name: name, position: position, type: type ?? "",
            notNull: notNull ?? false, defaultExpression: defaultExpression,
            identity: identity ?? "", generated: generated ?? "")
    }
}

extension CatalogRows.Index {
    var model: InfraGuardian.Index {
        InfraGuardian.Index(
            schema: schema, table: table, name: name, definition: definition ?? "", method: method ?? "",
            isUnique: isUnique ?? false, isPrimary: isPrimary ?? false, isValid: isValid ?? false,
            isReady: isReady ?? false, sizeBytes: sizeBytes ?? 0, scans: scans ?? 0,
            columns: (columns ?? []).map { $0 ?? "" }, operatorClasses: operatorClasses ?? [],
            predicate: predicate, options: options ?? [])
    }
}

extension CatalogRows.Constraint {
    var model: InfraGuardian.Constraint {
        InfraGuardian.Constraint(
            schema: schema, table: table, name: name, type: type, definition: definition ?? "",
            isValidated: isValidated ?? true, columns: columns ?? [], referencedTable: referencedTable)
    }
}

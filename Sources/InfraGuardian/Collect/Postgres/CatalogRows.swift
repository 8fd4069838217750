import Foundation

/// The JSON documents of `CatalogQuery`, as sent by the server. Almost everything is optional:
/// statistics are NULL for tables never scanned, aggregates are NULL over empty sets, and a relation
/// dropped while we read it yields NULL definitions instead of failing the audit.
struct CatalogRows: Decodable {
    struct Extension: Decodable { var name: String; var version: String?; var schema: String? }

    /// `[oid, schema, name, kind, reltuples, sizeBytes, seq_scan, idx_scan, n_live_tup, n_dead_tup,
    /// last_vacuum, last_autovacuum, last_analyze, last_autoanalyze, partitionOf, quoted schema, quoted name]`
    /// (a quoted form only where `quote_ident` changes the name).
    struct Table: Decodable {
        var oid: UInt32; var schema: String; var name: String; var kind: String?; var rowEstimate: Double?
        var sizeBytes: Int64?; var seqScan: Int64?; var idxScan: Int64?
        var liveTuples: Int64?; var deadTuples: Int64?
        var lastVacuum: Double?; var lastAutovacuum: Double?; var lastAnalyze: Double?; var lastAutoanalyze: Double?
        var partitionOf: String?; var quotedSchema: String?; var quotedName: String?

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            oid = try row.decode(UInt32.self); schema = try row.decode(String.self); name = try row.decode(String.self)
            kind = try row.decodeIfPresent(String.self); rowEstimate = try row.decodeIfPresent(Double.self)
            sizeBytes = try row.decodeIfPresent(Int64.self); seqScan = try row.decodeIfPresent(Int64.self)
            idxScan = try row.decodeIfPresent(Int64.self); liveTuples = try row.decodeIfPresent(Int64.self)
            deadTuples = try row.decodeIfPresent(Int64.self); lastVacuum = try row.decodeIfPresent(Double.self)
            lastAutovacuum = try row.decodeIfPresent(Double.self); lastAnalyze = try row.decodeIfPresent(Double.self)
            lastAutoanalyze = try row.decodeIfPresent(Double.self); partitionOf = try row.decodeIfPresent(String.self)
            quotedSchema = try row.decodeIfPresent(String.self); quotedName = try row.decodeIfPresent(String.self)
        }
    }

    /// `[relation oid, name, attnum, type, notNull, default, identity, generated, quoted name]`.
    struct Column: Decodable {
        var relation: UInt32; var name: String; var position: Int; var type: String?
        var notNull: Bool?; var defaultExpression: String?; var identity: String?; var generated: String?
        var quotedName: String?

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            relation = try row.decode(UInt32.self); name = try row.decode(String.self); position = try row.decode(Int.self)
            type = try row.decodeIfPresent(String.self); notNull = try row.decodeIfPresent(Bool.self)
            defaultExpression = try row.decodeIfPresent(String.self); identity = try row.decodeIfPresent(String.self)
            generated = try row.decodeIfPresent(String.self); quotedName = try row.decodeIfPresent(String.self)
        }
    }

    /// `[relation oid, name, definition (not plain only: null for a plain index, empty when the index
    /// vanished while it was read), method, unique, primary, valid, ready,
    /// sizeBytes, scans, key count, indkey, indclass, expression keys, predicate, options, quoted name]`.
    struct Index: Decodable {
        var relation: UInt32; var name: String; var definition: String?; var method: String?
        var isUnique: Bool?; var isPrimary: Bool?; var isValid: Bool?; var isReady: Bool?
        var sizeBytes: Int64?; var scans: Int64?; var keyCount: Int; var keys: [Int]; var operatorClasses: [UInt32]
        var expressions: [String?]?; var predicate: String?; var options: [String]?; var quotedName: String?

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            relation = try row.decode(UInt32.self); name = try row.decode(String.self)
            definition = try row.decodeIfPresent(String.self); method = try row.decodeIfPresent(String.self)
            isUnique = try row.decodeIfPresent(Bool.self); isPrimary = try row.decodeIfPresent(Bool.self)
            isValid = try row.decodeIfPresent(Bool.self); isReady = try row.decodeIfPresent(Bool.self)
            sizeBytes = try row.decodeIfPresent(Int64.self); scans = try row.decodeIfPresent(Int64.self)
            keyCount = try row.decodeIfPresent(Int.self) ?? 0; keys = try row.decodeIfPresent([Int].self) ?? []
            operatorClasses = try row.decodeIfPresent([UInt32].self) ?? []
            expressions = try row.decodeIfPresent([String?].self); predicate = try row.decodeIfPresent(String.self)
            options = try row.decodeIfPresent([String].self); quotedName = try row.decodeIfPresent(String.self)
        }
    }

    /// `[relation oid, name, type, definition (CHECK and EXCLUDE only), validated, conkey, confrelid]`.
    struct Constraint: Decodable {
        var relation: UInt32; var name: String; var type: String; var definition: String?
        var isValidated: Bool?; var keys: [Int]?; var referencedRelation: UInt32?

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            relation = try row.decode(UInt32.self); name = try row.decode(String.self); type = try row.decode(String.self)
            definition = try row.decodeIfPresent(String.self); isValidated = try row.decodeIfPresent(Bool.self)
            keys = try row.decodeIfPresent([Int].self); referencedRelation = try row.decodeIfPresent(UInt32.self)
        }
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
    /// Operator class names by oid, for the index keys.
    var operatorClasses: [String: String]?
    /// `schema.name` of the tables foreign keys reference, by oid (they may lie outside the audited schemas).
    var referencedRelations: [String: String]?
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
        let resolved = Resolved(self)
        var snapshot = PostgresSnapshot(
            serverVersion: serverVersion, serverVersionNum: serverVersionNum, database: database,
            currentUser: currentUser, settings: settings ?? [:],
            connections: ConnectionStats(total: byState.values.reduce(0, +), byState: byState),
            extensions: (extensions ?? []).map {
                InfraGuardian.Extension(name: $0.name, version: $0.version ?? "", schema: $0.schema ?? "")
            },
            tables: resolved.tables, columns: resolved.columns,
            indexes: resolved.indexes, constraints: resolved.constraints,
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

func date(_ epoch: Double?) -> Date? { epoch.map { Date(timeIntervalSince1970: $0) } }


import Foundation

/// Reads one PostgreSQL database into a `PostgresSnapshot`, read-only and in a fixed number of queries:
/// the catalog (one statement), the migration history (one statement), the maintenance facts (one
/// statement) and `pingSamples` pings. `queryCount` counts these catalog statements only, so it is 3 for
/// every database (4 with rule packs: one round trip for all of them; one more when a lock appeared
/// between the catalog's look at `pg_locks` and its read, and the catalog is read again). The
/// measurements of the `MeasurementPlan` (pg_stat_statements, probes, index advice) follow in the same
/// session and are counted apart in `measurementQueryCount`: bounded by the configuration, not by the
/// schema.
///
/// Partial results: only the first part (the catalog) is needed for a snapshot. Every later part that
/// times out, waits on a lock or is cut by the deadline is recorded in `missingParts` and the rest
/// stands; relations locked by another session are left out of the catalog and named the same way.
public enum PostgresCollector {
    /// The missing part's name when the `SELECT 1` pings got no answer (health reads it).
    static let pingsPart = "SELECT 1 pings"

    public static func collect(conninfo: String, settings: PostgresSettings,
                               measurements: MeasurementPlan = MeasurementPlan(), now: Date = Date(),
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               packRules: [PackRuleDefinition] = [],
                               schemas: SchemaSettings = SchemaSettings(),
                               deadline: Deadline = Deadline(seconds: Deadline.defaultAuditSeconds))
        -> Collected<PostgresSnapshot> {
        let target = ConnectionTarget.maskedPostgres(conninfo, environment: environment)
        do {
            let connection = try PostgresConnection.open(conninfo: conninfo, settings: settings,
                                                         environment: environment, deadline: deadline)
            var snapshot = try read(connection, settings: settings, schemas: schemas, now: now)
            if !packRules.isEmpty {
                // One more round trip for all pack rules together (see PackQueryRunner).
                Measurements.step("rule-pack queries", connection, &snapshot) { snapshot in
                    snapshot.packResults = PackQueryRunner.run(packRules, on: connection)
                }
                snapshot.queryCount = connection.queryCount
            }
            Measurements.run(connection, into: &snapshot, plan: measurements, settings: settings)
            return Collected(target: target, value: snapshot)
        } catch let error as PostgresError {
            var collected = Collected<PostgresSnapshot>(target: target, error: explain(error, settings: settings))
            if error.kind == .deadline { collected.cut = true }
            return collected
        } catch {
            return Collected(target: target, error: "PostgreSQL collection failed: \(error)")
        }
    }

    static func read(_ connection: PostgresConnection, settings: PostgresSettings,
                     schemas: SchemaSettings = SchemaSettings(), now: Date) throws -> PostgresSnapshot {
        let catalog = try readCatalog(connection, schemas: schemas)
        var snapshot = catalog.snapshot(collectedAt: now)
        snapshot.excludedSchemas = schemas.patterns
        for locked in catalog.lockedRelations ?? [] {
            let name = "\(locked.schema).\(locked.name)"
            let mode = locked.modes ?? "AccessExclusiveLock"
            snapshot.addMissing("\(name) (its columns, indexes, constraints and size)", locked.granted == false
                ? "lock requested by another session on \(name) (\(mode), waiting: a read would queue behind it)"
                : "lock held by another session on \(name) (\(mode))")
        }
        snapshot.migrationHistory = migrationHistory(connection, catalog: catalog, settings: settings, into: &snapshot)
        snapshot.maintenance = maintenance(connection, settings: settings, into: &snapshot)
        connection.activity = "the SELECT 1 pings"
        do {
            snapshot.pingMillis = try (0..<max(settings.pingSamples, 0)).map { _ in try connection.ping() }
        } catch let error as PostgresError {
            snapshot.addMissing(pingsPart, explain(error, settings: settings))
        }
        snapshot.queryCount = connection.queryCount
        return snapshot
    }

    /// The catalog, read again once when a relation got locked between the statement's look at
    /// `pg_locks` and the functions that describe it (lock_timeout): the second look sees that lock.
    private static func readCatalog(_ connection: PostgresConnection, schemas: SchemaSettings) throws -> CatalogRows {
        connection.activity = "the catalog query"
        let parameters = [CatalogQuery.settingNamesParameter, CatalogQuery.sessionSettingNamesParameter,
                          CatalogQuery.excludedSchemasParameter(schemas)]
        do {
            return try decodeJSON(connection.value(CatalogQuery.catalog, parameters), what: "catalog")
        } catch let error as PostgresError where error.sqlState == "55P03" {
            return try decodeJSON(connection.value(CatalogQuery.catalog, parameters), what: "catalog")
        }
    }

    private static func migrationHistory(_ connection: PostgresConnection, catalog: CatalogRows, settings: PostgresSettings,
                                         into snapshot: inout PostgresSnapshot) -> MigrationHistory {
        var tables = catalog.migrationTables
        let locked = Set((catalog.lockedRelations ?? []).map { "\($0.schema).\($0.name)" })
        if tables.dbmate && locked.contains("public.schema_migrations") {
            tables.dbmate = false
            snapshot.addMissing("migration history (dbmate)", "lock held by another session on public.schema_migrations")
        }
        if tables.supabase && locked.contains("supabase_migrations.schema_migrations") {
            tables.supabase = false
            snapshot.addMissing("migration history (Supabase)", "lock held by another session on supabase_migrations.schema_migrations")
        }
        connection.activity = "the migration history query"
        do {
            let rows: MigrationRows = try decodeJSON(connection.value(CatalogQuery.migrationHistory(tables)), what: "migration history")
            return rows.history
        } catch let error as PostgresError {
            snapshot.addMissing("migration history", explain(error, settings: settings))
            return MigrationHistory()
        } catch {
            snapshot.addMissing("migration history", "\(error)")
            return MigrationHistory()
        }
    }

    /// Maintenance facts are worth having but not worth the whole audit: when their query fails (a
    /// statement_timeout on a huge catalog, a privilege a managed service withholds), the rest of the
    /// snapshot stands and the reason travels with it. A wait that ran out also makes it a missing part.
    static func maintenance(_ connection: PostgresConnection, settings: PostgresSettings = PostgresSettings(),
                            into snapshot: inout PostgresSnapshot) -> MaintenanceStats {
        connection.activity = "the maintenance query"
        do {
            let rows: MaintenanceRows = try decodeJSON(connection.value(MaintenanceQuery.sql), what: "maintenance")
            return rows.stats
        } catch let error as PostgresError {
            let reason = explain(error, settings: settings)
            if error.isWait { snapshot.addMissing("maintenance facts", reason) }
            return MaintenanceStats(unavailable: reason)
        } catch {
            return MaintenanceStats(unavailable: "maintenance facts could not be read: \(error)")
        }
    }

    private static func decodeJSON<T: Decodable>(_ text: String?, what: String) throws -> T {
        guard let data = text?.data(using: .utf8) else {
            throw PostgresError(kind: .decoding, message: "the \(what) query returned no row")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw PostgresError(kind: .decoding, message: "could not read the \(what) query result: \(error)")
        }
    }

    /// Adds what to do next to the server's words. A lock or a timeout is about the server's state,
    /// never about the connection string: its text names the limit, not URLs or credentials.
    static func explain(_ error: PostgresError, settings: PostgresSettings = PostgresSettings()) -> String {
        switch error.kind {
        case .connection:
            return "cannot connect to PostgreSQL: \(error.message) (\(connectionHint(error.message)))"
        case .query where error.sqlState == "57014":
            return "a catalog query exceeded statement_timeout: \(error.message) (raise postgres.statement_timeout_ms in .infra-guardian.yml)"
        case .query where error.sqlState == "55P03":
            return "waited longer than lock_timeout (\(settings.lockTimeoutMillis) ms) for a lock another session holds: \(error.message)"
        case .query:
            return "a catalog query failed: \(error.message)" + (error.sqlState.map { " (SQLSTATE \($0))" } ?? "")
        case .decoding:
            return "unexpected answer from PostgreSQL: \(error.message)"
        case .deadline:
            return "cut short: \(error.message)"
        }
    }

    private static func connectionHint(_ message: String) -> String {
        if message.contains("password authentication failed") || message.contains("no password supplied") {
            return "check the user and password: the URL, PGPASSWORD or ~/.pgpass"
        }
        if message.contains("connection info string") || message.contains("URI") || message.contains("invalid") {
            return "check the syntax of the connection string: postgres://user@host:port/db or host=... dbname=..."
        }
        return "check the host and port, and that the server is running and accepts connections from here"
    }
}

extension PostgresError {
    /// A wait that ran out: the deadline, statement_timeout or lock_timeout.
    var isWait: Bool { kind == .deadline || sqlState == "57014" || sqlState == "55P03" }
}

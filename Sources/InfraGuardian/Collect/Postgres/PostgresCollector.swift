import Foundation

/// Reads one PostgreSQL database into a `PostgresSnapshot`, read-only and in a fixed number of queries:
/// the catalog (one statement), the migration history (one statement), the maintenance facts (one
/// statement) and `pingSamples` pings. `queryCount` counts these catalog statements only, so it is 3 for
/// every database (4 with rule packs: one round trip for all of them). The measurements of the
/// `MeasurementPlan` (pg_stat_statements, probes, index advice) follow in the same session and are
/// counted apart in `measurementQueryCount`: bounded by the configuration, not by the schema.
public enum PostgresCollector {
    public static func collect(conninfo: String, settings: PostgresSettings,
                               measurements: MeasurementPlan = MeasurementPlan(), now: Date = Date(),
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               packRules: [PackRuleDefinition] = [])
        -> Collected<PostgresSnapshot> {
        let target = ConnectionTarget.maskedPostgres(conninfo, environment: environment)
        do {
            let connection = try PostgresConnection.open(conninfo: conninfo, settings: settings, environment: environment)
            var snapshot = try read(connection, settings: settings, now: now)
            if !packRules.isEmpty {
                // One more round trip for all pack rules together (see PackQueryRunner).
                snapshot.packResults = PackQueryRunner.run(packRules, on: connection)
                snapshot.queryCount = connection.queryCount
            }
            Measurements.run(connection, into: &snapshot, plan: measurements, settings: settings)
            return Collected(target: target, value: snapshot)
        } catch let error as PostgresError {
            return Collected(target: target, error: explain(error))
        } catch {
            return Collected(target: target, error: "PostgreSQL collection failed: \(error)")
        }
    }

    static func read(_ connection: PostgresConnection, settings: PostgresSettings, now: Date) throws -> PostgresSnapshot {
        let catalog: CatalogRows = try decodeJSON(
            connection.value(CatalogQuery.catalog,
                             [CatalogQuery.settingNamesParameter, CatalogQuery.sessionSettingNamesParameter]), what: "catalog")
        let migrations: MigrationRows = try decodeJSON(
            connection.value(CatalogQuery.migrationHistory(catalog.migrationTables)), what: "migration history")
        var snapshot = catalog.snapshot(collectedAt: now)
        snapshot.migrationHistory = migrations.history
        snapshot.maintenance = maintenance(connection)
        snapshot.pingMillis = try (0..<max(settings.pingSamples, 0)).map { _ in try connection.ping() }
        snapshot.queryCount = connection.queryCount
        return snapshot
    }

    /// Maintenance facts are worth having but not worth the whole audit: when their query fails (a
    /// statement_timeout on a huge catalog, a privilege a managed service withholds), the rest of the
    /// snapshot stands and the reason travels with it.
    static func maintenance(_ connection: PostgresConnection) -> MaintenanceStats {
        do {
            let rows: MaintenanceRows = try decodeJSON(connection.value(MaintenanceQuery.sql), what: "maintenance")
            return rows.stats
        } catch let error as PostgresError {
            return MaintenanceStats(unavailable: explain(error))
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

    /// Adds what to do next to the server's words.
    static func explain(_ error: PostgresError) -> String {
        switch error.kind {
        case .connection:
            return "cannot connect to PostgreSQL: \(error.message) (\(connectionHint(error.message)))"
        case .query where error.sqlState == "57014":
            return "a catalog query exceeded statement_timeout: \(error.message) (raise postgres.statement_timeout_ms in .infra-guardian.yml)"
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

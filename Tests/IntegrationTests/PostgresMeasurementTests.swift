import Foundation
import Testing
@testable import InfraGuardian

/// pg_stat_statements, probes and hypopg index advice against the real servers: PostgreSQL 15 has
/// hypopg and pg_stat_statements preloaded; PostgreSQL 18 has pg_stat_statements but no hypopg.
@Suite(.integration) struct PostgresMeasurementTests {
    /// Stands for a patient id: it must never appear in a snapshot or a report.
    static let marker = "PATIENT-MARKER-42"

    /// 50,000 rows, no index on `col` or `other`: every filter on them is a sequential scan.
    static let table = """
        CREATE TABLE visits (id bigint PRIMARY KEY, col text NOT NULL, other int NOT NULL, note text);
        INSERT INTO visits SELECT g, 'value-' || g, g % 1000, NULL FROM generate_series(1, 50000) AS g;
        UPDATE visits SET col = '\(marker)' WHERE id = 7;
        ANALYZE visits;
        """

    static func database(_ server: TestServers.Server = .pg15, extensions: [String] = ["hypopg", "pg_stat_statements"])
        throws -> ScratchDatabase {
        let database = try ScratchDatabase(on: server, extensions: extensions)
        try database.execute(table)
        return database
    }

    private func collect(_ url: String, _ plan: MeasurementPlan,
                         settings: PostgresSettings = PostgresSettings()) throws -> PostgresSnapshot {
        let collected = PostgresCollector.collect(conninfo: url, settings: settings, measurements: plan)
        return try #require(collected.value, "collection failed: \(collected.error ?? "no error")")
    }

    private func audit(_ snapshot: PostgresSnapshot, _ configuration: Configuration = Configuration()) throws
        -> (findings: [Finding], markdown: String, json: String) {
        let input = AuditInput(postgres: Collected(target: "postgres://test", value: snapshot))
        let report = ReportBuilder().build(input, configuration: configuration)
        return (report.issues.map(\.finding), try MarkdownRenderer().render(report), try JSONRenderer.render(report))
    }

    @Test func probeIsMeasuredAndHypopgProvesTheMissingIndex() throws {
        let database = try Self.database()
        let probe = ProbeDefinition(name: "visit-by-col", sql: "SELECT * FROM visits WHERE col = $1",
                                    parameters: [Self.marker], runs: 15, budgetMillis: 10_000)
        let snapshot = try collect(database.url, MeasurementPlan(probes: [probe]))

        let result = try #require(snapshot.probes?.first)
        #expect(result.error == nil)
        let latency = try #require(result.latency)
        #expect(latency.samples == 15)
        #expect(latency.p50Millis > 0 && latency.p50Millis <= latency.maxMillis)
        #expect(latency.p95Millis == nil && latency.p99Millis == nil, "15 runs are too few for a P95 or a P99")

        let advice = try #require(snapshot.indexAdvice)
        #expect(advice.skippedReason == nil)
        #expect(advice.examinedQueries == 1)
        let suggestion = try #require(advice.suggestions.first)
        #expect(advice.suggestions.count == 1)
        #expect(suggestion.query == "probe visit-by-col")
        #expect(suggestion.qualifiedTable == "public.visits")
        #expect(suggestion.columns == ["col"])
        #expect(suggestion.statement == "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_visits_col ON public.visits (col);")
        #expect(suggestion.costBefore >= 2 * suggestion.costAfter)
        // Catalog queries stay constant (catalog, history, maintenance); measurements stay within their bound.
        #expect(snapshot.queryCount == 3)
        #expect((snapshot.measurementQueryCount ?? 0) <= 1 + (1 + 15) + 86)

        let (findings, markdown, json) = try audit(snapshot)
        let advised = try #require(findings.first { $0.ruleID == "index-advice" })
        #expect(advised.fix.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_visits_col ON public.visits (col);"))
        #expect(advised.fix.contains("cost \(IndexAdviceRule.cost(suggestion.costBefore)) → "))
        #expect(markdown.contains("| Probe `visit-by-col` (n=15; budget"))
        #expect(markdown.contains("PostgreSQL `SELECT 1` round trip"))
        #expect(!findings.contains { $0.ruleID == "probe-over-budget" || $0.ruleID == "probe-failed" })
        // The parameter is a patient id: nowhere in the snapshot, the report or its JSON.
        let snapshotJSON = try JSONRenderer.render(snapshot)
        for text in [snapshotJSON, markdown, json] { #expect(!text.contains(Self.marker)) }
    }

    @Test func existingIndexAndTinyTablesGetNoAdvice() throws {
        let database = try Self.database()
        try database.execute("CREATE INDEX visits_other_idx ON visits (other, col); CREATE TABLE tiny (k int); INSERT INTO tiny VALUES (1), (2), (3), (4), (5); ANALYZE tiny;")
        let probes = [
            ProbeDefinition(name: "covered", sql: "SELECT * FROM visits WHERE other = $1", parameters: ["3"], runs: 2),
            ProbeDefinition(name: "tiny", sql: "SELECT * FROM tiny WHERE k = $1", parameters: ["1"], runs: 2),
        ]
        let snapshot = try collect(database.url, MeasurementPlan(probes: probes))
        let advice = try #require(snapshot.indexAdvice)
        #expect(advice.examinedQueries == 2)
        #expect(advice.suggestions.isEmpty, "\(advice.suggestions)")
    }

    @Test func paramsQueryDrawsValuesThatNeverLeave() throws {
        let database = try Self.database()
        let probe = ProbeDefinition(name: "drawn", sql: "SELECT * FROM visits WHERE col = $1",
                                    parametersQuery: "SELECT col FROM visits WHERE id = 7", runs: 3)
        let typed = ProbeDefinition(name: "wrong-type", sql: "SELECT * FROM visits WHERE id = $1",
                                    parametersQuery: "SELECT col FROM visits WHERE id = 7", runs: 3)
        let empty = ProbeDefinition(name: "no-row", sql: "SELECT 1 WHERE $1::text IS NULL",
                                    parametersQuery: "SELECT col FROM visits WHERE id = -1", runs: 3)
        let snapshot = try collect(database.url, MeasurementPlan(probes: [probe, typed, empty]))
        let probes = try #require(snapshot.probes)
        #expect(probes[0].latency?.samples == 3)
        // The server quotes the bad value in its error; the audit masks it.
        #expect(probes[1].error?.contains("invalid input syntax for type bigint") == true)
        #expect(probes[2].error?.contains("params_query returned no row") == true)
        let (findings, markdown, json) = try audit(snapshot)
        #expect(findings.filter { $0.ruleID == "probe-failed" }.count == 2)
        for text in [try JSONRenderer.render(snapshot), markdown, json] { #expect(!text.contains(Self.marker)) }
    }

    @Test func failingProbesAreHighFindingsAndTheReportStillRenders() throws {
        let database = try Self.database(extensions: ["hypopg"])
        var settings = PostgresSettings()
        settings.statementTimeoutMillis = 200
        let probes = [
            ProbeDefinition(name: "typo", sql: "SELEC * FROM visits WHERE col = $1", parameters: ["x"], runs: 3),
            ProbeDefinition(name: "slow", sql: "SELECT count(*) FROM generate_series(1, 1000000000)", runs: 3),
            ProbeDefinition(name: "write", sql: "DELETE FROM visits WHERE id = $1", parameters: ["1"], runs: 3),
            ProbeDefinition(name: "over-budget", sql: "SELECT * FROM visits WHERE col = $1", parameters: ["x"],
                            runs: 3, budgetMillis: 0.000_001),
        ]
        let snapshot = try collect(database.url, MeasurementPlan(probes: probes), settings: settings)
        let byName = Dictionary(uniqueKeysWithValues: (snapshot.probes ?? []).map { ($0.name, $0) })
        // A typo and a write are refused before they are sent (probe-refused); the slow one runs and times out.
        #expect(byName["typo"]?.refusal?.contains("syntax error") == true)
        #expect(byName["slow"]?.error?.contains("exceeded statement_timeout (200 ms)") == true)
        #expect(byName["write"]?.refusal?.contains("not DELETE") == true)
        #expect(byName["over-budget"]?.latency != nil)
        // The statement was never run: pg_stat_statements was not created in this database.
        #expect(snapshot.statementStats?.unavailableReason == "pg_stat_statements is not installed in this database")

        let (findings, markdown, _) = try audit(snapshot)
        let failed = findings.filter { $0.ruleID == "probe-failed" || $0.ruleID == "probe-refused" }
        #expect(failed.count == 3 && failed.allSatisfy { $0.severity == .high })
        #expect(findings.filter { $0.ruleID == "probe-refused" }.map(\.location.object) == ["probe:typo", "probe:write"])
        #expect(findings.contains { $0.ruleID == "probe-over-budget" && $0.location.object == "probe:over-budget" })
        #expect(findings.contains { $0.ruleID == "pg-stat-statements-missing" && $0.severity == .low })
        #expect(markdown.contains("| Probe `typo` — refused: does not parse: syntax error"), "\(markdown)")
        #expect(markdown.contains("| Probe `slow` — failed: exceeded statement_timeout"))
        #expect(markdown.contains("## Quality Gate (Infra): FAILED"))
        #expect(try Self.count(of: "visits", in: database) == 50_000)
    }

    @Test func pgStatStatementsShowsSlowStatementsOfThisDatabaseOnly() throws {
        let database = try Self.database()
        let admin = try AdminConnection(database.url)
        for _ in 0..<3 { try admin.execute("SELECT * FROM visits WHERE other = 17 AND note IS NULL AND col <> '\(Self.marker)'") }
        var thresholds = Thresholds()
        thresholds.slowQueryMeanMillis = 0.001
        thresholds.slowQueryMinCalls = 3
        let snapshot = try collect(database.url, MeasurementPlan(thresholds: thresholds))

        let stats = try #require(snapshot.statementStats)
        #expect(stats.isAvailable, "\(stats.unavailableReason ?? "")")
        let statement = try #require(stats.statements.first { $0.query.contains("FROM visits WHERE other") })
        #expect(statement.query == "SELECT * FROM visits WHERE other = $1 AND note IS NULL AND col <> $2")
        #expect(statement.calls == 3 && statement.meanMillis > 0 && statement.totalMillis >= statement.meanMillis)
        // Statements of other databases (medicalcor_test, other tests) are filtered out by dbid.
        #expect(!stats.statements.contains { $0.query.contains("schema_migrations") && $0.query.contains("INSERT") })

        // The slow statement is an advice candidate too: its sequential scan on `other` gets an index.
        let suggestion = try #require(snapshot.indexAdvice?.suggestions.first { $0.columns == ["other"] })
        #expect(suggestion.query == "pg_stat_statements \(statement.queryID ?? "")")
        #expect(suggestion.costBefore >= 2 * suggestion.costAfter)

        var configuration = Configuration()
        configuration.thresholds = thresholds
        let (findings, markdown, json) = try audit(snapshot, configuration)
        let slow = try #require(findings.first { $0.ruleID == "slow-query" && $0.message.contains("visits WHERE other") })
        #expect(slow.message.contains("3 calls"))
        #expect(slow.category == .query && slow.severity == .medium)
        for text in [try JSONRenderer.render(snapshot), markdown, json] { #expect(!text.contains(Self.marker)) }
        // With PgHero's defaults (100 calls), three calls are not slow.
        #expect(try audit(snapshot).findings.filter { $0.ruleID == "slow-query" }.isEmpty)
    }

    @Test func postgres18WithoutHypopgSkipsAdviceWithTheReason() throws {
        let database = try Self.database(.pg18, extensions: ["pg_stat_statements"])
        let probe = ProbeDefinition(name: "visit-by-col", sql: "SELECT * FROM visits WHERE col = $1",
                                    parameters: [Self.marker], runs: 5)
        let snapshot = try collect(database.url, MeasurementPlan(probes: [probe]))
        #expect(snapshot.majorVersion == 18)
        #expect(snapshot.probes?.first?.latency?.samples == 5)
        #expect(snapshot.statementStats?.isAvailable == true, "\(snapshot.statementStats?.unavailableReason ?? "")")
        #expect(snapshot.indexAdvice?.skippedReason == "index advice skipped: hypopg not installed in this database")
        let (findings, markdown, _) = try audit(snapshot)
        let skipped = try #require(findings.first { $0.ruleID == "index-advice-unavailable" })
        #expect(skipped.severity == .info && skipped.message.contains("hypopg not installed"))
        #expect(markdown.contains("| Probe `visit-by-col` (n=5)"))
        #expect(!markdown.contains(Self.marker))

        var disabled = MeasurementPlan(probes: [probe])
        disabled.indexAdvice.enabled = false
        let quiet = try collect(database.url, disabled)
        #expect(quiet.indexAdvice?.skippedReason == IndexAdvice.disabledReason)
        #expect(try !audit(quiet).findings.contains { $0.ruleID == "index-advice-unavailable" })
    }

    private static func count(of table: String, in database: ScratchDatabase) throws -> Int {
        let connection = try PostgresConnection.open(conninfo: database.url, settings: PostgresSettings())
        return Int(try connection.value("SELECT count(*) FROM \(table)") ?? "") ?? -1
    }
}

import Foundation
import Testing
@testable import InfraGuardian

/// The pure parts of measurement: plan reading, SQL checks, candidate choice, report rows.
@Suite struct MeasurementParsingTests {
    @Test func filterColumnsPutEqualityFirstAndSkipUnindexableOperators() {
        let filter = "((l.created_at >= $2) AND ((l.phone)::text = $1) AND (l.status <> 'x'::text) AND ($3 < l.score))"
        #expect(QueryPlan.comparedColumns(in: filter, alias: "l") == ["phone", "created_at", "score"])
        #expect(QueryPlan.comparedColumns(in: "(\"Leads\".\"Phone\" = ANY ($1))", alias: "Leads") == ["Phone"])
        #expect(QueryPlan.comparedColumns(in: "(other.a = $1)", alias: "l").isEmpty)
        #expect(QueryPlan.comparedColumns(in: "(ll.a = $1)", alias: "l").isEmpty)
    }

    @Test func planJSONGivesCostScansAndIndexNames() throws {
        let json = """
            [{"Plan": {"Node Type": "Hash Join", "Total Cost": 2100.5, "Plans": [
              {"Node Type": "Seq Scan", "Relation Name": "leads", "Schema": "app", "Alias": "l",
               "Total Cost": 1834.0, "Filter": "(l.clinic_id = $1)"},
              {"Node Type": "Index Scan", "Index Name": "<13556>btree_clinics_id", "Relation Name": "clinics",
               "Schema": "app", "Alias": "c", "Total Cost": 8.3}]}}]
            """
        let plan = try #require(QueryPlan(json: json))
        #expect(plan.totalCost == 2100.5)
        #expect(plan.scans == [QueryPlan.FilteredScan(schema: "app", table: "leads", columns: ["clinic_id"])])
        #expect(plan.indexNames == ["<13556>btree_clinics_id"])
        #expect(QueryPlan(json: "not json") == nil)
    }

    @Test func onlySinglePlainSelectsAreExplained() {
        #expect(SQLText.isSingleSelect("SELECT * FROM leads WHERE id = $1"))
        #expect(SQLText.isSingleSelect("WITH x AS (SELECT 1) SELECT * FROM x"))
        #expect(!SQLText.isSingleSelect("SELECT 1; SELECT 2"))
        #expect(!SQLText.isSingleSelect("WITH d AS (DELETE FROM leads RETURNING *) SELECT * FROM d"))
        #expect(!SQLText.isSingleSelect("SELECT * FROM leads FOR UPDATE"))
        #expect(!SQLText.isSingleSelect("UPDATE leads SET x = 1"))
        #expect(!SQLText.isSingleSelect("SELEC 1"))
    }

    @Test func normalizationRemovesLiteralsAndPasswords() {
        #expect(SQLText.normalized("SELECT * FROM leads WHERE phone = 'PATIENT-MARKER-42' AND id = $1")?
            .contains("PATIENT-MARKER-42") == false)
        #expect(SQLText.normalized("ALTER ROLE app PASSWORD 'hunter2'")?.contains("hunter2") == false)
        #expect(SQLText.normalized("SELEC 'x'") == nil)
        #expect(SQLText.shortened("SELECT  a,\n  b FROM t", to: 100) == "SELECT a, b FROM t")
        #expect(SQLText.shortened(String(repeating: "abc ", count: 50), to: 20).count <= 20)
    }

    @Test func suggestedStatementsAreConcurrentAndQuoted() {
        let scan = QueryPlan.FilteredScan(schema: "App", table: "leads", columns: ["Phone"])
        #expect(IndexAdvisor.statement(scan, ["clinic_id", "Phone"])
            == "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_clinic_id_phone ON \"App\".leads (clinic_id, \"Phone\");")
        #expect(IndexAdvisor.textArray(["a\"b", "c\\d"]) == "{\"a\\\"b\",\"c\\\\d\"}")
        #expect(!IndexAdvisor.isBtreeIndexable("vector(1536)") && !IndexAdvisor.isBtreeIndexable("json")
                && !IndexAdvisor.isBtreeIndexable("text[]") && IndexAdvisor.isBtreeIndexable("timestamp with time zone"))
    }

    @Test func candidatesArePassingProbesThenSlowSelectsOnce() {
        var thresholds = Thresholds()
        thresholds.slowQueryMinCalls = 10
        let plan = MeasurementPlan(probes: [
            ProbeDefinition(name: "ok", sql: "SELECT * FROM t WHERE a = $1"),
            ProbeDefinition(name: "broken", sql: "SELECT * FROM t WHERE b = $1"),
        ], thresholds: thresholds)
        let probes = [ProbeResult(name: "ok", runs: 1), ProbeResult(name: "broken", runs: 1, error: "boom")]
        let statements = [
            StatementStat(queryID: "1", calls: 50, totalMillis: 5000, meanMillis: 100, query: "SELECT * FROM t WHERE a = $1"),
            StatementStat(queryID: "2", calls: 50, totalMillis: 9000, meanMillis: 180, query: "SELECT * FROM t WHERE c = $1"),
            StatementStat(queryID: "3", calls: 50, totalMillis: 9500, meanMillis: 190, query: "UPDATE t SET c = $1"),
            StatementStat(queryID: "4", calls: 2, totalMillis: 9999, meanMillis: 5000, query: "SELECT * FROM t WHERE d = $1"),
        ]
        let reading = StatementStatsReader.Reading(stats: StatementStats(statements: statements),
                                                   fullTexts: statements.map(\.query))
        let labels = Measurements.candidates(plan: plan, probes: probes, reading: reading).map(\.label)
        #expect(labels == ["probe ok", "pg_stat_statements 2"])
    }

    @Test func probeRowsShowLatencyOrTheFailure() throws {
        let summary = LatencySummary(samples: 20, p50Millis: 1.5, p95Millis: 2.5, p99Millis: 3.5, maxMillis: 4)
        let snapshot = PostgresSnapshot(probes: [
            ProbeResult(name: "fast", runs: 20, latency: summary, budgetMillis: 10),
            ProbeResult(name: "broken", runs: 20, error: "ERROR: syntax error at or near \"SELEC\""),
        ])
        let report = ReportBuilder().build(AuditInput(postgres: Collected(target: "postgres://x", value: snapshot)),
                                           configuration: Configuration())
        #expect(report.performance.map(\.query) == ["PostgreSQL `SELECT 1` round trip", "Probe `fast`", "Probe `broken`"])
        let markdown = try MarkdownRenderer().render(report)
        // 20 samples give a P95, not a P99 (it needs 100).
        #expect(markdown.contains("| Probe `fast` (n=20; budget 10 ms) | 1.5 ms | 2.5 ms | — (20 samples) |"))
        #expect(markdown.contains("| Probe `broken` — failed: ERROR: syntax error at or near \"SELEC\" | — | — | — |"))
    }

    @Test func oldSnapshotsWithoutMeasurementsStillDecode() throws {
        var object = try JSONSerialization.jsonObject(with: Data(JSONRenderer.render(PostgresSnapshot()).utf8)) as? [String: Any]
        #expect(object?["probes"] == nil)
        object?.removeValue(forKey: "statementStats")
        let data = try JSONSerialization.data(withJSONObject: object ?? [:])
        let decoded = try JSONRenderer.decoder().decode(PostgresSnapshot.self, from: data)
        #expect(decoded.probes == nil && decoded.indexAdvice == nil && decoded.statementStats == nil)
    }
}

@Suite struct ProbeErrorMaskingTests {
    @Test func valuesAreMaskedAsWholeTokensOnly() {
        let text = "ERROR: invalid input syntax for type bigint: \"PATIENT-MARKER-42\"; syntax x"
        #expect(ProbeRunner.mask(["PATIENT-MARKER-42", "x"], in: text)
            == "ERROR: invalid input syntax for type bigint: \"***\"; syntax ***")
        #expect(ProbeRunner.mask(["$1.5"], in: "value $1.5 here") == "value *** here")
    }
}

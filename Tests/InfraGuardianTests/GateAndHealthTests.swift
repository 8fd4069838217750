import Foundation
import Testing
@testable import InfraGuardian

@Suite struct GateAndHealthTests {
    func finding(_ severity: Severity, waived: Bool = false) -> Finding {
        Finding(ruleID: "r", category: .migration, severity: severity, message: "m", fix: "f", location: Location(),
                waiver: waived ? Waiver(reason: "accepted") : nil)
    }

    let healthy = [ComponentHealth(component: "PostgreSQL", state: .healthy, details: "")]

    @Test func failsOnHighButNotOnMediumByDefault() {
        let policy = GatePolicy()
        #expect(!QualityGate.evaluate(findings: [finding(.high)], issueIDs: ["I001"], components: healthy, policy: policy).passed)
        #expect(QualityGate.evaluate(findings: [finding(.medium)], issueIDs: ["I001"], components: healthy, policy: policy).passed)
    }

    @Test func waivedFindingsDoNotFailButAreCounted() {
        let verdict = QualityGate.evaluate(findings: [finding(.critical, waived: true)], issueIDs: ["I001"],
                                           components: healthy, policy: GatePolicy())
        #expect(verdict.passed)
        #expect(verdict.reasons.contains { $0.contains("1 finding waived") })
    }

    @Test func unhealthyComponentFailsUnlessPolicySaysOtherwise() {
        let down = [ComponentHealth(component: "Redis", state: .unhealthy, details: "connection refused")]
        let verdict = QualityGate.evaluate(findings: [], issueIDs: [], components: down, policy: GatePolicy())
        #expect(!verdict.passed)
        #expect(verdict.reasons == ["Redis is unhealthy: connection refused"])
        var lenient = GatePolicy()
        lenient.failOnUnhealthy = false
        #expect(QualityGate.evaluate(findings: [], issueIDs: [], components: down, policy: lenient).passed)
    }

    @Test func notConfiguredDoesNotFail() {
        let report = ReportBuilder().build(AuditInput(), configuration: Configuration())
        #expect(report.gate.passed)
        #expect(report.gate.reasons.contains { $0.contains("not audited: PostgreSQL, pgvector, Redis, Migrations") })
    }

    @Test func slowPingDegrades() {
        var input = AuditInput(postgres: Collected(target: "pg", value: PostgresSnapshot(pingMillis: [150, 160, 170])))
        #expect(HealthEvaluator.components(input, Configuration())[0].state == .degraded)
        input.postgres.value?.pingMillis = [1, 2, 3]
        #expect(HealthEvaluator.components(input, Configuration())[0].state == .healthy)
        let redis = AuditInput(redis: Collected(target: "r", value: RedisSnapshot(pingMillis: [60, 70, 80])))
        #expect(HealthEvaluator.components(redis, Configuration())[2].state == .degraded)
    }

    @Test func unreachableIsUnhealthyAndOverallUnhealthy() {
        let input = AuditInput(postgres: Collected(target: "pg", error: "connection refused"))
        let status = HealthStatus(input: input, configuration: Configuration())
        #expect(status.status == .unhealthy)
        #expect(status.checks.first { $0.name == "PostgreSQL" }?.details == "connection refused")
    }

    @Test func pendingMigrationsDegradeHealth() {
        var input = RuleRegistry.rule(id: "pending-migration")!.ruleDescription.badExamples[0].input()
        input.postgres.value?.pingMillis = [1]
        let status = HealthStatus(input: input, configuration: Configuration())
        #expect(status.checks.first { $0.name == "Migrations" }?.status == .degraded)
        #expect(status.status == .degraded)
    }

    @Test func percentilesComeFromTheHistogram() throws {
        let summary = try #require(Percentiles.summarize((1...100).map(Double.init)))
        #expect(abs(summary.p50Millis - 50) < 0.1)
        #expect(abs((summary.p95Millis ?? 0) - 95) < 0.1)
        #expect(abs((summary.p99Millis ?? 0) - 99) < 0.1)
    }

    @Test func highPercentilesNeedEnoughSamples() throws {
        let five = try #require(Percentiles.summarize([1, 2, 3, 4, 50]))
        #expect(five.p95Millis == nil && five.p99Millis == nil && five.samples == 5)
        let twenty = try #require(Percentiles.summarize((1...20).map(Double.init)))
        #expect(twenty.p95Millis != nil && twenty.p99Millis == nil)
        let ninetyNine = try #require(Percentiles.summarize((1...99).map(Double.init)))
        #expect(ninetyNine.p99Millis == nil)
        #expect(try #require(Percentiles.summarize((1...100).map(Double.init))).p99Millis != nil)
        // JSON: null beside the sample count, and an old snapshot's P99 of 5 samples is dropped on decoding.
        let json = String(decoding: try JSONEncoder().encode(five), as: UTF8.self)
        #expect(json.contains("\"p99Millis\":null") && json.contains("\"p95Millis\":null") && json.contains("\"samples\":5"))
        let old = #"{"samples":5,"p50Millis":3,"p95Millis":50,"p99Millis":50,"maxMillis":50}"#
        let decoded = try JSONDecoder().decode(LatencySummary.self, from: Data(old.utf8))
        #expect(decoded.p99Millis == nil && decoded.p95Millis == nil && decoded.p50Millis == 3)
    }

    @Test func fewSamplesShowDashAndCount() throws {
        let snapshot = PostgresSnapshot(pingMillis: [1, 1, 2, 2, 3])
        let report = ReportBuilder().build(AuditInput(postgres: Collected(target: "postgres://x", value: snapshot)),
                                           configuration: Configuration())
        let markdown = try MarkdownRenderer().render(report)
        #expect(markdown.contains("| PostgreSQL `SELECT 1` round trip (n=5) | 2.0 ms | — (5 samples) | — (5 samples) |"), "\(markdown)")
        let json = try JSONRenderer.render(report)
        #expect(json.contains("\"p99Millis\" : null") && json.contains("\"samples\" : 5"), "\(json.prefix(2000))")
    }
}

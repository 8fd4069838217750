import Foundation
import Testing
@testable import InfraGuardian

/// Edge cases of the maintenance rules beyond their own examples (which RuleExampleTests runs).
@Suite struct MaintenanceRuleTests {
    private func input(_ snapshot: PostgresSnapshot) -> AuditInput {
        AuditInput(postgres: Collected(target: "postgres://example", value: snapshot))
    }

    private func check(_ rule: any Rule, _ snapshot: PostgresSnapshot, _ configuration: Configuration = Configuration()) -> [Finding] {
        rule.check(input(snapshot), RuleContext(configuration: configuration))
    }

    @Test func snapshotsSavedBeforeMaintenanceStillDecode() throws {
        let data = try JSONEncoder().encode(PostgresSnapshot())
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object.removeValue(forKey: "maintenance")
        let decoded = try JSONDecoder().decode(PostgresSnapshot.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.maintenance == nil)
        for rule in RuleRegistry.builtIn { _ = rule.check(input(decoded), RuleContext()) }
    }

    @Test func descendingSequencesCountTowardsTheirMinimum() throws {
        let sequence = SequenceUsage(name: "down_seq", dataType: "integer", lastValue: -2_000_000_000,
                                     minValue: -2_147_483_648, maxValue: -1, increment: -1)
        let capacity = try #require(SequenceCapacity(sequence))
        #expect(capacity.limit == -2_147_483_648)
        #expect(capacity.usedPercent > 93 && capacity.usedPercent < 94)
        let snapshot = PostgresSnapshot(maintenance: MaintenanceStats(sequences: [sequence]))
        #expect(check(SequenceNearMax(), snapshot).count == 1)
    }

    @Test func theThresholdIsConfigurable() {
        let snapshot = PostgresSnapshot(maintenance: MaintenanceStats(sequences: [
            SequenceUsage(name: "s", dataType: "integer", lastValue: 1_200_000_000, maxValue: 2_147_483_647)]))
        #expect(check(SequenceNearMax(), snapshot).isEmpty)
        var configuration = Configuration()
        configuration.thresholds.sequenceUsagePercent = 50
        #expect(check(SequenceNearMax(), snapshot, configuration).count == 1)
    }

    @Test func int4PrimaryKeyLeavesTheUrgentCaseToSequenceNearMax() {
        let snapshot = PostgresSnapshot(
            tables: [Table(name: "leads", rowEstimate: 50_000_000)],
            columns: [Column(table: "leads", name: "id", type: "integer")],
            constraints: [Constraint(table: "leads", name: "leads_pkey", type: "p", columns: ["id"])],
            maintenance: MaintenanceStats(sequences: [
                SequenceUsage(name: "leads_id_seq", dataType: "integer", lastValue: 2_100_000_000, maxValue: 2_147_483_647,
                              columns: [SequenceColumn(table: "leads", column: "id", type: "integer")])]))
        #expect(check(SequenceNearMax(), snapshot).count == 1)
        #expect(check(Int4PrimaryKey(), snapshot).isEmpty)
    }

    @Test func int4PrimaryKeyIgnoresCompositeKeys() {
        let snapshot = PostgresSnapshot(
            tables: [Table(name: "memberships", rowEstimate: 5_000_000)],
            columns: [Column(table: "memberships", name: "clinic_id", type: "integer"),
                      Column(table: "memberships", name: "user_id", type: "integer")],
            constraints: [Constraint(table: "memberships", name: "memberships_pkey", type: "p",
                                     columns: ["clinic_id", "user_id"])])
        #expect(check(Int4PrimaryKey(), snapshot).isEmpty)
    }

    @Test func wraparoundBecomesCriticalAndNamesTheHorizonHolders() throws {
        let snapshot = PostgresSnapshot(database: "medicalcor", maintenance: MaintenanceStats(transactionIDs: TransactionIDStats(
            databaseAge: 1_600_000_000, oldestTables: [TableXIDAge(table: "events", age: 1_600_000_000)],
            replicationSlots: [ReplicationSlotAge(name: "old_replica", active: false, xminAge: 1_590_000_000),
                               ReplicationSlotAge(name: "fresh", active: true, xminAge: 10)],
            preparedTransactions: 1, oldestPreparedAge: 900_000_000)))
        let finding = try #require(check(TransactionIDWraparound(), snapshot).first)
        #expect(finding.severity == .critical)
        #expect(finding.location.object == "medicalcor")
        #expect(finding.message.contains("public.events (1,600,000,000)"))
        #expect(finding.message.contains("replication slot `old_replica` (inactive"))
        #expect(!finding.message.contains("fresh"))
        #expect(finding.message.contains("1 prepared transaction(s)"))
    }

    @Test func multixactAgeIsCheckedToo() {
        let snapshot = PostgresSnapshot(maintenance: MaintenanceStats(transactionIDs: TransactionIDStats(
            databaseAge: 1_000, databaseMultixactAge: 700_000_000)))
        let findings = check(TransactionIDWraparound(), snapshot)
        #expect(findings.count == 1)
        #expect(findings.first?.message.hasPrefix("Multixact age") == true)
    }

    @Test func autovacuumLaggingHonoursPerTableScaleFactors() {
        let table = Table(name: "events", rowEstimate: 1_000_000, liveTuples: 1_000_000, deadTuples: 60_000)
        let now = Date(timeIntervalSince1970: 30 * 86_400)
        let plain = PostgresSnapshot(tables: [table], collectedAt: now)
        #expect(check(AutovacuumLagging(), plain).isEmpty, "60,000 is below 50 + 0.2 × 1,000,000")
        let tuned = PostgresSnapshot(tables: [table], maintenance: MaintenanceStats(tables: [
            TableMaintenance(name: "events", autovacuumOptions: ["autovacuum_vacuum_scale_factor=0.01"])]), collectedAt: now)
        let findings = check(AutovacuumLagging(), tuned)
        #expect(findings.count == 1)
        #expect(findings.first?.message.contains("vacuum trigger of 10,050") == true)
    }

    @Test func sessionsAreGroupedByUserAndApplication() {
        let snapshot = PostgresSnapshot(database: "medicalcor", maintenance: MaintenanceStats(idleInTransaction: [
            SessionActivity(pid: 1, user: "app", application: "api", state: "idle in transaction", stateSeconds: 120),
            SessionActivity(pid: 2, user: "app", application: "api", state: "idle in transaction", stateSeconds: 600),
            SessionActivity(pid: 3, user: "worker", application: "", state: "idle in transaction", stateSeconds: 90),
            SessionActivity(pid: 4, user: "app", application: "api", state: "idle in transaction", stateSeconds: 5)],
            idleInTransactionTimeouts: [ScopedSetting(role: "worker", value: "5min")]))
        let findings = check(IdleInTransaction(), snapshot)
        #expect(findings.map(\.location.object) == ["medicalcor: sessions of app/api", "medicalcor: sessions of worker/(none)"])
        #expect(findings.first?.message.contains("2 session(s) of user `app`, application `api`") == true)
        #expect(findings.first?.message.contains("longest 10 min; pid 2, 1") == true)
        #expect(findings.first?.message.contains("set for role worker = 5min") == true)
    }

    @Test func healthShowsConnectionsByStateAndMissingMaintenanceFacts() {
        let snapshot = PostgresSnapshot(
            connections: ConnectionStats(total: 12, byState: ["idle": 9, "idle in transaction": 1, "active": 2]),
            maintenance: MaintenanceStats(unavailable: "a catalog query exceeded statement_timeout"))
        let health = HealthEvaluator.components(input(snapshot), Configuration())[0]
        #expect(health.details.contains("connections: 12/100 (active 2, idle 9, idle in transaction 1)"))
        #expect(health.details.contains("maintenance facts unavailable: a catalog query exceeded statement_timeout"))
        #expect(health.state == .healthy)
    }

    @Test func numbersReadWell() {
        #expect(MaintenanceText.count(2_147_483_647) == "2,147,483,647")
        #expect(MaintenanceText.count(-32_768) == "-32,768")
        #expect(MaintenanceText.count(999) == "999")
        #expect(MaintenanceText.duration(0.6) == "0.6 s")
        #expect(MaintenanceText.duration(300) == "5 min")
        #expect(MaintenanceText.duration(3 * 86_400) == "3 days")
    }
}

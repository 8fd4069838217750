import Foundation
import Testing
@testable import InfraGuardian

/// `--deadline` values, the bound each wait gets, and an incomplete audit failing the gate.
@Suite struct DeadlineAndIncompleteTests {
    @Test(arguments: [0, -1, 3601, Double.nan, Double.infinity])
    func deadlinesOutOfRangeAreRefused(_ seconds: Double) {
        #expect(throws: Deadline.InvalidDeadline.self) { try Deadline.validated(seconds) }
    }

    @Test func deadlineErrorNamesTheRange() {
        do {
            _ = try Deadline.validated(-5)
            Issue.record("-5 was accepted")
        } catch {
            #expect("\(error)" == "--deadline must be a number of seconds above 0 and at most 3600 (got -5)")
        }
    }

    @Test func aWaitGetsTheSmallerOfItsOwnTimeoutAndWhatIsLeft() throws {
        let deadline = try Deadline.validated(5)
        let long = deadline.bound(.seconds(100))
        #expect(long.byDeadline)
        #expect(long.limit <= .seconds(5) && long.limit > .seconds(4))
        #expect(long.explanation == "the --deadline of 5 s expired")
        let short = deadline.bound(.milliseconds(1500))
        #expect(!short.byDeadline)
        #expect(short.limit == .milliseconds(1500))
        #expect(short.explanation == "no answer within 1.5 s")
        #expect(Deadline(seconds: 0).bound(.seconds(1)).limit == .zero)
    }

    @Test func anIncompleteAuditFailsTheGateWhateverThePolicy() {
        var snapshot = PostgresSnapshot()
        snapshot.missingParts = [MissingPart(part: "public.visits (its columns, indexes, constraints and size)",
                                             reason: "lock held by another session on public.visits (AccessExclusiveLock)")]
        let input = AuditInput(postgres: Collected(target: "postgres://app@db/medicalcor", value: snapshot))
        var configuration = Configuration()
        configuration.gate.failOn = []
        let report = ReportBuilder().build(input, configuration: configuration)
        #expect(!report.gate.passed)
        #expect(report.gate.reasons == ["audit incomplete: not checked: PostgreSQL public.visits (its columns, indexes, "
                                        + "constraints and size): lock held by another session on public.visits (AccessExclusiveLock)"])
        #expect(report.issues.contains { $0.finding.ruleID == "postgres-incomplete" })
    }

    @Test func aComponentCutByTheDeadlineMakesTheAuditIncomplete() {
        var redis = Collected<RedisSnapshot>(target: "redis://cache:6379/0",
                                             error: "waiting for the reply to INFO: the --deadline of 20 s expired")
        redis.cut = true
        let input = AuditInput(redis: redis)
        #expect(input.incompleteParts == ["Redis (waiting for the reply to INFO: the --deadline of 20 s expired)"])
        let verdict = ReportBuilder().build(input, configuration: Configuration()).gate
        #expect(!verdict.passed)
        #expect(verdict.reasons.contains { $0.hasPrefix("audit incomplete") })
        #expect(AuditInput(redis: Collected(target: "redis://cache:6379/0", error: "connection refused")).incompleteParts.isEmpty)
    }

    @Test func missingPartsSurviveASnapshotAndOldSnapshotsHaveNone() throws {
        var snapshot = PostgresSnapshot()
        snapshot.missingParts = [MissingPart(part: "maintenance facts", reason: "cut short: the --deadline of 5 s expired")]
        let data = try JSONEncoder().encode(snapshot)
        let decoded = try JSONDecoder().decode(PostgresSnapshot.self, from: data)
        #expect(decoded.missingParts == snapshot.missingParts)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object.removeValue(forKey: "missingParts")
        let old = try JSONDecoder().decode(PostgresSnapshot.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.missingParts == nil)
    }
}

import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// `gate.history` and baselines end to end: the reference migrations plus one historic defect (a
/// blocking index build), applied to a real database or still pending.
@Suite(.integration) struct HistoryGateTests {
    static let defect = """
        -- migrate:up
        CREATE INDEX IF NOT EXISTS idx_leads_source ON leads (source);
        -- migrate:down
        DROP INDEX IF EXISTS idx_leads_source;
        """

    /// The reference migrations and the defect, copied into a scratch folder.
    func migrations(in directory: TemporaryDirectory) throws -> String {
        let reference = CommandLineRunner.repositoryRoot + "/db/migrations"
        for name in try FileManager.default.contentsOfDirectory(atPath: reference) where name.hasSuffix(".sql") {
            try directory.write("db/migrations/" + name, try String(contentsOfFile: reference + "/" + name, encoding: .utf8))
        }
        try directory.write("db/migrations/209901010000_index_lead_source.sql", Self.defect)
        return directory.path + "/db/migrations"
    }

    @Test func appliedDefectIsHistoryAndPasses() throws {
        let directory = try TemporaryDirectory()
        let folder = try migrations(in: directory)
        let database = try ScratchDatabase(on: .pg18, extensions: ["vector"])
        try CommandLineRunner.applyMigrations(url: database.url, folder: folder)
        let audit = try CommandLineRunner.run(["audit", "--database-url", database.url, "--migrations", folder],
                                              in: directory.path)
        #expect(audit.exitCode == 0, "\(audit.output)")
        #expect(audit.stdout.contains("### History: findings in migrations already applied"))
        #expect(audit.stdout.contains("| `require-concurrent-index` | HIGH | 1 | 1 |"), "\(audit.stdout)")
        #expect(audit.stdout.contains("1 finding in migrations already applied reported as history, not gating"))
        // The finding itself is in the JSON, marked.
        let json = try CommandLineRunner.run(["audit", "--format", "json", "--database-url", database.url,
                                              "--migrations", folder], in: directory.path)
        let report = try JSONRenderer.decoder().decode(Report.self, from: Data(json.stdout.utf8))
        let history = report.issues.map(\.finding).filter { $0.exemption == .history }
        #expect(history.map(\.ruleID) == ["require-concurrent-index"])
        #expect(history.first?.location.file?.hasSuffix("209901010000_index_lead_source.sql") == true)
        #expect(report.exemptions?.history.first?.rule == "require-concurrent-index")

        // gate.history: fail gates on it as before.
        try directory.write(".infra-guardian.yml", "gate:\n  history: fail\n")
        let strict = try CommandLineRunner.run(["audit", "--database-url", database.url, "--migrations", folder],
                                               in: directory.path)
        #expect(strict.exitCode == 1, "\(strict.output)")
        #expect(strict.stdout.contains("- 1 HIGH finding (I"), "\(strict.stdout)")
    }

    @Test func pendingDefectFails() throws {
        let directory = try TemporaryDirectory()
        let folder = try migrations(in: directory)
        let database = try ScratchDatabase(on: .pg18, extensions: ["vector"])
        try CommandLineRunner.applyMigrations(url: database.url, folder: CommandLineRunner.repositoryRoot + "/db/migrations")
        let audit = try CommandLineRunner.run(["audit", "--database-url", database.url, "--migrations", folder],
                                              in: directory.path)
        #expect(audit.exitCode == 1, "\(audit.output)")
        #expect(audit.stdout.contains("| 209901010000_index_lead_source | ⏳ pending |"))
        #expect(!audit.stdout.contains("### History"))
        #expect(audit.stdout.contains("without CONCURRENTLY blocks writes to leads"))
    }

    @Test func baselineRecordedFromTheAuditGatesLintOnlyOnNewFindings() throws {
        let directory = try TemporaryDirectory()
        let folder = try migrations(in: directory)
        let record = try CommandLineRunner.run(["baseline", "--migrations", folder, "--output", "baseline.json"],
                                               in: directory.path)
        #expect(record.exitCode == 0, "\(record.output)")
        #expect(record.stderr.contains("recorded 1 finding in baseline.json"), "\(record.stderr)")
        let lint = try CommandLineRunner.run(["lint", folder, "--baseline", "baseline.json"], in: directory.path)
        #expect(lint.exitCode == 0, "\(lint.output)")
        #expect(lint.stdout.contains("baseline (high): CREATE INDEX idx_leads_source"), "\(lint.stdout)")

        // The same problem again in a new file is new; the recorded one moved down a line is not.
        try directory.write("db/migrations/209901010000_index_lead_source.sql", "-- moved\n" + Self.defect)
        try directory.write("db/migrations/209901020000_index_lead_status.sql",
                            Self.defect.replacingOccurrences(of: "source", with: "status"))
        let again = try CommandLineRunner.run(["lint", folder, "--baseline", "baseline.json", "--format", "json"],
                                              in: directory.path)
        #expect(again.exitCode == 1, "\(again.output)")
        let report = try JSONRenderer.decoder().decode(LintReport.self, from: Data(again.stdout.utf8))
        #expect(report.baseline == BaselineOutcome(path: "baseline.json", recorded: 1, matched: 1, fixed: 0))
        #expect(report.findings.filter(\.isActive).map(\.location.file) == [folder + "/209901020000_index_lead_status.sql"])

        // Fixed: the recorded finding gone is counted.
        try FileManager.default.removeItem(atPath: folder + "/209901010000_index_lead_source.sql")
        let fixed = try CommandLineRunner.run(["lint", folder, "--baseline", "baseline.json", "--format", "json"],
                                              in: directory.path)
        let after = try JSONRenderer.decoder().decode(LintReport.self, from: Data(fixed.stdout.utf8))
        #expect(after.baseline?.fixed == 1)

        let missing = try CommandLineRunner.run(["lint", folder, "--baseline", "nope.json"], in: directory.path)
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("cannot read baseline"), "\(missing.stderr)")
    }
}

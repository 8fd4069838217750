import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// `infra-guardian lint` as CI and pre-commit hooks call it (no database needed).
@Suite struct LintCommandTests {
    static let seedTemplate = """
        -- migrate:up
        BEGIN;
        CREATE TABLE IF NOT EXISTS table_name (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );
        CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_table_column ON table_name(created_at);
        COMMIT;
        -- migrate:down
        DROP TABLE IF EXISTS table_name;
        """

    @Test func referenceSchemaLintsClean() throws {
        let result = try CommandLineRunner.run(["lint", CommandLineRunner.repositoryRoot + "/db/migrations"],
                                               in: NSTemporaryDirectory())
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(result.stdout.contains("no findings"))
    }

    @Test func seedTemplateFailsWithAPreciseLocation() throws {
        let directory = try TemporaryDirectory()
        try directory.write("db/migrations/202401011200_seed_template.sql", Self.seedTemplate)
        let result = try CommandLineRunner.run(["lint"], in: directory.path)
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("db/migrations/202401011200_seed_template.sql:7:1: critical:"))
        #expect(result.stdout.contains("[concurrently-in-transaction]"))
    }

    @Test func everyFormatCarriesTheFindings() throws {
        let directory = try TemporaryDirectory()
        try directory.write("db/migrations/202401011200_seed_template.sql", Self.seedTemplate)
        let json = try CommandLineRunner.run(["lint", "--format", "json"], in: directory.path)
        let report = try JSONRenderer.decoder().decode(LintReport.self, from: Data(json.stdout.utf8))
        #expect(report.files == 1 && !report.gate.passed)
        #expect(report.findings.contains { $0.ruleID == "concurrently-in-transaction" && $0.location.line == 7 })
        // Schema version 2: the rule's text once in `rules`, its findings without the generic fix.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 2)
        let rules = try #require(object["rules"] as? [String: [String: Any]])
        #expect(Set(rules.keys) == Set(report.findings.map(\.ruleID)))
        let written = try #require(object["findings"] as? [[String: Any]])
        // Its finding carries the fix written for that statement, not the rule's text again.
        let concurrent = try #require(written.first { $0["ruleID"] as? String == "concurrently-in-transaction" })
        let fix = try #require(concurrent["fix"] as? String)
        // The seed template builds the index on the table it has just created: no CONCURRENTLY needed.
        #expect(fix.hasPrefix("table_name is created earlier in this file and still empty"))
        #expect(fix != rules["concurrently-in-transaction"]?["fix"] as? String)
        let sarif = try CommandLineRunner.run(["lint", "--format", "sarif"], in: directory.path)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let github = try CommandLineRunner.run(["lint", "--format", "github"], in: directory.path)
        #expect(github.stdout.contains("::error file=db/migrations/202401011200_seed_template.sql,line=7"))
        let junit = try CommandLineRunner.run(["lint", "--format", "junit"], in: directory.path)
        #expect(junit.stdout.hasPrefix("<?xml") && junit.stdout.contains("<failure"))
        let markdown = try CommandLineRunner.run(["lint", "--format", "md"], in: directory.path)
        #expect(markdown.stdout.contains("## Quality Gate (Infra): FAILED"))
    }

    @Test func waiversAreReportedNotDropped() throws {
        let directory = try TemporaryDirectory()
        try directory.write("db/migrations/202401011200_drop_legacy.sql", """
            -- migrate:up
            -- Legacy column, unused since the 2023 consent rework.
            -- infra-guardian:approve ban-drop-column replaced by consents.purpose (ticket MC-412)
            ALTER TABLE leads DROP COLUMN IF EXISTS legacy_source;
            -- migrate:down
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS legacy_source text;
            """)
        let result = try CommandLineRunner.run(["lint", "--format", "json"], in: directory.path)
        let report = try JSONRenderer.decoder().decode(LintReport.self, from: Data(result.stdout.utf8))
        let drop = try #require(report.findings.first { $0.ruleID == "ban-drop-column" })
        #expect(drop.waiver?.reason == "replaced by consents.purpose (ticket MC-412)")
        #expect(report.findings.filter { !$0.isWaived && [.critical, .high].contains($0.severity) }.isEmpty == report.gate.passed)
    }

    @Test func globsAndMissingPaths() throws {
        let directory = try TemporaryDirectory()
        try directory.write("db/migrations/202401011200_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n")
        let glob = try CommandLineRunner.run(["lint", "db/migrations/2024*.sql"], in: directory.path)
        #expect(glob.exitCode == 0, "\(glob.output)")
        #expect(glob.stdout.contains("1 file linted"))
        let none = try CommandLineRunner.run(["lint", "db/migrations/1999*.sql"], in: directory.path)
        #expect(none.exitCode == 1)
        #expect(none.stdout.contains("no migration file matches"))
    }

    @Test func baseRevisionCatchesAnEditedMigration() throws {
        let directory = try TemporaryDirectory()
        try directory.write("db/migrations/202401011200_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n")
        for args in [["init", "-q"], ["add", "."], ["-c", "user.email=t@e.com", "-c", "user.name=t", "commit", "-qm", "base"]] {
            #expect(GitBaseline.run(["git"] + args, in: directory.path).status == 0)
        }
        try directory.write("db/migrations/202401011200_a.sql", "-- migrate:up\nSELECT 2;\n-- migrate:down\nSELECT 1;\n")
        let result = try CommandLineRunner.run(["lint", "--base", "HEAD"], in: directory.path)
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("[modified-migration]"))
    }
}

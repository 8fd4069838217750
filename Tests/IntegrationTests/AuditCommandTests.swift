import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// `infra-guardian audit`, `health` and `collect` end to end against the real servers, including every
/// kind of bad input: the report still renders, the component is ❌ with its reason, exit 1.
@Suite(.integration) struct AuditCommandTests {
    static let fastTimeouts = "postgres:\n  connect_timeout_s: 3\nredis:\n  connect_timeout_ms: 1000\n  command_timeout_ms: 1000\n"

    func sections(of report: String) -> [String] {
        report.split(separator: "\n").filter { $0.hasPrefix("#") }.map(String.init)
    }

    @Test func auditsTheReferenceSchemaAndPasses() throws {
        let database = try ScratchDatabase(on: .pg18, extensions: ["vector"])
        let migrations = CommandLineRunner.repositoryRoot + "/db/migrations"
        try CommandLineRunner.applyMigrations(url: database.url, folder: migrations)
        let result = try CommandLineRunner.run(
            ["audit", "--database-url", database.url, "--redis-url", try TestServers.url(.redis), "--migrations", migrations],
            in: NSTemporaryDirectory())
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(sections(of: result.stdout) == [
            "# Infrastructure Audit Report", "## Database Analysis", "## Adapter Coverage", "## Migration Status",
            "## Performance Metrics", "## Issues Found", "## Quality Gate (Infra): PASSED"])
        #expect(result.stdout.contains("| PostgreSQL | ✅ | v18."))
        #expect(result.stdout.contains("| pgvector | ✅ | v0.8"))
        #expect(result.stdout.contains("HNSW index healthy"))
        #expect(result.stdout.contains("| Redis | ✅ | v7."))
        #expect(result.stdout.contains("| 202401010910_create_leads | ✅ applied |"))
        #expect(result.stdout.contains("PostgreSQL `SELECT 1` round trip"))
        #expect(!result.stdout.contains("⏳ pending"))
    }

    @Test func pendingMigrationsShowAndDegradeHealth() throws {
        let database = try ScratchDatabase(on: .pg15)
        let migrations = CommandLineRunner.repositoryRoot + "/db/migrations"
        let audit = try CommandLineRunner.run(["audit", "--database-url", database.url, "--migrations", migrations],
                                              in: NSTemporaryDirectory())
        #expect(audit.stdout.contains("| 202401010910_create_leads | ⏳ pending |"))
        #expect(audit.stdout.contains("| Migrations | ⚠️ |"))
        let health = try CommandLineRunner.run(["health", "--format", "json", "--database-url", database.url,
                                                "--migrations", migrations], in: NSTemporaryDirectory())
        #expect(health.exitCode == 1)
        let status = try JSONRenderer.decoder().decode(HealthStatus.self, from: Data(health.stdout.utf8))
        #expect(status.status == .degraded)
        #expect(status.checks.first { $0.name == "PostgreSQL" }?.status == .healthy)
    }

    @Test func healthyHealthExitsZeroWithTheSeedShape() throws {
        let result = try CommandLineRunner.run(["health", "--format", "json", "--database-url", try TestServers.url(.pg15),
                                                "--redis-url", try TestServers.url(.redis)], in: NSTemporaryDirectory())
        #expect(result.exitCode == 0, "\(result.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "healthy")
        #expect((json["checks"] as? [Any])?.count == 4)
        #expect(json["timestamp"] is String)
    }

    @Test func unreachablePostgresIsAFailedGateNotACrash() throws {
        let directory = try TemporaryDirectory()
        try directory.write(".infra-guardian.yml", Self.fastTimeouts)
        let result = try CommandLineRunner.run(["audit", "--database-url", "postgres://app@127.0.0.1:1/medicalcor"],
                                               in: directory.path)
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("| PostgreSQL | ❌ |"))
        #expect(result.stdout.contains("## Quality Gate (Infra): FAILED"))
        #expect(result.stdout.contains("postgres-unreachable"))
    }

    @Test func wrongPasswordsAreReportedButNeverPrinted() throws {
        let pg = try TestServers.url(.pg15Password).replacingOccurrences(of: "secret-pw", with: "Wr0ngPassw0rd")
        let redis = try TestServers.url(.redisAuth).replacingOccurrences(of: "secret-redis", with: "Wr0ngRedisPw")
        let directory = try TemporaryDirectory()
        try directory.write(".infra-guardian.yml", Self.fastTimeouts)
        for format in ["md", "json", "html"] {
            let result = try CommandLineRunner.run(["audit", "--format", format, "--database-url", pg, "--redis-url", redis],
                                                   in: directory.path)
            #expect(result.exitCode == 1)
            #expect(result.stdout.contains("password authentication failed"))
            #expect(result.stdout.contains("authentication failed"))
            #expect(!result.output.contains("Wr0ng"), "a password leaked in \(format)")
            #expect(result.stdout.contains("***"))
        }
    }

    @Test func malformedURLsAreClearErrors() throws {
        let directory = try TemporaryDirectory()
        let result = try CommandLineRunner.run(["audit", "--database-url", "postgres://user@:notaport/db",
                                                "--redis-url", "redis://localhost:abc/0"], in: directory.path)
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("| PostgreSQL | ❌ |"))
        #expect(result.stdout.contains("| Redis | ❌ | malformed Redis URL"))
    }

    @Test func missingMigrationFolderAndBadFilesFailTheGate() throws {
        let directory = try TemporaryDirectory()
        let missing = try CommandLineRunner.run(["audit", "--migrations", "db/nowhere"], in: directory.path)
        #expect(missing.exitCode == 1)
        #expect(missing.stdout.contains("| Migrations | ❌ | migration folder db/nowhere does not exist"))
        try directory.write("db/migrations/202401011200_broken.sql", Data([0x2D, 0x2D, 0xC3, 0x28, 0x0A]))
        let binary = try CommandLineRunner.run(["audit"], in: directory.path)
        #expect(binary.exitCode == 1)
        #expect(binary.stdout.contains("not valid UTF-8"))
        #expect(binary.stdout.contains("## Quality Gate (Infra): FAILED"))
    }

    @Test func badConfigurationIsExitTwoWithKeyAndLine() throws {
        let directory = try TemporaryDirectory()
        try directory.write(".infra-guardian.yml", "gate:\n  fail_on: [HIGH]\n  fial_on_unhealthy: true\n")
        let result = try CommandLineRunner.run(["audit"], in: directory.path)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(".infra-guardian.yml:3"))
        #expect(result.stderr.contains("gate.fial_on_unhealthy"))
        let usage = try CommandLineRunner.run(["audit", "--format", "pdf"], in: directory.path)
        #expect(usage.exitCode == 2)
    }

    /// An atomic write renames a temporary file over the target: on `/dev/null` that replaced the device.
    @Test func outputToADeviceWritesInPlace() throws {
        let result = try CommandLineRunner.run(["audit", "--migrations", CommandLineRunner.repositoryRoot + "/db/migrations",
                                                "--output", "/dev/null"], in: NSTemporaryDirectory())
        #expect(result.exitCode == 0, "\(result.output)")
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial, "/dev/null is no longer a device")
        let directory = try TemporaryDirectory()
        let file = directory.path + "/report.md"
        _ = try CommandLineRunner.run(["audit", "--output", file], in: directory.path)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("## Quality Gate (Infra): PASSED"))
    }

    @Test func noLiveTargetsRunsStaticPartsAndPasses() throws {
        let result = try CommandLineRunner.run(["audit", "--migrations", CommandLineRunner.repositoryRoot + "/db/migrations"],
                                               in: NSTemporaryDirectory())
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(result.stdout.contains("| PostgreSQL | ➖ | not configured"))
        #expect(result.stdout.contains("➖ not compared (no database)"))
    }

    @Test func collectedSnapshotAuditsOfflineToTheSameReport() throws {
        let directory = try TemporaryDirectory()
        let snapshot = directory.path + "/snap.json"
        let args = ["--database-url", try TestServers.url(.pg15), "--redis-url", try TestServers.url(.redis),
                    "--migrations", CommandLineRunner.repositoryRoot + "/db/migrations"]
        let collect = try CommandLineRunner.run(["collect", "--out", snapshot] + args, in: directory.path)
        #expect(collect.exitCode == 0, "\(collect.output)")
        let live = try CommandLineRunner.run(["audit", "--snapshot", snapshot, "--format", "json"], in: directory.path)
        let report = try JSONRenderer.decoder().decode(Report.self, from: Data(live.stdout.utf8))
        #expect(report.components.first?.state == .healthy)
        #expect(report.issues.contains { $0.finding.ruleID == "pending-migration" })
        let garbage = try CommandLineRunner.run(["audit", "--snapshot", directory.path + "/nothing.json"], in: directory.path)
        #expect(garbage.exitCode == 2)
    }
}

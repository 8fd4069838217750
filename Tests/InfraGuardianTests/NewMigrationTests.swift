import Foundation
import Testing
@testable import InfraGuardian

/// `new-migration` designs from the schema the migrations build, and every file it writes lints
/// clean under our own rules.
@Suite struct NewMigrationTests {
    static let leads = """
        -- migrate:up
        CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text NOT NULL);
        CREATE TABLE IF NOT EXISTS patients (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), lead_id uuid REFERENCES leads (id));
        CREATE INDEX IF NOT EXISTS patients_lead_id_idx ON patients (lead_id);
        CREATE TABLE IF NOT EXISTS cases (id uuid PRIMARY KEY DEFAULT gen_random_uuid());

        -- migrate:down
        DROP TABLE IF EXISTS cases;
        DROP TABLE IF EXISTS patients;
        DROP TABLE IF EXISTS leads;
        """

    static func project(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ig-new-\(UUID().uuidString)").path
        for (path, text) in files {
            let full = (root as NSString).appendingPathComponent(path)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }

    static let now = Date(timeIntervalSince1970: 1_764_900_000)  // 2025-12-05 02:00 UTC

    @Test(arguments: ["lead scoring history", "patient consent versions", "case notes", "Lead's follow-up reminders!",
                      "appointment slots", "cases attachments", "2fa recovery codes", "lead scoring history for patients"])
    func everyGeneratedFileLintsClean(_ phrase: String) throws {
        let root = try Self.project(["db/migrations/202401010900_init.sql": Self.leads])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let session = try Session(SessionOptions(directory: root))
        let written = try session.newMigration(phrase, columns: "score:int!, model_version:text, payload:json", now: Self.now)
        let report = try session.lint()
        #expect(report.findings.isEmpty, "\(phrase): \(report.findings.map { "\($0.ruleID): \($0.message)" })")
        #expect(report.files == 2)
        let text = try String(contentsOfFile: "\(root)/\(written.paths[0])", encoding: .utf8)
        #expect(text.contains("-- migrate:down\nSET lock_timeout") || text.contains("-- migrate:down\nDROP TABLE IF EXISTS \(written.design.table);"))
        #expect(text.contains("payload jsonb"))
    }

    @Test func theLeadScoringHistoryReferencesLeadsWithItsIndex() throws {
        let root = try Self.project(["db/migrations/202401010900_init.sql": Self.leads])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let written = try Session(SessionOptions(directory: root)).newMigration("lead scoring history", now: Self.now)
        #expect(written.paths == ["db/migrations/202512050200_lead_scoring_history.sql"])
        let design = written.design
        #expect(design.table == "lead_scoring_history")
        let create = try #require(design.up.first { $0.hasPrefix("CREATE TABLE IF NOT EXISTS lead_scoring_history") })
        #expect(create.contains("id uuid PRIMARY KEY DEFAULT gen_random_uuid()"))
        #expect(create.contains("lead_id uuid NOT NULL REFERENCES leads (id)"))
        #expect(create.contains("created_at timestamptz NOT NULL DEFAULT now()"))
        #expect(design.up.contains("CREATE INDEX IF NOT EXISTS lead_scoring_history_lead_id_idx ON lead_scoring_history (lead_id);"))
        #expect(design.up.contains("SET lock_timeout = '5s';"))
        #expect(design.up.contains { $0.hasPrefix("COMMENT ON TABLE lead_scoring_history IS ") })
        #expect(design.down == ["SET lock_timeout = '5s';", "DROP TABLE IF EXISTS lead_scoring_history;"])
    }

    @Test func withoutAnEntityNoForeignKeyAndNoLockTimeout() throws {
        let root = try Self.project(["db/migrations/202401010900_init.sql": Self.leads])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let design = try Session(SessionOptions(directory: root)).newMigration("feature flags", now: Self.now).design
        #expect(!design.up.contains { $0.contains("REFERENCES") || $0.contains("lock_timeout") })
        #expect(design.down == ["DROP TABLE IF EXISTS feature_flags;"])
    }

    @Test func theProjectsKeyConventionIsFollowed() throws {
        let root = try Self.project(["db/migrations/202401010900_init.sql": """
            -- migrate:up
            CREATE TABLE IF NOT EXISTS leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);

            -- migrate:down
            DROP TABLE IF EXISTS leads;
            """])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let session = try Session(SessionOptions(directory: root))
        let design = try session.newMigration("lead notes", now: Self.now).design
        let create = try #require(design.up.first { $0.hasPrefix("CREATE TABLE") })
        #expect(create.contains("id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"))
        #expect(create.contains("lead_id bigint NOT NULL REFERENCES leads (id)"))
        #expect(try session.lint().findings.isEmpty)
    }

    @Test func aSupabaseProjectGetsAFileWithoutMarkers() throws {
        let root = try Self.project(["supabase/migrations/20240101090000_init.sql": """
            CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
            """])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let session = try Session(SessionOptions(directory: root))
        let written = try session.newMigration("lead tags", now: Self.now)
        #expect(written.paths[0].hasPrefix("supabase/migrations/"))
        let text = try String(contentsOfFile: "\(root)/\(written.paths[0])", encoding: .utf8)
        #expect(!text.contains("-- migrate:"))
        #expect(try session.lint().findings.isEmpty)
    }

    @Test func anExistingFileIsNeverOverwrittenAndBadInputIsAClearError() throws {
        let root = try Self.project(["db/migrations/202401010900_init.sql": Self.leads,
                                     "elsewhere/202512050200_lead_notes.sql": "keep me"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let session = try Session(SessionOptions(directory: root))
        #expect(throws: SessionError.self) { try session.newMigration("lead notes", folder: "elsewhere", now: Self.now) }
        #expect(try String(contentsOfFile: "\(root)/elsewhere/202512050200_lead_notes.sql", encoding: .utf8) == "keep me")
        #expect(throws: SessionError.self) { try session.newMigration("leads", now: Self.now) }  // the table exists
        #expect(throws: SessionError.self) { try session.newMigration("!!!", now: Self.now) }
        #expect(throws: SessionError.self) { try session.newMigration("lead notes", columns: "score:money", now: Self.now) }
        #expect(throws: SessionError.self) { try session.newMigration("lead notes", columns: "x; DROP TABLE leads:int", now: Self.now) }
    }

    @Test func anIndexOnAnExistingTableIsAConcurrentFileOfItsOwnThatLintsClean() throws {
        let root = try Self.project(["db/migrations/202401010900_init.sql": Self.leads])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let session = try Session(SessionOptions(directory: root))
        let written = try session.newMigration("lead notes", indexes: ["leads(email)", "public.patients(lead_id, id)"], now: Self.now)
        #expect(written.paths == ["db/migrations/202512050200_lead_notes.sql", "db/migrations/202512050201_index_leads_email.sql",
                                  "db/migrations/202512050202_index_patients_lead_id_id.sql"])
        let text = try String(contentsOfFile: "\(root)/\(written.paths[1])", encoding: .utf8)
        let statements = text.split(separator: "\n").filter { !$0.hasPrefix("--") && !$0.isEmpty }
        #expect(statements == ["CREATE INDEX CONCURRENTLY IF NOT EXISTS leads_email_idx ON leads (email);",
                               "DROP INDEX CONCURRENTLY IF EXISTS leads_email_idx;"])
        #expect(text.contains("-- migrate:up transaction:false") && text.contains("-- migrate:down transaction:false"))
        #expect(try session.lint().findings.isEmpty)
        // A column the migrations never created is said, not guessed away (it may have been renamed by hand).
        let unseen = try session.newMigration(nil, indexes: ["cases(status)"], now: Self.now)
        #expect(unseen.design.steps.contains { $0.contains("cases.status: not seen in the migrations") })
    }

    @Test func badIndexRequestsAreClearErrors() throws {
        let root = try Self.project(["db/migrations/202401010900_init.sql": Self.leads])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let session = try Session(SessionOptions(directory: root))
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        #expect(message { try session.newMigration(nil, now: Self.now) }.contains("--index"))
        #expect(message { try session.newMigration(nil, indexes: ["leads status"], now: Self.now) }.contains("is not TABLE(COLUMN"))
        #expect(message { try session.newMigration(nil, indexes: ["leads(lower(email))"], now: Self.now) }.contains("lower-case names"))
        #expect(message { try session.newMigration(nil, indexes: ["appointments(id)"], now: Self.now) }.contains("no table appointments"))
        #expect(message { try session.newMigration(nil, columns: "score:int", indexes: ["leads(email)"], now: Self.now) }.contains("--columns"))
        #expect(!FileManager.default.fileExists(atPath: "\(root)/db/migrations/202512050200_index_leads_email.sql"))
    }

    @Test func aSupabaseIndexFollowsTheConfiguredCLI() throws {
        let files = ["supabase/migrations/20240101090000_init.sql":
                        "CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text);"]
        let latest = try Self.project(files)
        defer { try? FileManager.default.removeItem(atPath: latest) }
        let session = try Session(SessionOptions(directory: latest))
        let written = try session.newMigration(nil, indexes: ["leads(email)"], now: Self.now)
        let text = try String(contentsOfFile: "\(latest)/\(written.paths[0])", encoding: .utf8)
        #expect(!text.contains("-- migrate:") && text.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS leads_email_idx"))
        #expect(try session.lint().findings.isEmpty)
        // Before 2.109 the CLI runs a file in one transaction, where CONCURRENTLY fails: refused, with the way out.
        let old = try Self.project(files.merging([".infra-guardian.yml": "migrations:\n  supabase_cli: \"2.108\"\n"]) { $1 })
        defer { try? FileManager.default.removeItem(atPath: old) }
        do {
            _ = try Session(SessionOptions(directory: old)).newMigration(nil, indexes: ["leads(email)"], now: Self.now)
            Issue.record("an index file written for a CLI that cannot run it")
        } catch let error as SessionError {
            #expect(error.message.contains("one transaction") && error.message.contains("supabase_cli"), "\(error.message)")
        }
    }

    @Test func aVersionAfterTheLatestWhenTheClockIsBehind() {
        #expect(Session.nextVersion(after: ["203001010000"], now: Self.now) == "203001010001")
        #expect(Session.nextVersion(after: ["202401010900"], now: Self.now) == "202512050200")
    }
}

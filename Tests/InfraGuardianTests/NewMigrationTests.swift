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

    @Test func aVersionAfterTheLatestWhenTheClockIsBehind() {
        #expect(Session.nextVersion(after: ["203001010000"], now: Self.now) == "203001010001")
        #expect(Session.nextVersion(after: ["202401010900"], now: Self.now) == "202512050200")
    }
}

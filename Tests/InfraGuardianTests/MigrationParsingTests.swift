import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

@Suite struct MigrationParsingTests {
    @Test func fileNamesMatchFoundation() {
        for path in ["", "/", "a", "a/", "a//", "/a", "db/migrations/202401011200_x.sql", "x/./y", "é/ü.sql", "a/b/",
                     "/abs/db/migrations/2024_é.sql"] {
            #expect(PathName.last(of: path) == (path as NSString).lastPathComponent, "\(path)")
        }
    }

    @Test func splitsDbmateSections() {
        let text = "-- Description: x\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS i;\n"
        let file = MigrationFileParser.parse(path: "db/migrations/202401011200_x.sql", kind: .dbmate, text: text)
        #expect(file.version == "202401011200")
        #expect(file.up?.transaction == false)
        #expect(file.up?.startLine == 3)
        #expect(file.up?.text.contains("CREATE INDEX CONCURRENTLY") == true)
        #expect(file.up?.text.contains("DROP INDEX") == false)
        #expect(file.down?.startLine == 6)
        #expect(file.down?.hasStatements == true)
        #expect(file.down?.transaction == true)
    }

    @Test func supabaseFileIsOneTransaction() {
        let file = MigrationFileParser.parse(path: "supabase/migrations/20240101120000_init.sql", kind: .supabase,
                                             text: "create table a (id bigint);")
        #expect(file.up?.transaction == true)
        #expect(file.down == nil)
        #expect(file.version == "20240101120000")
    }

    @Test func collectorReportsMissingExplicitFolderButNotMissingDefaults() throws {
        let root = try TemporaryDirectory()
        let defaults = MigrationCollector.collect(folders: nil, root: root.path)
        #expect(defaults.folders.isEmpty && defaults.files.isEmpty)
        let explicit = MigrationCollector.collect(folders: ["db/nope"], root: root.path)
        #expect(explicit.folders.first?.error?.contains("does not exist") == true)
    }

    @Test func collectorReadsEachFolderWithItsConfiguredRunner() throws {
        let root = try TemporaryDirectory()
        try root.write("sql/001_init.sql", "CREATE TABLE IF NOT EXISTS a (id int);\n")
        try root.write("supabase/migrations/20240101120000_c.sql", "select 1;")
        var settings = MigrationSettings()
        settings.runners = ["sql": .psql]
        settings.supabaseCLI = SupabaseCLIVersion(major: 2, minor: 108)
        let set = MigrationCollector.collect(folders: ["sql", "supabase/migrations"], root: root.path, settings: settings)
        #expect(set.folders.map(\.kind) == [.psql, .supabase])
        #expect(set.files.map(\.kind) == [.psql, .supabase])
        #expect(set.files[0].up?.transaction == false && set.files[0].down == nil)
        #expect(set.supabaseCLI == settings.supabaseCLI)
        let single = MigrationCollector.collect(paths: ["sql/001_init.sql"], root: root.path, settings: settings)
        #expect(single.files.map(\.kind) == [.psql])
        // A psql file has no naming convention and no history table.
        let findings = Evaluator().evaluate(AuditInput(migrations: set), configuration: Configuration())
        #expect(!findings.contains { $0.ruleID == "migration-file-naming" })
    }

    @Test func collectorReadsFilesAndFlagsNonUTF8() throws {
        let root = try TemporaryDirectory()
        try root.write("db/migrations/202401011200_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n")
        try root.write("db/migrations/202401011300_b.sql", Data([0x2D, 0x2D, 0x20, 0xFF, 0xFE, 0x0A]))
        try root.write("db/migrations/README.md", "not a migration")
        try root.write("supabase/migrations/20240101120000_c.sql", "select 1;")
        let set = MigrationCollector.collect(folders: nil, root: root.path)
        #expect(set.files.map(\.fileName) == ["202401011200_a.sql", "202401011300_b.sql", "20240101120000_c.sql"])
        #expect(set.files[1].readError?.contains("UTF-8") == true)
        #expect(set.files[2].kind == .supabase)
        let findings = Evaluator().evaluate(AuditInput(migrations: set), configuration: Configuration())
        #expect(findings.contains { $0.ruleID == "migration-unreadable" && $0.location.file == "db/migrations/202401011300_b.sql" })
    }

    @Test func statusJoinsFilesWithHistory() {
        let files = ["202401011200_a", "202401011300_b"].map {
            MigrationFileParser.parse(path: "db/migrations/\($0).sql", kind: .dbmate, text: "-- migrate:up\n")
        }
        let set = MigrationSet(folders: [MigrationFolder(path: "db/migrations", kind: .dbmate, exists: true, explicit: false)],
                               files: files)
        let history = MigrationHistory(dbmate: [AppliedMigration(version: "202401011200"),
                                                AppliedMigration(version: "202312310000")])
        let entries = MigrationStatusResolver.resolve(set, history: history)
        #expect(entries.map(\.state) == [.appliedMissingFile, .applied, .pending])
        #expect(MigrationStatusResolver.resolve(set, history: nil).map(\.state) == [.unknown, .unknown])
    }
}

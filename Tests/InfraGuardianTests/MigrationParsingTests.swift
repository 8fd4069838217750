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

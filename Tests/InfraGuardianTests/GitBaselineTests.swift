import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

@Suite struct GitBaselineTests {
    func git(_ arguments: [String], in directory: String) throws {
        let result = GitBaseline.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t"] + arguments, in: directory)
        guard result.status == 0 else { throw CocoaError(.fileReadUnknown, userInfo: ["git": result.error]) }
    }

    @Test func classifiesModifiedAddedUnchangedAndDeleted() throws {
        let root = try TemporaryDirectory()
        let up = "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n"
        try root.write("db/migrations/202401011200_a.sql", up)
        try root.write("db/migrations/202401011300_b.sql", up)
        try root.write("db/migrations/202401011400_c.sql", up)
        try git(["init", "-q"], in: root.path)
        try git(["add", "."], in: root.path)
        try git(["commit", "-qm", "base"], in: root.path)
        try root.write("db/migrations/202401011200_a.sql", up + "SELECT 2;\n")
        try FileManager.default.removeItem(atPath: root.path + "/db/migrations/202401011400_c.sql")
        try root.write("db/migrations/202402011200_d.sql", up)

        let set = GitBaseline.compare(MigrationCollector.collect(folders: nil, root: root.path), base: "HEAD", root: root.path)
        #expect(set.baseError == nil)
        let states = Dictionary(uniqueKeysWithValues: set.files.map { ($0.fileName, $0.baseState) })
        #expect(states["202401011200_a.sql"] == .modified)
        #expect(states["202401011300_b.sql"] == .unchanged)
        #expect(states["202402011200_d.sql"] == .added)
        #expect(set.deletedSinceBase == ["db/migrations/202401011400_c.sql"])

        let findings = Evaluator().evaluate(AuditInput(migrations: set), configuration: Configuration())
            .filter { $0.ruleID == "modified-migration" }
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0.severity == .critical })
    }

    @Test func unknownRevisionIsAFindingNotACrash() throws {
        let root = try TemporaryDirectory()
        try root.write("db/migrations/202401011200_a.sql", "-- migrate:up\nSELECT 1;\n")
        try git(["init", "-q"], in: root.path)
        let set = GitBaseline.compare(MigrationCollector.collect(folders: nil, root: root.path), base: "no-such-ref", root: root.path)
        #expect(set.baseError?.contains("no-such-ref") == true)
        let findings = Evaluator().evaluate(AuditInput(migrations: set), configuration: Configuration())
        #expect(findings.contains { $0.ruleID == "modified-migration" && $0.location.object == "git" })
    }
}

import Foundation
import Testing
@testable import InfraGuardian

/// The parse-tree names the rules read (`PG.NodeKind`, `PG.Field`, `PG.AlterTableType`...) are
/// generated from the installed libpg_query's pg_query.proto and must not drift from it.
@Suite struct ParseTreeNamesTests {
    @Test func generatedNamesMatchTheInstalledProto() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot + "/scripts/generate-parse-tree-names", "--check"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }

    /// Spot checks of the generated spellings against what the parser returns.
    @Test func enumValuesAreTheParsersSpelling() throws {
        let sql = """
        -- migrate:up
        ALTER TABLE leads ADD CONSTRAINT leads_ref_fk FOREIGN KEY (ref) REFERENCES refs (id) NOT VALID, DROP COLUMN old CASCADE;
        DROP INDEX CONCURRENTLY IF EXISTS idx_leads_old;
        -- migrate:down
        """
        let up = try #require(Lint.analyze(Lint.dbmate(sql)).files.first?.up).statements
        #expect(up.map(\.kind) == [.alterTableStmt, .dropStmt])
        #expect(up[0].alterSubtypes == [.addConstraint, .dropColumn])
        let constraint = up[0].alterCommands(.addConstraint)[0][.def].node(.constraint)
        #expect(constraint[.contype].decoded(PG.ConstrType.self) == .foreign && constraint[.skipValidation].bool)
        #expect(up[0].alterCommands(.dropColumn)[0][.behavior].equals(PG.DropBehavior.cascade))
        #expect(up[1].node[.removeType].equals(PG.ObjectType.index) && up[1].node[.concurrent].bool && up[1].node[.missingOk].bool)
        #expect(up[1].node[.removeType].decoded(PG.ConstrType.self) == nil)
    }
}

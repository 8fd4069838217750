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

    @Test func statementViewsReadTheirStatements() throws {
        let sql = """
        -- migrate:up
        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_ref ON leads (ref);
        ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_ref_fk CASCADE, ADD CONSTRAINT leads_ref_key UNIQUE USING INDEX idx_leads_ref;
        DROP MATERIALIZED VIEW lead_stats;
        -- migrate:down
        """
        let up = try #require(Lint.analyze(Lint.dbmate(sql)).files.first?.up).statements
        let index = try #require(up[0].createIndex)
        #expect(index.name == "idx_leads_ref" && index.table == "leads" && index.isConcurrent && index.isUnique && index.ifNotExists)
        #expect(up[0].alterTable == nil && up[0].drop == nil && up[1].createIndex == nil)
        let commands = try #require(up[1].alterTable).commands
        #expect(commands.map(\.subtype) == [.dropConstraint, .addConstraint])
        #expect(commands[0].name == "leads_ref_fk" && commands[0].cascades && commands[0].missingOk)
        #expect(commands[1].constraint.type == .unique && commands[1].constraint.name == "leads_ref_key"
                && commands[1].constraint.usesExistingIndex && !commands[1].constraint.skipsValidation)
        let drop = try #require(up[2].drop)
        #expect(drop.objectType == .matview && drop.objectType?.name == "MATVIEW" && !drop.isConcurrent && !drop.cascades)
    }

    /// Two statements the string-keyed code never matched (it spelt `CreateRuleStmt` and
    /// `MATERIALIZED_VIEW`; the parser says `RuleStmt` and `OBJECT_MATVIEW`): typed, they lock.
    @Test func createRuleAndDropMaterializedViewTakeAccessExclusive() throws {
        let sql = """
        -- migrate:up
        CREATE RULE leads_no_delete AS ON DELETE TO leads DO INSTEAD NOTHING;
        DROP MATERIALIZED VIEW lead_stats;
        -- migrate:down
        """
        let analysis = Lint.analyze(Lint.dbmate(sql))
        let locks = analysis.statementLocks.map { $0.locks.map { "\($0.relation) \($0.mode)" } }
        #expect(locks == [["leads accessExclusive"], ["lead_stats accessExclusive"]])
    }
}

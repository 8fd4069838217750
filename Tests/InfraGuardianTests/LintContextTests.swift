import Testing
@testable import InfraGuardian

/// Transaction blocks, timeouts and "created in this file" as each statement sees them.
@Suite struct LintContextTests {
    private func up(_ file: MigrationFile) -> [SQLStatement] {
        Lint.analyze(file).files.first?.up?.statements ?? []
    }

    @Test func dbmateWrapsSectionsInATransactionByDefault() {
        let statements = up(Lint.dbmate("-- migrate:up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nSELECT 1;\n"))
        #expect(statements.first?.transaction == .migrationTool(.dbmate))
    }

    @Test func transactionFalseWithOneStatementRunsAlone() {
        let statements = up(Lint.dbmate("-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nSELECT 1;\n"))
        #expect(statements.first?.transaction == TransactionContext.none)
        #expect(statements.first?.inTransaction == false)
    }

    @Test func transactionFalseWithSeveralStatementsIsAnImplicitBlock() {
        let statements = up(Lint.dbmate("-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\nCREATE INDEX CONCURRENTLY j ON t (b);\n"))
        #expect(statements.map(\.transaction) == [.implicitMultiStatement, .implicitMultiStatement])
    }

    @Test func explicitBeginCommitBlocks() {
        let text = "-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE IF NOT EXISTS a (id int);\nCOMMIT;\nVACUUM a;\n"
        let statements = up(Lint.dbmate(text))
        #expect(statements.map(\.transaction) == [.explicit(beginLine: 2), .explicit(beginLine: 2), .explicit(beginLine: 2),
                                                   .implicitMultiStatement])
    }

    @Test func supabaseFilesRunInOneTransaction() {
        let statements = up(Lint.supabase("CREATE TABLE IF NOT EXISTS t (a int);\nCREATE INDEX i ON t (a);\n"))
        #expect(statements.map(\.transaction) == [.migrationTool(.supabase), .migrationTool(.supabase)])
    }

    /// Supabase CLI 2.109 and later run what they recognise as pipeline-incompatible on its own;
    /// `DROP INDEX CONCURRENTLY` only after 2.111; older releases run the whole file in one transaction.
    @Test func supabaseRunsPipelineIncompatibleStatementsStandaloneByVersion() {
        let text = "CREATE TABLE IF NOT EXISTS t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);\nVACUUM t;\nANALYZE t;\n"
            + "DROP INDEX CONCURRENTLY IF EXISTS j;\nREINDEX INDEX CONCURRENTLY i;\nCREATE TABLE IF NOT EXISTS u (a int);\n"
        func contexts(_ cli: SupabaseCLIVersion) -> [TransactionContext] {
            MigrationAnalysis(MigrationSet(files: [Lint.supabase(text)], supabaseCLI: cli)).files[0].up?.statements.map(\.transaction) ?? []
        }
        let tool = TransactionContext.migrationTool(.supabase)
        #expect(contexts(.latest) == [tool, .none, .none, tool, .none, .none, tool])
        #expect(contexts(SupabaseCLIVersion(major: 2, minor: 111, patch: 3)) == [tool, .none, .none, tool, tool, .none, tool])
        #expect(contexts(SupabaseCLIVersion(major: 2, minor: 108, patch: 9)) == Array(repeating: tool, count: 7))
        // A BEGIN written in the file is a block of its own, whatever the CLI does.
        let explicit = MigrationAnalysis(MigrationSet(files: [Lint.supabase("BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;\n")]))
        #expect(explicit.files[0].up?.statements[1].transaction == .explicit(beginLine: 1))
    }

    @Test func psqlFilesRunStatementByStatement() {
        let file = MigrationFileParser.parse(path: "sql/001_init.sql", kind: .psql,
                                             text: "CREATE INDEX CONCURRENTLY i ON t (a);\nBEGIN;\nCREATE TABLE IF NOT EXISTS u (a int);\nCOMMIT;\n")
        #expect(file.down == nil)
        #expect(up(file).map(\.transaction) == [.none, .explicit(beginLine: 2), .explicit(beginLine: 2), .explicit(beginLine: 2)])
    }

    @Test func timeoutsAreTrackedUntilResetOrTheEndOfTheirBlock() {
        let text = """
            -- migrate:up transaction:false
            SET lock_timeout = '2s';
            BEGIN;
            SET LOCAL statement_timeout = 5000;
            ALTER TABLE a ADD COLUMN IF NOT EXISTS b int;
            COMMIT;
            ALTER TABLE a ADD COLUMN IF NOT EXISTS c int;
            SET lock_timeout = 0;
            ALTER TABLE a ADD COLUMN IF NOT EXISTS d int;
            """
        let alters = up(Lint.dbmate(text)).filter { $0.kind == .alterTableStmt }
        #expect(alters.map(\.lockTimeoutSet) == [true, true, false])
        #expect(alters.map(\.statementTimeoutSet) == [true, false, false])
        #expect(up(Lint.dbmate("-- migrate:up\nALTER TABLE a ADD COLUMN IF NOT EXISTS b int;\n")).first?.lockTimeoutSet == false)
    }

    @Test func tablesCreatedInTheFileAndEarlierFiles() throws {
        let first = Lint.dbmate("-- migrate:up\nCREATE TABLE IF NOT EXISTS leads (id int);\n", name: "202401011200_a.sql")
        let second = Lint.dbmate("""
            -- migrate:up
            CREATE INDEX IF NOT EXISTS i0 ON audit (id);
            CREATE TABLE IF NOT EXISTS audit (id int);
            CREATE INDEX IF NOT EXISTS i1 ON audit (id);
            CREATE INDEX IF NOT EXISTS i2 ON leads (id);
            """, name: "202401021200_b.sql")
        // Files given out of order: "earlier" follows the version.
        let analysis = Lint.analyze(second, first)
        let statements = try #require(analysis.files.first?.up?.statements)
        #expect(statements.map(\.targetCreatedInFile) == [false, false, true, false])
        #expect(statements.map(\.targetExistedBefore) == [true, true, false, true])
        #expect(analysis.files.first?.tablesCreatedHere == ["audit"])
        #expect(analysis.files.first?.tablesCreatedEarlier == ["leads"])
        #expect(analysis.files.last?.tablesCreatedEarlier == [])
    }
}

import Testing
@testable import InfraGuardian

/// DO blocks: their static SQL and constant EXECUTEs are statements at their own line and column,
/// in the DO's transaction; SQL built at run time is said to be unread, once per block.
@Suite struct DoBlockTests {
    private static let text = """
        -- migrate:up transaction:false
        DO $body$
        DECLARE t text;
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'leads_clinic_fk') THEN
            ALTER TABLE leads ADD CONSTRAINT leads_clinic_fk FOREIGN KEY (clinic_id) REFERENCES clinics (id);
          END IF;
          EXECUTE 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_a ON leads (a)';
          EXECUTE format('ALTER TABLE %I ADD COLUMN IF NOT EXISTS %I text', 'leads', 'Source');
          EXECUTE 'ALTER TABLE ' || t || ' ENABLE ROW LEVEL SECURITY';
        END $body$;
        -- migrate:down
        SELECT 1;

        """

    private func section() -> ParsedSection? {
        Lint.analyze(Lint.dbmate(Self.text)).files.first?.up.map { $0 }
    }

    @Test func staticAndConstantStatementsAreLintedWhereTheyAre() throws {
        let statements = try #require(section()?.statements)
        #expect(statements.map(\.kind) == [.doStmt, .alterTableStmt, .indexStmt, .alterTableStmt])
        let inner = Array(statements.dropFirst())
        #expect(inner.map(\.line) == [6, 8, 9])
        #expect(inner.map(\.column) == [5, 3, 3])
        #expect(inner.allSatisfy { $0.doBlockLine == 2 && $0.transaction == .doBlock(line: 2) })
        #expect(inner[0].text == "ALTER TABLE leads ADD CONSTRAINT leads_clinic_fk FOREIGN KEY (clinic_id) REFERENCES clinics (id)")
        #expect(inner[1].createIndex?.isConcurrent == true)
        // format() quotes as PostgreSQL does: %I of a mixed-case name is a quoted identifier.
        #expect(inner[2].text == "ALTER TABLE leads ADD COLUMN IF NOT EXISTS \"Source\" text")
        #expect(statements.map(\.index) == [0, 1, 2, 3])
    }

    @Test func sqlBuiltAtRunTimeIsReportedOncePerBlock() throws {
        let unread = try #require(section()?.unreadDoBlocks)
        #expect(unread == [UnreadDoBlock(line: 2, column: 1, executeLines: [10], failure: nil)])
        let findings = Lint.evaluate(Lint.dbmate(Self.text))
        let info = findings.filter { $0.ruleID == "do-block-not-analysed" }
        #expect(info.count == 1 && info[0].severity == .info && info[0].message.contains("EXECUTE at line 10"))
        #expect(findings.contains { $0.ruleID == "concurrently-in-transaction" && $0.location.line == 8
            && $0.message.contains("inside the DO block at line 2") })
        #expect(findings.contains { $0.ruleID == "constraint-missing-not-valid" && $0.location.line == 6 })
        // The IF NOT EXISTS guard is the idempotency: the ADD CONSTRAINT in it is not judged alone.
        #expect(!findings.contains { $0.ruleID == "require-idempotent-ddl" })
    }

    @Test func aDoBlockInsideTheToolsTransactionStaysInIt() throws {
        let file = Lint.supabase("CREATE TABLE IF NOT EXISTS a (id int);\nDO $$ BEGIN CREATE INDEX CONCURRENTLY i ON leads (x); END $$;\n")
        let statements = try #require(Lint.analyze(file).files.first?.up?.statements)
        #expect(statements.map(\.transaction) == [.migrationTool(.supabase), .migrationTool(.supabase), .migrationTool(.supabase)])
        #expect(statements[2].line == 2 && statements[2].column == 13)
    }

    @Test func otherLanguagesAndUnparsableBodiesAreNotAnalysedAndSaySo() throws {
        let file = Lint.supabase("DO LANGUAGE plv8 $$ plv8.execute('DROP TABLE leads') $$;\nDO $$ BEGIN ALTER TABLE leads; END $$;\n")
        let unread = try #require(Lint.analyze(file).files.first?.up?.unreadDoBlocks)
        #expect(unread.count == 2)
        #expect(unread[0].failure?.contains("LANGUAGE plv8") == true)
        #expect(unread[1].failure?.contains("PL/pgSQL parser") == true)
    }

    @Test func constantExpressions() {
        #expect(ConstantSQL.evaluate("'a' || 'b'::text || $q$c$q$") == "abc")
        #expect(ConstantSQL.evaluate("format('%s %I %L %%', 'x', 'y z', 'it''s')") == "x \"y z\" 'it''s' %")
        #expect(ConstantSQL.evaluate("format('%I', t)") == nil)
        #expect(ConstantSQL.evaluate("format('%1$I', 'a')") == nil)
        #expect(ConstantSQL.evaluate("format('%I %I', 'a')") == nil)
        #expect(ConstantSQL.evaluate("upper('a')") == nil)
    }

    /// A waiver above the DO block covers the findings of the statements inside it.
    @Test func aWaiverAboveTheBlockCoversItsStatements() {
        let text = "-- migrate:up\n-- infra-guardian:ignore constraint-missing-not-valid clinics holds 12 rows\nDO $$\nBEGIN\n"
            + "  ALTER TABLE leads ADD CONSTRAINT leads_clinic_fk FOREIGN KEY (clinic_id) REFERENCES clinics (id);\nEND $$;\n"
            + "-- migrate:down\nSELECT 1;\n"
        let findings = Lint.evaluate(Lint.dbmate(text))
        let waived = findings.filter { $0.ruleID == "constraint-missing-not-valid" }
        #expect(waived.count == 1 && waived[0].location.line == 5 && waived[0].waiver?.reason == "clinics holds 12 rows")
        #expect(!findings.contains { $0.ruleID == "unused-ignore" })
    }
}

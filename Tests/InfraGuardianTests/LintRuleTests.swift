import Testing
@testable import InfraGuardian

/// Rules on whole files, through the Evaluator: precision as much as recall.
@Suite struct LintRuleTests {
    private func ids(_ findings: [Finding]) -> [String] { findings.filter { $0.waiver == nil }.map(\.ruleID) }

    @Test func cleanWellWrittenMigrationRaisesNothing() {
        let create = Lint.dbmate("""
            -- migrate:up
            -- Lead sources for attribution (INFRA-12).
            CREATE TABLE IF NOT EXISTS lead_sources (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                lead_id uuid NOT NULL,
                source text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX IF NOT EXISTS idx_lead_sources_lead ON lead_sources (lead_id);
            CREATE UNIQUE INDEX IF NOT EXISTS idx_lead_sources_unique ON lead_sources (lead_id, source);
            ALTER TABLE lead_sources ADD COLUMN IF NOT EXISTS channel text NOT NULL;
            COMMENT ON TABLE lead_sources IS 'Attribution of leads';

            -- migrate:down
            DROP INDEX idx_lead_sources_unique;
            DROP INDEX IF EXISTS idx_lead_sources_lead;
            ALTER TABLE lead_sources DROP COLUMN channel;
            DROP TABLE lead_sources;
            """, name: "202401011200_create_lead_sources.sql")
        let index = Lint.dbmate("""
            -- migrate:up transaction:false
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_lead_sources_created ON lead_sources (created_at);

            -- migrate:down transaction:false
            DROP INDEX CONCURRENTLY IF EXISTS idx_lead_sources_created;
            """, name: "202401021200_index_lead_sources_created.sql")
        let findings = Lint.evaluate(create, index)
        #expect(findings.isEmpty, "\(findings.map { "\($0.ruleID) \($0.location.description) \($0.message)" })")
    }

    @Test func seedTemplateIsFlaggedForConcurrentlyInATransaction() {
        let findings = Lint.evaluate(Lint.dbmate("-- migrate:up\n\(SeedExamples.migrationTemplateFilledIn)\n-- migrate:down\nDROP TABLE IF EXISTS table_name;\n"))
        let flagged = findings.first { $0.ruleID == "concurrently-in-transaction" }
        #expect(flagged?.severity == .critical)
        #expect(flagged?.location.line == 17)
        #expect(flagged?.message.contains("BEGIN block opened at line 7") == true)
    }

    @Test func seedTemplateVerbatimDoesNotEvenParse() {
        // `column` is reserved: `ON table_name(column)` is rejected by PostgreSQL.
        let findings = Lint.evaluate(Lint.dbmate("-- migrate:up\n\(SeedExamples.migrationTemplate)\n-- migrate:down\nSELECT 1;\n"))
        let error = findings.first { $0.ruleID == "sql-syntax-error" }
        #expect(error?.location.line == 18 && error?.location.column == 15, "\(String(describing: error))")
    }

    @Test func seedAddColumnExamples() {
        let dangerous = Lint.evaluate(Lint.dbmate("-- migrate:up\nALTER TABLE leads ADD COLUMN source VARCHAR(50) NOT NULL;\n-- migrate:down\nSELECT 1;\n"))
        #expect(ids(dangerous).contains("add-column-not-null-without-default"))
        let safe = Lint.evaluate(Lint.dbmate("-- migrate:up\nALTER TABLE leads ADD COLUMN source VARCHAR(50) NOT NULL DEFAULT 'UNKNOWN';\n-- migrate:down\nSELECT 1;\n"))
        #expect(!ids(safe).contains("add-column-not-null-without-default"))
    }

    @Test func downSectionDropsAreNotDestructiveFindings() {
        let findings = Lint.evaluate(Lint.dbmate("""
            -- migrate:up
            SET lock_timeout = '5s';
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;
            -- migrate:down
            ALTER TABLE leads DROP COLUMN source;
            DROP TABLE legacy;
            """))
        #expect(ids(findings).isEmpty, "\(findings.map(\.message))")
    }

    @Test func upSectionDropsNeedApprovalAndDocumentation() {
        let findings = Lint.evaluate(Lint.dbmate("""
            -- migrate:up
            DROP TABLE IF EXISTS legacy_leads;
            ALTER TABLE leads DROP COLUMN IF EXISTS legacy_source;
            -- migrate:down
            SELECT 1;
            """))
        // Both drops take ACCESS EXCLUSIVE on existing tables in dbmate's transaction, with no lock_timeout.
        #expect(Set(ids(findings)) == ["ban-drop-table", "ban-drop-column", "require-breaking-change-doc",
                                       "require-lock-timeout", "statements-after-access-exclusive"])
    }
}

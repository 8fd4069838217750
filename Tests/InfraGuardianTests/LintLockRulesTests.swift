import Testing
@testable import InfraGuardian

/// Lock and rewrite rules on whole migration sets: the subtle cases the rule examples cannot show
/// (several files, transaction boundaries, timeouts set in a block).
@Suite struct LintLockRulesTests {
    private func ids(_ findings: [Finding]) -> [String] { findings.filter { $0.waiver == nil }.map(\.ruleID) }

    private let createLeads = Lint.dbmate("""
        -- migrate:up
        -- infra-guardian:ignore prefer-timestamptz the timestamp → timestamptz type-change cases need it
        CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY, source varchar(50), amount numeric(10,2), seen timestamp);
        -- migrate:down
        DROP TABLE IF EXISTS leads;
        """, name: "202401010900_create_leads.sql")

    @Test func rulesReadingTheSchemaReplayAreScheduledLast() {
        // The evaluator starts these after the others (Evaluator.concurrentMap); through `any Rule`
        // the marker protocol's answer must come through.
        let waiting = RuleRegistry.builtIn.filter(\.readsStatementLocks).map { $0.ruleDescription.id }.sorted()
        #expect(waiting == ["changing-column-type", "prefer-repack", "require-concurrent-index-deletion",
                            "require-concurrent-reindex", "require-lock-timeout",
                            "require-statement-timeout", "set-not-null", "statements-after-access-exclusive"])
    }

    @Test func tableCreatedInTheSameFileIsQuiet() {
        let findings = Lint.evaluate(Lint.dbmate("""
            -- migrate:up
            CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY, body varchar(10), lead_ref uuid);
            ALTER TABLE notes ADD CONSTRAINT notes_body_check CHECK (length(body) > 0);
            ALTER TABLE notes ALTER COLUMN body SET NOT NULL;
            ALTER TABLE notes ALTER COLUMN body TYPE integer USING 0;
            ALTER TABLE notes ADD COLUMN IF NOT EXISTS public_id uuid DEFAULT gen_random_uuid();
            ALTER TABLE notes ADD COLUMN IF NOT EXISTS seq bigint GENERATED ALWAYS AS IDENTITY;
            ALTER TABLE notes ADD CONSTRAINT notes_lead_ref_key UNIQUE (lead_ref);
            CREATE INDEX IF NOT EXISTS idx_notes_seq ON notes (seq);
            DROP INDEX IF EXISTS idx_notes_seq;
            -- migrate:down
            DROP TABLE IF EXISTS notes;
            """))
        #expect(ids(findings).isEmpty, "\(findings.map { "\($0.ruleID): \($0.message)" })")
    }

    @Test func notValidThenValidateInSeparateMigrationsIsQuiet() {
        let add = Lint.dbmate("""
            -- migrate:up
            SET lock_timeout = '5s';
            ALTER TABLE leads ADD CONSTRAINT leads_source_not_null CHECK (source IS NOT NULL) NOT VALID;
            -- migrate:down
            ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_source_not_null;
            """, name: "202402010900_add_check.sql")
        let validate = Lint.dbmate("""
            -- migrate:up
            ALTER TABLE leads VALIDATE CONSTRAINT leads_source_not_null;
            -- migrate:down
            SELECT 1;
            """, name: "202402010910_validate_check.sql")
        let setNotNull = Lint.dbmate("""
            -- migrate:up
            SET lock_timeout = '5s';
            ALTER TABLE leads ALTER COLUMN source SET NOT NULL;
            -- migrate:down
            ALTER TABLE leads ALTER COLUMN source DROP NOT NULL;
            """, name: "202402010920_set_not_null.sql")
        let findings = Lint.evaluate(createLeads, add, validate, setNotNull)
        #expect(ids(findings).isEmpty, "\(findings.map { "\($0.ruleID): \($0.message)" })")
        // Without the validation step, SET NOT NULL scans the table (and holds the lock meanwhile).
        let skipped = ids(Lint.evaluate(createLeads, add, setNotNull))
        #expect(skipped.contains("set-not-null") && skipped.contains("require-statement-timeout"))
    }

    @Test func notValidThenValidateInTheSameTransactionIsFlagged() {
        let findings = Lint.evaluate(Lint.dbmate("""
            -- migrate:up
            SET lock_timeout = '5s';
            ALTER TABLE cases ADD CONSTRAINT cases_lead_fkey FOREIGN KEY (lead_id) REFERENCES leads (id) NOT VALID;
            ALTER TABLE cases VALIDATE CONSTRAINT cases_lead_fkey;
            -- migrate:down
            SELECT 1;
            """))
        let flagged = findings.filter { $0.ruleID == "constraint-missing-not-valid" }
        #expect(flagged.count == 1 && flagged.first?.location.line == 4, "\(flagged.map(\.message))")
    }

    @Test func timeoutsSetWithSetLocalInsideBeginAreQuiet() {
        let findings = Lint.evaluate(Lint.dbmate("""
            -- migrate:up transaction:false
            BEGIN;
            SET LOCAL lock_timeout = '5s';
            SET LOCAL statement_timeout = '10min';
            ALTER TABLE leads ALTER COLUMN source SET NOT NULL;
            COMMIT;
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS medium text;
            -- migrate:down
            SELECT 1;
            """))
        let timeouts = findings.filter { $0.ruleID == "require-lock-timeout" || $0.ruleID == "require-statement-timeout" }
        // SET LOCAL ends with its block: only the ALTER after COMMIT lacks a lock_timeout.
        #expect(timeouts.map(\.ruleID) == ["require-lock-timeout"] && timeouts.first?.location.line == 7,
                "\(timeouts.map { "\($0.ruleID) \($0.location.description)" })")
    }

    @Test func foreignKeyFromANewTableLocksTheExistingOne() {
        let file = """
            -- migrate:up
            CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY, lead_id uuid REFERENCES leads (id));
            -- migrate:down
            DROP TABLE IF EXISTS notes;
            """
        let flagged = Lint.evaluate(createLeads, Lint.dbmate(file, name: "202402010900_notes.sql"))
            .filter { $0.ruleID == "require-lock-timeout" }
        #expect(flagged.count == 1 && flagged.first?.message.contains("SHARE ROW EXCLUSIVE lock on leads (referenced by a foreign key)") == true,
                "\(flagged.map(\.message))")
        // The referenced table created earlier in the same file: nobody else can hold it.
        let together = Lint.evaluate(Lint.dbmate("""
            -- migrate:up
            CREATE TABLE IF NOT EXISTS owners (id uuid PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS pets (id uuid PRIMARY KEY, owner_id uuid REFERENCES owners (id));
            -- migrate:down
            DROP TABLE IF EXISTS pets;
            """))
        #expect(!ids(together).contains("require-lock-timeout"))
    }

    @Test func typeChangesThatDoNotRewriteAreQuietWhenTheOldTypeIsKnown() {
        func findings(_ change: String) -> [String] {
            let file = Lint.dbmate("-- migrate:up\nSET lock_timeout = '5s';\nSET statement_timeout = '1min';\n-- Widening (INFRA-7).\nALTER TABLE leads \(change);\n-- migrate:down\nSELECT 1;\n",
                                   name: "202402010900_change.sql")
            return ids(Lint.evaluate(createLeads, file)).filter { $0 == "changing-column-type" }
        }
        #expect(findings("ALTER COLUMN source TYPE varchar(100)").isEmpty)
        #expect(findings("ALTER COLUMN source TYPE text").isEmpty)
        #expect(findings("ALTER COLUMN amount TYPE numeric(12,2)").isEmpty)
        #expect(findings("ALTER COLUMN amount TYPE numeric").isEmpty)
        #expect(findings("ALTER COLUMN source TYPE varchar(20)") == ["changing-column-type"])
        #expect(findings("ALTER COLUMN amount TYPE numeric(12,3)") == ["changing-column-type"])
        #expect(findings("ALTER COLUMN seen TYPE timestamptz") == ["changing-column-type"])
        #expect(findings("ALTER COLUMN source TYPE text USING trim(source)") == ["changing-column-type"])
    }

    @Test func statementsAfterAccessExclusiveReportOncePerTransaction() {
        let findings = Lint.evaluate(Lint.dbmate("""
            -- migrate:up
            SET lock_timeout = '5s';
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;
            COMMENT ON COLUMN leads.source IS 'Attribution';
            UPDATE leads SET source = 'web';
            UPDATE leads SET source = 'app' WHERE source IS NULL;
            -- migrate:down
            SELECT 1;
            """)).filter { $0.ruleID == "statements-after-access-exclusive" }
        #expect(findings.count == 1 && findings.first?.location.line == 5, "\(findings.map(\.location.description))")
        // Autocommit: a lone statement releases its lock at once.
        let alone = Lint.evaluate(Lint.dbmate("""
            -- migrate:up transaction:false
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;
            -- migrate:down
            SELECT 1;
            """))
        #expect(!ids(alone).contains("statements-after-access-exclusive"))
    }

    @Test func volatileDefaultsAreToldApartFromStableOnes() {
        func flagged(_ expression: String) -> Bool {
            let file = Lint.dbmate("-- migrate:up\nALTER TABLE leads ADD COLUMN IF NOT EXISTS c text DEFAULT \(expression);\n-- migrate:down\nSELECT 1;\n")
            return ids(Lint.evaluate(file)).contains("adding-field-with-volatile-default")
        }
        #expect(!flagged("now()::text") && !flagged("current_timestamp::text") && !flagged("'x'") && !flagged("lower('X')"))
        #expect(flagged("gen_random_uuid()::text") && flagged("nextval('s')::text") && flagged("md5(random()::text)"))
        #expect(flagged("my_function()"))
    }

    @Test func downSectionAndConcurrentFormsAreQuiet() {
        let findings = Lint.evaluate(Lint.dbmate("""
            -- migrate:up transaction:false
            DROP INDEX CONCURRENTLY IF EXISTS idx_leads_old;
            -- migrate:down
            DROP INDEX IF EXISTS idx_leads_new;
            REINDEX TABLE leads;
            TRUNCATE leads CASCADE;
            """))
        #expect(ids(findings).isEmpty, "\(findings.map { "\($0.ruleID): \($0.message)" })")
    }
}

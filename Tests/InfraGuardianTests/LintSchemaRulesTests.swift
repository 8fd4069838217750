import Testing
@testable import InfraGuardian

/// Renames, drops, column types, identifier length and transaction structure: the subtle cases.
@Suite struct LintSchemaRulesTests {
    private func up(_ sql: String) -> MigrationFile {
        Lint.dbmate("-- migrate:up\n\(sql)\n-- migrate:down\nSELECT 1;\n")
    }

    /// Unwaived findings of one rule.
    private func raised(_ rule: String, _ files: MigrationFile...) -> [Finding] {
        Evaluator().evaluate(AuditInput(migrations: MigrationSet(files: files)), configuration: Configuration())
            .filter { $0.ruleID == rule && $0.waiver == nil }
    }

    // MARK: Renames

    @Test func renameOnATableCreatedInTheSameFileIsQuiet() {
        let sql = """
            CREATE TABLE IF NOT EXISTS lead_drafts (id uuid PRIMARY KEY, phone text);
            CREATE INDEX IF NOT EXISTS idx_tmp ON lead_drafts (phone);
            ALTER TABLE lead_drafts RENAME COLUMN phone TO phone_hash;
            ALTER INDEX idx_tmp RENAME TO idx_lead_drafts_phone_hash;
            ALTER TABLE lead_drafts RENAME TO lead_imports;
            """
        for rule in ["renaming-column", "renaming-table", "renaming-object"] {
            #expect(raised(rule, up(sql)).isEmpty, "\(rule)")
        }
    }

    @Test func renamesOfExistingObjectsAreFlaggedWithTheirSeverity() {
        let file = up("""
            ALTER TABLE leads RENAME COLUMN phone TO phone_hash;
            ALTER TABLE IF EXISTS public.leads RENAME TO prospects;
            ALTER SEQUENCE leads_seq RENAME TO prospects_seq;
            """)
        #expect(raised("renaming-column", file).map(\.severity) == [.high])
        #expect(raised("renaming-table", file).first?.location.line == 3)
        let object = raised("renaming-object", file)
        #expect(object.count == 1 && object.first?.severity == .medium && object.first?.message.contains("sequence leads_seq") == true)
    }

    @Test func aTableCreatedInAnEarlierFileStillCountsAsExisting() {
        let create = Lint.dbmate("-- migrate:up\nCREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY, phone text);\n-- migrate:down\nDROP TABLE leads;\n",
                                 name: "202401011200_a.sql")
        let rename = Lint.dbmate("-- migrate:up\nALTER TABLE leads RENAME COLUMN phone TO phone_hash;\n-- migrate:down\nSELECT 1;\n",
                                 name: "202401021200_b.sql")
        #expect(raised("renaming-column", create, rename).count == 1)
    }

    @Test func downSectionRenamesAndDropsAreTheRollback() {
        let file = Lint.dbmate("""
            -- migrate:up
            CREATE OR REPLACE VIEW lead_summary AS SELECT 1 AS id;
            -- migrate:down
            ALTER TABLE leads RENAME COLUMN phone_hash TO phone;
            DROP VIEW IF EXISTS lead_summary;
            ALTER TABLE leads ALTER COLUMN source DROP NOT NULL;
            """)
        for rule in ["renaming-column", "ban-drop-object", "ban-drop-not-null"] {
            #expect(raised(rule, file).isEmpty, "\(rule)")
        }
    }

    // MARK: Drops

    @Test func approveAnnotationWaivesADrop() {
        let findings = Lint.evaluate(up("""
            -- Replaced by lead_summary_v2 (INFRA-132).
            -- infra-guardian:approve ban-drop-object replaced by lead_summary_v2, INFRA-132
            DROP VIEW IF EXISTS lead_summary;
            """))
        let drop = findings.first { $0.ruleID == "ban-drop-object" }
        #expect(drop?.waiver?.reason == "replaced by lead_summary_v2, INFRA-132")
        let ignored = Lint.evaluate(up("-- infra-guardian:ignore ban-drop-schema not needed\nDROP SCHEMA IF EXISTS legacy;"))
        #expect(ignored.contains { $0.ruleID == "ban-drop-schema" && $0.waiver == nil }, "ignore does not waive a destructive change")
    }

    @Test func dropSeverities() {
        let file = up("""
            DROP DATABASE IF EXISTS crm;
            DROP SCHEMA IF EXISTS legacy CASCADE;
            DROP SEQUENCE IF EXISTS leads_seq;
            ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_patient_id_fkey, ALTER COLUMN status DROP NOT NULL;
            """)
        #expect(raised("ban-drop-database", file).map(\.severity) == [.critical])
        #expect(raised("ban-drop-schema", file).first?.message.contains("legacy CASCADE") == true)
        #expect(raised("ban-drop-object", file).first?.message.contains("DROP SEQUENCE leads_seq") == true)
        #expect(raised("ban-drop-constraint", file).map(\.severity) == [.medium])
        #expect(raised("ban-drop-not-null", file).first?.message.contains("cases.status") == true)
    }

    @Test func dropAndRecreateIsAReplacementExceptWithCascadeOrForASequence() {
        let replaced = up("""
            DROP POLICY IF EXISTS leads_owner ON public.leads;
            CREATE POLICY leads_owner ON leads USING (owner_id = auth.uid());
            DROP FUNCTION IF EXISTS touch_updated_at();
            CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;
            """)
        #expect(raised("ban-drop-object", replaced).isEmpty)
        let cascade = up("DROP FUNCTION IF EXISTS touch_updated_at() CASCADE;\nCREATE FUNCTION touch_updated_at() RETURNS int LANGUAGE sql AS 'select 1';")
        #expect(raised("ban-drop-object", cascade).count == 1)
        let sequence = up("DROP SEQUENCE IF EXISTS invoice_numbers;\nCREATE SEQUENCE IF NOT EXISTS invoice_numbers;")
        #expect(raised("ban-drop-object", sequence).count == 1, "a re-created sequence starts over")
    }

    @Test func objectsCreatedEarlierInTheFileAreQuietToDrop() {
        let file = up("""
            CREATE TABLE IF NOT EXISTS staging (id uuid PRIMARY KEY, note text NOT NULL);
            CREATE OR REPLACE TRIGGER trg_staging BEFORE UPDATE ON staging FOR EACH ROW EXECUTE FUNCTION f();
            DROP TRIGGER IF EXISTS trg_staging ON staging;
            CREATE SCHEMA IF NOT EXISTS scratch;
            DROP SCHEMA scratch;
            ALTER TABLE staging DROP CONSTRAINT staging_pkey;
            ALTER TABLE staging ALTER COLUMN note DROP NOT NULL;
            """)
        for rule in ["ban-drop-object", "ban-drop-schema", "ban-drop-constraint", "ban-drop-not-null"] {
            #expect(raised(rule, file).isEmpty, "\(rule)")
        }
    }

    @Test func notNullCheckDroppedAfterSetNotNullIsTheSafeSequence() {
        let add = Lint.dbmate("""
            -- migrate:up
            ALTER TABLE leads ADD CONSTRAINT leads_email_not_null CHECK (email IS NOT NULL) NOT VALID;
            -- migrate:down
            ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_email_not_null;
            """, name: "202401011200_a.sql")
        let finish = Lint.dbmate("""
            -- migrate:up
            ALTER TABLE leads VALIDATE CONSTRAINT leads_email_not_null;
            ALTER TABLE leads ALTER COLUMN email SET NOT NULL;
            ALTER TABLE leads DROP CONSTRAINT leads_email_not_null;
            -- migrate:down
            SELECT 1;
            """, name: "202401021200_b.sql")
        #expect(raised("ban-drop-constraint", add, finish).isEmpty)
        // Dropped before SET NOT NULL: the guarantee is gone in between.
        let early = Lint.dbmate("""
            -- migrate:up
            ALTER TABLE leads DROP CONSTRAINT leads_email_not_null;
            ALTER TABLE leads ALTER COLUMN email SET NOT NULL;
            -- migrate:down
            SELECT 1;
            """, name: "202401021200_b.sql")
        #expect(raised("ban-drop-constraint", add, early).count == 1)
    }

    // MARK: Column types

    @Test func bigintRuleFlagsOnlyKeyLikeColumns() {
        let file = up("""
            CREATE TABLE IF NOT EXISTS lead_notes (
                note_id integer,
                lead_id int4 NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                priority smallint,
                seq serial,
                id uuid NOT NULL,
                PRIMARY KEY (note_id)
            );
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS score int, ADD COLUMN IF NOT EXISTS owner int REFERENCES users (id);
            """)
        let columns = raised("prefer-bigint-keys", file).map(\.message)
        #expect(columns.count == 4, "\(columns)")
        for name in ["lead_notes.note_id", "lead_notes.lead_id", "lead_notes.seq", "leads.owner"] {
            #expect(columns.contains { $0.contains(name) }, "\(name)")
        }
    }

    @Test func typeRulesApplyToNewTablesAndTypeChangesButNotToTheDownSection() {
        let file = Lint.dbmate("""
            -- migrate:up
            CREATE TABLE IF NOT EXISTS webhooks (id bigserial PRIMARY KEY, body json, at timestamp, code character(2), flag "char");
            ALTER TABLE events ALTER COLUMN payload TYPE json USING payload::json;
            -- migrate:down
            ALTER TABLE events ALTER COLUMN payload TYPE json;
            CREATE TABLE IF NOT EXISTS old_webhooks (id serial PRIMARY KEY, at timestamp);
            """)
        #expect(raised("prefer-jsonb", file).count == 2)
        #expect(raised("prefer-timestamptz", file).count == 1)
        #expect(raised("ban-char-field", file).count == 1, "\"char\" is the internal one-byte type")
        #expect(raised("prefer-identity", file).map(\.severity) == [.low])
        #expect(raised("prefer-bigint-keys", file).isEmpty, "bigserial is already 64-bit")
    }

    // MARK: Identifier length

    @Test func sixtyFourBytesIsTooLongSixtyThreeIsNot() {
        let ok = "t" + String(repeating: "a", count: 62)
        let long = "t" + String(repeating: "a", count: 63)
        #expect(raised("identifier-too-long", up("CREATE TABLE IF NOT EXISTS \(ok) (id uuid);")).isEmpty)
        let findings = raised("identifier-too-long", up("CREATE TABLE IF NOT EXISTS \(long) (id uuid);"))
        #expect(findings.count == 1 && findings.first?.message.contains("64 bytes") == true)
        #expect(findings.first?.location.line == 2 && findings.first?.location.column == 28)
    }

    @Test func multibyteIdentifiersAreMeasuredInBytes() {
        // 32 "é" are 32 characters but 64 bytes; PostgreSQL keeps 31 of them (62 bytes), never half a character.
        let accented = String(repeating: "é", count: 32)
        let findings = raised("identifier-too-long", up("ALTER TABLE leads ADD COLUMN IF NOT EXISTS \"\(accented)\" text;"))
        #expect(findings.count == 1)
        #expect(findings.first?.message.contains("\"\(String(repeating: "é", count: 31))\"") == true)
        #expect(raised("identifier-too-long", up("ALTER TABLE leads ADD COLUMN IF NOT EXISTS \"\(String(repeating: "é", count: 31))\" text;")).isEmpty)
    }

    @Test func longNamesAreFoundAnywhereButInStringsAndReportedOncePerFile() {
        let long = "idx_" + String(repeating: "x", count: 70)
        let file = up("""
            CREATE INDEX IF NOT EXISTS \(long) ON leads (a);
            COMMENT ON INDEX \(long) IS 'x';
            COMMENT ON TABLE leads IS '\(String(repeating: "y", count: 100))';
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 AS \(long) $$;
            """)
        let findings = raised("identifier-too-long", file)
        #expect(findings.count == 1 && findings.first?.location.line == 2)
        #expect(IdentifierScanner.longIdentifiers(in: "SELECT \"A\"\"\(String(repeating: "b", count: 62))\"").first?.name.hasPrefix("A\"b") == true)
        // The quick filter skips JSON in literals, but not a quoted name after an E'…' escape.
        let quoted = "\"Lead \(String(repeating: "n", count: 60))\""
        #expect(IdentifierScanner.longIdentifiers(in: "INSERT INTO t VALUES ('{\"campaign\": \"c97\"}'::jsonb)").isEmpty)
        #expect(IdentifierScanner.longIdentifiers(in: "SELECT E'it\\'s', 'a''b' AS \(quoted)").first?.byteCount == 65)
    }

    // MARK: Transactions

    @Test func beginIsFineInATransactionFalseFileButNestsInADefaultOne() {
        let block = "BEGIN;\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\nCOMMIT;"
        let own = Lint.dbmate("-- migrate:up transaction:false\n\(block)\n-- migrate:down transaction:false\nSELECT 1;\n")
        #expect(raised("transaction-nesting", own).isEmpty)
        #expect(raised("ban-uncommitted-transaction", own).isEmpty)
        let wrapped = raised("transaction-nesting", up(block))
        #expect(wrapped.count == 1 && wrapped.first?.location.line == 2 && wrapped.first?.severity == .high)
        #expect(wrapped.first?.message.contains("dbmate") == true)
        let supabase = raised("transaction-nesting", Lint.supabase(block))
        #expect(supabase.first?.message.contains("Supabase") == true)
    }

    @Test func beginInsideAnExplicitBlockAndAStrayCommit() {
        let nested = Lint.dbmate("-- migrate:up transaction:false\nBEGIN;\nSELECT 1;\nSTART TRANSACTION;\nSELECT 2;\nCOMMIT;\n-- migrate:down\nSELECT 1;\n")
        #expect(raised("transaction-nesting", nested).first?.message.contains("opened at line 2") == true)
        let stray = raised("transaction-nesting", up("ALTER TABLE leads ADD COLUMN IF NOT EXISTS a text;\nCOMMIT;\nALTER TABLE leads ADD COLUMN IF NOT EXISTS b text;"))
        #expect(stray.count == 1 && stray.first?.location.line == 3)
    }

    @Test func unclosedBegin() {
        let open = Lint.dbmate("-- migrate:up transaction:false\nBEGIN;\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\n-- migrate:down\nSELECT 1;\n")
        let findings = raised("ban-uncommitted-transaction", open)
        #expect(findings.count == 1 && findings.first?.location.line == 2 && findings.first?.severity == .high)
        let chained = Lint.dbmate("-- migrate:up transaction:false\nBEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\nSELECT 2;\n-- migrate:down\nSELECT 1;\n")
        #expect(raised("ban-uncommitted-transaction", chained).count == 1, "COMMIT AND CHAIN opens the next block")
        let rolledBack = Lint.dbmate("-- migrate:up transaction:false\nBEGIN;\nSELECT 1;\nROLLBACK;\n-- migrate:down\nSELECT 1;\n")
        #expect(raised("ban-uncommitted-transaction", rolledBack).isEmpty)
        // In dbmate's own transaction the stray BEGIN is one transaction-nesting finding, not two.
        #expect(raised("ban-uncommitted-transaction", up("BEGIN;\nSELECT 1;")).isEmpty)
    }

    @Test func seedTemplateNestsItsTransaction() {
        let findings = raised("transaction-nesting", up(SeedExamples.migrationTemplateFilledIn))
        #expect(findings.count == 1 && findings.first?.location.line == 7)
    }

    @Test func referenceSchemaStaysClean() {
        // The clean migration of LintRuleTests, through the new rules: uuid keys, timestamptz, jsonb.
        let file = up("""
            CREATE TABLE IF NOT EXISTS audit (id uuid PRIMARY KEY, case_number bigint GENERATED ALWAYS AS IDENTITY,
                at timestamptz NOT NULL DEFAULT now(), metadata jsonb NOT NULL DEFAULT '{}'::jsonb, actor_id uuid);
            """)
        let ids = Lint.evaluate(file).filter { $0.waiver == nil }.map(\.ruleID)
        #expect(ids.isEmpty, "\(ids)")
    }
}

extension LintSchemaRulesTests {
    @Test func aTableCreatedAndRenamedInTheFileIsNewUnderItsNewName() {
        let file = Lint.dbmate("""
            -- migrate:up
            CREATE TABLE IF NOT EXISTS lead_drafts (id uuid PRIMARY KEY, phone text);
            ALTER TABLE lead_drafts RENAME TO lead_imports;
            CREATE INDEX IF NOT EXISTS idx_lead_imports_phone ON lead_imports (phone);
            ALTER TABLE lead_imports RENAME COLUMN phone TO phone_hash;
            -- migrate:down
            SELECT 1;
            """)
        let ids = Lint.evaluate(file).filter { $0.waiver == nil }.map(\.ruleID)
        #expect(!ids.contains("require-concurrent-index") && !ids.contains("renaming-column"), "\(ids)")
    }
}

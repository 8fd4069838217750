import Testing
@testable import InfraGuardian

/// Fixes are written for the statement: its table, columns and names, in its file's framework.
@Suite struct ConcreteFixTests {
    private static let setup = "CREATE TABLE IF NOT EXISTS public.patients (id uuid PRIMARY KEY, email text, amount int, status text);"

    /// The fix of `rule` for `sql` run against the table above, in a dbmate or Supabase file.
    private func fix(_ rule: String, _ sql: String, supabase: Bool = false) throws -> String {
        let first = supabase ? Lint.supabase(Self.setup, name: "20240101000000_init.sql")
                             : Lint.dbmate("-- migrate:up\n\(Self.setup)\n-- migrate:down\nSELECT 1;\n", name: "202401010000_init.sql")
        let second = supabase ? Lint.supabase(sql, name: "20240201000000_change.sql")
                              : Lint.dbmate("-- migrate:up\n\(sql)\n-- migrate:down\nSELECT 1;\n", name: "202402010000_change.sql")
        let finding = try #require(Lint.evaluate(first, second).first { $0.ruleID == rule }, "no \(rule) finding")
        #expect(finding.fix != RuleRegistry.builtIn.first { $0.ruleDescription.id == rule }?.ruleDescription.fix)
        for example in ["leads_phone", "cases_lead_id", "legacy_", "email_hash", "INFRA-12"] {
            #expect(!finding.fix.contains(example), "\(rule): example name \(example) in a concrete fix")
        }
        if supabase { #expect(!finding.fix.contains("migrate:"), "\(rule): dbmate markers in a Supabase fix") }
        return finding.fix
    }

    @Test func constraintsAreAddedNotValidThenValidatedByName() throws {
        let text = try fix("constraint-missing-not-valid",
                           "ALTER TABLE public.patients ADD CONSTRAINT patients_amount_positive CHECK (amount > 0);")
        #expect(text.contains("ALTER TABLE public.patients ADD CONSTRAINT patients_amount_positive CHECK (amount > 0) NOT VALID;"))
        #expect(text.contains("ALTER TABLE public.patients VALIDATE CONSTRAINT patients_amount_positive;"))
        let unnamed = try fix("constraint-missing-not-valid", "ALTER TABLE patients ADD FOREIGN KEY (id) REFERENCES public.clinics (id) ON DELETE CASCADE;")
        #expect(unnamed.contains("ADD CONSTRAINT patients_id_fkey FOREIGN KEY (id) REFERENCES public.clinics (id) ON DELETE CASCADE NOT VALID;"))
    }

    @Test func uniqueConstraintsGetTheirIndexConcurrentlyInTheFilesFramework() throws {
        let dbmate = try fix("unique-constraint-without-index", "ALTER TABLE patients ADD CONSTRAINT patients_email_key UNIQUE (email);")
        #expect(dbmate.contains("-- migrate:up transaction:false\n  CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS patients_email_key ON patients (email);"))
        #expect(dbmate.contains("ALTER TABLE patients ADD CONSTRAINT patients_email_key UNIQUE USING INDEX patients_email_key;"))
        let supabase = try fix("unique-constraint-without-index", "ALTER TABLE patients ADD UNIQUE (email);", supabase: true)
        #expect(supabase.contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS patients_email_key ON patients (email);"))
        #expect(supabase.contains("a migration file of its own"))
    }

    @Test func columnChangesNameTheirTableColumnAndType() throws {
        let notNull = try fix("set-not-null", "SET lock_timeout = '5s';\nALTER TABLE patients ALTER COLUMN email SET NOT NULL;")
        #expect(notNull.contains("ADD CONSTRAINT patients_email_not_null CHECK (email IS NOT NULL) NOT VALID;"))
        #expect(notNull.contains("ALTER TABLE patients ALTER COLUMN email SET NOT NULL;"))
        let type = try fix("changing-column-type", "SET lock_timeout = '5s';\nALTER TABLE patients ALTER COLUMN amount TYPE bigint;")
        #expect(type.contains("ALTER TABLE patients ADD COLUMN IF NOT EXISTS amount_new int8;"))
        #expect(type.contains("infra-guardian:approve ban-drop-column"))
        let volatile = try fix("adding-field-with-volatile-default",
                               "SET lock_timeout = '5s';\nALTER TABLE patients ADD COLUMN IF NOT EXISTS public_id uuid DEFAULT gen_random_uuid();")
        #expect(volatile.contains("ALTER TABLE patients ALTER COLUMN public_id SET DEFAULT gen_random_uuid();"))
        let added = try fix("add-column-not-null-without-default", "ALTER TABLE patients ADD COLUMN IF NOT EXISTS clinic text NOT NULL;")
        #expect(added.contains("ALTER TABLE patients ADD COLUMN IF NOT EXISTS clinic text NOT NULL DEFAULT <constant>;"))
    }

    @Test func idempotencyFixesAreTheStatementGuarded() throws {
        #expect(try fix("require-idempotent-ddl", "CREATE UNIQUE INDEX idx_patients_email ON patients (email);")
            .contains("CREATE UNIQUE INDEX IF NOT EXISTS idx_patients_email ON patients (email);"))
        #expect(try fix("require-idempotent-ddl", "ALTER TABLE patients ADD COLUMN note text, DROP CONSTRAINT patients_x;")
            .contains("ALTER TABLE patients ADD COLUMN IF NOT EXISTS note text, DROP CONSTRAINT IF EXISTS patients_x;"))
        // ADD without COLUMN cannot take the guard as written: the rule's guidance stands.
        let bare = Lint.evaluate(Lint.dbmate("-- migrate:up\nALTER TABLE patients ADD note text;\n-- migrate:down\nSELECT 1;\n"))
        #expect(RequireIdempotentDDL.guarded(try #require(Lint.analyze(Lint.dbmate("-- migrate:up\nALTER TABLE patients ADD note text;\n")).upStatements.first?.statement)) == nil)
        #expect(bare.contains { $0.ruleID == "require-idempotent-ddl" })
    }

    @Test func destructiveChangesCarryTheirApprovalAndBreakingNote() throws {
        let column = try fix("ban-drop-column", "ALTER TABLE patients DROP COLUMN IF EXISTS status;")
        #expect(column.contains("-- infra-guardian:approve ban-drop-column"))
        #expect(column.contains("-- Breaking: DROP COLUMN patients.status:"))
        #expect(column.contains("ALTER TABLE patients DROP COLUMN IF EXISTS status;"))
        let reindex = try fix("require-concurrent-reindex", "SET lock_timeout = '5s';\nREINDEX TABLE patients;", supabase: true)
        #expect(reindex.contains("REINDEX TABLE CONCURRENTLY patients;"))
        let lockTimeout = try fix("require-statement-timeout", "SET lock_timeout = '5s';\nALTER TABLE patients ALTER COLUMN email SET NOT NULL;", supabase: true)
        #expect(lockTimeout.hasPrefix("Add `SET statement_timeout = '15min';` as the first statement of 20240201000000_change.sql"))
    }

    @Test func typesTruncatesAndNestedTransactions() throws {
        #expect(try fix("prefer-jsonb", "ALTER TABLE patients ADD COLUMN IF NOT EXISTS payload json;")
            == "Add it as `payload jsonb` in this ALTER TABLE patients: nothing is stored in it yet.")
        #expect(try fix("ban-char-field", "CREATE TABLE IF NOT EXISTS codes (code char(3) PRIMARY KEY);")
            .contains("`code text CHECK (char_length(code) <= 3)` in the CREATE TABLE codes at line 2"))
        #expect(try fix("ban-truncate-cascade", "TRUNCATE public.patients CASCADE;").hasSuffix("TRUNCATE TABLE public.patients;"))
        #expect(try fix("transaction-nesting", "BEGIN;\nALTER TABLE patients ADD COLUMN IF NOT EXISTS note text;\nCOMMIT;")
            .hasPrefix("Remove the BEGIN at line 2 and the COMMIT that closes it (line 4)"))
    }
}

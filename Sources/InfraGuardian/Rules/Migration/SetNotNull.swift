/// ALTER COLUMN … SET NOT NULL on an existing table without a validated NOT NULL check.
struct SetNotNull: ReadsStatementLocks {
    static let description = RuleDescription(
        id: "set-not-null", category: .migration, severity: .high,
        summary: "ALTER COLUMN … SET NOT NULL scans the whole existing table under ACCESS EXCLUSIVE.",
        finds: "`ALTER COLUMN … SET NOT NULL` on an existing table with no validated `CHECK (col IS NOT NULL)` before it",
        why: """
        SET NOT NULL checks every row for NULLs while holding ACCESS EXCLUSIVE: no reads and no writes \
        on the table for the whole scan. Since PostgreSQL 12 the scan is skipped when a VALID \
        `CHECK (col IS NOT NULL)` constraint already proves it, and such a check can be validated under \
        SHARE UPDATE EXCLUSIVE, which lets traffic go on. The rule stays quiet when the analysed \
        migrations validated that check before, and for tables created earlier in the same file.
        """,
        fix: """
        Prove it with a check first, each step in its own migration:
          ALTER TABLE leads ADD CONSTRAINT leads_source_not_null CHECK (source IS NOT NULL) NOT VALID;
          -- next migration
          ALTER TABLE leads VALIDATE CONSTRAINT leads_source_not_null;
          -- next migration (PostgreSQL 12+ uses the valid check: no scan)
          SET lock_timeout = '5s';
          ALTER TABLE leads ALTER COLUMN source SET NOT NULL;
          ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_source_not_null;
        """,
        bad: [.migration("ALTER TABLE leads ALTER COLUMN source SET NOT NULL;")],
        good: [.migration("-- migrate:up transaction:false\nBEGIN;\nALTER TABLE leads ADD CONSTRAINT leads_source_not_null CHECK (source IS NOT NULL) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE leads VALIDATE CONSTRAINT leads_source_not_null;\nCOMMIT;\nBEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE leads ALTER COLUMN source SET NOT NULL;\nALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_source_not_null;\nCOMMIT;\n-- migrate:down\nSELECT 1;\n"),
               .migration("ALTER TABLE leads ADD CONSTRAINT leads_source_not_null CHECK (source IS NOT NULL);\nALTER TABLE leads ALTER COLUMN source SET NOT NULL;"),
               .migration("CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY, body text);\nALTER TABLE notes ALTER COLUMN body SET NOT NULL;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).alterCommandsOnExistingTables(.setNotNull).compactMap { statement, table, locks, command in
            let column = command[.name].string ?? "?"
            guard !locks.provenNotNull.contains(column) else { return nil }
            return finding("SET NOT NULL on \(table).\(column) scans every row under ACCESS EXCLUSIVE. Validate a CHECK (\(column) IS NOT NULL) NOT VALID constraint first.",
                           at: statement.location, fix: ColumnFixText.setNotNull(statement, table: table, column: column))
        }
    }
}

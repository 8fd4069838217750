/// ALTER COLUMN … TYPE that rewrites an existing table.
struct ChangingColumnType: ReadsStatementLocks {
    static let description = RuleDescription(
        id: "changing-column-type", category: .migration, severity: .high,
        summary: "ALTER COLUMN … TYPE rewrites the existing table and its indexes under ACCESS EXCLUSIVE.",
        finds: "`ALTER COLUMN … TYPE` that rewrites an existing table (binary-coercible widenings such as varchar(n)→varchar(m>n)/text are exempt when the old type is known)",
        why: """
        Most type changes rewrite every row and rebuild every index of the table while holding ACCESS \
        EXCLUSIVE: no reads and no writes for minutes on a large table, and the code still deployed may \
        break on the new type. Only binary-coercible widenings skip the rewrite: varchar(n) to \
        varchar(m > n), varchar or text, varchar to text, numeric(p,s) to numeric(p2 >= p, s) or \
        numeric, timestamp(p) to timestamp(q >= p), cidr to inet, with no USING and no COLLATE. \
        timestamp to timestamptz rewrites unless the session TimeZone is UTC: treated as a rewrite. The \
        old type comes from the analysed migrations; when it is unknown the change is flagged.
        """,
        fix: """
        Change it without a long lock, in steps:
          1. ALTER TABLE cases ADD COLUMN IF NOT EXISTS value_cents_v2 bigint;
          2. Write both columns from the code (or a trigger); backfill old rows in batches:
             UPDATE cases SET value_cents_v2 = value_cents WHERE id IN (SELECT id FROM cases WHERE value_cents_v2 IS NULL LIMIT 10000);
          3. In one short transaction (SET lock_timeout = '5s'): rename the columns to swap them.
          4. Drop the old column in a later release.
        Or expose the new type through a view while the code moves over.
        """,
        bad: [.migration("ALTER TABLE cases ALTER COLUMN estimated_value_cents TYPE numeric(12,2);"),
              .migration("ALTER TABLE cases ALTER COLUMN opened_at TYPE timestamptz USING opened_at AT TIME ZONE 'UTC';"),
              .migration("ALTER TABLE leads ALTER COLUMN source TYPE varchar(20);")],
        good: [.migration("CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY, title varchar(50));\nALTER TABLE notes ALTER COLUMN title TYPE varchar(200);")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).alterCommandsOnExistingTables(.alterColumnType).compactMap { statement, table, locks, command in
            let column = command[.name].string ?? "?"
            guard let new = ColumnType(command[.def].node(.columnDef)[.typeName]) else { return nil }
            let old = locks.oldTypes[column]
            guard !SQLStatement.typeChangeIsFree(command, from: old, to: new) else { return nil }
            let from = old.map { "from \($0.sql) " } ?? "(old type not in the analysed migrations) "
            return finding("Changing \(table).\(column) \(from)to \(new.sql) rewrites the table and its indexes under ACCESS EXCLUSIVE.",
                           at: statement.location, fix: ColumnFixText.changeType(statement, table: table, column: column, to: new))
        }
    }
}

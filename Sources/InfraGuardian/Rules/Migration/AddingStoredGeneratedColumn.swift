/// ADD COLUMN … GENERATED ALWAYS AS (…) STORED on an existing table: a full rewrite.
struct AddingStoredGeneratedColumn: Rule {
    static let description = RuleDescription(
        id: "adding-stored-generated-column", category: .migration, severity: .high,
        summary: "ADD COLUMN … GENERATED ALWAYS AS (…) STORED rewrites the existing table.",
        finds: "`ADD COLUMN … GENERATED ALWAYS AS (…) STORED` on an existing table: table rewrite",
        why: """
        A stored generated column is computed and written for every existing row when it is added: \
        PostgreSQL rewrites the table and its indexes under ACCESS EXCLUSIVE, so reads and writes wait \
        for the whole rewrite. Tables created earlier in the same file are exempt.
        """,
        fix: """
        Add a plain column, fill it for new rows with a trigger, backfill old rows in batches:
          SET lock_timeout = '5s';
          ALTER TABLE leads ADD COLUMN IF NOT EXISTS phone_prefix text;
          CREATE OR REPLACE TRIGGER trg_leads_phone_prefix BEFORE INSERT OR UPDATE ON leads
              FOR EACH ROW EXECUTE FUNCTION set_phone_prefix();
          -- then, in batches: UPDATE leads SET phone_prefix = left(phone_hash, 4) WHERE … LIMIT 10000;
        Or compute it in a view or in the query.
        """,
        bad: [.migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS phone_prefix text GENERATED ALWAYS AS (left(phone_hash, 4)) STORED;")],
        good: [.migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS phone_prefix text;"),
               .migration("CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text);\nALTER TABLE notes ADD COLUMN IF NOT EXISTS size int GENERATED ALWAYS AS (length(body)) STORED;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).shared(AddedColumns.self).compactMap { column in
            guard column.constraintTypes.contains(.generated) else { return nil }
            var fix: String?
            if let name = column.name, let type = ColumnType(column.definition[.typeName]) {
                let relation = ConstraintFixText.relation(column.statement), quoted = quoteIdentifier(name)
                fix = "Add a plain column, fill it for new rows with a BEFORE INSERT OR UPDATE trigger computing the same "
                    + "expression, and backfill old rows in batches outside the migration:\n"
                    + "  SET lock_timeout = '5s';\n  ALTER TABLE \(relation) ADD COLUMN IF NOT EXISTS \(quoted) \(type.sql);\n"
                    + "  UPDATE \(relation) SET \(quoted) = <its expression> WHERE ctid IN (SELECT ctid FROM \(relation) WHERE \(quoted) IS NULL LIMIT 10000);\n"
                    + "Or compute it in a view or in the query."
            }
            return finding("Stored generated column \(column.table).\(column.name ?? "?") is computed for every row: the table is rewritten under ACCESS EXCLUSIVE.",
                           at: column.statement.location, fix: fix)
        }
    }
}

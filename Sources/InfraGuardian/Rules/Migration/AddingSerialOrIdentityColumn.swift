/// ADD COLUMN serial / bigserial / smallserial or GENERATED … AS IDENTITY on an existing table.
struct AddingSerialOrIdentityColumn: Rule {
    static let description = RuleDescription(
        id: "adding-serial-or-identity-column", category: .migration, severity: .high,
        summary: "ADD COLUMN serial/bigserial or GENERATED … AS IDENTITY rewrites the existing table.",
        finds: "`ADD COLUMN` serial/bigserial or `GENERATED … AS IDENTITY` on an existing table: table rewrite",
        why: """
        A serial or identity column takes a value from its sequence for every existing row (nextval() \
        is volatile): PostgreSQL rewrites the table and its indexes under ACCESS EXCLUSIVE, blocking \
        reads and writes for the whole rewrite. Made a primary key, it also builds the index under the \
        same lock. Tables created earlier in the same file are exempt.
        """,
        fix: """
        Add a nullable column, attach the sequence for new rows, backfill in batches, then constrain it:
          SET lock_timeout = '5s';
          CREATE SEQUENCE IF NOT EXISTS leads_seq_seq;
          ALTER TABLE leads ADD COLUMN IF NOT EXISTS seq bigint;
          ALTER TABLE leads ALTER COLUMN seq SET DEFAULT nextval('leads_seq_seq');
          -- backfill in batches: UPDATE leads SET seq = nextval('leads_seq_seq') WHERE … LIMIT 10000;
          -- then a unique index CONCURRENTLY, and NOT NULL through a validated CHECK (see set-not-null).
        """,
        bad: [.migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS seq bigserial;"),
              .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS seq bigint GENERATED ALWAYS AS IDENTITY;")],
        good: [.migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS seq bigint;"),
               .migration("CREATE TABLE IF NOT EXISTS notes (body text);\nALTER TABLE notes ADD COLUMN IF NOT EXISTS id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;")])

    private static let serialTypes: Set<String> = ["serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"]

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).shared(AddedColumns.self).compactMap { column in
            let type = column.typeName ?? ""
            let what: String
            if Self.serialTypes.contains(type) { what = "a \(type) column" }
            else if column.constraintTypes.contains(.identity) { what = "an identity column" }
            else { return nil }
            return finding("\(column.table).\(column.name ?? "?") is added as \(what): a sequence value is written into every row, rewriting the table under ACCESS EXCLUSIVE.",
                           at: column.statement.location, fix: Self.fix(column))
        }
    }

    /// A nullable column fed by a sequence for new rows, backfilled, then constrained, with its names.
    static func fix(_ column: AddedColumn) -> String? {
        guard let name = column.name else { return nil }
        let relation = ConstraintFixText.relation(column.statement)
        let quoted = quoteIdentifier(name)
        let sequence = quoteIdentifier(ConstraintFixText.defaultName(table: column.table, columns: [name], suffix: "seq"))
        return """
            Add a nullable column, feed new rows from a sequence, backfill in batches, then constrain it:
              SET lock_timeout = '5s';
              CREATE SEQUENCE IF NOT EXISTS \(sequence);
              ALTER TABLE \(relation) ADD COLUMN IF NOT EXISTS \(quoted) bigint;
              ALTER TABLE \(relation) ALTER COLUMN \(quoted) SET DEFAULT nextval('\(sequence)');
              -- backfill outside the migration, in batches:
              UPDATE \(relation) SET \(quoted) = nextval('\(sequence)')
               WHERE ctid IN (SELECT ctid FROM \(relation) WHERE \(quoted) IS NULL LIMIT 10000);
              -- then a unique index CONCURRENTLY, and NOT NULL through a validated CHECK (`explain set-not-null`).
            """
    }
}

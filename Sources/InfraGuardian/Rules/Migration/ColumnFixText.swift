/// Fixes for column changes on existing tables, written with the statement's table, column and type.
enum ColumnFixText {
    /// The CHECK (col IS NOT NULL) NOT VALID → VALIDATE → SET NOT NULL procedure.
    static func setNotNull(_ statement: SQLStatement, table: String, column: String) -> String {
        let relation = ConstraintFixText.relation(statement)
        let check = quoteIdentifier(ConstraintFixText.defaultName(table: table, columns: [column], suffix: "not_null"))
        return """
            Prove it with a check first, each step in its own migration:
              SET lock_timeout = '5s';
              ALTER TABLE \(relation) ADD CONSTRAINT \(check) CHECK (\(quoteIdentifier(column)) IS NOT NULL) NOT VALID;
              -- next migration (SHARE UPDATE EXCLUSIVE: reads and writes go on while it scans)
              ALTER TABLE \(relation) VALIDATE CONSTRAINT \(check);
              -- next migration (PostgreSQL 12+ uses the valid check: no scan)
              SET lock_timeout = '5s';
              ALTER TABLE \(relation) ALTER COLUMN \(quoteIdentifier(column)) SET NOT NULL;
              ALTER TABLE \(relation) DROP CONSTRAINT IF EXISTS \(check);
            """
    }

    /// A NOT NULL column added with a constant default, or nullable and proven later.
    static func addNotNull(_ column: AddedColumn) -> String? {
        guard let name = column.name, let type = ColumnType(column.definition[.typeName]) else { return nil }
        let relation = ConstraintFixText.relation(column.statement)
        return """
            If one value fits every existing row, give it as a constant default (no rewrite on PostgreSQL 11+):
              ALTER TABLE \(relation) ADD COLUMN IF NOT EXISTS \(quoteIdentifier(name)) \(type.sql) NOT NULL DEFAULT <constant>;
            Otherwise add it nullable, backfill it in batches, then prove it NOT NULL (see `explain set-not-null`):
              ALTER TABLE \(relation) ADD COLUMN IF NOT EXISTS \(quoteIdentifier(name)) \(type.sql);
            """
    }

    /// Expand and contract: a new column of the new type, dual writes and a backfill, then the old one dropped.
    static func changeType(_ statement: SQLStatement, table: String, column: String, to type: ColumnType) -> String {
        let relation = ConstraintFixText.relation(statement)
        let new = quoteIdentifier(String((column + "_new").prefix(63)))
        return """
            Change it without the rewrite, in steps:
              1. ALTER TABLE \(relation) ADD COLUMN IF NOT EXISTS \(new) \(type.sql);
              2. Write both columns from the code (or a trigger), and backfill old rows in batches, outside the migration:
                 UPDATE \(relation) SET \(new) = \(quoteIdentifier(column))::\(type.sql)
                  WHERE ctid IN (SELECT ctid FROM \(relation) WHERE \(new) IS NULL AND \(quoteIdentifier(column)) IS NOT NULL LIMIT 10000);
              3. Move the reads to \(new) in the code.
              4. In a later release: ALTER TABLE \(relation) DROP COLUMN \(quoteIdentifier(column)); with
                 `-- infra-guardian:approve ban-drop-column <why nothing reads it>` above it.
            """
    }

    /// The column added without its volatile default, the default set for new rows, old rows backfilled.
    static func volatileDefault(_ column: AddedColumn, function: String) -> String? {
        guard let name = column.name, let type = ColumnType(column.definition[.typeName]) else { return nil }
        let relation = ConstraintFixText.relation(column.statement)
        let noArguments: Set<String> = ["gen_random_uuid", "uuid_generate_v4", "random", "clock_timestamp", "timeofday", "now"]
        let call = noArguments.contains(function.lowercased()) ? "\(function)()" : "\(function)(…)"
        return """
            Add the column without the default, set the default for new rows, then backfill old rows in batches:
              SET lock_timeout = '5s';
              ALTER TABLE \(relation) ADD COLUMN IF NOT EXISTS \(quoteIdentifier(name)) \(type.sql);
              ALTER TABLE \(relation) ALTER COLUMN \(quoteIdentifier(name)) SET DEFAULT \(call);
              -- then, outside the migration:
              UPDATE \(relation) SET \(quoteIdentifier(name)) = \(call)
               WHERE ctid IN (SELECT ctid FROM \(relation) WHERE \(quoteIdentifier(name)) IS NULL LIMIT 10000);
            """
    }
}

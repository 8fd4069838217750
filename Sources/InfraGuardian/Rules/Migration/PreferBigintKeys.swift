/// 32- and 16-bit key columns.
struct PreferBigintKeys: Rule {
    static let description = RuleDescription(
        id: "prefer-bigint-keys", category: .migration, severity: .medium,
        summary: "A key column (primary key, identity, serial, foreign key, id or *_id) of type integer or smallint: use bigint.",
        finds: "an `integer`/`smallint`/`serial` key column: primary key, identity, serial, foreign key, `id` or `*_id`",
        why: """
        An integer key runs out at 2,147,483,647 (a smallint at 32,767): inserts then fail with \
        "integer out of range" or "nextval: reached maximum value of sequence", and the fix is a type \
        change that rewrites the table and every index and foreign key pointing at it under an ACCESS \
        EXCLUSIVE lock: hours of downtime on exactly the largest table. Sequences skip numbers on every \
        rollback, so the limit comes sooner than the row count suggests. bigint costs 4 bytes more per \
        row. Only key-like columns are flagged, not every integer.
        """,
        fix: """
        Declare keys, and the columns referencing them, as bigint:
          CREATE TABLE IF NOT EXISTS lead_imports (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              batch_id bigint NOT NULL REFERENCES import_batches (id)
          );
        For an existing integer key: add a bigint column, keep it in step with a trigger, backfill in
        batches, build its unique index CONCURRENTLY, then swap the primary key USING INDEX in a short
        migration with a lock_timeout.
        """,
        bad: [.migration("CREATE TABLE IF NOT EXISTS lead_imports (id serial PRIMARY KEY, file text);"),
              .migration("CREATE TABLE IF NOT EXISTS lead_notes (note_id integer, body text, PRIMARY KEY (note_id));"),
              .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS campaign_id int REFERENCES campaigns (id);")],
        good: [.migration("CREATE TABLE IF NOT EXISTS lead_imports (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, attempts integer NOT NULL DEFAULT 0);")])

    /// 16- and 32-bit integers, and the serials built on them.
    static let smallIntegerTypes: Set<String> = ["int2", "int4", "smallserial", "serial2", "serial", "serial4"]

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        ColumnTypes.definitions(context.migrations(input), ofTypes: Self.smallIntegerTypes).compactMap { statement, column in
            guard let type = column.builtinType, Self.smallIntegerTypes.contains(type),
                  let role = Self.keyRole(column) else { return nil }
            let bits = type.contains("2") || type == "smallserial" ? "16-bit" : "32-bit"
            let wider = type.hasSuffix("serial") ? "bigserial" : "bigint"
            return finding("\(ColumnTypes.describe(column, as: "\(type) (\(bits))")) and \(role): use bigint.",
                           at: statement.location, fix: ColumnTypes.fix(column, statement, declaration: wider))
        }
    }

    /// Why the column counts as a key, or nil when it does not.
    static func keyRole(_ column: ColumnDefinition) -> String? {
        let constraints = column.constraintTypes
        if constraints.contains(.primary) || column.tableKeyColumns.contains(column.column) && column.origin == .createTable {
            return "a key column"
        }
        if constraints.contains(.identity) { return "an identity column" }
        if let type = column.builtinType, type.contains("serial") { return "a sequence-filled column" }
        if constraints.contains(.foreign) { return "a foreign key" }
        let name = column.column.lowercased()
        if name == "id" || name.hasSuffix("_id") { return "named like a key" }
        return nil
    }
}

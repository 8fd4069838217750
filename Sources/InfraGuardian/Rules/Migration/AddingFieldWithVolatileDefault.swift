/// ADD COLUMN … DEFAULT <volatile expression> on an existing table: a full rewrite.
struct AddingFieldWithVolatileDefault: Rule {
    static let description = RuleDescription(
        id: "adding-field-with-volatile-default", category: .migration, severity: .high,
        summary: "ADD COLUMN with a volatile DEFAULT (gen_random_uuid(), random(), clock_timestamp(), nextval()…) rewrites the existing table.",
        finds: "`ADD COLUMN … DEFAULT` with a volatile function (`gen_random_uuid()`, `random()`, `clock_timestamp()`, `nextval()`…): table rewrite",
        why: """
        Since PostgreSQL 11 a constant or STABLE default (now(), current_timestamp, 'x', 0) is computed \
        once and stored in the catalog: the ADD is instant. A VOLATILE default must be computed for every \
        existing row, so PostgreSQL rewrites the whole table and rebuilds its indexes under ACCESS \
        EXCLUSIVE: no reads and no writes until it ends. Functions not known to be STABLE or IMMUTABLE \
        (user-defined ones included: CREATE FUNCTION defaults to VOLATILE) count as volatile. Tables \
        created earlier in the same file are exempt.
        """,
        fix: """
        Add the column without the default, set the default for new rows, then backfill in batches:
          SET lock_timeout = '5s';
          ALTER TABLE leads ADD COLUMN IF NOT EXISTS public_id uuid;
          ALTER TABLE leads ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
          -- then, outside the migration, in batches:
          UPDATE leads SET public_id = gen_random_uuid()
           WHERE id IN (SELECT id FROM leads WHERE public_id IS NULL LIMIT 10000);
        """,
        bad: [.migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS public_id uuid NOT NULL DEFAULT gen_random_uuid();"),
              .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();")],
        good: [.migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS seen_at timestamptz NOT NULL DEFAULT now();"),
               .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS flags jsonb NOT NULL DEFAULT '{}'::jsonb;"),
               .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS public_id uuid;\nALTER TABLE leads ALTER COLUMN public_id SET DEFAULT gen_random_uuid();"),
               .migration("CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY);\nALTER TABLE notes ADD COLUMN IF NOT EXISTS public_id uuid DEFAULT gen_random_uuid();")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).shared(AddedColumns.self).compactMap { column in
            guard let expression = column.defaultExpression,
                  let function = DefaultVolatility.volatileFunction(in: expression) else { return nil }
            let known = DefaultVolatility.knownVolatile.contains(function.lowercased()) ? "is VOLATILE" : "is not known to be STABLE or IMMUTABLE"
            return finding("Column \(column.table).\(column.name ?? "?") gets DEFAULT \(function)(), which \(known): every row is rewritten under ACCESS EXCLUSIVE.",
                           at: column.statement.location, fix: ColumnFixText.volatileDefault(column, function: function))
        }
    }
}

/// json columns: jsonb is the type to store JSON in.
struct PreferJsonb: Rule {
    static let description = RuleDescription(
        id: "prefer-jsonb", category: .migration, severity: .medium,
        summary: "A column of type json: use jsonb.",
        finds: "a `json` column (create, add or type change)",
        why: """
        json stores the text as written and reparses it on every access (every ->, ->> and jsonb_* call), \
        has no equality operator (so no DISTINCT, GROUP BY, UNION or unique index on it), and no GIN \
        index for containment (@>) or key (?) queries. jsonb is parsed once on write, compared, indexed, \
        and what every JSON function is fastest on. Changing the type later rewrites the table under an \
        ACCESS EXCLUSIVE lock. Keep json only to preserve key order, duplicates or exact whitespace.
        """,
        fix: """
        Declare jsonb from the start:
          ALTER TABLE events ADD COLUMN IF NOT EXISTS payload jsonb NOT NULL DEFAULT '{}'::jsonb;
        For an existing json column: add a jsonb column, backfill it in batches (payload::jsonb), switch
        the code over, then drop the old column.
        """,
        bad: [.migration("CREATE TABLE IF NOT EXISTS webhooks (id uuid PRIMARY KEY, payload json NOT NULL);"),
              .migration("ALTER TABLE events ADD COLUMN IF NOT EXISTS payload json;")],
        good: [.migration("CREATE TABLE IF NOT EXISTS webhooks (id uuid PRIMARY KEY, payload jsonb NOT NULL);")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        ColumnTypes.definitions(context.migrations(input), ofTypes: ["json"]).map { statement, column in
            finding("\(ColumnTypes.describe(column, as: "json")): use jsonb (indexable, comparable, parsed once).",
                    at: statement.location, fix: ColumnTypes.fix(column, statement, declaration: "jsonb"))
        }
    }
}

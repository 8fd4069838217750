/// timestamp without time zone columns.
struct PreferTimestamptz: Rule {
    static let description = RuleDescription(
        id: "prefer-timestamptz", category: .migration, severity: .medium,
        summary: "A column of type timestamp (without time zone): use timestamptz.",
        finds: "a `timestamp without time zone` column",
        why: """
        timestamp stores a wall-clock reading with no zone: the same instant written by servers or \
        sessions in different TimeZone settings gets different values, comparisons with now() (a \
        timestamptz) go through the session's zone, and daylight-saving changes make an hour ambiguous. \
        timestamptz stores the instant (UTC) and takes the same 8 bytes. Converting later rewrites the \
        table under an ACCESS EXCLUSIVE lock and needs every stored value's zone to be known.
        """,
        fix: """
        Declare timestamptz:
          ALTER TABLE leads ADD COLUMN IF NOT EXISTS contacted_at timestamptz;
        For an existing column whose values are UTC: add a timestamptz column, backfill it in batches
        (contacted_at AT TIME ZONE 'UTC'), switch the code, then drop the old column.
        """,
        bad: [.migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS contacted_at timestamp;"),
              .migration("CREATE TABLE IF NOT EXISTS visits (id uuid PRIMARY KEY, seen_at timestamp(3) without time zone);")],
        good: [.migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS contacted_at timestamptz;"),
               .migration("CREATE TABLE IF NOT EXISTS visits (id uuid PRIMARY KEY, seen_at timestamp with time zone);")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        ColumnTypes.definitions(context.migrations(input), ofTypes: ["timestamp"]).map { statement, column in
            finding("\(ColumnTypes.describe(column, as: "timestamp without time zone")): use timestamptz.",
                    at: statement.location, fix: ColumnTypes.fix(column, statement, declaration: "timestamptz"))
        }
    }
}

/// ADD COLUMN … NOT NULL without a DEFAULT on a table that may hold rows.
struct AddColumnNotNullWithoutDefault: Rule {
    static let description = RuleDescription(
        id: "add-column-not-null-without-default", category: .migration, severity: .high,
        summary: "ALTER TABLE … ADD COLUMN … NOT NULL without DEFAULT on an existing table.",
        finds: "`ADD COLUMN … NOT NULL` without `DEFAULT` on an existing table",
        why: """
        The existing rows would get NULL in the new column, so PostgreSQL refuses the statement as soon as \
        the table holds one row ("column … contains null values"): the migration passes on an empty \
        development database and fails in production. The seed forbids NOT NULL without DEFAULT. Since \
        PostgreSQL 11, a constant DEFAULT is stored in the catalog, so the safe form is instant.
        """,
        fix: """
        Add it with a constant default (no rewrite on PostgreSQL 11+), then drop the default if new rows \
        must always supply a value:
          ALTER TABLE leads ADD COLUMN IF NOT EXISTS source VARCHAR(50) NOT NULL DEFAULT 'UNKNOWN';
          ALTER TABLE leads ALTER COLUMN source DROP DEFAULT;  -- optional, once the code writes it
        """,
        bad: [.migration("ALTER TABLE leads ADD COLUMN source VARCHAR(50) NOT NULL;"),
              .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS lead_ref uuid PRIMARY KEY;")],
        good: [.migration("ALTER TABLE leads ADD COLUMN source VARCHAR(50) NOT NULL DEFAULT 'UNKNOWN';"),
               .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS seq bigserial NOT NULL;"),
               .migration("CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text NOT NULL;")])

    /// Constraints that give existing rows a value.
    private static let filling: Set<PG.ConstrType> = [.default, .identity, .generated]
    private static let serialTypes: Set<String> = ["serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"]

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).shared(AddedColumns.self).compactMap { column in
            let constraints = column.constraintTypes
            guard constraints.contains(.notnull) || constraints.contains(.primary),
                  !constraints.contains(where: Self.filling.contains),
                  !Self.serialTypes.contains(column.typeName ?? "") else { return nil }
            let table = column.table
            return finding("Column \(table).\(column.name ?? "?") is added NOT NULL without a DEFAULT: it fails as soon as \(table) holds a row.",
                           at: column.statement.location, fix: ColumnFixText.addNotNull(column))
        }
    }
}

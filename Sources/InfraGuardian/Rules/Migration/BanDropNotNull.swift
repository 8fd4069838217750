/// ALTER COLUMN … DROP NOT NULL on a table that existed before the migration.
struct BanDropNotNull: Rule {
    static let description = RuleDescription(
        id: "ban-drop-not-null", category: .migration, severity: .medium,
        summary: "ALTER COLUMN … DROP NOT NULL lets NULLs into a column that code and queries assume is filled.",
        finds: "`ALTER COLUMN … DROP NOT NULL` on an existing column without approval",
        why: """
        Readers were written for a column that is never NULL: application code dereferences it, \
        `WHERE col <> 'x'` starts skipping rows, aggregates and joins change results, and exports break. \
        Nothing fails at migration time; the first NULL arrives later. Putting NOT NULL back requires \
        cleaning every NULL first (and a full-table scan under lock). Columns of tables created, or \
        columns added, earlier in the same file are not flagged.
        """,
        fix: """
        1. Make every reader handle NULL, and deploy that.
        2. Then drop the constraint with an approval on the line above:
             -- infra-guardian:approve ban-drop-not-null source is optional for imported leads, ticket INFRA-134
             ALTER TABLE leads ALTER COLUMN source DROP NOT NULL;
        When the column is on its way out (expand/contract), say so in the reason.
        """,
        bad: [.migration("ALTER TABLE leads ALTER COLUMN source DROP NOT NULL;")],
        good: [.migration("-- migrate:up\nALTER TABLE leads ALTER COLUMN source SET DEFAULT 'unknown';\n-- migrate:down\nALTER TABLE leads ALTER COLUMN source DROP NOT NULL;\n"),
               .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS channel text NOT NULL DEFAULT 'web';\nALTER TABLE leads ALTER COLUMN channel DROP NOT NULL;")],
        requiresApproval: true)

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).upStatements(withAlterCommands: [.dropNotNull]).flatMap { file, statement -> [Finding] in
            guard statement.targetExistedBefore, let table = statement.targetTable, let up = file.up else { return [] }
            return statement.alterCommands(.dropNotNull).compactMap { command in
                guard let column = command[.name].string,
                      !up.created(SchemaObject(.column, "\(table).\(column)"), before: statement.index) else { return nil }
                let text = "ALTER TABLE \(ConstraintFixText.relation(statement)) ALTER COLUMN \(quoteIdentifier(column)) DROP NOT NULL;"
                let fix = "1. Make every reader of \(table).\(column) handle NULL, and deploy that.\n"
                    + "2. Then approve it on the line above (when the column is on its way out, say so in the reason):\n"
                    + "     -- infra-guardian:approve ban-drop-not-null <why \(column) may now be NULL>\n     \(text)"
                return finding("DROP NOT NULL on \(table).\(column) without `-- infra-guardian:approve ban-drop-not-null <reason>`.",
                               at: statement.location, fix: fix)
            }
        }
    }
}
